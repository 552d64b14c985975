# Kinross Travel - payments service, production workspace.
# Applied only by the GitHub Actions workflow "deploy-prod" through the
# kinross-terraform-deployer role; humans have ReadOnlyAccess in production.

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket         = "kinross-tfstate-prod"
    key            = "payments/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "kinross-tf-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = {
      Project     = "payments"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "environment" {
  type = string
}

variable "image_tag" {
  type        = string
  description = "Set by the pipeline from the build job output"
}

module "network" {
  source      = "git::https://github.com/kinross-travel/tf-modules.git//network?ref=v3.4.1"
  environment = var.environment
  cidr_block  = "10.30.0.0/16"
}

resource "aws_ecs_cluster" "payments" {
  name = "kt-payments-${var.environment}"
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_task_definition" "payments_api" {
  family                   = "kt-payments-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = aws_iam_role.task_execution.arn
  container_definitions = jsonencode([{
    name         = "payments-api"
    image        = "212847390156.dkr.ecr.eu-west-1.amazonaws.com/kt-payments-api:${var.image_tag}"
    portMappings = [{ containerPort = 8443 }]
  }])
}

resource "aws_ecs_service" "payments_api" {
  name            = "kt-payments-api"
  cluster         = aws_ecs_cluster.payments.id
  task_definition = aws_ecs_task_definition.payments_api.arn
  desired_count   = 4
  launch_type     = "FARGATE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = module.network.private_subnet_ids
    assign_public_ip = false
  }
}

resource "aws_iam_role" "task_execution" {
  name = "kt-payments-task-exec-${var.environment}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_dynamodb_table" "payment_intents" {
  name         = "kt-payment-intents-${var.environment}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "intent_id"
  attribute {
    name = "intent_id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}
