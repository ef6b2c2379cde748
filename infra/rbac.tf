# Role-based access control: the permission catalogue and the four tenant roles.
# This file is the single source of truth: identity_stack.rbac mirrors it and tests/infra checks the mirror; the
# local identity provider (local/idp) seeds its roles and permissions from it.

resource "descope_permission" "projects_create" {
  name        = "projects.create"
  description = "Create projects"
}

resource "descope_permission" "projects_read" {
  name        = "projects.read"
  description = "View projects"
}

resource "descope_permission" "projects_update" {
  name        = "projects.update"
  description = "Edit projects"
}

resource "descope_permission" "projects_delete" {
  name        = "projects.delete"
  description = "Delete projects"
}

resource "descope_permission" "members_invite" {
  name        = "members.invite"
  description = "Invite members to the tenant"
}

resource "descope_permission" "members_remove" {
  name        = "members.remove"
  description = "Remove members from the tenant"
}

resource "descope_permission" "members_update_role" {
  name        = "members.update_role"
  description = "Change members' roles"
}

resource "descope_permission" "documents_read" {
  name        = "documents.read"
  description = "Read documents"
}

resource "descope_permission" "documents_write" {
  name        = "documents.write"
  description = "Create and edit documents"
}

resource "descope_permission" "documents_delete" {
  name        = "documents.delete"
  description = "Delete documents"
}

resource "descope_permission" "settings_manage" {
  name        = "settings.manage"
  description = "Manage tenant settings"
}

resource "descope_permission" "billing_manage" {
  name        = "billing.manage"
  description = "Manage billing"
}

resource "descope_permission" "keys_manage" {
  name        = "keys.manage"
  description = "Create and manage the tenant's access keys"
}

resource "descope_role" "owner" {
  name        = "owner"
  description = "Full control of the tenant, including billing"

  permission_names = [
    descope_permission.projects_create.name,
    descope_permission.projects_read.name,
    descope_permission.projects_update.name,
    descope_permission.projects_delete.name,
    descope_permission.members_invite.name,
    descope_permission.members_remove.name,
    descope_permission.members_update_role.name,
    descope_permission.documents_read.name,
    descope_permission.documents_write.name,
    descope_permission.documents_delete.name,
    descope_permission.settings_manage.name,
    descope_permission.billing_manage.name,
    descope_permission.keys_manage.name,
  ]
}

resource "descope_role" "admin" {
  name        = "admin"
  description = "Administers the tenant; everything except billing"

  permission_names = [
    descope_permission.projects_create.name,
    descope_permission.projects_read.name,
    descope_permission.projects_update.name,
    descope_permission.projects_delete.name,
    descope_permission.members_invite.name,
    descope_permission.members_remove.name,
    descope_permission.members_update_role.name,
    descope_permission.documents_read.name,
    descope_permission.documents_write.name,
    descope_permission.documents_delete.name,
    descope_permission.settings_manage.name,
    descope_permission.keys_manage.name,
  ]
}

resource "descope_role" "member" {
  name        = "member"
  description = "Works on projects and documents and invites members"

  permission_names = [
    descope_permission.projects_read.name,
    descope_permission.projects_update.name,
    descope_permission.members_invite.name,
    descope_permission.documents_read.name,
    descope_permission.documents_write.name,
  ]
}

resource "descope_role" "viewer" {
  name        = "viewer"
  description = "Read-only access to projects and documents"

  permission_names = [
    descope_permission.projects_read.name,
    descope_permission.documents_read.name,
  ]
}
