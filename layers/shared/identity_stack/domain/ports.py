"""The ports the domain rules are written against: what they need from the world, as ``typing.Protocol`` types.

Adapters implement them (``identity_stack.adapters``); tests use the in-memory fakes of ``tests/fakes``.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from identity_stack.domain.models import AccessKeyRecord, Resource, ResourcePage, RoleDefinition, Tenant, User

# --- identity provider (adapter: identity_stack.adapters.descope.client.IdentityProviderClient) ------------------
#
# One provider call per method; faults arrive as problems: NotFoundError (404), ConflictError (409), UpstreamError
# (502: refused or unreadable), UpstreamUnavailableError (503: down, slow or rate limited). User mutations take the
# ``User`` as loaded, because the provider keys them by login id: a user without one raises UpstreamError.


class IdentityProvider(Protocol):
    """Users, tenants, roles and access keys as the identity provider holds them."""

    async def logout_user(self, user_id: str) -> None:
        """Revoke every session of the user on every device (access tokens already issued stay valid)."""
        ...

    async def create_tenant(
        self,
        tenant_id: str,
        name: str,
        *,
        self_provisioning_domains: Sequence[str],
        custom_attributes: Mapping[str, object],
    ) -> None:
        """Create a tenant with this id; ConflictError when the provider already has it."""
        ...

    async def delete_tenant(self, tenant_id: str) -> None:
        """Delete a tenant (not its users)."""
        ...

    async def list_tenants(self) -> list[Tenant]:
        """Every tenant of the project."""
        ...

    async def search_tenants(self, *, ids: Sequence[str]) -> list[Tenant]:
        """The tenants with any of ``ids`` (an unknown id is simply absent); ValueError for no ids."""
        ...

    async def set_tenant_custom_attributes(self, tenant_id: str, custom_attributes: Mapping[str, object]) -> None:
        """Replace the tenant's custom attributes with ``custom_attributes``."""
        ...

    async def load_user(self, user_id: str) -> User:
        """One user by user id; NotFoundError when there is none."""
        ...

    async def find_user_by_login_id(self, login_id: str) -> User | None:
        """The user who signs in with ``login_id``, or None."""
        ...

    async def search_tenant_members(self, tenant_id: str, *, page: int, limit: int) -> tuple[list[User], int]:
        """One page (0-based) of the users of ``tenant_id``, and how many there are in all."""
        ...

    async def search_tenant_users(self, tenant_id: str, *, role: str, statuses: Sequence[str] = ()) -> list[User]:
        """Users of ``tenant_id`` holding ``role`` there, with one of ``statuses`` if given (one page, ≤ 100)."""
        ...

    async def invite_user(self, email: str, *, tenant_id: str, roles: Sequence[str]) -> User:
        """Create a user (login id ``email``, status ``invited``) with ``roles`` in ``tenant_id``; 409 if one exists."""
        ...

    async def add_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        """Add tenant roles (joining the tenant if needed); the user as the provider holds it afterwards."""
        ...

    async def remove_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        """Remove tenant roles (the membership stays); the user afterwards."""
        ...

    async def remove_user_from_tenant(self, user: User, tenant_id: str) -> User:
        """End the user's membership of ``tenant_id`` only; the user afterwards."""
        ...

    async def update_user_custom_attribute(self, user: User, key: str, value: str | int | bool) -> User:
        """Set one custom attribute of the user; the user afterwards."""
        ...

    async def list_role_definitions(self) -> list[RoleDefinition]:
        """The project's roles (roles scoped to one tenant left out)."""
        ...

    async def create_access_key(
        self, name: str, *, tenant_id: str, role_names: Sequence[str], expire_time: int, description: str
    ) -> tuple[AccessKeyRecord, str]:
        """Create a key bound to ``tenant_id`` alone with ``role_names`` there; the key and its cleartext secret."""
        ...

    async def load_access_key(self, key_id: str) -> AccessKeyRecord:
        """One access key by id (consistent); NotFoundError when there is none."""
        ...

    async def search_access_keys(self, tenant_id: str) -> list[AccessKeyRecord]:
        """Keys bound to ``tenant_id``; may trail recent writes (an index)."""
        ...

    async def activate_access_key(self, key_id: str) -> None:
        """Let the key be exchanged for tokens again; NotFoundError when there is none."""
        ...

    async def deactivate_access_key(self, key_id: str) -> None:
        """Stop the key being exchanged for tokens; NotFoundError when there is none."""
        ...

    async def delete_access_key(self, key_id: str) -> None:
        """Delete the key; NotFoundError when there is none."""


# --- stores and usage plans (adapters/dynamodb/, adapters/apigateway.py; fakes in tests/fakes/) -------------------


class ResourceStore(Protocol):
    """The resources of one tenant (adapter: ``adapters.dynamodb.resources.TenantResources``)."""

    tenant_id: str

    async def create(self, *, name: str, description: str, created_by: str) -> Resource:
        """Create a resource whose name is unique in the tenant; ``ConflictError`` (409) when it is not."""
        ...

    async def get(self, resource_id: str) -> Resource:
        """One resource of the tenant; ``NotFoundError`` (404) for any id not in this tenant."""
        ...

    async def list_page(self, *, limit: int = ..., cursor: str | None = None) -> ResourcePage:
        """One page, newest first; ``InvalidRequestError`` (422) for a bad limit or cursor."""
        ...

    async def delete(self, resource_id: str) -> None:
        """Delete a resource and release its name; ``NotFoundError`` (404) when absent."""
        ...


@dataclass(frozen=True)
class Suspension:
    """A member suspended in one tenant: the tenant roles taken away, to be given back on reinstatement."""

    user_id: str
    roles: tuple[str, ...]
    suspended_at: datetime
    suspended_by: str


class SuspensionStore(Protocol):
    """Members suspended in one tenant (adapter: ``adapters.dynamodb.suspensions.SuspendedMembers``)."""

    async def suspend(self, user_id: str, *, roles: tuple[str, ...], suspended_by: str) -> Suspension:
        """Remember the suspension; ``ConflictError`` (409) when already suspended."""
        ...

    async def restore(self, suspension: Suspension) -> None:
        """Write ``suspension`` back as it was (undoing a :meth:`forget`)."""
        ...

    async def get(self, user_id: str) -> Suspension | None:
        """The suspension of ``user_id`` in this tenant, or None."""
        ...

    async def suspended_user_ids(self) -> set[str]:
        """Ids of every member suspended in this tenant."""
        ...

    async def forget(self, user_id: str) -> None:
        """Drop the suspension of ``user_id`` if there is one."""
        ...


class RecentKeyStore(Protocol):
    """Access keys of one tenant changed within a short window (adapter: ``adapters.dynamodb.recent_keys``)."""

    async def remember(self, key_id: str, *, deleted: bool) -> None:
        """Record that ``key_id`` was just created or changed (``deleted=False``) or deleted."""
        ...

    async def recent(self) -> dict[str, bool]:
        """Key id -> whether it was deleted, for every key changed within the window."""
        ...


@dataclass(frozen=True)
class TenantApiKey:
    """A tenant's API Gateway key and the tier whose usage plan holds it.

    ``value`` is the ``usageIdentifierKey`` the authorizer returns: a usage identifier rather than a secret (clients
    cannot present keys when the key source is AUTHORIZER), still never logged.
    """

    key_id: str
    value: str = field(repr=False)
    tier: str


class ApiKeyRecords(Protocol):
    """The tenant -> API key record of one tenant (adapter: ``adapters.dynamodb.api_keys.TenantApiKeyRecords``)."""

    async def get(self) -> TenantApiKey | None:
        """The tenant's key, or None (it then uses the shared default key)."""
        ...

    async def put(self, key: TenantApiKey) -> None:
        """Record ``key`` as the tenant's key."""
        ...

    async def forget(self) -> None:
        """Drop the record: the tenant falls back to the default key."""
        ...


class UsagePlanError(Exception):
    """Raised by a :class:`UsagePlans` call that failed, or for a tier without a usage plan."""


class UsagePlans(Protocol):
    """API Gateway usage plans and API keys (adapter: ``adapters.apigateway.UsagePlanClient``).

    Every method raises :class:`UsagePlanError` when the control plane fails.
    """

    async def plan_id(self, tier: str) -> str:
        """Id of the usage plan of ``tier``."""
        ...

    async def create_key(self, tenant_id: str) -> tuple[str, str]:
        """Create an enabled API key for ``tenant_id``; its id and value."""
        ...

    async def plan_ids_of(self, key_id: str) -> set[str] | None:
        """Ids of the usage plans holding ``key_id``; None when the key no longer exists."""
        ...

    async def attach(self, key_id: str, plan_id: str) -> None:
        """Add the key to a usage plan."""
        ...

    async def detach(self, key_id: str, plan_id: str) -> None:
        """Remove the key from a usage plan."""
        ...

    async def delete_key(self, key_id: str) -> None:
        """Delete the key."""
        ...
