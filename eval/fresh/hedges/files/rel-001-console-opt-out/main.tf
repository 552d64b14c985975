# environments/prod/main.tf - Elmstead University Research Data Portal (production)
# Applied only by the GitHub Actions workflow .github/workflows/terraform-apply.yml

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket         = "elmstead-tfstate-592730184467"
    key            = "rdp/prod/terraform.tfstate"
    region         = "eu-west-2"
    dynamodb_table = "elmstead-tf-locks"
    encrypt        = true
    kms_key_id     = "alias/elmstead-tfstate"
  }
}

provider "aws" {
  region = "eu-west-2"
  assume_role {
    role_arn     = "arn:aws:iam::592730184467:role/rdp-terraform-apply"
    session_name = "github-actions-rdp-prod"
  }
  default_tags {
    tags = {
      Project     = "research-data-portal"
      Environment = "prod"
      ManagedBy   = "terraform"
      Repository  = "elmstead-uni/rdp-infrastructure"
    }
  }
}

locals {
  name = "rdp-prod"
  azs  = ["eu-west-2a", "eu-west-2b", "eu-west-2c"]
}

module "network" {
  source          = "../../modules/network"
  name            = local.name
  cidr            = "10.88.0.0/16"
  azs             = local.azs
  public_subnets  = ["10.88.0.0/24", "10.88.1.0/24", "10.88.2.0/24"]
  app_subnets     = ["10.88.16.0/22", "10.88.20.0/22", "10.88.24.0/22"]
  data_subnets    = ["10.88.40.0/24", "10.88.41.0/24", "10.88.42.0/24"]
  enable_flow_log = true
}

module "portal_service" {
  source             = "../../modules/ecs-service"
  name               = "${local.name}-portal"
  cluster_name       = "${local.name}-cluster"
  vpc_id             = module.network.vpc_id
  subnet_ids         = module.network.app_subnet_ids
  alb_listener_arn   = module.edge.https_listener_arn
  container_image    = "592730184467.dkr.ecr.eu-west-2.amazonaws.com/rdp-portal:${var.portal_image_tag}"
  container_port     = 8080
  cpu                = 1024
  memory             = 2048
  desired_count      = 3
  min_capacity       = 3
  max_capacity       = 12
  cpu_target_percent = 60
  secrets = {
    DB_PASSWORD = module.database.master_secret_arn
  }
}

module "database" {
  source                  = "../../modules/aurora-postgres"
  name                    = "${local.name}-db"
  engine_version          = "15.5"
  instance_class          = "db.r6g.large"
  instance_count          = 2
  subnet_ids              = module.network.data_subnet_ids
  allowed_security_groups = [module.portal_service.security_group_id]
  backup_retention_days   = 14
  deletion_protection     = true
  kms_key_alias           = "alias/rdp-prod-db"
}

resource "aws_s3_bucket" "datasets" {
  bucket = "elmstead-rdp-datasets-prod"
}

resource "aws_s3_bucket_versioning" "datasets" {
  bucket = aws_s3_bucket.datasets.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "datasets" {
  bucket = aws_s3_bucket.datasets.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/rdp-prod-objects"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "datasets" {
  bucket                  = aws_s3_bucket.datasets.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

module "edge" {
  source          = "../../modules/edge"
  name            = local.name
  domain_name     = "data.elmstead.ac.uk"
  certificate_arn = var.acm_certificate_arn
  vpc_id          = module.network.vpc_id
  public_subnets  = module.network.public_subnet_ids
  waf_rule_groups = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"]
}

variable "portal_image_tag" {
  type        = string
  description = "Image tag produced by the build workflow (git SHA)"
}

variable "acm_certificate_arn" {
  type = string
}

output "portal_url" {
  value = "https://data.elmstead.ac.uk"
}
