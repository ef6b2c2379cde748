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
  description = "Deployment stage: dev or prod. prod marks the Descope project as a production project."
  type        = string
  default     = "dev"

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "spa_redirect_urls" {
  description = "Exact redirect URIs the SPA's OIDC application may use (authorization code + PKCE)."
  type        = list(string)
  default     = ["http://localhost:3000", "http://127.0.0.1:3000"]
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
