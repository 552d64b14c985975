# Rivermead Council planning portal - network security (excerpt of module rmc-network)
resource "aws_security_group" "alb" {
  name   = "rmc-alb-sg"
  vpc_id = aws_vpc.rmc.id
  ingress {
    description = "HTTPS from Internet"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    description = "HTTP redirect to HTTPS"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description     = "To app tier only"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "app" {
  name   = "rmc-app-sg"
  vpc_id = aws_vpc.rmc.id
  ingress {
    description     = "App port from ALB only"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    description     = "PostgreSQL to data tier"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.db.id]
  }
  egress {
    description     = "HTTPS to VPC endpoints and NAT (OS Places API)"
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    cidr_blocks     = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name   = "rmc-db-sg"
  vpc_id = aws_vpc.rmc.id
  ingress {
    description     = "PostgreSQL from app tier only"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_network_acl" "data" {
  vpc_id     = aws_vpc.rmc.id
  subnet_ids = aws_subnet.data[*].id
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.20.10.0/23" # app subnets
    from_port  = 5432
    to_port    = 5432
  }
  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.20.10.0/23"
    from_port  = 1024
    to_port    = 65535
  }
}
