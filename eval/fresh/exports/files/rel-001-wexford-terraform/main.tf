# infra-live/prod/ingest/main.tf  (repo: wexford-analytics/infra-live, maintained by Foundry Nine)
# Production ingestion stack for Wexford Analytics - applied only by GitHub Actions (role wx-gha-terraform-prod)

terraform {
  required_version = ">= 1.7.0"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.60" }
  }
  backend "s3" {
    bucket         = "wx-terraform-state-781245960317"
    key            = "prod/ingest/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "wx-terraform-locks"
    encrypt        = true
    kms_key_id     = "alias/wx-terraform-state"
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = {
      Environment = "prod"
      Workload    = "ingest"
      ManagedBy   = "terraform"
      Repo        = "wexford-analytics/infra-live"
    }
  }
}

locals {
  name   = "wx-prod-ingest"
  sources = ["pos", "loyalty", "ecommerce"]
}

module "kms" {
  source      = "git::https://github.com/foundry-nine/tf-modules.git//kms-key?ref=v3.4.1"
  alias       = "${local.name}-data"
  description = "Wexford prod ingest data key"
  admin_role_arns = ["arn:aws:iam::781245960317:role/wx-security-keyadmin"]
  user_role_arns  = [aws_iam_role.ingest_lambda.arn, aws_iam_role.glue.arn]
}

resource "aws_s3_bucket" "raw" {
  bucket = "${local.name}-raw-781245960317"
}

resource "aws_s3_bucket_versioning" "raw" {
  bucket = aws_s3_bucket.raw.id
  versioning_configuration { status = "Enabled" }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "raw" {
  bucket = aws_s3_bucket.raw.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.kms.key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "raw" {
  bucket                  = aws_s3_bucket.raw.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "raw" {
  bucket = aws_s3_bucket.raw.id
  rule {
    id     = "raw-to-ia"
    status = "Enabled"
    filter {}
    transition {
      days          = 30
      storage_class = "STANDARD_IA"
    }
    noncurrent_version_expiration { noncurrent_days = 90 }
  }
}

resource "aws_sqs_queue" "ingest_dlq" {
  name                      = "${local.name}-dlq"
  kms_master_key_id         = module.kms.key_arn
  message_retention_seconds = 1209600
}

resource "aws_iam_role" "ingest_lambda" {
  name = "${local.name}-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "ingest_lambda" {
  role = aws_iam_role.ingest_lambda.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:PutObject"], Resource = "${aws_s3_bucket.raw.arn}/landing/*" },
      { Effect = "Allow", Action = ["sqs:SendMessage"], Resource = aws_sqs_queue.ingest_dlq.arn },
      { Effect = "Allow", Action = ["kms:GenerateDataKey", "kms:Encrypt"], Resource = module.kms.key_arn }
    ]
  })
}

resource "aws_lambda_function" "ingest" {
  for_each      = toset(local.sources)
  function_name = "${local.name}-${each.key}"
  role          = aws_iam_role.ingest_lambda.arn
  package_type  = "Image"
  image_uri     = "781245960317.dkr.ecr.eu-west-1.amazonaws.com/wx-ingest:${var.ingest_image_tag}"
  timeout       = 300
  memory_size   = 1024
  architectures = ["arm64"]
  dead_letter_config { target_arn = aws_sqs_queue.ingest_dlq.arn }
  environment {
    variables = { SOURCE = each.key, RAW_BUCKET = aws_s3_bucket.raw.bucket }
  }
  tracing_config { mode = "Active" }
}

resource "aws_iam_role" "glue" {
  name = "${local.name}-glue"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "glue.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_glue_catalog_database" "raw" {
  name = "wx_prod_raw"
}

resource "aws_glue_crawler" "raw" {
  name          = "${local.name}-raw-crawler"
  database_name = aws_glue_catalog_database.raw.name
  role          = aws_iam_role.glue.arn
  schedule      = "cron(15 2 * * ? *)"
  s3_target { path = "s3://${aws_s3_bucket.raw.bucket}/landing/" }
}

resource "aws_cloudwatch_metric_alarm" "dlq_depth" {
  alarm_name          = "${local.name}-dlq-depth"
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.ingest_dlq.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  alarm_actions       = ["arn:aws:sns:eu-west-1:781245960317:wx-ops-p2"]
}

variable "ingest_image_tag" {
  type        = string
  description = "Immutable image tag (git SHA) passed by the pipeline"
}

output "raw_bucket" { value = aws_s3_bucket.raw.bucket }
