# Castleford Dental Group - patient portal (environment: prod)
# Adapted from infracost/infracost examples/terraform/main.tf (MIT licence, Copyright (c) 2020 Alistair Scott)

resource "aws_launch_template" "portal" {
  name_prefix   = "cdg-portal-"
  image_id      = var.aws_ami_id
  instance_type = "t3.small"

  block_device_mappings {
    device_name = "xvdf"
    ebs {
      volume_size = 20
      encrypted   = true
    }
  }
}

resource "aws_autoscaling_group" "portal" {
  name                = "cdg-portal-asg"
  desired_capacity    = 2
  max_size            = 6
  min_size            = 2
  vpc_zone_identifier = var.app_subnet_ids
  target_group_arns   = [aws_lb_target_group.portal.arn]

  launch_template {
    id      = aws_launch_template.portal.id
    version = "$Latest"
  }
}

resource "aws_lb" "portal" {
  name               = "cdg-portal-alb"
  load_balancer_type = "application"
  subnets            = var.public_subnet_ids
  security_groups    = [var.alb_sg_id]
}

resource "aws_lb_target_group" "portal" {
  name     = "cdg-portal-tg"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id
}

resource "aws_db_instance" "portal" {
  identifier                  = "cdg-portal-db"
  allocated_storage           = 50
  engine                      = "postgres"
  instance_class              = "db.t3.medium"
  multi_az                    = true
  storage_encrypted           = true
  manage_master_user_password = true
  username                    = "portal_admin"
  db_subnet_group_name        = var.db_subnet_group
  vpc_security_group_ids      = [var.db_sg_id]
}
