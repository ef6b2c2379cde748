# Access keys for machine clients of the demo tenant Acme, dev only (var.create_demo_data, like the tenant itself).
# Their secrets (`cleartext`) exist only in state: read them from the outputs straight into the CI secret store,
# never into files in the repository.

resource "descope_access_key" "integration_tests" {
  count = var.create_demo_data ? 1 : 0

  project_id  = descope_project.main.id
  name        = "integration-tests"
  description = "Client-credentials identity for the integration test suite (Acme admin)"

  tenants = [{
    tenant_id = descope_tenant.acme[0].tenant_id
    roles     = [descope_role.admin.name]
  }]
}

resource "descope_access_key" "acme_api" {
  count = var.create_demo_data ? 1 : 0

  project_id  = descope_project.main.id
  name        = "acme-api"
  description = "Read-only API client of Acme Corp"

  tenants = [{
    tenant_id = descope_tenant.acme[0].tenant_id
    roles     = [descope_role.viewer.name]
  }]
}
