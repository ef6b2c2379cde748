# Demo tenants, dev only (var.create_demo_data). Their ids are fixed, opaque, Descope-style custom ids (never UUIDs)
# so that seeds, tests and documentation can name them; production tenants are created at runtime by the tenants
# function. The local identity provider seeds them from here (local/idp/terraform.py, with dev.tfvars).

resource "descope_tenant" "acme" {
  count = var.create_demo_data ? 1 : 0

  tenant_id = "T2PHHq6r5nfjrSQQZLfZgm1dW5oR"
  name      = "Acme Corp"

  # Values of a Terraform map are strings; Descope stores them with the attribute types declared in
  # descope_project.main (max_members is a number).
  custom_attributes = {
    plan_tier   = "pro"
    max_members = "50"
  }
}

resource "descope_tenant" "globex" {
  count = var.create_demo_data ? 1 : 0

  tenant_id = "T2I9lgMLFzXyRPbJnkox2BB7XpM5"
  name      = "Globex Inc"

  custom_attributes = {
    plan_tier   = "free"
    max_members = "10"
  }
}
