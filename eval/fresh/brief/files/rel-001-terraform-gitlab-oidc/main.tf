# gcn-infra / envs/prod/ecs-pos-api/main.tf
# Grupo Comercial Norteño - POS integration API, production (account 381920475563, us-east-1)
# Applied only by the GitLab pipeline (role gcn-terraform-deployer). Do not apply from laptops.

terraform {
  required_version = "~> 1.7.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket         = "gcn-tfstate-381920475563"
    key            = "prod/ecs-pos-api/terraform.tfstate"
    region         = "us-east-1"
    dynamodb_table = "gcn-tfstate-lock"
    encrypt        = true
  }
}

provider "aws" {
  region = "us-east-1"
  assume_role {
    role_arn = "arn:aws:iam::381920475563:role/gcn-terraform-deployer"
  }
  default_tags {
    tags = {
      Project     = "pos-api"
      Environment = "prod"
      ManagedBy   = "terraform"
      Repo        = "gitlab.gcn.mx/plataforma/gcn-infra"
    }
  }
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "gcn-tfstate-381920475563"
    key    = "prod/network/terraform.tfstate"
    region = "us-east-1"
  }
}

locals {
  name        = "gcn-prod-pos-api"
  vpc_id      = data.terraform_remote_state.network.outputs.vpc_id
  app_subnets = data.terraform_remote_state.network.outputs.app_subnet_ids
}

module "alb" {
  source          = "../../../modules/alb"
  name            = local.name
  vpc_id          = local.vpc_id
  public_subnets  = data.terraform_remote_state.network.outputs.public_subnet_ids
  certificate_arn = var.certificate_arn
  ssl_policy      = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  target_port     = 8080
  health_path     = "/health"
}

module "ecs_service" {
  source             = "../../../modules/ecs-service"
  name               = local.name
  cluster_arn        = data.terraform_remote_state.network.outputs.ecs_cluster_arn
  subnets            = local.app_subnets
  image              = "381920475563.dkr.ecr.us-east-1.amazonaws.com/pos-api:${var.image_tag}"
  cpu                = 1024
  memory             = 2048
  container_port     = 8080
  target_group_arn   = module.alb.target_group_arn
  source_sg_id       = module.alb.security_group_id
  desired_count      = 3
  min_capacity       = 3
  max_capacity       = 15
  cpu_target_percent = 60
  secrets = {
    DB_PASSWORD = "arn:aws:secretsmanager:us-east-1:381920475563:secret:prod/pos-api/db"
  }
  log_retention_days = 90
}

module "aurora" {
  source              = "../../../modules/aurora-postgres"
  name                = local.name
  vpc_id              = local.vpc_id
  subnets             = data.terraform_remote_state.network.outputs.data_subnet_ids
  engine_version      = "15.5"
  instance_class      = "db.r6g.large"
  instances           = 2
  allowed_sg_ids      = [module.ecs_service.security_group_id]
  kms_key_arn         = data.terraform_remote_state.network.outputs.kms_db_key_arn
  backup_retention    = 14
  deletion_protection = true
}

resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  alarm_name          = "${local.name}-alb-5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { LoadBalancer = module.alb.arn_suffix }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 25
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = [data.terraform_remote_state.network.outputs.ops_sns_topic_arn]
}

variable "image_tag" {
  type        = string
  description = "Set by the pipeline from the application release tag"
}

variable "certificate_arn" {
  type = string
}

output "alb_dns_name" {
  value = module.alb.dns_name
}
