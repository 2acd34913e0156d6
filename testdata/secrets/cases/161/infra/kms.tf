resource "aws_kms_key" "secrets" {
  description = "encrypts app secrets"
  key_usage   = "ENCRYPT_DECRYPT"
}
resource "aws_secretsmanager_secret" "db" {
  name       = "prod/db"
  kms_key_id = aws_kms_key.secrets.arn
}
