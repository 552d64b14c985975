# greenfield-housing/repairs-platform - infra/envs/prod/main.tf
# Production stack for the repairs booking system. Applied ONLY by the GitHub Actions
# workflow .github/workflows/infra.yml using role gh-actions-repairs-deploy.

terraform {
  required_version = ">= 1.7.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket         = "greenfield-tfstate-583920174612"
    key            = "repairs-platform/prod/terraform.tfstate"
    region         = "eu-west-2"
    dynamodb_table = "greenfield-tf-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = "eu-west-2"
  default_tags {
    tags = {
      Customer    = "greenfield-housing"
      Application = "repairs-platform"
      Environment = "prod"
      ManagedBy   = "terraform"
      Repo        = "greenfield-housing/repairs-platform"
    }
  }
}

locals {
  name = "repairs-prod"
  azs  = ["eu-west-2a", "eu-west-2b", "eu-west-2c"]
}

module "network" {
  source          = "../../modules/network"
  name            = local.name
  cidr            = "10.70.0.0/16"
  azs             = local.azs
  public_subnets  = ["10.70.0.0/24", "10.70.1.0/24", "10.70.2.0/24"]
  app_subnets     = ["10.70.10.0/24", "10.70.11.0/24", "10.70.12.0/24"]
  data_subnets    = ["10.70.20.0/24", "10.70.21.0/24", "10.70.22.0/24"]
  nat_per_az      = true
  flow_logs_days  = 90
}

module "database" {
  source                  = "../../modules/postgres"
  identifier              = "repairs-db"
  engine_version          = "16.2"
  instance_class          = "db.m6g.large"
  multi_az                = true
  allocated_storage       = 100
  max_allocated_storage   = 400
  subnet_ids              = module.network.data_subnet_ids
  allowed_security_groups = [module.api.security_group_id]
  kms_key_alias           = "alias/repairs-db"
  backup_retention_days   = 14
  deletion_protection     = true
}

module "api" {
  source            = "../../modules/ecs-service"
  cluster_name      = "repairs-cluster"
  service_name      = "repairs-api"
  image             = "583920174612.dkr.ecr.eu-west-2.amazonaws.com/repairs-api:${var.image_tag}"
  cpu               = 512
  memory            = 1024
  desired_count     = 3
  min_count         = 3
  max_count         = 12
  cpu_target        = 60
  subnet_ids        = module.network.app_subnet_ids
  alb_listener_arn  = module.edge.https_listener_arn
  health_check_path = "/healthz"
  secrets = {
    DB_PASSWORD = "arn:aws:secretsmanager:eu-west-2:583920174612:secret:repairs/db-app"
  }
}

module "edge" {
  source          = "../../modules/alb-https"
  name            = "repairs-alb"
  vpc_id          = module.network.vpc_id
  subnet_ids      = module.network.public_subnet_ids
  certificate_arn = "arn:aws:acm:eu-west-2:583920174612:certificate/5b0c7e2a-91d4-4f6e-a3b8-0d2e9c41f7a6"
  ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  waf_acl_name    = "repairs-waf"
}

module "intake" {
  source        = "../../modules/lambda"
  function_name = "repairs-intake"
  runtime       = "python3.12"
  handler       = "intake.handler"
  package_s3    = "greenfield-artifacts-583920174612/repairs-intake/${var.intake_version}.zip"
  timeout       = 30
  memory        = 512
  queue_arn     = module.queues.intake_queue_arn
}

module "queues" {
  source            = "../../modules/sqs-pair"
  name              = "repairs-intake"
  max_receive_count = 5
  kms_key_alias     = "alias/repairs-app"
}

# Alert on any write API call in this account that did NOT come from the pipeline role.
module "console_change_alarm" {
  source             = "../../modules/drift-alarm"
  allowed_role_names = ["gh-actions-repairs-deploy", "AWSServiceRoleForECS", "AWSServiceRoleForRDS"]
  sns_topic_name     = "repairs-security-alerts"
  notify_emails      = ["cloud-alerts@northpine.co.uk", "ictsecurity@greenfieldhousing.org.uk"]
}

variable "image_tag" {
  type        = string
  description = "Git SHA of the repairs-api image, set by the pipeline"
}

variable "intake_version" {
  type        = string
  description = "Version of the repairs-intake Lambda package, set by the pipeline"
}

output "alb_dns_name" {
  value = module.edge.dns_name
}
