"""Descope's management replies as pydantic models (camelCase on the wire), and their domain forms.

Shapes: the User, Tenant, AccessKey and Role objects of the Descope management API (https://docs.descope.com/api,
"Management"), as the Python SDK returns them (decoded JSON). Descope sends ``null`` for many empty fields; those read
as empty here. Unknown fields are ignored.
"""

import logging
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from identity_stack.domain.models import AccessKeyRecord, RoleDefinition, Tenant, User
from identity_stack.errors import UpstreamError

UNREADABLE_REPLY = "The identity provider sent an unreadable answer."

logger = logging.getLogger(__name__)


def _empty_if_null(default: object) -> BeforeValidator:
    return BeforeValidator(lambda value: default if value is None else value)


Text = Annotated[str, _empty_if_null("")]
Names = Annotated[list[str], _empty_if_null([])]
Attributes = Annotated[dict[str, object], _empty_if_null({})]
UnixSeconds = Annotated[int, _empty_if_null(0)]


class DescopeModel(BaseModel):
    """A Descope reply object: camelCase aliases, Python names accepted too, extra fields ignored."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class AssociatedTenant(DescopeModel):
    """``userTenants[]`` / ``keyTenants[]``: a tenant and the role names held there."""

    tenant_id: str
    role_names: Names = Field(default_factory=list)


class DescopeUser(DescopeModel):
    """A Descope User object."""

    user_id: str
    login_ids: Names = Field(default_factory=list)
    name: Text = ""
    email: Text = ""
    status: Text = ""
    custom_attributes: Attributes = Field(default_factory=dict)
    user_tenants: Annotated[list[AssociatedTenant], _empty_if_null([])] = Field(default_factory=list)

    def to_user(self) -> User:
        """The domain form; ``login_id`` is the first login id (the one user mutations are keyed by)."""
        return User(
            user_id=self.user_id,
            login_id=self.login_ids[0] if self.login_ids else None,
            name=self.name,
            email=self.email,
            status=self.status,
            custom_attributes=dict(self.custom_attributes),
            tenant_roles={entry.tenant_id: list(entry.role_names) for entry in self.user_tenants},
        )


class UserReply(DescopeModel):
    """``{"user": {...}}``: load, invite and every user update."""

    user: DescopeUser


class UsersReply(DescopeModel):
    """``{"users": [...], "total": n}``: user search (``total`` absent from older replies)."""

    users: list[DescopeUser]
    total: int | None = None


class DescopeTenant(DescopeModel):
    """A Descope Tenant object."""

    id: str
    name: str
    self_provisioning_domains: Names = Field(default_factory=list)
    custom_attributes: Attributes = Field(default_factory=dict)

    def to_tenant(self) -> Tenant:
        """The domain form."""
        return Tenant(
            id=self.id,
            name=self.name,
            self_provisioning_domains=list(self.self_provisioning_domains),
            custom_attributes=dict(self.custom_attributes),
        )


class TenantsReply(DescopeModel):
    """``{"tenants": [...]}``: tenant load-all and search."""

    tenants: list[DescopeTenant]


class DescopeAccessKey(DescopeModel):
    """A Descope AccessKey object (never carries the secret)."""

    id: str
    name: str
    description: Text = ""
    status: str
    created_time: UnixSeconds = 0
    expire_time: UnixSeconds = 0
    client_id: Text = ""
    key_tenants: Annotated[list[AssociatedTenant], _empty_if_null([])] = Field(default_factory=list)

    def to_record(self) -> AccessKeyRecord:
        """The domain form."""
        return AccessKeyRecord(
            id=self.id,
            name=self.name,
            description=self.description,
            status=self.status,
            created_time=self.created_time,
            expire_time=self.expire_time,
            client_id=self.client_id,
            key_tenants={entry.tenant_id: list(entry.role_names) for entry in self.key_tenants},
        )


class AccessKeyReply(DescopeModel):
    """``{"key": {...}}``: access-key load."""

    key: DescopeAccessKey


class CreatedAccessKeyReply(AccessKeyReply):
    """``{"key": {...}, "cleartext": "..."}``: access-key create, the only reply that carries the secret."""

    cleartext: str = Field(min_length=1)


class AccessKeysReply(DescopeModel):
    """``{"keys": [...]}``: access-key search."""

    keys: list[DescopeAccessKey]


class DescopeRole(DescopeModel):
    """A Descope Role object; ``tenantId`` is set for a role scoped to one tenant."""

    name: str
    description: Text = ""
    permission_names: Names = Field(default_factory=list)
    tenant_id: Text = ""

    def to_definition(self) -> RoleDefinition:
        """The domain form."""
        return RoleDefinition(name=self.name, description=self.description, permissions=list(self.permission_names))


class RolesReply(DescopeModel):
    """``{"roles": [...]}``: role load-all."""

    roles: list[DescopeRole]


def read_reply[ReplyT: DescopeModel](model: type[ReplyT], reply: Any, operation: str) -> ReplyT:
    """``reply`` (the SDK's decoded JSON) as ``model``.

    Raises
    ------
    UpstreamError
        The reply does not have the model's shape (502); the reply itself is neither logged nor returned.
    """
    try:
        return model.model_validate(reply)
    except ValidationError as exc:
        logger.warning("descope %s reply unreadable: %d error(s)", operation, exc.error_count())
        raise UpstreamError(UNREADABLE_REPLY) from None
