# Tenant data: one table, every item under the partition key TENANT#<tenant id> (identity_stack.store). Terraform
# owns it, not the SAM stack, so deleting or replacing the stack can never delete tenant data; the functions get its
# name and ARN through SSM (aws_ssm.tf). The local stack creates the same table in moto from this very block
# (local/aws/tables.py reads it with python-hcl2).
resource "aws_dynamodb_table" "tenant_data" {
  name                        = "${local.name_prefix}-tenant-data"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = true

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.data.arn
  }

  # Short-lived items (read-your-writes entries, later idempotency records) carry their expiry (epoch seconds) here.
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  lifecycle {
    prevent_destroy = true
  }
}
