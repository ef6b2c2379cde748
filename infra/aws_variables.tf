# Per-stage AWS settings (environments/<stage>.tfvars). The WAF's own settings are in aws_waf.tf.

variable "github_repository" {
  description = "owner/name of the GitHub repository whose Actions may assume the deploy and plan roles. Given per stage on the command line (-var github_repository=owner/name) or in a tfvars file."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository is owner/name, e.g. octo-org/identity-stack."
  }
}

variable "spa_origin" {
  description = "The SPA's origin on a custom domain (https://host, no path). null: the CloudFront domain (https://<id>.cloudfront.net)."
  type        = string
  default     = null

  validation {
    condition     = var.spa_origin == null || can(regex("^https://[a-z0-9.-]+$", var.spa_origin))
    error_message = "spa_origin is https://<lower-case host>, without a port, path or trailing slash."
  }
}

variable "spa_certificate_arn" {
  description = "ACM certificate (in us-east-1) for the host of spa_origin. Set exactly when spa_origin is."
  type        = string
  default     = null
}

variable "spa_price_class" {
  description = "CloudFront price class of the SPA distribution."
  type        = string
  default     = "PriceClass_100"
}

variable "api_domain_name" {
  description = "Custom domain of the API, if any (host only). null: the CSP admits this region's execute-api hosts."
  type        = string
  default     = null
}

variable "artifacts_retention_days" {
  description = "Days a SAM artifact (code package, template) is kept in the artifacts bucket."
  type        = number
  default     = 90
}

variable "alarm_email" {
  description = "Address subscribed to the alarm topic (confirm the subscription mail). null: no subscription."
  type        = string
  default     = null
}

variable "alarm_function_errors_per_minute" {
  description = "Errors of one function's live alias in a minute that put its errors alarm in ALARM (and roll a deployment back)."
  type        = number
  default     = 1
}

variable "alarm_function_throttles_per_minute" {
  description = "Throttles of one function's live alias in a minute that put its throttles alarm in ALARM."
  type        = number
  default     = 1
}

variable "alarm_function_p99_duration_ms" {
  description = "p99 duration (ms) of one function's live alias above which its duration alarm fires (the functions' timeout is 10 s)."
  type        = number
  default     = 3000
}

variable "alarm_api_5xx_per_minute" {
  description = "5XX answers of the API in a minute that put the API 5xx alarm in ALARM."
  type        = number
  default     = 5
}

variable "alarm_api_p99_latency_ms" {
  description = "p99 latency (ms) of the API above which the latency alarm fires."
  type        = number
  default     = 3000
}

variable "break_glass_admin_arns" {
  description = "IAM principal ARNs (ArnLike patterns, e.g. an SSO administrator role's) that may read the management key's value besides the stage's function roles."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.break_glass_admin_arns : can(regex("^arn:aws[a-z-]*:(iam|sts)::[0-9]{12}:", arn))])
    error_message = "break_glass_admin_arns are IAM ARNs: arn:aws:iam::<account id>:role/<name>."
  }
}
