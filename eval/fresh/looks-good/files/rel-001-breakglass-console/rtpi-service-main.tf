# harrowgate-rtpi / modules/service/main.tf
# Real-time passenger information API - ECS Fargate service, ALB target group, autoscaling.
# Applied by GitLab CI (stages: validate -> plan -> apply) with the role
# arn:aws:iam::596031847220:role/gitlab-terraform-prod via GitLab OIDC.

terraform {
  required_version = ">= 1.6.0"
  backend "s3" {
    bucket         = "harrowgate-tfstate-596031847220"
    key            = "rtpi/prod/service.tfstate"
    region         = "eu-west-2"
    dynamodb_table = "harrowgate-tf-locks"
    encrypt        = true
  }
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.45" }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "rtpi", Environment = var.environment, ManagedBy = "terraform" }
  }
}

variable "region"          { default = "eu-west-2" }
variable "environment"     { type = string }
variable "image_tag"       { type = string }
variable "vpc_id"          { type = string }
variable "private_subnets" { type = list(string) }
variable "alb_listener_arn" { type = string }
variable "alb_sg_id"       { type = string }
variable "desired_count"   { default = 3 }

resource "aws_ecs_cluster" "rtpi" {
  name = "rtpi-${var.environment}"
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/harrowgate/${var.environment}/rtpi-api"
  retention_in_days = 90
}

resource "aws_ecs_task_definition" "api" {
  family                   = "rtpi-api-${var.environment}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  container_definitions = jsonencode([{
    name         = "rtpi-api"
    image        = "596031847220.dkr.ecr.eu-west-2.amazonaws.com/rtpi-api:${var.image_tag}"
    portMappings = [{ containerPort = 8080, protocol = "tcp" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.api.name
        awslogs-region        = var.region
        awslogs-stream-prefix = "api"
      }
    }
    healthCheck = { command = ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"], interval = 15, retries = 3 }
  }])
}

resource "aws_security_group" "api" {
  name        = "rtpi-api-${var.environment}"
  description = "RTPI API tasks"
  vpc_id      = var.vpc_id
  ingress {
    description     = "from ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [var.alb_sg_id]
  }
  egress {
    description = "HTTPS to AWS APIs and GTFS feeds"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_lb_target_group" "api" {
  name        = "rtpi-api-${var.environment}"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
  health_check {
    path                = "/healthz"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    interval            = 15
  }
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = var.alb_listener_arn
  priority     = 100
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
  condition {
    path_pattern { values = ["/v1/*"] }
  }
}

resource "aws_ecs_service" "api" {
  name            = "rtpi-api"
  cluster         = aws_ecs_cluster.rtpi.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = var.desired_count
  launch_type     = "FARGATE"
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  network_configuration {
    subnets         = var.private_subnets
    security_groups = [aws_security_group.api.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "rtpi-api"
    container_port   = 8080
  }
  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "api" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.rtpi.name}/${aws_ecs_service.api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 3
  max_capacity       = 24
}

resource "aws_appautoscaling_policy" "api_cpu" {
  name               = "rtpi-api-cpu-60"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.api.service_namespace
  resource_id        = aws_appautoscaling_target.api.resource_id
  scalable_dimension = aws_appautoscaling_target.api.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# IAM roles (execution/task) are defined in iam.tf in the same module.
