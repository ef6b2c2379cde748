# The Descope project: session settings, JWT templates, the SPA's OIDC application and custom attribute
# definitions. Tenants, roles and permissions are standalone resources (tenants.tf, rbac.tf) and deliberately
# absent from `authorization` here: managing them in both places makes the two fight.

# Projects are licence-limited, so the existing project is adopted rather than created.
import {
  to = descope_project.main
  id = var.descope_project_id
}

locals {
  user_jwt_template_name       = "identity-stack-user"
  access_key_jwt_template_name = "identity-stack-access-key"

  # URL form of the issuer, set by conformance_issuer below (SSM oidc/issuer, output descope_issuer).
  oidc_issuer = "${var.descope_base_url}/${descope_project.main.id}"
  # Descope's OIDC endpoints take the project id as the client id of the project's applications (SSM
  # oidc/spa-client-id; the audience of ID tokens sent to /api/validate-id-token).
  spa_client_id = descope_project.main.id
  # The SPA redirects to its own origin, no path (frontend/src/auth/oidc-config.ts), so the stage's origin is its
  # redirect URI: CORS (SSM api/allowed-origin) and Descope are fed by the same local and cannot disagree.
  spa_redirect_urls = distinct(concat([local.spa_origin], var.spa_extra_redirect_urls))
}

resource "descope_project" "main" {
  name        = var.descope_project_name
  environment = var.environment == "prod" ? "production" : null

  project_settings = {
    session_token_expiration            = var.session_token_expiration
    refresh_token_expiration            = var.refresh_token_expiration
    refresh_token_rotation              = true
    enable_inactivity                   = var.enable_inactivity
    inactivity_time                     = var.inactivity_time
    access_key_session_token_expiration = var.access_key_session_token_expiration
    user_jwt_template                   = local.user_jwt_template_name
    access_key_jwt_template             = local.access_key_jwt_template_name
  }

  # conformance_issuer makes `iss` the URL form https://api.descope.com/<project id>, which OIDC discovery,
  # py-identity-model and API Gateway JWT authorizers require (the default is the bare project id).
  # auto_tenant_claim sets `dct` when a user belongs to exactly one tenant.
  jwt_templates = {
    user_templates = [{
      name               = local.user_jwt_template_name
      description        = "Default Descope claims with a URL-form issuer"
      auth_schema        = "default"
      conformance_issuer = true
      auto_tenant_claim  = true
      template           = jsonencode({})
    }]
    access_key_templates = [{
      name               = local.access_key_jwt_template_name
      description        = "Default Descope claims with a URL-form issuer"
      auth_schema        = "default"
      conformance_issuer = true
      template           = jsonencode({})
    }]
  }

  # The SPA is a public client: no secret, PKCE forced, redirect URIs matched exactly against this list.
  applications = {
    oidc_applications = [{
      name                        = "identity-stack-spa"
      description                 = "React SPA (authorization code + PKCE)"
      client_type                 = "public"
      force_pkce                  = true
      approved_redirect_urls      = local.spa_redirect_urls
      default_audience            = "projectId"
      client_credentials_disabled = true
      device_code_disabled        = true
      jwt_bearer_disabled         = true
    }]
  }

  attributes = {
    user = [
      { id = "department", name = "Department", type = "string" },
      { id = "job_title", name = "Job title", type = "string" },
      { id = "avatar_url", name = "Avatar URL", type = "string" },
    ]
    tenant = [
      { id = "plan_tier", name = "Plan tier", type = "singleselect", select_options = ["free", "pro", "enterprise"] },
      { id = "max_members", name = "Maximum members", type = "number" },
    ]
  }

  lifecycle {
    prevent_destroy = true
  }
}
