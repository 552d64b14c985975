# Organization trail for Harbour Foods (management account 4411-2290-7731),
# delivered to the dedicated log bucket in the Log Archive account (8830-1174-5562).
# Module excerpt from our terraform-aws-org-trail baseline.

resource "aws_cloudtrail" "org" {
  name                          = "hf-org-trail"
  is_organization_trail         = true
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  s3_bucket_name                = "hf-log-archive-cloudtrail-883011745562"
  kms_key_id                    = aws_kms_key.trail.arn

  event_selector {
    read_write_type           = "All"
    include_management_events = true
  }
}

resource "aws_kms_key" "trail" {
  description         = "CloudTrail log encryption for hf-org-trail"
  enable_key_rotation = true
}

# The bucket itself lives in the Log Archive account (provider alias log_archive).
resource "aws_s3_bucket" "trail_logs" {
  provider            = aws.log_archive
  bucket              = "hf-log-archive-cloudtrail-883011745562"
  object_lock_enabled = true
}

resource "aws_s3_bucket_object_lock_configuration" "trail_logs" {
  provider = aws.log_archive
  bucket   = aws_s3_bucket.trail_logs.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 400
    }
  }
}

resource "aws_s3_bucket_versioning" "trail_logs" {
  provider = aws.log_archive
  bucket   = aws_s3_bucket.trail_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "trail_logs" {
  provider                = aws.log_archive
  bucket                  = aws_s3_bucket.trail_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_policy" "trail_logs" {
  provider = aws.log_archive
  bucket   = aws_s3_bucket.trail_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AWSCloudTrailAclCheck"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:GetBucketAcl"
        Resource  = "arn:aws:s3:::hf-log-archive-cloudtrail-883011745562"
      },
      {
        Sid       = "AWSCloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::hf-log-archive-cloudtrail-883011745562/AWSLogs/*"
        Condition = { StringEquals = { "s3:x-amz-acl" = "bucket-owner-full-control" } }
      },
      {
        Sid       = "SecurityTeamReadOnly"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::883011745562:role/hf-security-audit" }
        Action    = ["s3:GetObject", "s3:ListBucket"]
        Resource = [
          "arn:aws:s3:::hf-log-archive-cloudtrail-883011745562",
          "arn:aws:s3:::hf-log-archive-cloudtrail-883011745562/*",
        ]
      },
    ]
  })
}

resource "aws_account_alternate_contact" "security" {
  alternate_contact_type = "SECURITY"
  name                   = "Harbour Foods Security Team"
  title                  = "Security distribution list"
  email_address          = "aws-security@harbourfoods.example"
  phone_number           = "+44 113 496 0000"
}

resource "aws_account_alternate_contact" "operations" {
  alternate_contact_type = "OPERATIONS"
  name                   = "Harbour Foods Cloud Operations"
  title                  = "Operations distribution list"
  email_address          = "aws-ops@harbourfoods.example"
  phone_number           = "+44 113 496 0000"
}

resource "aws_account_alternate_contact" "billing" {
  alternate_contact_type = "BILLING"
  name                   = "Harbour Foods Finance"
  title                  = "Accounts payable distribution list"
  email_address          = "aws-billing@harbourfoods.example"
  phone_number           = "+44 113 496 0001"
}
