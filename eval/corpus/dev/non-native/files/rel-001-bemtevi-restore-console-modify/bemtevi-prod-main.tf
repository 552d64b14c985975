# Hospital Bem-Te-Vi - prontuario (medical records) platform - production
# Repository: cerrado/bemtevi-infra, applied by Atlantis on merge to main

terraform {
  required_version = ">= 1.6"
  backend "s3" {
    bucket         = "bemtevi-tfstate-prod"
    key            = "prod/platform.tfstate"
    region         = "sa-east-1"
    dynamodb_table = "bemtevi-tf-lock"
    encrypt        = true
  }
}

provider "aws" {
  region = "sa-east-1"
  default_tags {
    tags = { Project = "prontuario", Environment = "prod", ManagedBy = "terraform" }
  }
}

module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.5"

  identifier           = "bemtevi-prontuario-db"
  engine               = "postgres"
  engine_version       = "15.5"
  instance_class       = "db.r6g.xlarge"
  allocated_storage    = 500
  multi_az             = true
  storage_encrypted    = true
  db_subnet_group_name = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.db.id]
  backup_retention_period = 14
  deletion_protection  = true
}

resource "aws_ecs_service" "prontuario_api" {
  name            = "prontuario-api"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.prontuario_api.arn
  desired_count   = 4
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = module.vpc.private_subnets
    security_groups = [aws_security_group.app.id]
  }
}
