# Tidewater Analytics - ingest platform (example template)
# Granite Peak Consulting
#
# Simplified example of the structure of our Terraform modules for this engagement.

module "network" {
  // create VPC 10.70.0.0/16 across 3 AZs
  for each az in [a, b, c]:
    create public subnet  (/24)
    create private subnet (/22)
    create NAT gateway in public subnet
  // route tables + VPC endpoints for S3, ECR, logs
}

module "ingest_cluster" {
  cluster     = ecs cluster "tidewater-ingest"
  service     = "collector"
  image       = ECR repo "tidewater/collector" : var.image_tag
  desired     = 3
  autoscaling = target tracking on CPU 60% (min 3, max 12)
  subnets     = module.network.private_subnets
  // ALB listener 443 -> target group 8080
}

module "stream" {
  kinesis stream "tw-events" { shards = on-demand }
  firehose -> s3 bucket "tw-raw-${account_id}" (parquet, partition by dt)
}

module "warehouse" {
  redshift serverless namespace "tw" / workgroup "tw-analytics" (base RPU 32)
  // grants handled by the dbt project
}

# ... IAM roles, KMS keys, alarms omitted for brevity ...
