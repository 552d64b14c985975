# Vignobles Garonne - boutique en ligne / wine e-shop - prod
# Mistral Ops - GitLab CI: terraform fmt/validate -> plan (MR) -> apply (manual job on main)

provider "aws" {
  region = "eu-west-3"
}

resource "aws_s3_bucket" "site" {
  bucket = "vignobles-garonne-site-prod"
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "garonne-site-oac"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_lambda_function" "order" {
  function_name = "garonne-order"
  role          = aws_iam_role.order_lambda.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/order.zip"
  memory_size   = 512
  timeout       = 15
  environment {
    variables = { TABLE_NAME = aws_dynamodb_table.orders.name }
  }
}

resource "aws_dynamodb_table" "orders" {
  name         = "garonne-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "order_id"
  attribute {
    name = "order_id"
    type = "S"
  }
  point_in_time_recovery { enabled = true }
}
