# MedTech Rosenheim - patient document portal (account 447120985336, eu-central-1)
# Module: security/kms + storage encryption (excerpt)

resource "aws_kms_key" "s3" {
  description             = "mtr portal - S3 patient documents"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_s3.json
  tags                    = local.tags
}

resource "aws_kms_alias" "s3" {
  name          = "alias/mtr-s3"
  target_key_id = aws_kms_key.s3.key_id
}

resource "aws_kms_key" "rds" {
  description             = "mtr portal - RDS PostgreSQL and AWS Backup vault"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.kms_rds.json
  tags                    = local.tags
}

resource "aws_kms_alias" "rds" {
  name          = "alias/mtr-rds"
  target_key_id = aws_kms_key.rds.key_id
}

data "aws_iam_policy_document" "kms_s3" {
  statement {
    sid       = "KeyAdministration"
    actions   = ["kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*",
                 "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:ScheduleKeyDeletion",
                 "kms:CancelKeyDeletion", "kms:TagResource", "kms:UntagResource"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::447120985336:role/mtr-security-admin"]
    }
  }
  statement {
    sid       = "UseByPortalRoles"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::447120985336:role/mtr-portal-task",
                     "arn:aws:iam::447120985336:role/mtr-doc-sync-lambda"]
    }
  }
}

resource "aws_s3_bucket" "docs" {
  bucket = "mtr-patient-docs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "docs" {
  bucket = aws_s3_bucket.docs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
    bucket_key_enabled = true
  }
}

data "aws_iam_policy_document" "docs_bucket" {
  statement {
    sid     = "DenyNonTLS"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [aws_s3_bucket.docs.arn, "${aws_s3_bucket.docs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
  statement {
    sid       = "DenyWrongKey"
    effect    = "Deny"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.docs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringNotEqualsIfExists"
      variable = "s3:x-amz-server-side-encryption-aws-kms-key-id"
      values   = [aws_kms_key.s3.arn]
    }
  }
}

resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}

resource "aws_ebs_default_kms_key" "this" {
  key_arn = aws_kms_key.rds.arn
}

resource "aws_db_instance" "portal" {
  identifier            = "mtr-portal-db"
  engine                = "postgres"
  engine_version        = "15.6"
  instance_class        = "db.r6g.large"
  allocated_storage     = 200
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.rds.arn
  multi_az              = true
  db_subnet_group_name  = aws_db_subnet_group.data.name
  parameter_group_name  = aws_db_parameter_group.pg15_force_ssl.name  # rds.force_ssl = 1
  publicly_accessible   = false
  deletion_protection   = true
  # credentials: managed master user password in Secrets Manager
  manage_master_user_password = true
  username                    = "mtr_admin"
}

resource "aws_backup_vault" "portal" {
  name        = "mtr-portal-vault"
  kms_key_arn = aws_kms_key.rds.arn
}
