# Adapted from nozaq/terraform-aws-secure-baseline, modules/cloudtrail-baseline/main.tf
# Copyright (c) 2018 Takashi Nozawa - MIT License (https://opensource.org/licenses/MIT)
# Changes by Northgate Consulting: trimmed to the trail, its KMS key and log group; variables replaced with the
# values used for Pinecrest Veterinary Group; SNS topic removed; key policy data block abridged.

resource "aws_cloudwatch_log_group" "cloudtrail_events" {
  name              = "pinecrest-org-trail-events"
  retention_in_days = 365
}

data "aws_iam_policy_document" "cloudwatch_delivery_assume_policy" {
  statement {
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    actions = ["sts:AssumeRole"]
  }
}

resource "aws_iam_role" "cloudwatch_delivery" {
  name               = "pinecrest-org-trail-to-cloudwatch"
  assume_role_policy = data.aws_iam_policy_document.cloudwatch_delivery_assume_policy.json
}

data "aws_iam_policy_document" "cloudwatch_delivery_policy" {
  statement {
    sid       = "AWSCloudTrailCreateLogStream2014110"
    actions   = ["logs:CreateLogStream"]
    resources = ["arn:aws:logs:eu-west-2:111122223333:log-group:${aws_cloudwatch_log_group.cloudtrail_events.name}:log-stream:*"]
  }
  statement {
    sid       = "AWSCloudTrailPutLogEvents20141101"
    actions   = ["logs:PutLogEvents"]
    resources = ["arn:aws:logs:eu-west-2:111122223333:log-group:${aws_cloudwatch_log_group.cloudtrail_events.name}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "cloudwatch_delivery_policy" {
  name   = "pinecrest-org-trail-delivery"
  role   = aws_iam_role.cloudwatch_delivery.id
  policy = data.aws_iam_policy_document.cloudwatch_delivery_policy.json
}

# KMS key to encrypt the trail's log files (key policy as in the upstream module, abridged)
resource "aws_kms_key" "cloudtrail" {
  description             = "A KMS key to encrypt CloudTrail events."
  deletion_window_in_days = 30
  enable_key_rotation     = "true"
  policy                  = data.aws_iam_policy_document.cloudtrail_key_policy.json
}

resource "aws_cloudtrail" "global" {
  name = "pinecrest-org-trail"

  cloud_watch_logs_group_arn    = "${aws_cloudwatch_log_group.cloudtrail_events.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.cloudwatch_delivery.arn
  enable_log_file_validation    = true
  include_global_service_events = true
  is_multi_region_trail         = true
  kms_key_id                    = aws_kms_key.cloudtrail.arn
  s3_bucket_name                = "pinecrest-audit-logs-444455556666"   # bucket lives in the log-archive account 444455556666
  s3_key_prefix                 = "cloudtrail"
}
