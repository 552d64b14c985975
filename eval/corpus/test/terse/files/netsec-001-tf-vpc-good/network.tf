# Adapted from terraform-aws-modules/terraform-aws-vpc examples/network-acls/main.tf (Apache License 2.0)
# Ridgeback changes: names/CIDRs, removed 22 + 3389 public inbound, private + database NACL rules, SGs added.
provider "aws" {
  region = "eu-west-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name = "meridian-prod"
  cidr = "10.20.0.0/16"

  azs              = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  public_subnets   = ["10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"]
  private_subnets  = ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"]
  database_subnets = ["10.20.201.0/24", "10.20.202.0/24", "10.20.203.0/24"]

  public_dedicated_network_acl = true
  public_inbound_acl_rules     = concat(local.network_acls["default_inbound"], local.network_acls["public_inbound"])
  public_outbound_acl_rules    = concat(local.network_acls["default_outbound"], local.network_acls["public_outbound"])

  private_dedicated_network_acl = true
  private_inbound_acl_rules     = local.network_acls["private_inbound"]
  private_outbound_acl_rules    = local.network_acls["private_outbound"]

  database_dedicated_network_acl = true
  database_inbound_acl_rules     = local.network_acls["database_inbound"]
  database_outbound_acl_rules    = local.network_acls["database_outbound"]

  manage_default_security_group  = true
  default_security_group_ingress = []
  default_security_group_egress  = []

  enable_nat_gateway = true
  one_nat_gateway_per_az = true
}

locals {
  network_acls = {
    default_inbound = [
      { rule_number = 900, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    default_outbound = [
      { rule_number = 900, rule_action = "allow", from_port = 32768, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    public_inbound = [
      { rule_number = 100, rule_action = "allow", from_port = 80, to_port = 80, protocol = "tcp", cidr_block = "0.0.0.0/0" },
      { rule_number = 110, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    public_outbound = [
      { rule_number = 100, rule_action = "allow", from_port = 8080, to_port = 8080, protocol = "tcp", cidr_block = "10.20.0.0/22" },
      { rule_number = 110, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    private_inbound = [
      { rule_number = 100, rule_action = "allow", from_port = 8080, to_port = 8080, protocol = "tcp", cidr_block = "10.20.100.0/22" },
      { rule_number = 900, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    private_outbound = [
      { rule_number = 100, rule_action = "allow", from_port = 5432, to_port = 5432, protocol = "tcp", cidr_block = "10.20.200.0/22" },
      { rule_number = 110, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "0.0.0.0/0" },
      { rule_number = 900, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.20.100.0/22" },
    ]
    database_inbound = [
      { rule_number = 100, rule_action = "allow", from_port = 5432, to_port = 5432, protocol = "tcp", cidr_block = "10.20.0.0/22" },
    ]
    database_outbound = [
      { rule_number = 100, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.20.0.0/22" },
    ]
  }
}

resource "aws_security_group" "alb" {
  name   = "meridian-alb"
  vpc_id = module.vpc.vpc_id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "redirect to 443"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "app" {
  name   = "meridian-app"
  vpc_id = module.vpc.vpc_id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group_rule" "app_from_alb" {
  type                     = "ingress"
  from_port                = 8080
  to_port                  = 8080
  protocol                 = "tcp"
  security_group_id        = aws_security_group.app.id
  source_security_group_id = aws_security_group.alb.id
}

resource "aws_security_group_rule" "app_to_db" {
  type                     = "egress"
  from_port                = 5432
  to_port                  = 5432
  protocol                 = "tcp"
  security_group_id        = aws_security_group.app.id
  source_security_group_id = aws_security_group.db.id
}

resource "aws_security_group" "db" {
  name   = "meridian-db"
  vpc_id = module.vpc.vpc_id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}
