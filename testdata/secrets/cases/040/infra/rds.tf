resource "aws_db_instance" "main" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
  username       = "app"
  password       = "X2dv4ltDUJAKSX"
}
