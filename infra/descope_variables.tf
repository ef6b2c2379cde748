variable "descope_project_id" {
  description = "Existing Descope project to manage (it is imported, not created: projects are licence-limited)."
  type        = string

  validation {
    condition     = can(regex("^P[A-Za-z0-9]{27,31}$", var.descope_project_id))
    error_message = "A Descope project id is P followed by 27 to 31 letters or digits."
  }
}

variable "descope_project_name" {
  description = "Display name of the Descope project."
  type        = string
  default     = "identity-stack"
}

variable "environment" {
  description = "Deployment stage: dev or prod (environments/<stage>.tfvars). prod marks the Descope project as a production project."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "descope_base_url" {
  description = "Descope API origin (a custom domain if the project has one): the issuer is <this>/<project id>. Keep DESCOPE_BASE_URL, if set for the provider, equal to it."
  type        = string
  default     = "https://api.descope.com"

  validation {
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]+)?$", var.descope_base_url))
    error_message = "descope_base_url is an https origin: scheme and host, no path, no trailing slash."
  }
}

variable "spa_extra_redirect_urls" {
  description = "Redirect URIs the SPA's OIDC application approves besides the stage's SPA origin (local.spa_origin), e.g. loopback origins for developers in dev. Never loopback ones in prod."
  type        = list(string)
  default     = []

  validation {
    condition     = var.environment != "prod" || alltrue([for url in var.spa_extra_redirect_urls : !can(regex("^https?://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:|/|$)", url))])
    error_message = "Loopback redirect URIs must never be approved in prod."
  }
}

variable "create_demo_data" {
  description = "Create the demo tenants (tenants.tf) and the integration-test and demo access keys (descope_access_keys.tf). dev only."
  type        = bool
  default     = false

  validation {
    condition     = !(var.create_demo_data && var.environment == "prod")
    error_message = "Demo tenants and keys are never created in prod."
  }
}

variable "session_token_expiration" {
  description = "Lifetime of a session (access) token. Descope duration text, at least 3 minutes."
  type        = string
  default     = "10 minutes"
}

variable "refresh_token_expiration" {
  description = "Lifetime of a refresh token. Descope duration text."
  type        = string
  default     = "4 weeks"
}

variable "enable_inactivity" {
  description = "End sessions that stay idle for inactivity_time."
  type        = bool
  default     = true
}

variable "inactivity_time" {
  description = "Idle time after which a session ends. Descope duration text, at least 10 minutes."
  type        = string
  default     = "30 minutes"
}

variable "access_key_session_token_expiration" {
  description = "Lifetime of a session token obtained by exchanging an access key. Descope duration text."
  type        = string
  default     = "3 minutes"
}
