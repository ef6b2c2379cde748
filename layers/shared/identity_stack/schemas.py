"""Pydantic models shared by more than one function or by the layer and a function."""

from datetime import datetime

from pydantic import BaseModel, Field

# --- tenants and tenant resources (functions/tenants, identity_stack.store, identity_stack.descope_client) ---


class Resource(BaseModel):
    """A tenant resource as stored and returned; ``created_at`` is UTC (RFC 3339 on the wire)."""

    id: str
    tenant_id: str
    name: str
    description: str
    created_at: datetime
    created_by: str = Field(description="`sub` of the principal that created it")


class ResourcePage(BaseModel):
    """One page of a tenant's resources, newest first; pass ``next_cursor`` back as ``cursor`` for the next."""

    items: list[Resource]
    next_cursor: str | None


class Tenant(BaseModel):
    """A tenant as the identity provider holds it (Descope Tenant object, wire contract §3.0)."""

    id: str
    name: str
    self_provisioning_domains: list[str] = Field(default_factory=list)
    custom_attributes: dict[str, object] = Field(default_factory=dict)


# --- users and roles (functions/roles, functions/attributes, identity_stack.descope_client) ---


class User(BaseModel):
    """A user as the identity provider holds it (Descope User object, wire contract §3.0), as the functions read it.

    ``user_id`` is what tokens carry (``sub``); ``login_id`` is what Descope's user mutations are keyed by
    (wire contract §3.2), None when the provider returned none.
    """

    user_id: str
    login_id: str | None
    name: str = ""
    email: str = ""
    status: str = ""
    custom_attributes: dict[str, object] = Field(default_factory=dict)
    tenant_roles: dict[str, list[str]] = Field(
        default_factory=dict, description="Tenant id -> the user's role names there (Descope `userTenants`)"
    )


class RoleDefinition(BaseModel):
    """A role as the identity provider defines it (Descope Role object, wire contract §3.4)."""

    name: str
    description: str
    permissions: list[str]
