# Marlowe Hotels - booking-api ECS service (production)
# Repository: github.com/marlowe-hotels/booking-infra  path: envs/prod/booking-api/main.tf
# Maintained by Sandpiper Cloud. Applied only by GitHub Actions workflow "terraform-apply".

terraform {
  required_version = ">= 1.6.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket         = "marlowe-tfstate-731946028415"
    key            = "prod/booking-api/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "marlowe-tfstate-lock"
    encrypt        = true
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      Environment = "prod"
      Service     = "booking-api"
      ManagedBy   = "terraform"
      Repo        = "marlowe-hotels/booking-infra"
    }
  }
}

variable "image_tag" {
  description = "Immutable image tag produced by the build workflow (git SHA)"
  type        = string
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "marlowe-tfstate-731946028415"
    key    = "prod/network/terraform.tfstate"
    region = "eu-west-1"
  }
}

locals {
  vpc_id          = data.terraform_remote_state.network.outputs.vpc_id
  private_subnets = data.terraform_remote_state.network.outputs.private_app_subnet_ids
  alb_listener    = data.terraform_remote_state.network.outputs.public_alb_https_listener_arn
  alb_sg_id       = data.terraform_remote_state.network.outputs.public_alb_sg_id
}

resource "aws_cloudwatch_log_group" "booking_api" {
  name              = "/marlowe/prod/booking-api"
  retention_in_days = 90
  kms_key_id        = "arn:aws:kms:eu-west-1:731946028415:alias/marlowe-logs"
}

resource "aws_security_group" "booking_api" {
  name        = "marlowe-prod-booking-api-sg"
  description = "booking-api tasks"
  vpc_id      = local.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "from_alb" {
  security_group_id            = aws_security_group.booking_api.id
  referenced_security_group_id = local.alb_sg_id
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  description                  = "HTTP from public ALB only"
}

resource "aws_vpc_security_group_egress_rule" "https_out" {
  security_group_id = aws_security_group.booking_api.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS to AWS endpoints and channel manager API"
}

resource "aws_ecs_task_definition" "booking_api" {
  family                   = "booking-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 1024
  memory                   = 2048
  execution_role_arn       = "arn:aws:iam::731946028415:role/marlowe-prod-ecs-exec"
  task_role_arn            = "arn:aws:iam::731946028415:role/marlowe-prod-booking-api-task"

  container_definitions = jsonencode([
    {
      name         = "booking-api"
      image        = "731946028415.dkr.ecr.eu-west-1.amazonaws.com/booking-api:${var.image_tag}"
      essential    = true
      portMappings = [{ containerPort = 8080, protocol = "tcp" }]
      secrets = [
        { name = "DB_PASSWORD", valueFrom = "arn:aws:secretsmanager:eu-west-1:731946028415:secret:prod/booking-db-Xk29Qa" }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.booking_api.name
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "api"
        }
      }
      healthCheck = {
        command  = ["CMD-SHELL", "curl -fs http://localhost:8080/health || exit 1"]
        interval = 15
        retries  = 3
      }
    }
  ])
}

resource "aws_lb_target_group" "booking_api" {
  name        = "marlowe-prod-booking-api"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = local.vpc_id
  health_check {
    path                = "/health"
    healthy_threshold   = 2
    unhealthy_threshold = 3
    interval            = 10
  }
  deregistration_delay = 30
}

resource "aws_lb_listener_rule" "booking_api" {
  listener_arn = local.alb_listener
  priority     = 20
  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.booking_api.arn
  }
  condition {
    path_pattern {
      values = ["/api/bookings/*"]
    }
  }
}

resource "aws_ecs_service" "booking_api" {
  name                              = "booking-api"
  cluster                           = "arn:aws:ecs:eu-west-1:731946028415:cluster/marlowe-prod"
  task_definition                   = aws_ecs_task_definition.booking_api.arn
  desired_count                     = 3
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60

  network_configuration {
    subnets          = local.private_subnets
    security_groups  = [aws_security_group.booking_api.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.booking_api.arn
    container_name   = "booking-api"
    container_port   = 8080
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [desired_count]
  }
}

resource "aws_appautoscaling_target" "booking_api" {
  service_namespace  = "ecs"
  resource_id        = "service/marlowe-prod/${aws_ecs_service.booking_api.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 3
  max_capacity       = 18
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "booking-api-cpu-60"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.booking_api.service_namespace
  resource_id        = aws_appautoscaling_target.booking_api.resource_id
  scalable_dimension = aws_appautoscaling_target.booking_api.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
  }
}

resource "aws_cloudwatch_metric_alarm" "target_5xx" {
  alarm_name          = "marlowe-prod-booking-api-5xx"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "HTTPCode_Target_5XX_Count"
  dimensions          = { TargetGroup = aws_lb_target_group.booking_api.arn_suffix, LoadBalancer = "app/marlowe-prod-public/5c1e9a7b3d2f4086" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = 25
  comparison_operator = "GreaterThanThreshold"
  alarm_actions       = ["arn:aws:sns:eu-west-1:731946028415:marlowe-prod-sev1"]
}

output "service_name" {
  value = aws_ecs_service.booking_api.name
}
