# AWS WAF in front of the API stage: per-client-IP rate rules for what usage plans cannot count (unauthenticated
# floods, callers sharing the default key) and AWS managed rule groups. Usage plans (template.yaml) stay the
# per-tenant limits; see docs/rate-limits.md. Terraform creates the web ACL before any SAM stack exists and hands
# its ARN over in SSM (waf/web-acl-arn); template.yaml associates it with the stage (AWS::WAFv2::WebACLAssociation),
# so no apply ever needs to read the SAM stack.

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

locals {
  waf_name = "${local.name_prefix}-api"
  # Routes the seed limits to 10/minute (docs/rate-limits.md); matched on the URL-decoded path after the stage (the
  # template's StageName is the stage name, var.environment), with or without a trailing slash, which API Gateway
  # routes to the same resource.
  auth_sensitive_paths = "^/(${var.environment}/)?api/(auth/logout|validate-id-token|keys|members/invite|roles/(assign|remove)|tenants)/?$"
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

            # /api/%6Beys is /api/keys to the API: decode before matching, or the encoding slips past the limit.
            text_transformation {
              priority = 0
              type     = "URL_DECODE"
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

# WAF logs: the log group name must start with aws-waf-logs-. Authorization headers are redacted: they carry tokens.
# Encrypted with the stage's data key, whose policy admits CloudWatch Logs for aws-waf-logs-<prefix>-* (aws_kms.tf).
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${local.waf_name}"
  retention_in_days = var.waf_log_retention_days
  kms_key_id        = aws_kms_key.data.arn
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
  description = "WAF web ACL the SAM stack associates with its API stage (SSM waf/web-acl-arn)."
  value       = aws_wafv2_web_acl.api.arn
}
