# Pinecrest Digital - account baseline module (used for Marlowe Logistics, account 418295730611)
# Applied from the management account pipeline after the account is vended by Control Tower.

terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.40" }
  }
}

variable "account_id"         { type = string }
variable "log_archive_bucket" { type = string } # e.g. marlowe-org-cloudtrail-logs
variable "customer_domain"    { type = string } # e.g. marlowelogistics.example

provider "aws" {
  alias  = "member"
  region = "eu-west-2"
  assume_role { role_arn = "arn:aws:iam::${var.account_id}:role/PinecrestBaselineRole" }
}

# Alternate contacts - always company distribution lists / company numbers
resource "aws_account_alternate_contact" "billing" {
  provider               = aws.member
  alternate_contact_type = "BILLING"
  name                   = "Marlowe Finance Operations"
  title                  = "Billing DL"
  email_address          = "aws-billing@${var.customer_domain}"
  phone_number           = "+44 161 555 0100"
}

resource "aws_account_alternate_contact" "operations" {
  provider               = aws.member
  alternate_contact_type = "OPERATIONS"
  name                   = "Marlowe Cloud Operations"
  title                  = "Operations DL"
  email_address          = "cloudops@${var.customer_domain}"
  phone_number           = "+44 161 555 0144"
}

resource "aws_account_alternate_contact" "security" {
  provider               = aws.member
  alternate_contact_type = "SECURITY"
  name                   = "Marlowe Security Office"
  title                  = "Security DL"
  email_address          = "security@${var.customer_domain}"
  phone_number           = "+44 161 555 0199"
}

# Root activity alert
resource "aws_cloudwatch_event_rule" "root_signin" {
  provider    = aws.member
  name        = "root-user-activity"
  description = "Any console sign-in or API call by the root user"
  event_pattern = jsonencode({
    detail-type = ["AWS Console Sign In via CloudTrail", "AWS API Call via CloudTrail"]
    detail      = { userIdentity = { type = ["Root"] } }
  })
}

resource "aws_cloudwatch_event_target" "root_signin_sns" {
  provider = aws.member
  rule     = aws_cloudwatch_event_rule.root_signin.name
  arn      = "arn:aws:sns:eu-west-2:${var.account_id}:security-alerts"
}

# IAM account password policy and access analyzer
resource "aws_iam_account_password_policy" "this" {
  provider                       = aws.member
  minimum_password_length        = 16
  require_symbols                = true
  require_numbers                = true
  require_uppercase_characters   = true
  require_lowercase_characters   = true
  password_reuse_prevention      = 24
  max_password_age               = 90
}

resource "aws_accessanalyzer_analyzer" "account" {
  provider      = aws.member
  analyzer_name = "account-analyzer"
  type          = "ACCOUNT"
}

resource "aws_s3_account_public_access_block" "this" {
  provider                = aws.member
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_ebs_encryption_by_default" "this" {
  provider = aws.member
  enabled  = true
}

# The organization trail itself (multi-region, all regions) is defined once in the
# management account; see module org-trail. This output is consumed by the checklist job.
output "cloudtrail_bucket" {
  value = var.log_archive_bucket
}
