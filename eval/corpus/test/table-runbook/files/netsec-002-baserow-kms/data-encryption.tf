# Pellucid Research Institute - Baserow platform: encryption at rest
# Excerpts adapted from blackbird-cloud/terraform-aws-baserow rds.tf and s3.tf (MIT License, Copyright (c) 2025 Blackbird Cloud).

############################################################
# Aurora PostgreSQL (excerpt of module "aurora")
############################################################
module "aurora" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "~> 9.0"

  name           = "${var.name}-aurora"
  engine         = "aurora-postgresql"
  engine_mode    = "provisioned"
  engine_version = var.db_engine_version

  master_username                     = "master"
  manage_master_user_password         = true
  iam_database_authentication_enabled = true

  # Encryption at rest
  storage_encrypted = true
  kms_key_id        = aws_kms_key.rds.arn

  tags = var.tags
}

resource "aws_kms_key" "rds" {
  description             = "KMS key for RDS Aurora cluster encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = var.tags
  policy = jsonencode(
    {
      "Version" : "2012-10-17",
      "Statement" : [
        {
          "Sid" : "Allow the current account to manage the KMS key.",
          "Effect" : "Allow",
          "Principal" : {
            "AWS" : "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"
          },
          "Action" : "kms:*",
          "Resource" : "*"
        },
        {
          "Effect" : "Allow",
          "Principal" : {
            "Service" : "rds.amazonaws.com"
          },
          "Action" : [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey"
          ],
          "Resource" : "*"
        }
      ]
  })
}

############################################################
# S3 Bucket
############################################################
resource "aws_kms_key" "s3" {
  description             = "KMS key for S3 bucket encryption"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  tags                    = var.tags
  # key policy as in upstream s3.tf (account admin, s3.amazonaws.com, Baserow backend role)
}

module "s3_bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 5.0"

  bucket = "${var.name}-data-${data.aws_caller_identity.current.account_id}"

  restrict_public_buckets = true
  ignore_public_acls      = true
  block_public_policy     = true
  block_public_acls       = true
  force_destroy           = false
  acl                     = "private"

  control_object_ownership = true
  object_ownership         = "ObjectWriter"

  tags = var.tags

  server_side_encryption_configuration = {
    rule = {
      apply_server_side_encryption_by_default = {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.s3.arn
      }
    }
  }
  versioning = {
    enabled = true
  }
}
