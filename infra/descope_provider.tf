# The management key is read from DESCOPE_MANAGEMENT_KEY (never from a variable, so it cannot land in tfvars or
# plan files). DESCOPE_BASE_URL overrides the API host (custom domain).
provider "descope" {
  # The fork's tenant, role and permission resources act on the provider-level project id; the attribute is
  # marked deprecated but is the only way to scope them (one provider configuration per project).
  project_id = var.descope_project_id
}
