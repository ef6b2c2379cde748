# One customer managed key per stage for the stage's data at rest: the tenant table, the Descope management key
# secret, the alarm topic, the WAF logs and the SAM artifacts. Its policy follows the AWS managed keys
# (aws/dynamodb, aws/secretsmanager, aws/s3): principals of this account may use it only through those services,
# so access is governed by the IAM permissions on the table, secret or bucket alone. That is why the functions'
# IAM policies (template.yaml) carry no kms: statement: reading the table or the secret is enough.
# In a key policy "Resource": "*" means this key (AWS KMS key policies).
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

  policy = data.aws_iam_policy_document.data_key.json

  # Destroying the key would make everything it encrypted unreadable (the table outlives any stack).
  lifecycle {
    prevent_destroy = true
  }
}

data "aws_iam_policy_document" "data_key" {
  #checkov:skip=CKV_AWS_109:A key policy: resources = ["*"] is this key, and the account root must administer it (AWS KMS default key policy).
  #checkov:skip=CKV_AWS_111:A key policy: resources = ["*"] is this key; use is limited by kms:ViaService, kms:CallerAccount and service principals.
  #checkov:skip=CKV_AWS_356:A key policy: resources = ["*"] is this key, nothing else.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "AccountUsesThroughDataServices"
    actions   = ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = local.data_key_via_services
    }
  }

  # CloudWatch alarms publish to the encrypted topic (aws_alarms.tf).
  statement {
    sid       = "CloudWatchPublishesToAlarmTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    # Only for this stage's alarms (confused deputy), as in the topic's policy.
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [local.arn_alarms]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsWafLogs"
    actions   = ["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:aws-waf-logs-${local.name_prefix}-*"]
    }
  }
}

resource "aws_kms_alias" "data" {
  name          = "alias/${local.name_prefix}-data"
  target_key_id = aws_kms_key.data.key_id
}

output "data_kms_key_arn" {
  description = "KMS key of the stage's data at rest."
  value       = aws_kms_key.data.arn
}
