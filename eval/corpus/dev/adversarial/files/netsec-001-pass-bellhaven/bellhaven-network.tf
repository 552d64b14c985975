# Adapted by Northwind Cloud Partners from terraform-aws-modules/terraform-aws-vpc
# examples/network-acls/main.tf (Apache-2.0). Changes: region/name/CIDRs, NAT per AZ, database subnets and a
# dedicated database NACL added, public inbound SSH/RDP rules removed, outbound rules narrowed.
provider "aws" {
  region = "eu-west-2"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.8"

  name = "bellhaven-prod"
  cidr = "10.20.0.0/16"

  azs              = ["eu-west-2a", "eu-west-2b", "eu-west-2c"]
  public_subnets   = ["10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"]
  private_subnets  = ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"]
  database_subnets = ["10.20.21.0/24", "10.20.22.0/24", "10.20.23.0/24"]

  enable_nat_gateway     = true
  one_nat_gateway_per_az = true

  manage_default_network_acl = true
  default_network_acl_ingress = []   # default NACL: deny all, no subnets associated
  default_network_acl_egress  = []

  public_dedicated_network_acl = true
  public_inbound_acl_rules     = concat(local.network_acls["default_inbound"], local.network_acls["public_inbound"])
  public_outbound_acl_rules    = concat(local.network_acls["default_outbound"], local.network_acls["public_outbound"])

  private_dedicated_network_acl = true
  private_inbound_acl_rules     = local.network_acls["private_inbound"]
  private_outbound_acl_rules    = local.network_acls["private_outbound"]

  database_dedicated_network_acl = true
  database_inbound_acl_rules     = local.network_acls["database_inbound"]
  database_outbound_acl_rules    = local.network_acls["database_outbound"]

  tags = {
    Owner       = "bellhaven-platform"
    Environment = "prod"
  }
}

locals {
  network_acls = {
    default_inbound = [
      { rule_number = 900, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    default_outbound = [
      { rule_number = 900, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    public_inbound = [
      { rule_number = 100, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "0.0.0.0/0" },
      { rule_number = 110, rule_action = "allow", from_port = 80, to_port = 80, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    public_outbound = [
      { rule_number = 100, rule_action = "allow", from_port = 8080, to_port = 8080, protocol = "tcp", cidr_block = "10.20.0.0/22" },
      { rule_number = 110, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    private_inbound = [
      { rule_number = 100, rule_action = "allow", from_port = 8080, to_port = 8080, protocol = "tcp", cidr_block = "10.20.100.0/22" },
      { rule_number = 110, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    ]
    private_outbound = [
      { rule_number = 100, rule_action = "allow", from_port = 5432, to_port = 5432, protocol = "tcp", cidr_block = "10.20.20.0/22" },
      { rule_number = 110, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "0.0.0.0/0" },
      { rule_number = 120, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.20.100.0/22" },
    ]
    database_inbound = [
      { rule_number = 100, rule_action = "allow", from_port = 5432, to_port = 5432, protocol = "tcp", cidr_block = "10.20.0.0/22" },
    ]
    database_outbound = [
      { rule_number = 100, rule_action = "allow", from_port = 1024, to_port = 65535, protocol = "tcp", cidr_block = "10.20.0.0/22" },
    ]
  }
}
