# The Descope management key the functions use for the management API (identity_stack reads it at runtime by the
# ARN in SSM descope/management-key-secret-arn). Terraform creates the secret and never its value, so the key never
# lands in state or plans: put it out of band (README.md "Put the management key").
resource "aws_secretsmanager_secret" "descope_management_key" {
  #checkov:skip=CKV2_AWS_57:Descope issues management keys in its console; there is no API a rotation Lambda could call, so the key is rotated by hand (README.md).
  name                    = "${local.name_prefix}/descope-management-key"
  description             = "Descope management key of ${local.name_prefix} (value put out of band, never by Terraform)."
  kms_key_id              = aws_kms_key.data.arn
  recovery_window_in_days = 30
}

# Only the stage's function roles read the value (and the break-glass admins): SAM names the roles it makes
# <stack name>-<logical id>-<suffix>, so identity-stack-<stage>-* is exactly this stack's. The deploy, plan and
# Terraform roles, and any other principal whose IAM policy would allow it, are refused.
resource "aws_secretsmanager_secret_policy" "descope_management_key" {
  secret_arn          = aws_secretsmanager_secret.descope_management_key.arn
  policy              = data.aws_iam_policy_document.descope_management_key.json
  block_public_policy = true
}

data "aws_iam_policy_document" "descope_management_key" {
  statement {
    sid       = "OnlyFunctionRolesReadTheValue"
    effect    = "Deny"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotLike"
      variable = "aws:PrincipalArn"
      values   = concat([local.arn_sam_roles], var.break_glass_admin_arns)
    }
  }
}

output "descope_management_key_secret_arn" {
  description = "Secret to put the Descope management key into (aws secretsmanager put-secret-value)."
  value       = aws_secretsmanager_secret.descope_management_key.arn
}
