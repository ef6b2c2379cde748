"""Pydantic models shared by more than one function or by the layer and a function."""

from datetime import datetime

from pydantic import BaseModel, Field

# --- tenants and tenant resources (functions/tenants; domain.tenants, adapters.dynamodb.resources, adapters.descope)


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
    """A tenant as the identity provider holds it (the Descope Tenant object)."""

    id: str
    name: str
    self_provisioning_domains: list[str] = Field(default_factory=list)
    custom_attributes: dict[str, object] = Field(default_factory=dict)


# --- users and roles (functions/roles, functions/attributes, domain.roles, adapters.descope) ---


class User(BaseModel):
    """A user as the identity provider holds it (the Descope User object), as the functions read it.

    ``user_id`` is what tokens carry (``sub``); ``login_id`` is what Descope's user mutations are keyed by (their
    ``loginId`` parameter), None when the provider returned none.
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
    """A role as the identity provider defines it (the Descope Role object)."""

    name: str
    description: str
    permissions: list[str]


# --- access keys and members (functions/keys, functions/members, identity_stack.domain.access_keys, .members) ---


class AccessKeyRecord(BaseModel):
    """An access key as the identity provider holds it (the Descope AccessKey object), without its secret."""

    id: str
    name: str
    description: str = ""
    status: str
    created_time: int = 0
    expire_time: int = Field(default=0, description="Unix seconds; 0 = never")
    client_id: str = ""
    key_tenants: dict[str, list[str]] = Field(description="Tenant id -> the key's role names there (`keyTenants`)")


class AccessKey(BaseModel):
    """An access key as one tenant sees it; it never carries the secret."""

    id: str
    name: str
    description: str
    status: str = Field(description="`active` or `inactive`")
    role_names: list[str] = Field(description="The key's roles in this tenant")
    created_time: int = Field(description="Unix seconds")
    expire_time: int | None = Field(description="Unix seconds; None when the key never expires")
    client_id: str = Field(description="`client_id` of the OIDC client-credentials grant")
    shared: bool = Field(description="True when the key is bound to other tenants too (then it is read-only here)")


class AccessKeyList(BaseModel):
    """The active tenant's access keys, oldest first."""

    keys: list[AccessKey]


class CreatedAccessKey(BaseModel):
    """A new key and its secret: the only time the secret is ever sent."""

    key: AccessKey
    cleartext: str


class Member(BaseModel):
    """A member of the active tenant: roles in this tenant only, and status here.

    ``status`` is ``active``, ``suspended`` (in this tenant only), ``invited`` (has never signed in) or ``disabled``
    (switched off for the whole project by the platform, not by a tenant).
    """

    user_id: str
    email: str
    name: str
    roles: list[str]
    status: str


class MemberPage(BaseModel):
    """One page of members; pass ``next_cursor`` back as ``cursor`` for the next."""

    items: list[Member]
    next_cursor: str | None
