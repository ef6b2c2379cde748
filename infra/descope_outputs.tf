output "descope_project_id" {
  description = "Descope project id (also the OIDC audience of access tokens)."
  value       = descope_project.main.id
}

output "descope_issuer" {
  description = "OIDC issuer of the project's tokens (URL form, set by the JWT templates)."
  value       = local.oidc_issuer
}

output "spa_redirect_urls" {
  description = "Redirect URIs the SPA's OIDC application approves."
  value       = local.spa_redirect_urls
}

# The demo outputs are empty (or null) unless var.create_demo_data.
output "tenant_ids" {
  description = "Ids of the demo tenants by Terraform name."
  value = {
    for name, id in {
      acme   = one(descope_tenant.acme[*].tenant_id)
      globex = one(descope_tenant.globex[*].tenant_id)
    } : name => id if id != null
  }
}

output "integration_tests_access_key_id" {
  description = "Client id of the integration-test access key (null without demo data)."
  value       = one(descope_access_key.integration_tests[*].client_id)
}

output "integration_tests_access_key_secret" {
  description = "Secret of the integration-test access key (only known after create; null without demo data)."
  value       = one(descope_access_key.integration_tests[*].cleartext)
  sensitive   = true
}
