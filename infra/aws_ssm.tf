# The hand-off to the SAM stack and the deploy workflow: String parameters under /identity-stack/<stage>/.
# template.yaml reads the descope/, oidc/, dynamodb/, api/, waf/ and iam/ ones as AWS::SSM::Parameter::Value<String>
# parameters whose values in samconfig.toml are these names; the deploy workflow reads spa/ and deploy/.
# This map is the only list of names (tests/infra checks it against the contract and the template).
locals {
  ssm_prefix = "/identity-stack/${var.environment}"

  ssm_parameters = {
    "descope/project-id"                = descope_project.main.id
    "descope/base-url"                  = var.descope_base_url
    "descope/management-key-secret-arn" = aws_secretsmanager_secret.descope_management_key.arn
    "oidc/issuer"                       = local.oidc_issuer
    "oidc/spa-client-id"                = local.spa_client_id
    "dynamodb/table-name"               = aws_dynamodb_table.tenant_data.name
    "dynamodb/table-arn"                = aws_dynamodb_table.tenant_data.arn
    "api/allowed-origin"                = local.spa_origin
    "api/csp"                           = local.content_security_policy
    "waf/web-acl-arn"                   = aws_wafv2_web_acl.api.arn
    "spa/bucket-name"                   = aws_s3_bucket.spa.bucket
    "spa/distribution-id"               = aws_cloudfront_distribution.spa.id
    "deploy/artifacts-bucket"           = aws_s3_bucket.artifacts.bucket
    "iam/permissions-boundary-arn"      = aws_iam_policy.function_boundary.arn
    "iam/codedeploy-role-arn"           = aws_iam_role.codedeploy.arn
  }

  # The format of each value (SSM refuses a value that does not match): local/handoff.py's ssm_allowed_patterns(),
  # anchored and https only (tests/infra keeps the two equal). A wrong value fails the apply, not the deploy.
  ssm_allowed_patterns = {
    "descope/project-id"                = "^[A-Za-z0-9]+$"
    "descope/base-url"                  = "^https://[^\\s]+[^/\\s]$"
    "descope/management-key-secret-arn" = "^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$"
    "oidc/issuer"                       = "^https://[^\\s/]+(/[^\\s]*)?[^/\\s]$"
    "oidc/spa-client-id"                = "^[A-Za-z0-9_-]+$"
    "dynamodb/table-name"               = "^[A-Za-z0-9_.-]{3,255}$"
    "dynamodb/table-arn"                = "^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$"
    "api/allowed-origin"                = "^https://[^\\s/,']+$"
    "api/csp"                           = "^[^\\r\\n]+$"
    "waf/web-acl-arn"                   = "^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:[0-9]{12}:regional/webacl/.+$"
    "iam/permissions-boundary-arn"      = "^arn:aws[a-z-]*:iam::[0-9]{12}:policy/[\\w+=,.@/-]+$"
    "iam/codedeploy-role-arn"           = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\\w+=,.@/-]+$"
    "spa/bucket-name"                   = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
    "spa/distribution-id"               = "^[A-Z0-9]+$"
    "deploy/artifacts-bucket"           = "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
  }
}

resource "aws_ssm_parameter" "handoff" {
  #checkov:skip=CKV2_AWS_34:Ids, names, ARNs and a CSP, none secret; CloudFormation's AWS::SSM::Parameter::Value<String> parameters cannot read SecureString.
  for_each = local.ssm_parameters

  name            = "${local.ssm_prefix}/${each.key}"
  description     = "identity-stack ${var.environment} hand-off (infra/aws_ssm.tf)."
  type            = "String"
  value           = each.value
  allowed_pattern = local.ssm_allowed_patterns[each.key]
}
