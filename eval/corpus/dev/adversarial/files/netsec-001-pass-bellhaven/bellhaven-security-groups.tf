resource "aws_security_group" "alb" {
  name   = "bh-alb-sg"
  vpc_id = module.vpc.vpc_id
  ingress { from_port = 443  to_port = 443  protocol = "tcp" cidr_blocks = ["0.0.0.0/0"] description = "HTTPS from Internet" }
  ingress { from_port = 80   to_port = 80   protocol = "tcp" cidr_blocks = ["0.0.0.0/0"] description = "HTTP, redirected to 443" }
  egress  { from_port = 8080 to_port = 8080 protocol = "tcp" security_groups = [aws_security_group.app.id] }
}

resource "aws_security_group" "app" {
  name   = "bh-app-sg"
  vpc_id = module.vpc.vpc_id
  ingress { from_port = 8080 to_port = 8080 protocol = "tcp" security_groups = [aws_security_group.alb.id] description = "from ALB only" }
  egress  { from_port = 5432 to_port = 5432 protocol = "tcp" security_groups = [aws_security_group.db.id] }
  egress  { from_port = 443  to_port = 443  protocol = "tcp" cidr_blocks = ["0.0.0.0/0"] description = "AWS APIs and pharmacy wholesaler API via NAT" }
}

resource "aws_security_group" "db" {
  name   = "bh-db-sg"
  vpc_id = module.vpc.vpc_id
  ingress { from_port = 5432 to_port = 5432 protocol = "tcp" security_groups = [aws_security_group.app.id] description = "from app tier only" }
}
