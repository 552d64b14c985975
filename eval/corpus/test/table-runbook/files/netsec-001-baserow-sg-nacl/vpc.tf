############################################################
# Wrenfield Schools Trust - Baserow on EKS, network layer
# Adapted from blackbird-cloud/terraform-aws-baserow vpc.tf (MIT License, Copyright (c) 2025 Blackbird Cloud).
# Added by Saltire Cloud: dedicated network ACLs (marked ADDED).
############################################################

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

  # ADDED: dedicated NACLs
  public_dedicated_network_acl = true
  public_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 443,  to_port = 443,   cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "allow", protocol = "tcp", from_port = 1024, to_port = 65535, cidr_block = "0.0.0.0/0" },
  ]
  public_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 443,  to_port = 443,   cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "allow", protocol = "tcp", from_port = 1024, to_port = 65535, cidr_block = "0.0.0.0/0" },
    { rule_number = 120, rule_action = "allow", protocol = "tcp", from_port = 8000, to_port = 8000,  cidr_block = var.vpc_cidr },
  ]
  private_dedicated_network_acl = true
  private_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 8000, to_port = 8000,  cidr_block = "10.60.0.0/20" },
    { rule_number = 110, rule_action = "allow", protocol = "tcp", from_port = 1024, to_port = 65535, cidr_block = "0.0.0.0/0" },
  ]
  private_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 443,  to_port = 443,   cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "allow", protocol = "tcp", from_port = 5432, to_port = 5432,  cidr_block = "10.60.32.0/20" },
    { rule_number = 120, rule_action = "allow", protocol = "tcp", from_port = 6379, to_port = 6379,  cidr_block = "10.60.48.0/20" },
    { rule_number = 130, rule_action = "allow", protocol = "tcp", from_port = 1024, to_port = 65535, cidr_block = "10.60.0.0/16" },
  ]
  database_dedicated_network_acl = true
  database_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 5432, to_port = 5432, cidr_block = "10.60.16.0/20" },
  ]
  database_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 1024, to_port = 65535, cidr_block = "10.60.16.0/20" },
  ]
  elasticache_dedicated_network_acl = true
  elasticache_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 6379, to_port = 6379, cidr_block = "10.60.16.0/20" },
  ]
  elasticache_outbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", protocol = "tcp", from_port = 1024, to_port = 65535, cidr_block = "10.60.16.0/20" },
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
