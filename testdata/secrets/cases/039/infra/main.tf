provider "aws" {
  region     = "us-east-1"
  access_key = "AKIAG6H3L2GEUMYS27RZ"
  secret_key = "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"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}
