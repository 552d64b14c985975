# everly-platform/live/prod/portfolio-api/main.tf
# Client portfolio API - production stack. Applied only by the GitLab pipeline role
# arn:aws:iam::580214736925:role/ew-gitlab-deployer (OIDC). Do not apply from a laptop.

terraform {
  required_version = ">= 1.7.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.46"
    }
  }
  backend "s3" {
    bucket         = "ew-tfstate-580214736925"
    key            = "prod/portfolio-api/terraform.tfstate"
    region         = "eu-west-2"
    dynamodb_table = "ew-tf-locks"
    encrypt        = true
    kms_key_id     = "alias/ew-tfstate"
  }
}

provider "aws" {
  region = "eu-west-2"
  default_tags {
    tags = {
      Application = "portfolio-api"
      Environment = "prod"
      ManagedBy   = "terraform"
      Repository  = "gitlab.everlywealth.com/platform/everly-platform"
      CostCentre  = "CC-4410"
    }
  }
}

locals {
  name = "ew-prod-portfolio-api"
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "ew-tfstate-580214736925"
    key    = "prod/network/terraform.tfstate"
    region = "eu-west-2"
  }
}

module "ecs_service" {
  source = "git::https://gitlab.everlywealth.com/platform/tf-modules.git//ecs-fargate-service?ref=v3.4.1"

  name                 = local.name
  cluster_arn          = "arn:aws:ecs:eu-west-2:580214736925:cluster/ew-prod"
  image                = "580214736925.dkr.ecr.eu-west-2.amazonaws.com/portfolio-api:${var.image_tag}"
  cpu                  = 1024
  memory               = 2048
  container_port       = 8080
  private_subnet_ids   = data.terraform_remote_state.network.outputs.app_subnet_ids
  alb_listener_arn     = data.terraform_remote_state.network.outputs.alb_https_listener_arn
  path_patterns        = ["/api/portfolio/*"]
  health_check_path    = "/health/ready"
  desired_count        = 3
  autoscaling_min      = 3
  autoscaling_max      = 12
  cpu_target_percent   = 60
  deployment_circuit_breaker = {
    enable   = true
    rollback = true
  }
  secrets = {
    DB_PASSWORD = "arn:aws:secretsmanager:eu-west-2:580214736925:secret:ew-prod/portfolio-db-app-Xr4tQ1"
  }
}

module "aurora" {
  source = "git::https://gitlab.everlywealth.com/platform/tf-modules.git//aurora-postgresql?ref=v3.4.1"

  name                    = "${local.name}-db"
  engine_version          = "15.5"
  instance_class          = "db.r6g.large"
  instances               = 2
  subnet_ids              = data.terraform_remote_state.network.outputs.data_subnet_ids
  allowed_security_groups = [module.ecs_service.security_group_id]
  kms_key_alias           = "alias/ew-prod-data"
  backup_retention_days   = 14
  deletion_protection     = true
  performance_insights    = true
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  alarm_name          = "${local.name}-5xx-rate"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:eu-west-2:580214736925:ew-prod-p1"]

  metric_query {
    id          = "rate"
    expression  = "100 * errors / requests"
    label       = "5xx rate (%)"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = data.terraform_remote_state.network.outputs.alb_arn_suffix
        TargetGroup  = module.ecs_service.target_group_arn_suffix
      }
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      period      = 60
      stat        = "Sum"
      dimensions = {
        LoadBalancer = data.terraform_remote_state.network.outputs.alb_arn_suffix
        TargetGroup  = module.ecs_service.target_group_arn_suffix
      }
    }
  }
}

variable "image_tag" {
  description = "Immutable image tag (git SHA) produced by the build stage"
  type        = string
}

output "service_name" {
  value = module.ecs_service.service_name
}
