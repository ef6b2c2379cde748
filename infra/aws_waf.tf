# AWS WAF in front of the API stage: per-client-IP rate rules for what usage plans cannot count (unauthenticated
# floods, callers sharing the default key) and AWS managed rule groups. Usage plans (template.yaml) stay the
# per-tenant limits; see docs/rate-limits.md. The stage is SAM's: its REST API id comes from the stack's outputs
# (aws-serverless-notes §7.2: SAM -> Terraform), so apply this after `sam deploy`.

variable "sam_stack_name" {
  type        = string
  description = "CloudFormation stack deployed by SAM (samconfig.toml stack_name, e.g. identity-stack-dev)."
  default     = "identity-stack-dev"
}

variable "api_stage_name" {
  type        = string
  description = "API Gateway stage of that stack (template.yaml StageName)."
  default     = "dev"
}

variable "waf_requests_per_ip_5min" {
  type        = number
  description = "Requests one client IP may send to the API in 5 minutes before WAF blocks it."
  default     = 3000

  validation {
    condition     = var.waf_requests_per_ip_5min >= 10
    error_message = "WAF rate-based rules need a limit of at least 10."
  }
}

variable "waf_auth_requests_per_ip_5min" {
  type        = number
  description = "Requests one client IP may send to the auth-sensitive routes in 5 minutes (the seed's 10/minute per caller, times 5, with headroom for shared NAT addresses)."
  default     = 100

  validation {
    condition     = var.waf_auth_requests_per_ip_5min >= 10
    error_message = "WAF rate-based rules need a limit of at least 10."
  }
}

variable "waf_log_retention_days" {
  type        = number
  description = "Retention of the WAF log group."
  default     = 365
}

data "aws_cloudformation_stack" "api" {
  name = var.sam_stack_name
}

data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

locals {
  waf_name     = "${var.sam_stack_name}-api"
  api_stage_id = "arn:aws:apigateway:${data.aws_region.current.region}::/restapis/${data.aws_cloudformation_stack.api.outputs["RestApiId"]}/stages/${var.api_stage_name}"
  # Routes the seed limits to 10/minute (docs/rate-limits.md); matched on the path after the stage.
  auth_sensitive_paths = "^/(${var.api_stage_name}/)?api/(auth/logout|validate-id-token|keys|members/invite|roles/(assign|remove)|tenants)$"
}

resource "aws_wafv2_regex_pattern_set" "auth_sensitive" {
  name        = "${local.waf_name}-auth-sensitive"
  description = "Auth-sensitive API routes (10/minute in every usage plan)."
  scope       = "REGIONAL"

  regular_expression {
    regex_string = local.auth_sensitive_paths
  }
}

resource "aws_wafv2_web_acl" "api" {
  name        = local.waf_name
  description = "Rate rules per client IP and AWS managed rules for the identity-stack API."
  scope       = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "auth-sensitive-per-ip"
    priority = 10

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_auth_requests_per_ip_5min
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300

        scope_down_statement {
          regex_pattern_set_reference_statement {
            arn = aws_wafv2_regex_pattern_set.auth_sensitive.arn

            field_to_match {
              uri_path {}
            }

            text_transformation {
              priority = 0
              type     = "NONE"
            }
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "auth-sensitive-per-ip"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "all-routes-per-ip"
    priority = 20

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.waf_requests_per_ip_5min
        aggregate_key_type    = "IP"
        evaluation_window_sec = 300
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "all-routes-per-ip"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "aws-common-rules"
    priority = 30

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-common-rules"
      sampled_requests_enabled   = true
    }
  }

  # Includes the Log4j JNDI lookup rules (checkov CKV_AWS_192).
  rule {
    name     = "aws-known-bad-inputs"
    priority = 40

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "aws-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.waf_name
    sampled_requests_enabled   = true
  }
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = local.api_stage_id
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}

# WAF logs: the log group name must start with aws-waf-logs-. Authorization headers are redacted: they carry tokens.
# A key policy's "Resource": "*" means this key (AWS KMS key policies), hence the inline document.
resource "aws_kms_key" "waf_logs" {
  description         = "Encrypts the WAF logs of ${local.waf_name}."
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncrypts"
        Effect    = "Allow"
        Principal = { Service = "logs.${data.aws_region.current.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:aws-waf-logs-${local.waf_name}"
          }
        }
      },
    ]
  })
}

resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${local.waf_name}"
  retention_in_days = var.waf_log_retention_days
  kms_key_id        = aws_kms_key.waf_logs.arn
}

resource "aws_wafv2_web_acl_logging_configuration" "api" {
  resource_arn            = aws_wafv2_web_acl.api.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
}

output "waf_web_acl_arn" {
  description = "WAF web ACL associated with the API stage."
  value       = aws_wafv2_web_acl.api.arn
}
