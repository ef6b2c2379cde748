# What keeps the deploy role (aws_github_oidc.tf) from minting an administrator: it may create and change the SAM
# stack's roles only with this permissions boundary attached, so no function role can ever do more than the
# boundary allows, whatever policy a compromised workflow writes into the template. CodeDeploy's service role is
# made here too (the template names it in DeploymentPreference.Role), so SAM creates no role the boundary would
# have to cover. Both are named outside the identity-stack-<stage>-* prefix the deploy role manages, and the deploy
# role has no permission on managed policies, so it can change neither (tests/infra checks it).

locals {
  function_boundary_name = "identity-stack-function-boundary-${var.environment}"
  codedeploy_role_name   = "identity-stack-codedeploy-${var.environment}"
  arn_function_logs      = "${local.arn_logs}:log-group:/aws/lambda/${local.sam_stack_name}-*"
  # The API Gateway calls identity_stack.usage_plans makes (template.yaml's UsagePlanKeysPolicy, which names the
  # stack's plans by id; Terraform cannot know those ids, so any plan's keys here: one AWS account per stage).
  arn_usage_plan_keys = [
    "${local.arn_apigateway}/apikeys",
    "${local.arn_apigateway}/apikeys/*",
    "${local.arn_apigateway}/usageplans/*/keys",
    "${local.arn_apigateway}/usageplans/*/keys/*",
  ]
}

# ---- the boundary of every function role -----------------------------------------------------------------------

# The union of what template.yaml grants its functions (SAM's basic execution and X-Ray policies, the table, the
# secret, usage plan keys) and nothing of IAM: the effective rights of a role are its policies ∩ this document.
data "aws_iam_policy_document" "function_boundary" {
  statement {
    sid       = "FunctionLogs"
    actions   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [local.arn_function_logs, "${local.arn_function_logs}:*"]
  }

  # X-Ray's trace and sampling calls have no resource-level permissions (Service Authorization Reference).
  statement {
    sid = "Tracing"
    actions = [
      "xray:GetSamplingRules",
      "xray:GetSamplingStatisticSummaries",
      "xray:GetSamplingTargets",
      "xray:PutTelemetryRecords",
      "xray:PutTraceSegments",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "TenantTableItems"
    actions   = ["dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]
    resources = [aws_dynamodb_table.tenant_data.arn]
  }

  statement {
    sid       = "ManagementKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.descope_management_key.arn]
  }

  # The table and the secret are encrypted with the data key; the functions use it only through those services.
  statement {
    sid       = "DataKeyThroughServices"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${local.region}.amazonaws.com", "secretsmanager.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "ListUsagePlans"
    actions   = ["apigateway:GET"]
    resources = ["${local.arn_apigateway}/usageplans"]
  }

  statement {
    sid       = "UsagePlanKeys"
    actions   = ["apigateway:DELETE", "apigateway:GET", "apigateway:POST"]
    resources = local.arn_usage_plan_keys
  }
}

resource "aws_iam_policy" "function_boundary" {
  name        = local.function_boundary_name
  description = "Permissions boundary of every function role of ${local.sam_stack_name} (the deploy role may make roles only with it)."
  policy      = data.aws_iam_policy_document.function_boundary.json
}

# ---- CodeDeploy's service role (what AWSCodeDeployRoleForLambda grants, for this stage only) ---------------------

data "aws_iam_policy_document" "codedeploy_trust" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }

    # Only CodeDeploy acting for this account (confused deputy).
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name                 = local.codedeploy_role_name
  description          = "CodeDeploy shifts the live aliases of ${local.sam_stack_name} under its alarms."
  assume_role_policy   = data.aws_iam_policy_document.codedeploy_trust.json
  max_session_duration = 3600
}

# AWSCodeDeployRoleForLambda also grants hook invocation, SNS triggers and S3 revisions; this template declares no
# hooks or triggers, and CloudFormation hands CodeDeploy the AppSpec inline, so only the alias shift and the alarms.
data "aws_iam_policy_document" "codedeploy" {
  statement {
    sid       = "ShiftLiveAliases"
    actions   = ["lambda:GetAlias", "lambda:GetProvisionedConcurrencyConfig", "lambda:UpdateAlias"]
    resources = ["${local.arn_lambda}:function:${local.sam_stack_name}-*"]
  }

  statement {
    sid       = "WatchStageAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = [local.arn_alarms]
  }
}

resource "aws_iam_role_policy" "codedeploy" {
  name   = "codedeploy-${local.sam_stack_name}"
  role   = aws_iam_role.codedeploy.id
  policy = data.aws_iam_policy_document.codedeploy.json
}

output "function_permissions_boundary_arn" {
  description = "Permissions boundary of every function role (SSM iam/permissions-boundary-arn)."
  value       = aws_iam_policy.function_boundary.arn
}

output "codedeploy_role_arn" {
  description = "CodeDeploy service role of the stage's traffic shifting (SSM iam/codedeploy-role-arn)."
  value       = aws_iam_role.codedeploy.arn
}
