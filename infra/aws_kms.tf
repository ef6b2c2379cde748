# One customer managed key per stage for the stage's data at rest: the tenant table, the Descope management key
# secret, the alarm topic, the WAF logs and the SAM artifacts. Its policy follows the AWS managed keys
# (aws/dynamodb, aws/secretsmanager, aws/s3): principals of this account may use it only through those services,
# so access is governed by the IAM permissions on the table, secret or bucket alone. That is why the functions'
# IAM policies (template.yaml) carry no kms: statement: reading the table or the secret is enough.
# In a key policy "Resource": "*" means this key (AWS KMS key policies), hence the inline document.
locals {
  # Services that may use the key on behalf of this account's principals (kms:ViaService).
  data_key_via_services = [
    "dynamodb.${local.region}.amazonaws.com",
    "secretsmanager.${local.region}.amazonaws.com",
    "s3.${local.region}.amazonaws.com",
  ]
}

resource "aws_kms_key" "data" {
  description             = "Encrypts ${local.name_prefix}'s tenant data, secret, alarm topic, WAF logs and artifacts."
  enable_key_rotation     = true
  rotation_period_in_days = 365
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "AccountUsesThroughDataServices"
        Effect    = "Allow"
        Principal = { AWS = "*" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:CallerAccount" = local.account_id
            "kms:ViaService"    = local.data_key_via_services
          }
        }
      },
      {
        # CloudWatch alarms publish to the encrypted topic (aws_alarms.tf).
        Sid       = "CloudWatchPublishesToAlarmTopic"
        Effect    = "Allow"
        Principal = { Service = "cloudwatch.amazonaws.com" }
        Action    = ["kms:Decrypt", "kms:GenerateDataKey*"]
        Resource  = "*"
        Condition = {
          StringEquals = { "aws:SourceAccount" = local.account_id }
        }
      },
      {
        Sid       = "CloudWatchLogsEncryptsWafLogs"
        Effect    = "Allow"
        Principal = { Service = "logs.${local.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:aws-waf-logs-${local.name_prefix}-*"
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name_prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

output "data_kms_key_arn" {
  description = "KMS key of the stage's data at rest."
  value       = aws_kms_key.data.arn
}
