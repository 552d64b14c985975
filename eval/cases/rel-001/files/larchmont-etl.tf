# Larchmont Media - nightly ETL stack (Terraform)

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "raw" {
  bucket = "larchmont-etl-raw"
}

resource "aws_glue_catalog_database" "analytics" {
  name = "larchmont_analytics"
}

resource "aws_glue_job" "nightly_transform" {
  name     = "larchmont-nightly-transform"
  role_arn = aws_iam_role.glue.arn
  command {
    script_location = "s3://larchmont-etl-scripts/transform.py"
    python_version  = "3"
  }
  glue_version      = "4.0"
  number_of_workers = 10
  worker_type       = "G.1X"
}

resource "aws_iam_role" "glue" {
  name = "larchmont-glue-etl"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "glue.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "larchmont-etl-nightly"
  schedule_expression = "cron(0 2 * * ? *)"
}
