# GitHub Actions reach AWS through OIDC, never with stored keys: one deploy role for this stage (trusted only from
# the stage's GitHub environment <stage>) and one read-only plan role (`terraform plan`: trusted from the stage's
# Terraform environment <stage>-infra and, for dev only, from pull requests).
# Both are named identity-stack-github-*, outside the identity-stack-<stage>-* prefix the deploy role may manage,
# so the deploy role can never rewrite its own trust or permissions (tests/infra checks it). The account's GitHub
# OIDC provider belongs to infra/bootstrap (one per account, one account per stage): it is only looked up here.

locals {
  github_oidc_url = "token.actions.githubusercontent.com"
  github_oidc_arn = data.aws_iam_openid_connect_provider.github.arn
  deploy_subject  = "repo:${var.github_repository}:environment:${var.environment}"
  # Pull requests plan dev only: a pull request's token never reaches a prod role (prod plans run in prod-infra).
  plan_subjects_by_stage = {
    dev  = ["repo:${var.github_repository}:environment:dev-infra", "repo:${var.github_repository}:pull_request"]
    prod = ["repo:${var.github_repository}:environment:prod-infra"]
  }
  plan_subjects    = local.plan_subjects_by_stage[var.environment]
  deploy_role_name = "identity-stack-github-deploy-${var.environment}"
  plan_role_name   = "identity-stack-github-plan-${var.environment}"

  # The state bucket of infra/bootstrap (same expression there) and this stage's key (environments/<stage>.s3.tfbackend).
  state_bucket_name = "identity-stack-tfstate-${local.account_id}"
  state_key         = "identity-stack/${var.environment}/terraform.tfstate"

  # ARN prefixes of what the SAM stack creates: functions, layer, roles, log groups and CodeDeploy objects all
  # start with the stack name (explicit names, or CloudFormation's <stack>-<logical id>-<suffix>).
  arn_lambda     = "arn:${local.partition}:lambda:${local.region}:${local.account_id}"
  arn_iam        = "arn:${local.partition}:iam::${local.account_id}"
  arn_logs       = "arn:${local.partition}:logs:${local.region}:${local.account_id}"
  arn_codedeploy = "arn:${local.partition}:codedeploy:${local.region}:${local.account_id}"
  arn_apigateway = "arn:${local.partition}:apigateway:${local.region}::"
  arn_stack      = "arn:${local.partition}:cloudformation:${local.region}:${local.account_id}:stack/${local.sam_stack_name}/*"
  arn_sam_roles  = "${local.arn_iam}:role/${local.sam_stack_name}-*"
  arn_ssm_stage  = "arn:${local.partition}:ssm:${local.region}:${local.account_id}:parameter${local.ssm_prefix}/*"
  arn_alarms     = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${local.name_prefix}-*"

  # The only managed policies SAM attaches to the roles it creates: basic logging and X-Ray (Tracing: Active) for
  # functions. CodeDeploy's role is Terraform's (aws_iam_boundary.tf), so SAM makes none.
  sam_managed_policy_arns = [
    "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:${local.partition}:iam::aws:policy/AWSXrayWriteOnlyAccess",
  ]
}

data "aws_iam_openid_connect_provider" "github" {
  url = "https://${local.github_oidc_url}"
}

# ---- deploy role: sam deploy of identity-stack-<stage>, SPA upload and invalidation --------------------------

data "aws_iam_policy_document" "deploy_trust" {
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

    # Exact subject: only jobs that run in this stage's GitHub environment (with its protection rules).
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:sub"
      values   = [local.deploy_subject]
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = local.deploy_role_name
  description          = "GitHub Actions deploys ${local.sam_stack_name} (environment ${var.environment} of ${var.github_repository})."
  assume_role_policy   = data.aws_iam_policy_document.deploy_trust.json
  max_session_duration = 3600
}

# What the deploy workflow calls itself: sam deploy (change sets of this stack, uploads to the artifacts bucket),
# aws s3 sync to the SPA bucket, cloudfront create-invalidation, ssm get-parameter, lambda get-alias and
# cloudformation describe-*. Everything that changes a function, layer, role, API, CodeDeploy object or log group is
# allowed only when CloudFormation makes the call for this role (aws:CalledVia, during a change set of this stack),
# so these credentials cannot change them directly. The stack itself is never deleted by this role.
data "aws_iam_policy_document" "deploy" {
  statement {
    sid = "CloudFormationStack"
    actions = [
      "cloudformation:CreateChangeSet",
      "cloudformation:DeleteChangeSet",
      "cloudformation:DescribeChangeSet",
      "cloudformation:DescribeStackEvents",
      "cloudformation:DescribeStackResource",
      "cloudformation:DescribeStackResources",
      "cloudformation:DescribeStacks",
      "cloudformation:ExecuteChangeSet",
      "cloudformation:GetTemplate",
      "cloudformation:GetTemplateSummary",
      "cloudformation:ListStackResources",
    ]
    resources = [local.arn_stack]
  }

  statement {
    sid       = "SamTransform"
    actions   = ["cloudformation:CreateChangeSet"]
    resources = ["arn:${local.partition}:cloudformation:${local.region}:aws:transform/Serverless-2016-10-31"]
  }

  statement {
    sid = "ReadFunctions"
    actions = [
      "lambda:GetAlias",
      "lambda:GetFunction",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:GetFunctionConfiguration",
      "lambda:GetPolicy",
      "lambda:GetRuntimeManagementConfig",
      "lambda:ListTags",
      "lambda:ListVersionsByFunction",
    ]
    # Covers the functions and their versions and aliases (function:<name>:<qualifier>).
    resources = ["${local.arn_lambda}:function:${local.sam_stack_name}-*"]
  }

  statement {
    sid = "ChangeFunctions"
    actions = [
      "lambda:CreateAlias",
      "lambda:CreateFunction",
      "lambda:DeleteAlias",
      "lambda:DeleteFunction",
      "lambda:DeleteFunctionConcurrency",
      "lambda:PublishVersion",
      "lambda:PutFunctionConcurrency",
      "lambda:RemovePermission",
      "lambda:TagResource",
      "lambda:UntagResource",
      "lambda:UpdateAlias",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
    ]
    resources = ["${local.arn_lambda}:function:${local.sam_stack_name}-*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  # The template's only resource-based permissions let API Gateway invoke a function (Api events, the authorizer).
  statement {
    sid       = "ApiGatewayInvokesFunctions"
    actions   = ["lambda:AddPermission"]
    resources = ["${local.arn_lambda}:function:${local.sam_stack_name}-*"]

    condition {
      test     = "StringEquals"
      variable = "lambda:Principal"
      values   = ["apigateway.amazonaws.com"]
    }

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadSharedLayer"
    actions   = ["lambda:GetLayerVersion", "lambda:ListLayerVersions"]
    resources = ["${local.arn_lambda}:layer:${local.sam_stack_name}-*", "${local.arn_lambda}:layer:${local.sam_stack_name}-*:*"]
  }

  statement {
    sid       = "ChangeSharedLayer"
    actions   = ["lambda:DeleteLayerVersion", "lambda:PublishLayerVersion"]
    resources = ["${local.arn_lambda}:layer:${local.sam_stack_name}-*", "${local.arn_lambda}:layer:${local.sam_stack_name}-*:*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  # Every call that gives a SAM role permissions requires the stage's boundary on that role (iam:PermissionsBoundary
  # is the boundary the role has, or gets with CreateRole/PutRolePermissionsBoundary), so a role made from a
  # tampered template still cannot exceed the boundary. The boundary itself is a managed policy, on which this role
  # may do nothing; there is no iam:DeleteRolePermissionsBoundary.
  statement {
    sid       = "BoundedSamRoles"
    actions   = ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"]
    resources = [local.arn_sam_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.function_boundary.arn]
    }

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  statement {
    sid       = "BoundedSamManagedPolicies"
    actions   = ["iam:AttachRolePolicy"]
    resources = [local.arn_sam_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.function_boundary.arn]
    }

    condition {
      test     = "ArnEquals"
      variable = "iam:PolicyARN"
      values   = local.sam_managed_policy_arns
    }

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadSamRoles"
    actions   = ["iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies"]
    resources = [local.arn_sam_roles]
  }

  # What grants no permission: tagging and deleting roles and removing their policies. Not bounded, so a stack whose
  # roles predate the boundary (and SAM's old CodeDeploy role) can still be updated and cleaned up.
  # UpdateAssumeRolePolicy can let someone assume a role, which the boundary still limits.
  statement {
    sid = "SamRoleUpkeep"
    actions = [
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
    ]
    resources = [local.arn_sam_roles]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  # Function roles go to Lambda only; CodeDeploy gets Terraform's role of DeploymentPreference.Role, nothing else.
  # No aws:CalledVia here: iam:PassRole is no API call, IAM checks it inside the call that hands the role over
  # (CreateFunction, CreateDeploymentGroup), which itself is allowed only through CloudFormation.
  statement {
    sid       = "PassFunctionRoles"
    actions   = ["iam:PassRole"]
    resources = [local.arn_sam_roles]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["lambda.amazonaws.com"]
    }
  }

  statement {
    sid       = "PassCodeDeployRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.codedeploy.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["codedeploy.amazonaws.com"]
    }
  }

  statement {
    sid = "ReadCodeDeploy"
    actions = [
      "codedeploy:GetApplication",
      "codedeploy:GetApplicationRevision",
      "codedeploy:GetDeployment",
      "codedeploy:GetDeploymentGroup",
      "codedeploy:ListTagsForResource",
    ]
    resources = [
      "${local.arn_codedeploy}:application:${local.sam_stack_name}-*",
      "${local.arn_codedeploy}:deploymentgroup:${local.sam_stack_name}-*/*",
    ]
  }

  # CloudFormation starts and stops the alias deployments (UpdatePolicy CodeDeployLambdaAliasUpdate).
  statement {
    sid = "ChangeCodeDeploy"
    actions = [
      "codedeploy:CreateApplication",
      "codedeploy:CreateDeployment",
      "codedeploy:CreateDeploymentGroup",
      "codedeploy:DeleteApplication",
      "codedeploy:DeleteDeploymentGroup",
      "codedeploy:RegisterApplicationRevision",
      "codedeploy:StopDeployment",
      "codedeploy:TagResource",
      "codedeploy:UntagResource",
      "codedeploy:UpdateDeploymentGroup",
    ]
    resources = [
      "${local.arn_codedeploy}:application:${local.sam_stack_name}-*",
      "${local.arn_codedeploy}:deploymentgroup:${local.sam_stack_name}-*/*",
    ]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  statement {
    sid       = "CodeDeployLambdaConfigs"
    actions   = ["codedeploy:GetDeploymentConfig"]
    resources = ["${local.arn_codedeploy}:deploymentconfig:CodeDeployDefault.Lambda*"]
  }

  # Unavoidable wildcard: API Gateway ARNs carry the generated API, stage, usage plan and key ids, not names, and
  # creating an API is a POST on the collection itself. Only the REST API, usage plan, key and tag collections, so
  # the role reaches every API of the region: one AWS account per stage (README.md).
  statement {
    sid     = "ReadRestApis"
    actions = ["apigateway:GET"]
    resources = [
      "${local.arn_apigateway}/restapis",
      "${local.arn_apigateway}/restapis/*",
      "${local.arn_apigateway}/usageplans",
      "${local.arn_apigateway}/usageplans/*",
      "${local.arn_apigateway}/apikeys",
      "${local.arn_apigateway}/apikeys/*",
      "${local.arn_apigateway}/tags/*",
    ]
  }

  statement {
    sid     = "ChangeRestApis"
    actions = ["apigateway:DELETE", "apigateway:PATCH", "apigateway:POST", "apigateway:PUT"]
    resources = [
      "${local.arn_apigateway}/restapis",
      "${local.arn_apigateway}/restapis/*",
      "${local.arn_apigateway}/usageplans",
      "${local.arn_apigateway}/usageplans/*",
      "${local.arn_apigateway}/apikeys",
      "${local.arn_apigateway}/apikeys/*",
      "${local.arn_apigateway}/tags/*",
    ]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  # The template associates the Terraform-made web ACL (SSM waf/web-acl-arn) with its stage.
  statement {
    sid       = "ReadWebAcl"
    actions   = ["wafv2:GetWebACL", "wafv2:GetWebACLForResource"]
    resources = [aws_wafv2_web_acl.api.arn, "${local.arn_apigateway}/restapis/*/stages/*"]
  }

  statement {
    sid       = "AssociateWebAcl"
    actions   = ["wafv2:AssociateWebACL", "wafv2:DisassociateWebACL"]
    resources = [aws_wafv2_web_acl.api.arn, "${local.arn_apigateway}/restapis/*/stages/*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  statement {
    sid       = "StageWebAcl"
    actions   = ["apigateway:SetWebACL"]
    resources = ["${local.arn_apigateway}/restapis/*/stages/*"]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  # CloudFormation resolves the template's AWS::SSM::Parameter::Value parameters with the caller's credentials.
  statement {
    sid       = "ReadHandOff"
    actions   = ["ssm:GetParameter", "ssm:GetParameters"]
    resources = [local.arn_ssm_stage]
  }

  statement {
    sid       = "UploadArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.artifacts.arn}/*"]
  }

  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket"]
    resources = [aws_s3_bucket.artifacts.arn]
  }

  statement {
    sid       = "UploadSpa"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.spa.arn}/*"]
  }

  statement {
    sid       = "ListSpa"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket"]
    resources = [aws_s3_bucket.spa.arn]
  }

  statement {
    sid       = "InvalidateSpa"
    actions   = ["cloudfront:CreateInvalidation", "cloudfront:GetDistribution", "cloudfront:GetInvalidation"]
    resources = [aws_cloudfront_distribution.spa.arn]
  }

  # Log groups the template may declare for its functions and API (retention, KMS), all under the stack name.
  statement {
    sid = "StackLogGroups"
    actions = [
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:ListTagsForResource",
      "logs:PutRetentionPolicy",
      "logs:TagResource",
      "logs:UntagResource",
    ]
    resources = [
      "${local.arn_logs}:log-group:/aws/lambda/${local.sam_stack_name}-*",
      "${local.arn_logs}:log-group:/aws/apigateway/${local.sam_stack_name}-*",
      "${local.arn_logs}:log-group:${local.sam_stack_name}-*",
    ]

    condition {
      test     = "ForAnyValue:StringEquals"
      variable = "aws:CalledVia"
      values   = ["cloudformation.amazonaws.com"]
    }
  }

  # DeploymentPreference names the Terraform-made alarms; CodeDeploy checks that they exist.
  statement {
    sid       = "ReadStageAlarms"
    actions   = ["cloudwatch:DescribeAlarms"]
    resources = [local.arn_alarms]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy-${local.sam_stack_name}"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# ---- plan role: terraform plan, read-only ---------------------------------------------------------------------

data "aws_iam_policy_document" "plan_trust" {
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

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_url}:sub"
      values   = local.plan_subjects
    }
  }
}

resource "aws_iam_role" "plan" {
  name                 = local.plan_role_name
  description          = "GitHub Actions runs terraform plan for ${local.name_prefix} (environment ${var.environment}-infra${var.environment == "dev" ? " and pull requests" : ""} of ${var.github_repository})."
  assume_role_policy   = data.aws_iam_policy_document.plan_trust.json
  max_session_duration = 3600
}

# What `terraform plan` refreshes, and nothing that reads data: no table items, no secret value, no artifacts.
# It writes nothing, not even the state's lock file: plans run with -lock=false. The state it reads holds the dev
# demo access keys' secrets (descope_access_keys.tf), so whoever can open a pull request can read those: they are
# dev-only test credentials of the demo tenant, never created in prod (create_demo_data).
data "aws_iam_policy_document" "plan" {
  statement {
    sid       = "ReadState"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${local.state_bucket_name}/${local.state_key}"]
  }

  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = ["arn:${local.partition}:s3:::${local.state_bucket_name}"]
  }

  statement {
    sid = "DescribeTable"
    actions = [
      "dynamodb:DescribeContinuousBackups",
      "dynamodb:DescribeKinesisStreamingDestination",
      "dynamodb:DescribeTable",
      "dynamodb:DescribeTimeToLive",
      "dynamodb:ListTagsOfResource",
    ]
    resources = [aws_dynamodb_table.tenant_data.arn]
  }

  statement {
    sid       = "DescribeKey"
    actions   = ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"]
    resources = [aws_kms_key.data.arn]
  }

  statement {
    sid       = "DescribeSecret"
    actions   = ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"]
    resources = [aws_secretsmanager_secret.descope_management_key.arn]
  }

  statement {
    sid       = "ReadHandOff"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:ListTagsForResource"]
    resources = [local.arn_ssm_stage]
  }

  statement {
    sid = "DescribeBuckets"
    actions = [
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
    ]
    resources = [aws_s3_bucket.artifacts.arn, aws_s3_bucket.spa.arn]
  }

  statement {
    sid = "DescribeCloudFront"
    actions = [
      "cloudfront:GetCachePolicy",
      "cloudfront:GetDistribution",
      "cloudfront:GetOriginAccessControl",
      "cloudfront:GetResponseHeadersPolicy",
      "cloudfront:ListTagsForResource",
    ]
    resources = [
      aws_cloudfront_distribution.spa.arn,
      "arn:${local.partition}:cloudfront::${local.account_id}:origin-access-control/${aws_cloudfront_origin_access_control.spa.id}",
      "arn:${local.partition}:cloudfront::${local.account_id}:response-headers-policy/${aws_cloudfront_response_headers_policy.spa.id}",
      "arn:${local.partition}:cloudfront::${local.account_id}:cache-policy/${data.aws_cloudfront_cache_policy.caching_optimized.id}",
    ]
  }

  statement {
    sid       = "DescribeWaf"
    actions   = ["wafv2:GetLoggingConfiguration", "wafv2:GetRegexPatternSet", "wafv2:GetWebACL", "wafv2:ListTagsForResource"]
    resources = [aws_wafv2_web_acl.api.arn, aws_wafv2_regex_pattern_set.auth_sensitive.arn]
  }

  statement {
    sid       = "DescribeLogs"
    actions   = ["logs:DescribeLogGroups", "logs:ListTagsForResource"]
    resources = ["${local.arn_logs}:log-group:*"]
  }

  statement {
    sid = "DescribeRoles"
    actions = [
      "iam:GetOpenIDConnectProvider",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
    ]
    resources = [
      local.github_oidc_arn,
      aws_iam_role.deploy.arn,
      aws_iam_role.codedeploy.arn,
      "${local.arn_iam}:role/${local.plan_role_name}",
    ]
  }

  statement {
    sid       = "DescribeBoundary"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"]
    resources = [aws_iam_policy.function_boundary.arn]
  }

  statement {
    sid       = "DescribeAlarms"
    actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"]
    resources = [local.arn_alarms]
  }

  statement {
    sid     = "DescribeTopic"
    actions = ["sns:GetSubscriptionAttributes", "sns:GetTopicAttributes", "sns:ListSubscriptionsByTopic", "sns:ListTagsForResource"]
    # Subscriptions are <topic arn>:<id>.
    resources = [aws_sns_topic.alarms.arn, "${aws_sns_topic.alarms.arn}:*"]
  }

  # Unavoidable wildcard: these list calls have no resource-level permissions (Service Authorization Reference),
  # and the provider makes them to read aliases, parameter metadata, the managed cache policy and the OIDC provider.
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

resource "aws_iam_role_policy" "plan" {
  name   = "plan-${local.name_prefix}"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan.json
}

output "github_deploy_role_arn" {
  description = "Role the deploy workflow assumes for this stage (aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.deploy.arn
}

output "github_plan_role_arn" {
  description = "Role the terraform workflow assumes for terraform plan (environment <stage>-infra; dev: also pull requests)."
  value       = aws_iam_role.plan.arn
}
