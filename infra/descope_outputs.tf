output "descope_project_id" {
  description = "Descope project id (also the OIDC audience of access tokens)."
  value       = descope_project.main.id
}

output "descope_issuer" {
  description = "OIDC issuer of the project's tokens (URL form, set by the JWT templates)."
  value       = "https://api.descope.com/${descope_project.main.id}"
}

output "tenant_ids" {
  description = "Ids of the demo tenants by Terraform name."
  value = {
    acme   = descope_tenant.acme.tenant_id
    globex = descope_tenant.globex.tenant_id
  }
}

output "integration_tests_access_key_id" {
  description = "Client id of the integration-test access key."
  value       = descope_access_key.integration_tests.client_id
}

output "integration_tests_access_key_secret" {
  description = "Secret of the integration-test access key (only known after create)."
  value       = descope_access_key.integration_tests.cleartext
  sensitive   = true
}
