# Adapted from blackbird-cloud/terraform-aws-baserow, vpc.tf
# Copyright (c) 2025 Blackbird Cloud - MIT License
# Changes by Kestrel Systems: subnet-level filter lists added to the vpc module call (marked 'added'); load balancer
# firewall group and node rule added at the end; everything else as upstream.

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name = var.name
  cidr = var.vpc_cidr

  azs                 = slice(data.aws_availability_zones.available.names, 0, var.az_count)
  public_subnets      = var.public_subnet_cidrs
  private_subnets     = var.private_subnet_cidrs
  database_subnets    = var.database_subnet_cidrs
  elasticache_subnets = var.elasticache_subnet_cidrs

  create_database_subnet_group       = true
  create_database_subnet_route_table = true

  create_elasticache_subnet_group       = true
  create_elasticache_subnet_route_table = true

  create_igw             = true
  enable_nat_gateway     = true
  single_nat_gateway     = false
  one_nat_gateway_per_az = true

  map_public_ip_on_launch = false

  enable_dns_hostnames = true
  enable_dns_support   = true

  # ---- subnet-level filters (added) ----
  public_dedicated_network_acl = true
  public_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 443,  to_port = 443,   protocol = "tcp", cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "allow", from_port = 80,   to_port = 80,    protocol = "tcp", cidr_block = "0.0.0.0/0" },
    { rule_number = 120, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
  ]
  public_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "allow", from_port = 443,  to_port = 443,   protocol = "tcp", cidr_block = "0.0.0.0/0" },
    { rule_number = 120, rule_action = "allow", from_port = 30000, to_port = 32767, protocol = "tcp", cidr_block = "10.10.0.0/16" },
  ]

  private_dedicated_network_acl = true
  private_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 0,    to_port = 65535, protocol = "tcp", cidr_block = "10.10.0.0/16" },
    { rule_number = 110, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
  ]
  private_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 443,  to_port = 443,   protocol = "tcp", cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "allow", from_port = 0,    to_port = 65535, protocol = "tcp", cidr_block = "10.10.0.0/16" },
  ]

  database_dedicated_network_acl = true
  database_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 5432, to_port = 5432,  protocol = "tcp", cidr_block = "10.10.16.0/20" },
    { rule_number = 110, rule_action = "allow", from_port = 5432, to_port = 5432,  protocol = "tcp", cidr_block = "10.10.32.0/20" },
    { rule_number = 120, rule_action = "allow", from_port = 5432, to_port = 5432,  protocol = "tcp", cidr_block = "10.10.48.0/20" },
  ]
  database_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.10.16.0/20" },
    { rule_number = 110, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.10.32.0/20" },
    { rule_number = 120, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.10.48.0/20" },
  ]

  elasticache_dedicated_network_acl = true
  elasticache_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 6379, to_port = 6379,  protocol = "tcp", cidr_block = "10.10.16.0/20" },
    { rule_number = 110, rule_action = "allow", from_port = 6379, to_port = 6379,  protocol = "tcp", cidr_block = "10.10.32.0/20" },
  ]
  elasticache_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.10.16.0/20" },
    { rule_number = 110, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.10.32.0/20" },
  ]

  public_subnet_tags = {
    "kubernetes.io/role/elb" = 1
  }

  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
  }

  tags = var.tags
}

############################################################
# Security Groups
############################################################
resource "aws_security_group" "db" {
  name        = "${var.name}-db"
  description = "DB access"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description = "Postgres from private subnets"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = module.vpc.private_subnets_cidr_blocks
  }

  tags = var.tags
}

resource "aws_security_group" "valkey" {
  name        = "${var.name}-valkey"
  description = "Valkey access"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description = "Valkey from private subnets"
    from_port   = 6379
    to_port     = 6379
    protocol    = "tcp"
    cidr_blocks = module.vpc.private_subnets_cidr_blocks
  }

  tags = var.tags
}

# ---- load balancer and node rules (added) ----
resource "aws_security_group" "alb" {
  name        = "${var.name}-public-alb"
  description = "Internet-facing load balancer: HTTPS and redirect only"
  vpc_id      = module.vpc.vpc_id

  ingress {
    description = "HTTPS from the internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "HTTP from the internet, redirected to HTTPS by the listener"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description     = "To the app node ports only"
    from_port       = 30000
    to_port         = 32767
    protocol        = "tcp"
    security_groups = [module.eks.node_security_group_id]
  }
}

resource "aws_security_group_rule" "nodes_from_alb" {
  type                     = "ingress"
  description              = "App node ports from the load balancer only"
  from_port                = 30000
  to_port                  = 32767
  protocol                 = "tcp"
  security_group_id        = module.eks.node_security_group_id
  source_security_group_id = aws_security_group.alb.id
}
