# Glenmoor Logistics - shipment tracking database (prod)
resource "aws_db_instance" "tracking" {
  identifier             = "glm-tracking-prod"
  engine                 = "postgres"
  engine_version         = "15.5"
  instance_class         = "db.r6g.large"
  allocated_storage      = 200
  multi_az               = true
  storage_encrypted      = true
  db_subnet_group_name   = aws_db_subnet_group.data.name
  vpc_security_group_ids = [aws_security_group.db.id]
  parameter_group_name   = aws_db_parameter_group.tracking.name
  backup_retention_period = 14
  lifecycle {
    ignore_changes = [password, parameter_group_name, instance_class]
  }
}
