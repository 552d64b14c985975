# Sable Point Energy - turbine telemetry ingestion stack (production)
# Applied only by the GitHub Actions workflow `infra-apply` (OIDC role spe-terraform-apply).

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.40" }
  }
  backend "s3" {
    bucket         = "spe-terraform-state-prod"
    key            = "telemetry/prod.tfstate"
    region         = "us-east-2"
    dynamodb_table = "spe-terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "turbine-telemetry", Environment = var.environment, ManagedBy = "terraform" }
  }
}

variable "region" {
  type    = string
  default = "us-east-2"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "shard_count" {
  type    = number
  default = 4
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.5.2"

  name               = "spe-telemetry-${var.environment}"
  cidr               = "10.72.0.0/16"
  azs                = ["us-east-2a", "us-east-2b", "us-east-2c"]
  private_subnets    = ["10.72.10.0/24", "10.72.11.0/24", "10.72.12.0/24"]
  public_subnets     = ["10.72.0.0/24", "10.72.1.0/24", "10.72.2.0/24"]
  enable_nat_gateway = true
  one_nat_gateway_per_az = true
  enable_flow_log    = true
}

resource "aws_kms_key" "telemetry" {
  description         = "Turbine telemetry data key (${var.environment})"
  enable_key_rotation = true
}

resource "aws_kinesis_stream" "telemetry" {
  name             = "spe-turbine-telemetry-${var.environment}"
  shard_count      = var.shard_count
  retention_period = 48
  encryption_type  = "KMS"
  kms_key_id       = aws_kms_key.telemetry.arn
}

resource "aws_s3_bucket" "raw" {
  bucket = "spe-telemetry-raw-${var.environment}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "raw" {
  bucket = aws_s3_bucket.raw.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.telemetry.arn
    }
  }
}

resource "aws_s3_bucket_public_access_block" "raw" {
  bucket                  = aws_s3_bucket.raw.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_iam_role" "firehose" {
  name = "spe-telemetry-firehose-${var.environment}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "firehose.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "firehose" {
  role = aws_iam_role.firehose.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"], Resource = aws_kinesis_stream.telemetry.arn },
      { Effect = "Allow", Action = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetBucketLocation"], Resource = [aws_s3_bucket.raw.arn, "${aws_s3_bucket.raw.arn}/*"] },
      { Effect = "Allow", Action = ["kms:GenerateDataKey", "kms:Decrypt"], Resource = aws_kms_key.telemetry.arn }
    ]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "to_s3" {
  name        = "spe-telemetry-to-s3-${var.environment}"
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.telemetry.arn
    role_arn           = aws_iam_role.firehose.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = aws_s3_bucket.raw.arn
    prefix              = "turbine=!{partitionKeyFromQuery:turbine_id}/dt=!{timestamp:yyyy-MM-dd}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/"
    buffering_interval  = 60
    kms_key_arn         = aws_kms_key.telemetry.arn

    dynamic_partitioning_configuration { enabled = true }
    processing_configuration {
      enabled = true
      processors {
        type = "MetadataExtraction"
        parameters {
          parameter_name  = "MetadataExtractionQuery"
          parameter_value = "{turbine_id:.turbine_id}"
        }
        parameters {
          parameter_name  = "JsonParsingEngine"
          parameter_value = "JQ-1.6"
        }
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  alarm_name          = "spe-telemetry-iterator-age-${var.environment}"
  namespace           = "AWS/Kinesis"
  metric_name         = "GetRecords.IteratorAgeMilliseconds"
  dimensions          = { StreamName = aws_kinesis_stream.telemetry.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 120000
  comparison_operator = "GreaterThanThreshold"
}

output "stream_arn" { value = aws_kinesis_stream.telemetry.arn }
output "raw_bucket" { value = aws_s3_bucket.raw.bucket }
