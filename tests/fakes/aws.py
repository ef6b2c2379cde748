"""In-memory fakes of the store and usage-plan ports of identity_stack.domain.ports: resources, API-key records,
usage plans. Each keeps the rules its adapter enforces (a name unique per tenant, a key in at most the plans it was
attached to, ...) and can be told to fail an operation, as DynamoDB or API Gateway would."""

import itertools
import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from http import HTTPStatus

from identity_stack.domain.models import Resource, ResourcePage
from identity_stack.domain.pagination import decode_cursor, encode_cursor
from identity_stack.domain.ports import TenantApiKey, UsagePlanError
from identity_stack.domain.validators import name_key
from identity_stack.errors import ConflictError, InvalidRequestError, NotFoundError, UpstreamUnavailableError

FAKE_PAGE_SIZE = 20
FAKE_MAX_PAGE_SIZE = 100
# Creation order across every fake, as UUIDv7 timestamps give the real ids.
_CREATION_ORDER = itertools.count(1)


class Faults:
    """Operations told to fail: ``fail("attach", times=1)``; ``check("attach")`` raises while failures remain."""

    def __init__(self, error: type[Exception]) -> None:
        self._error = error
        self._left: dict[str, int] = {}
        self.calls: list[str] = []

    def fail(self, operation: str, *, times: int = 1_000) -> None:
        """Make the next ``times`` calls of ``operation`` fail."""
        self._left[operation] = times

    def check(self, operation: str) -> None:
        """Record the call; raise the port's error when ``operation`` is told to fail."""
        self.calls.append(operation)
        if self._left.get(operation, 0) > 0:
            self._left[operation] -= 1
            raise self._error(f"{operation} refused")


class FakeResources:
    """The ResourceStore port in memory, for one tenant (ids are UUIDv7 whose order is creation order)."""

    def __init__(self, tenant_id: str, *, shared: dict[str, dict[str, Resource]] | None = None) -> None:
        if not tenant_id:
            raise ValueError("a tenant id is required to address tenant data")
        self.tenant_id = tenant_id
        # Every tenant's resources, by tenant id: pass one dict to several fakes to model one table.
        self._all = shared if shared is not None else {}
        self._mine = self._all.setdefault(tenant_id, {})
        self.faults = Faults(UpstreamUnavailableError)

    async def create(self, *, name: str, description: str, created_by: str) -> Resource:
        self.faults.check("create")
        if any(name_key(existing.name) == name_key(name) for existing in self._mine.values()):
            raise ConflictError(detail="A resource with this name already exists in the tenant.")
        resource = Resource(
            id=str(uuid.UUID(int=next(_CREATION_ORDER) << 80 | 0x7 << 76 | 0b10 << 62 | secrets.randbits(62))),
            tenant_id=self.tenant_id,
            name=name,
            description=description,
            created_at=datetime.now(UTC),
            created_by=created_by,
        )
        self._mine[resource.id] = resource
        return resource

    async def get(self, resource_id: str) -> Resource:
        self.faults.check("get")
        if resource_id not in self._mine:
            raise NotFoundError(detail="No such resource in this tenant.")
        return self._mine[resource_id]

    async def list_page(self, *, limit: int = FAKE_PAGE_SIZE, cursor: str | None = None) -> ResourcePage:
        self.faults.check("list_page")
        if not 1 <= limit <= FAKE_MAX_PAGE_SIZE:
            raise InvalidRequestError(f"limit must be between 1 and {FAKE_MAX_PAGE_SIZE}.", status=422)
        newest_first = sorted(self._mine.values(), key=lambda resource: resource.id, reverse=True)
        if cursor is not None:
            after = decode_cursor(cursor, _after)
            newest_first = [resource for resource in newest_first if resource.id < after]
        page = newest_first[:limit]
        more = len(newest_first) > limit
        return ResourcePage(items=page, next_cursor=encode_cursor({"after": page[-1].id}) if more else None)

    async def delete(self, resource_id: str) -> None:
        await self.get(resource_id)
        self.faults.check("delete")
        del self._mine[resource_id]


def _after(position: Mapping[str, object]) -> str:
    after = position["after"]
    if not isinstance(after, str):
        raise TypeError("not a resource id")
    return after


class FakeApiKeyRecords:
    """The ApiKeyRecords port in memory: ``key`` is the tenant's record (None: the default key applies)."""

    def __init__(self, key: TenantApiKey | None = None) -> None:
        self.key = key
        self.reads = 0
        self.faults = Faults(UpstreamUnavailableError)

    async def get(self) -> TenantApiKey | None:
        self.faults.check("get")
        self.reads += 1
        return self.key

    async def put(self, key: TenantApiKey) -> None:
        self.faults.check("put")
        self.key = key

    async def forget(self) -> None:
        self.faults.check("forget")
        self.key = None


class FakeUsagePlans:
    """The UsagePlans port in memory: one plan per tier, API keys, and which plans hold each key.

    Like API Gateway, a key may not be attached to a plan that already holds it, and a deleted key leaves every plan.
    """

    def __init__(self, tiers: tuple[str, ...] = ("free", "pro", "enterprise")) -> None:
        self.plan_ids: dict[str, str] = {tier: f"plan-{tier}" for tier in tiers}
        self.keys: dict[str, str] = {}  # key id -> tenant id
        self.members: dict[str, set[str]] = {}  # key id -> plan ids
        self.faults = Faults(UsagePlanError)
        self._sequence = 0

    def snapshot(self) -> dict[str, frozenset[str]]:
        """Key id -> the plans holding it: what a test compares before and after."""
        return {key_id: frozenset(self.members[key_id]) for key_id in self.keys}

    async def plan_id(self, tier: str) -> str:
        self.faults.check("plan_id")
        if tier not in self.plan_ids:
            raise UsagePlanError(f"no usage plan is configured for tier {tier!r}")
        return self.plan_ids[tier]

    async def create_key(self, tenant_id: str) -> tuple[str, str]:
        self.faults.check("create_key")
        self._sequence += 1
        key_id = f"key{self._sequence:04d}"
        self.keys[key_id] = tenant_id
        self.members[key_id] = set()
        return key_id, f"value-of-{key_id}-for-{tenant_id}"

    async def plan_ids_of(self, key_id: str) -> set[str] | None:
        self.faults.check("plan_ids_of")
        return set(self.members[key_id]) if key_id in self.keys else None

    async def attach(self, key_id: str, plan_id: str) -> None:
        self.faults.check("attach")
        if key_id not in self.keys or plan_id in self.members[key_id]:
            raise UsagePlanError(f"attach refused ({HTTPStatus.CONFLICT})")
        self.members[key_id].add(plan_id)

    async def detach(self, key_id: str, plan_id: str) -> None:
        self.faults.check("detach")
        self.members[key_id].discard(plan_id)

    async def delete_key(self, key_id: str) -> None:
        self.faults.check("delete_key")
        self.keys.pop(key_id, None)
        self.members.pop(key_id, None)
