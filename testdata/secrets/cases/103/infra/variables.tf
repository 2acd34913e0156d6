resource "aws_db_instance" "main" {
  password = var.db_password
}

resource "random_password" "db" {
  length  = 32
  special = true
}
