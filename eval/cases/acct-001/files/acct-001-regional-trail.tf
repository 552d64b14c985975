# CloudTrail for the Meridian Logistics production account.
# Trails are created only in the regions where Meridian runs workloads.

variable "workload_regions" {
  type    = list(string)
  default = ["eu-west-1", "eu-central-1"]
}

resource "aws_cloudtrail" "eu_west_1" {
  provider                      = aws.eu_west_1
  name                          = "meridian-trail-euw1"
  is_multi_region_trail         = false
  include_global_service_events = true
  enable_log_file_validation    = true
  s3_bucket_name                = "meridian-cloudtrail-logs"
}

resource "aws_cloudtrail" "eu_central_1" {
  provider                      = aws.eu_central_1
  name                          = "meridian-trail-euc1"
  is_multi_region_trail         = false
  include_global_service_events = false
  enable_log_file_validation    = true
  s3_bucket_name                = "meridian-cloudtrail-logs"
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "meridian-cloudtrail-logs"
}

resource "aws_s3_bucket_versioning" "trail_logs" {
  bucket = aws_s3_bucket.trail_logs.id
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"
  }
}
