# Harrow Vale Borough Council - planning portal data tier (excerpt of terraform/stacks/main)
terraform {
  backend "s3" {
    bucket  = "hvbc-terraform-state"
    key     = "production/terraform.tfstate"
    region  = "eu-west-2"
    encrypt = true
  }
}

module "rds" {
  source = "../../modules/rds"

  identifier              = "hvbc-planning-db"
  engine                  = "postgres"
  engine_version          = "15.5"
  instance_class          = "db.m6g.large"
  multi_az                = true
  allocated_storage       = 200
  storage_encrypted       = true
  backup_retention_period = 14
  subnet_ids              = module.network.data_subnet_ids
  vpc_security_group_ids  = [module.network.db_sg_id]
  publicly_accessible     = false
  deletion_protection     = true
}
