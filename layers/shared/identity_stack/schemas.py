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
