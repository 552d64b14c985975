# Adapted from cloudposse/terraform-aws-cloudtrail examples/complete/main.tf (Apache License 2.0)
# Ember changes: pinned module versions/registry sources, fixed values for Lakeshore audit account.
provider "aws" {
  region = var.region
}

module "cloudtrail" {
  source                        = "cloudposse/cloudtrail/aws"
  version                       = "0.24.0"
  namespace                     = "lks"
  stage                         = "prod"
  name                          = "audit"
  enable_logging                = true
  enable_log_file_validation    = true
  include_global_service_events = true
  is_multi_region_trail         = true
  is_organization_trail         = true
  s3_bucket_name                = module.cloudtrail_s3_bucket.bucket_id
}

module "cloudtrail_s3_bucket" {
  source        = "cloudposse/cloudtrail-s3-bucket/aws"
  version       = "0.27.0"
  namespace     = "lks"
  stage         = "prod"
  name          = "audit"
  force_destroy = false
}
