# Linthwaite Museums - Baserow collections database: AWS Backup plan
# Source: blackbird-cloud/terraform-aws-baserow backup.tf (MIT License, Copyright (c) 2025 Blackbird Cloud).

module "backup" {
  source  = "blackbird-cloud/backup/aws"
  version = "~> 1.2.0"

  name               = "centralized-backup"
  kms_key_arn        = aws_kms_key.backup.arn
  create_backup_plan = true
  resource_type_opt_in_preference = {
    "Aurora" : true,
    "EBS" : true,
    "EC2" : true,
    "RDS" : true,
    "S3" : true,
  }

  selection = {
    create_default_role = true
    condition = {
      string_equals = [{
        key   = "aws:ResourceTag/Backup"
        value = "true"
      }]
    }
    resources = ["*"]
  }

  rules = [
    {
      schedule          = "cron(0 3 * * ? *)" # Every day at 03:00 UTC
      start_window      = 60
      completion_window = 120
      lifecycle = {
        delete_after = 30
      }
    }
  ]
}

resource "aws_kms_key" "backup" {
  description             = "KMS key for backup encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = var.tags
}
