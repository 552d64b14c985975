# ravenscar-platform-infra / envs/prod/matchmaking.tf
# Managed by Terraform - applied only by the GitLab CI "apply" job (role rg-terraform-apply).
# State: s3://rg-tfstate-prod-730491652288/matchmaking/terraform.tfstate (DynamoDB lock table rg-tf-locks)

terraform {
  required_version = ">= 1.7.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.50"
    }
  }
  backend "s3" {
    bucket         = "rg-tfstate-prod-730491652288"
    key            = "matchmaking/terraform.tfstate"
    region         = "eu-central-1"
    dynamodb_table = "rg-tf-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = "eu-central-1"
  default_tags {
    tags = {
      Project     = "ravenscar-online"
      Environment = "prod"
      ManagedBy   = "terraform"
      Repo        = "gitlab.com/ravenscar/platform-infra"
    }
  }
}

variable "matchmaking_ami_id" {
  type        = string
  description = "Golden AMI built by Packer pipeline (rg-packer-mm)"
}

variable "mm_min" {
  type    = number
  default = 6
}

variable "mm_max" {
  type    = number
  default = 60
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "rg-tfstate-prod-730491652288"
    key    = "network/terraform.tfstate"
    region = "eu-central-1"
  }
}

resource "aws_security_group" "nlb" {
  name        = "rg-prod-matchmaking-nlb"
  description = "Public NLB for game clients"
  vpc_id      = data.terraform_remote_state.network.outputs.vpc_id

  ingress {
    description = "Game clients (public front end)"
    from_port   = 7777
    to_port     = 7777
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "To matchmaking instances"
    from_port   = 7777
    to_port     = 8081
    protocol    = "tcp"
    cidr_blocks = [data.terraform_remote_state.network.outputs.vpc_cidr]
  }
}

resource "aws_security_group" "matchmaking" {
  name        = "rg-prod-matchmaking"
  description = "Matchmaking service - from NLB only"
  vpc_id      = data.terraform_remote_state.network.outputs.vpc_id

  ingress {
    description     = "Game clients via NLB (TCP 7777) and NLB health checks (8081)"
    from_port       = 7777
    to_port         = 8081
    protocol        = "tcp"
    security_groups = [aws_security_group.nlb.id]
  }

  egress {
    description = "HTTPS to AWS endpoints and player-profile API"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description     = "Redis session store"
    from_port       = 6379
    to_port         = 6379
    protocol        = "tcp"
    security_groups = [data.terraform_remote_state.network.outputs.redis_sg_id]
  }
}

resource "aws_launch_template" "matchmaking" {
  name_prefix   = "rg-prod-matchmaking-"
  image_id      = var.matchmaking_ami_id
  instance_type = "c7g.xlarge"

  iam_instance_profile {
    name = "rg-prod-matchmaking"
  }

  vpc_security_group_ids = [aws_security_group.matchmaking.id]

  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }

  tag_specifications {
    resource_type = "instance"
    tags = {
      Name = "rg-prod-matchmaking"
    }
  }
}

resource "aws_autoscaling_group" "matchmaking" {
  name                      = "rg-prod-matchmaking"
  min_size                  = var.mm_min
  max_size                  = var.mm_max
  vpc_zone_identifier       = data.terraform_remote_state.network.outputs.private_app_subnet_ids
  target_group_arns         = [aws_lb_target_group.matchmaking.arn]
  health_check_type         = "ELB"
  health_check_grace_period = 90

  launch_template {
    id      = aws_launch_template.matchmaking.id
    version = "$Latest"
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 90
    }
  }
}

resource "aws_autoscaling_policy" "matchmaking_players" {
  name                   = "players-per-instance"
  autoscaling_group_name = aws_autoscaling_group.matchmaking.name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    customized_metric_specification {
      metric_name = "ActivePlayerSessions"
      namespace   = "Ravenscar/Matchmaking"
      statistic   = "Average"
    }
    target_value = 1800
  }
}

resource "aws_lb" "matchmaking" {
  name               = "rg-prod-matchmaking-nlb"
  load_balancer_type = "network"
  internal           = false
  security_groups    = [aws_security_group.nlb.id]
  subnets            = data.terraform_remote_state.network.outputs.public_subnet_ids
}

resource "aws_lb_target_group" "matchmaking" {
  name     = "rg-prod-matchmaking-tg"
  port     = 7777
  protocol = "TCP"
  vpc_id   = data.terraform_remote_state.network.outputs.vpc_id

  health_check {
    protocol = "HTTP"
    port     = "8081"
    path     = "/healthz"
  }
}

resource "aws_lb_listener" "matchmaking" {
  load_balancer_arn = aws_lb.matchmaking.arn
  port              = 7777
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.matchmaking.arn
  }
}
