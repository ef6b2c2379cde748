"""The ports the domain rules are written against (``typing.Protocol``: adapters and test fakes match by shape)."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from identity_stack.domain.models import Resource, ResourcePage

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
