# GitHub Actions in this account: the account's OIDC provider (one per account; infra/ only looks it up) and the
# role terraform.yml's apply job assumes (GitHub variable AWS_TERRAFORM_ROLE_ARN of the GitHub environment
# <stage>-infra). Applying infra/ manages IAM roles, a managed policy and KMS keys, so this role is inherently broad:
# every statement below is limited to the stage's names (identity-stack-<stage>-*, its three roles, its boundary
# policy, its SSM prefix, its state key), to tags where AWS names resources by generated ids, and it deletes
# nothing that holds data (table, keys, secret, buckets). Its own name is outside every pattern it may manage.
# infra/README.md "The Terraform apply role" explains what it can still do.

variable "github_repository" {
  description = "owner/name of the GitHub repository whose terraform.yml may apply infra/ (the stage's environment only)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository is owner/name, e.g. octo-org/identity-stack."
  }
}

# One AWS account per stage (infra/README.md): API Gateway ARNs carry ids, not names, so the deploy and function
# roles of two stages in one account could reach each other's APIs, usage plans and API keys.
variable "stages" {
  description = "The one stage this account holds (one Terraform apply role): [\"dev\"] or [\"prod\"]."
  type        = set(string)

  validation {
    condition     = length(var.stages) == 1 && alltrue([for stage in var.stages : contains(["dev", "prod"], stage)])
    error_message = "stages is [\"dev\"] or [\"prod\"]: one AWS account per stage."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider. false only when something outside this repository already created it: it is then looked up."
  type        = bool
  default     = true
}

locals {
  github_oidc_url = "token.actions.githubusercontent.com"
  github_oidc_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn
  partition       = data.aws_partition.current.partition
  region          = data.aws_region.current.region
  arn_iam         = "arn:${local.partition}:iam::${local.account_id}"
}

resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = "https://${local.github_oidc_url}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1

  url = "https://${local.github_oidc_url}"
}

# ---- one apply role per stage ------------------------------------------------------------------------------------

data "aws_iam_policy_document" "terraform_trust" {
  for_each = var.stages

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Exact subject: only jobs in the stage's Terraform environment <stage>-infra (prod-infra: with its required
    # reviewers). Deploy jobs run in the environment <stage>, whose token the deploy role trusts: never this one.
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:sub"
      values   = ["repo:${var.github_repository}:environment:${each.key}-infra"]
    }
  }
}

resource "aws_iam_role" "terraform" {
  for_each = var.stages

  name                 = "identity-stack-terraform-${each.key}"
  description          = "GitHub Actions applies infra/ for identity-stack-${each.key} (environment ${each.key}-infra of ${var.github_repository})."
  assume_role_policy   = data.aws_iam_policy_document.terraform_trust[each.key].json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "terraform" {
  for_each = var.stages


  # ---- the stage's state (infra/bootstrap's bucket, the stage's key and lock file) --------------------------------
  statement {
    sid       = "State"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/identity-stack/${each.key}/terraform.tfstate"]
  }

  statement {
    sid       = "StateLock"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.state.arn}/identity-stack/${each.key}/terraform.tfstate.tflock"]
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["identity-stack/${each.key}/*"]
    }
  }

  # ---- aws_dynamodb_table: create and change, never delete (deletion protection, prevent_destroy) ----------------
  statement {
    sid = "TenantTable"
    actions = [
      "dynamodb:CreateTable",
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeKinesisStreamingDestination",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
      "dynamodb:TagResource",
      "dynamodb:UntagResource",
      "dynamodb:UpdateContinuousBackups",
      "dynamodb:UpdateTable",
      "dynamodb:UpdateTimeToLive",
    ]
    resources = ["arn:${local.partition}:dynamodb:${local.region}:${local.account_id}:table/identity-stack-${each.key}-*"]
  }

  # ---- aws_kms_key / aws_kms_alias: keys carry generated ids, so they are told apart by the provider's default tags
  statement {
    sid       = "CreateStageKey"
    actions   = ["kms:CreateKey"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Project"
      values   = ["identity-stack"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }
  }

  # CreateKey with tags needs kms:TagResource on the new key, which has no tags yet. Only keys without an
  # Environment tag may be tagged this way, so a key of another stage can never be re-tagged into this one.
  statement {
    sid       = "TagNewStageKey"
    actions   = ["kms:TagResource"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/Environment"
      values   = ["true"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Environment"
      values   = [each.key]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Project"
      values   = ["identity-stack"]
    }
  }

  # Never ScheduleKeyDeletion or DisableKey: what the key encrypts outlives any apply.
  statement {
    sid = "ManageStageKey"
    actions = [
      "kms:CreateAlias",
      "kms:DeleteAlias",
      "kms:DescribeKey",
      "kms:EnableKeyRotation",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListResourceTags",
      "kms:PutKeyPolicy",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateAlias",
      "kms:UpdateKeyDescription",
    ]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"]

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Environment"
      values   = [each.key]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Project"
      values   = ["identity-stack"]
    }
  }

  statement {
    sid       = "StageKeyAliases"
    actions   = ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"]
    resources = ["arn:${local.partition}:kms:${local.region}:${local.account_id}:alias/identity-stack-${each.key}-*"]
  }

  # ---- aws_secretsmanager_secret: the secret, never its value ----------------------------------------------------
  statement {
    sid = "ManagementKeySecret"
    actions = [
      "secretsmanager:CreateSecret",
      "secretsmanager:DescribeSecret",
      "secretsmanager:DeleteResourcePolicy",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:PutResourcePolicy",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
    ]
    resources = ["arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:identity-stack-${each.key}/*"]
  }

  # ---- aws_ssm_parameter: the hand-off -------------------------------------------------------------------------
  statement {
    sid = "HandOff"
    actions = [
      "ssm:AddTagsToResource",
      "ssm:DeleteParameter",
      "ssm:GetParameter",
      "ssm:GetParameters",
      "ssm:ListTagsForResource",
      "ssm:PutParameter",
      "ssm:RemoveTagsFromResource",
    ]
    resources = ["arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter/identity-stack/${each.key}/*"]
  }

  # ---- artifacts and SPA buckets: their settings, never their objects, never the bucket's deletion ---------------
  statement {
    sid = "StageBuckets"
    actions = [
      "s3:CreateBucket",
      "s3:DeleteBucketPolicy",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketLocation",
      "s3:GetBucketLogging",
      "s3:GetBucketNotification",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketOwnershipControls",
      "s3:GetBucketPolicy",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketTagging",
      "s3:GetBucketVersioning",
      "s3:GetBucketWebsite",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketPolicy",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration",
      "s3:PutLifecycleConfiguration",
    ]
    resources = ["arn:${local.partition}:s3:::identity-stack-${each.key}-*"]
  }

  # ---- CloudFront: distributions, OACs and response headers policies carry generated ids (account-wide) ---------
  statement {
    sid = "SpaDistribution"
    actions = [
      "cloudfront:CreateDistribution",
      "cloudfront:CreateOriginAccessControl",
      "cloudfront:CreateResponseHeadersPolicy",
      "cloudfront:DeleteOriginAccessControl",
      "cloudfront:DeleteResponseHeadersPolicy",
      "cloudfront:GetCachePolicy",
      "cloudfront:GetDistribution",
      "cloudfront:GetDistributionConfig",
      "cloudfront:GetOriginAccessControl",
      "cloudfront:GetResponseHeadersPolicy",
      "cloudfront:ListTagsForResource",
      "cloudfront:TagResource",
      "cloudfront:UntagResource",
      "cloudfront:UpdateDistribution",
      "cloudfront:UpdateOriginAccessControl",
      "cloudfront:UpdateResponseHeadersPolicy",
    ]
    resources = [
      "arn:${local.partition}:cloudfront::${local.account_id}:distribution/*",
      "arn:${local.partition}:cloudfront::${local.account_id}:origin-access-control/*",
      "arn:${local.partition}:cloudfront::${local.account_id}:response-headers-policy/*",
      "arn:${local.partition}:cloudfront::${local.account_id}:cache-policy/*",
    ]
  }

  # ---- WAFv2: the stage's web ACL, its regex set, its logging (managed rule groups are referenced) --------------
  statement {
    sid = "WebAcl"
    actions = [
      "wafv2:CreateRegexPatternSet",
      "wafv2:CreateWebACL",
      "wafv2:DeleteLoggingConfiguration",
      "wafv2:DeleteRegexPatternSet",
      "wafv2:GetLoggingConfiguration",
      "wafv2:GetRegexPatternSet",
      "wafv2:GetWebACL",
      "wafv2:ListTagsForResource",
      "wafv2:PutLoggingConfiguration",
      "wafv2:TagResource",
      "wafv2:UntagResource",
      "wafv2:UpdateRegexPatternSet",
      "wafv2:UpdateWebACL",
    ]
    resources = [
      "arn:${local.partition}:wafv2:${local.region}:${local.account_id}:regional/webacl/identity-stack-${each.key}-*/*",
      "arn:${local.partition}:wafv2:${local.region}:${local.account_id}:regional/regexpatternset/identity-stack-${each.key}-*/*",
      "arn:${local.partition}:wafv2:${local.region}:${local.account_id}:regional/managedruleset/*/*",
    ]
  }

  # WAF logging to CloudWatch Logs creates a log delivery and the log group's resource policy (AWS WAF developer
  # guide, "Permissions to log to CloudWatch Logs"); these calls have no resource-level permissions.
  statement {
    sid = "WafLogDelivery"
    actions = [
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeLogGroups",
      "logs:DescribeResourcePolicies",
      "logs:PutResourcePolicy",
    ]
    resources = ["*"]
  }

  statement {
    sid = "WafLogGroup"
    actions = [
      "logs:AssociateKmsKey",
      "logs:CreateLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:DisassociateKmsKey",
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
      "logs:PutRetentionPolicy",
      "logs:TagLogGroup",
      "logs:TagResource",
      "logs:UntagLogGroup",
      "logs:UntagResource",
    ]
    resources = [
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:aws-waf-logs-identity-stack-${each.key}-*",
      "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:aws-waf-logs-identity-stack-${each.key}-*:*",
    ]
  }

  # ---- alarms and their topic --------------------------------------------------------------------------------------
  statement {
    sid = "Alarms"
    actions = [
      "cloudwatch:DeleteAlarms",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
    ]
    resources = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:identity-stack-${each.key}-*"]
  }

  statement {
    sid = "AlarmTopic"
    actions = [
      "sns:CreateTopic",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListSubscriptionsByTopic",
      "sns:ListTagsForResource",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
      "sns:TagResource",
      "sns:Unsubscribe",
      "sns:UntagResource",
    ]
    # Subscriptions are <topic arn>:<id>.
    resources = [
      "arn:${local.partition}:sns:${local.region}:${local.account_id}:identity-stack-${each.key}-*",
      "arn:${local.partition}:sns:${local.region}:${local.account_id}:identity-stack-${each.key}-*:*",
    ]
  }

  # ---- IAM: the stage's three roles and its boundary policy, by exact name; never this role, never the provider --
  statement {
    sid = "StageRoles"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = [
      "${local.arn_iam}:role/identity-stack-github-deploy-${each.key}",
      "${local.arn_iam}:role/identity-stack-github-plan-${each.key}",
      "${local.arn_iam}:role/identity-stack-codedeploy-${each.key}",
    ]
  }

  statement {
    sid = "FunctionBoundaryPolicy"
    actions = [
      "iam:CreatePolicy",
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:ListPolicyVersions",
      "iam:TagPolicy",
      "iam:UntagPolicy",
    ]
    resources = ["${local.arn_iam}:policy/identity-stack-function-boundary-${each.key}"]
  }

  statement {
    sid       = "ReadGithubProvider"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = [local.github_oidc_arn]
  }

  # Unavoidable wildcard: list calls without resource-level permissions, made by data sources and refreshes.
  statement {
    sid = "ListCalls"
    actions = [
      "cloudfront:ListCachePolicies",
      "iam:ListOpenIDConnectProviders",
      "kms:ListAliases",
      "ssm:DescribeParameters",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "terraform" {
  for_each = var.stages

  name   = "apply-identity-stack-${each.key}"
  role   = aws_iam_role.terraform[each.key].id
  policy = data.aws_iam_policy_document.terraform[each.key].json
}

output "github_oidc_provider_arn" {
  description = "The account's GitHub Actions OIDC provider (infra/ looks it up by URL)."
  value       = local.github_oidc_arn
}

output "terraform_apply_role_arns" {
  description = "Stage → role terraform.yml's apply job assumes: the GitHub variable AWS_TERRAFORM_ROLE_ARN of that stage's environment."
  value       = { for stage, role in aws_iam_role.terraform : stage => role.arn }
}
