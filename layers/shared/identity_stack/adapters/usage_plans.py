"""Per-tenant API keys in the usage plan of the tenant's tier: the tenant → key mapping and tenant onboarding.

API Gateway counts usage-plan limits per API key, so every tenant gets its own key, attached to the usage plan of
its ``plan_tier`` (AWS SaaS reference solution; aws-serverless-notes §1.1, §2.3). Clients never see the key: the
Lambda authorizer returns it as ``usageIdentifierKey`` (``ApiKeySourceType: AUTHORIZER``), looking it up here.

The mapping is one item of the tenant's partition (``identity_stack.adapters.dynamodb.store`` layout):

===============================  =================================  ==========================================
item                             ``pk``                             ``sk``
===============================  =================================  ==========================================
tenant API key                   ``TENANT#<tenant_id>``             ``USAGEKEY`` (``key_id``, ``key_value``, ``tier``)
===============================  =================================  ==========================================

A tenant without the item uses the shared default key (``DEFAULT_API_KEY_VALUE``, the default usage plan). That is
also the fallback whenever onboarding fails: a failure is logged and never leaves a tenant with a key outside every
usage plan, which API Gateway would refuse (403).
"""

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from identity_stack.adapters.dynamodb.store import TenantPartition
from identity_stack.config import MissingSettingError, get_settings
from identity_stack.errors import ConflictError, UpstreamUnavailableError

if TYPE_CHECKING:
    from botocore.client import BaseClient

__all__ = [
    "PLAN_TIERS",
    "TenantApiKey",
    "TenantApiKeyRecords",
    "TenantUsageKeys",
    "TenantUsagePlans",
    "UsagePlanClient",
    "UsagePlanError",
    "get_apigateway_client",
]

# Custom attribute plan_tier (infra/descope_project.tf); a tenant without one is on the free tier.
PLAN_TIERS = ("free", "pro", "enterprise")
DEFAULT_PLAN_TIER = "free"
USAGE_KEY_SK = "USAGEKEY"
# As long as API Gateway caches an authorizer result (template.yaml ReauthorizeEvery).
USAGE_KEY_CACHE_TTL_S = 300.0
# The control plane is on the request path of tenant creation and tier changes: fail fast, retry a little.
APIGATEWAY_CONNECT_TIMEOUT_S = 1.0
APIGATEWAY_READ_TIMEOUT_S = 3.0
APIGATEWAY_MAX_ATTEMPTS = 3

logger = logging.getLogger(__name__)


class UsagePlanError(Exception):
    """Raised when an API Gateway control-plane call fails or a tier has no usage plan."""


class _KeyGoneError(Exception):
    """Raised when a tenant's recorded API key no longer exists in API Gateway."""


@dataclass(frozen=True)
class TenantApiKey:
    """A tenant's API key and the tier whose usage plan holds it.

    Attributes
    ----------
    key_id : str
        API Gateway key id.
    value : str
        The key value, the ``usageIdentifierKey`` the authorizer returns. A usage identifier rather than a secret
        (clients cannot present keys when the key source is AUTHORIZER), still never logged.
    tier : str
        One of ``PLAN_TIERS``.
    """

    key_id: str
    value: str = field(repr=False)
    tier: str


@cache
def get_apigateway_client() -> "BaseClient":
    """Return the container's API Gateway (control plane) client, built on first use.

    Environment variables
    ---------------------
    AWS_ENDPOINT_URL
        Read by boto3 itself; the local stack points it at moto's server.
    """
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=APIGATEWAY_CONNECT_TIMEOUT_S,
        read_timeout=APIGATEWAY_READ_TIMEOUT_S,
        retries={"mode": "standard", "total_max_attempts": APIGATEWAY_MAX_ATTEMPTS},
    )
    return boto3.client("apigateway", config=config)


class TenantApiKeyRecords(TenantPartition):
    """The tenant → API key item of one tenant (parameters as for ``TenantPartition``)."""

    async def get(self) -> TenantApiKey | None:
        """The tenant's key, or None when it has none (it then uses the default key).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out.
        """
        reply = await self._call("get_item", TableName=self._table, Key=self._key(), ConsistentRead=True)
        item = reply.get("Item")
        if item is None:
            return None
        return TenantApiKey(key_id=item["key_id"]["S"], value=item["key_value"]["S"], tier=item["tier"]["S"])

    async def put(self, key: TenantApiKey) -> None:
        """Record ``key`` as the tenant's key.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out.
        """
        updated_at = datetime.fromtimestamp(self._clock_ns() / 1e9, tz=UTC).isoformat()
        item = {
            **self._key(),
            "key_id": {"S": key.key_id},
            "key_value": {"S": key.value},
            "tier": {"S": key.tier},
            "updated_at": {"S": updated_at},
        }
        await self._call("put_item", TableName=self._table, Item=item)

    async def forget(self) -> None:
        """Drop the item: the tenant falls back to the default key.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out.
        """
        await self._call("delete_item", TableName=self._table, Key=self._key())

    def _key(self) -> dict[str, dict[str, str]]:
        return {"pk": {"S": self._pk}, "sk": {"S": USAGE_KEY_SK}}


class UsagePlanClient:
    """The API Gateway control-plane calls onboarding makes, run off the event loop.

    Plans are found by name (``USAGE_PLAN_NAMES``), which is stable across deployments and identical locally,
    where moto assigns its own ids.

    Parameters
    ----------
    plan_names : Mapping[str, str]
        Usage plan name by tier.
    client : BaseClient, optional
        boto3 ``apigateway`` client; defaults to the container's (:func:`get_apigateway_client`).
    """

    def __init__(self, plan_names: Mapping[str, str], *, client: "BaseClient | None" = None) -> None:
        self._plan_names = dict(plan_names)
        self._client = client if client is not None else get_apigateway_client()
        self._plan_ids: dict[str, str] = {}

    async def plan_id(self, tier: str) -> str:
        """Id of the usage plan of ``tier`` (looked up once per client).

        Raises
        ------
        UsagePlanError
            Unknown tier, no plan of that name, or the lookup failed.
        """
        name = self._plan_names.get(tier)
        if name is None:
            raise UsagePlanError(f"no usage plan is configured for tier {tier!r}")
        if name not in self._plan_ids:
            plans = await self._call(_all_usage_plans, self._client)
            self._plan_ids |= {
                plan["name"]: plan["id"] for plan in plans if plan.get("name") in self._plan_names.values()
            }
        if name not in self._plan_ids:
            raise UsagePlanError(f"usage plan {name!r} does not exist")
        return self._plan_ids[name]

    async def create_key(self, tenant_id: str) -> tuple[str, str]:
        """Create an enabled API key for ``tenant_id``; returns its id and value.

        Raises
        ------
        UsagePlanError
        """
        reply = await self._call(
            self._client.create_api_key,
            name=f"tenant-{tenant_id}",
            description=f"Usage identifier of tenant {tenant_id} (identity_stack.adapters.usage_plans)",
            enabled=True,
            customerId=tenant_id,
        )
        return reply["id"], reply["value"]

    async def plan_ids_of(self, key_id: str) -> set[str] | None:
        """Ids of the usage plans holding ``key_id``; None when the key no longer exists.

        Raises
        ------
        UsagePlanError
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            await asyncio.to_thread(self._client.get_api_key, apiKey=key_id)
            plans = await asyncio.to_thread(_all_usage_plans, self._client, keyId=key_id)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NotFoundException":
                return None
            raise UsagePlanError(f"listing the usage plans of key {key_id} failed") from exc
        except BotoCoreError as exc:
            raise UsagePlanError(f"listing the usage plans of key {key_id} failed") from exc
        return {plan["id"] for plan in plans}

    async def attach(self, key_id: str, plan_id: str) -> None:
        """Add the key to a usage plan. Raises ``UsagePlanError``."""
        await self._call(self._client.create_usage_plan_key, usagePlanId=plan_id, keyId=key_id, keyType="API_KEY")

    async def detach(self, key_id: str, plan_id: str) -> None:
        """Remove the key from a usage plan. Raises ``UsagePlanError``."""
        await self._call(self._client.delete_usage_plan_key, usagePlanId=plan_id, keyId=key_id)

    async def delete_key(self, key_id: str) -> None:
        """Delete the key. Raises ``UsagePlanError``."""
        await self._call(self._client.delete_api_key, apiKey=key_id)

    @staticmethod
    async def _call(operation: Callable[..., Any], *args: Any, **params: Any) -> Any:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(operation, *args, **params)
        except (BotoCoreError, ClientError) as exc:
            raise UsagePlanError(f"API Gateway {getattr(operation, '__name__', 'call')} failed") from exc


def _all_usage_plans(client: "BaseClient", **filters: str) -> list[dict[str, Any]]:
    pages = client.get_paginator("get_usage_plans").paginate(**filters)
    return [plan for page in pages for plan in page.get("items", [])]


class TenantUsagePlans:
    """Onboarding of one tenant: its own API key, in the usage plan of its tier.

    Parameters
    ----------
    tenant_id : str
        Opaque tenant id.
    records : TenantApiKeyRecords, optional
        Defaults to the tenant's item in ``TABLE_NAME``.
    plans : UsagePlanClient, optional
        Defaults to a client over ``USAGE_PLAN_NAMES``.

    Example
    -------
    >>> await TenantUsagePlans("T2abc").assign("pro")
    """

    def __init__(
        self, tenant_id: str, *, records: TenantApiKeyRecords | None = None, plans: UsagePlanClient | None = None
    ) -> None:
        self.tenant_id = tenant_id
        self._records = records
        self._plans = plans

    async def assign(self, tier: str) -> TenantApiKey | None:
        """Make the tenant's key sit in the usage plan of ``tier``: create it, or move it from its old plan.

        Idempotent, so it also reconciles a tenant whose key is missing, deleted or in the wrong plan.

        Parameters
        ----------
        tier : str
            One of ``PLAN_TIERS``; anything else counts as the free tier.

        Returns
        -------
        TenantApiKey or None
            The tenant's key, or None when it is left on the shared default key.

        Notes
        -----
        Never raises: rate limits must not fail tenant creation or a tier change. On any failure the tenant keeps a
        key inside a usage plan (its old one) or falls back to the default key, and the failure is logged; running
        the assignment again (``python -m local.aws reconcile-keys`` locally) repairs it.
        """
        tier = tier if tier in PLAN_TIERS else DEFAULT_PLAN_TIER
        try:
            records, plans = self._dependencies()
        except MissingSettingError as exc:
            logger.warning(
                "tenant %s stays on the default API key: rate limits not configured (%s)", self.tenant_id, exc
            )
            return None
        try:
            target = await plans.plan_id(tier)
            current = await records.get()
        except (UsagePlanError, UpstreamUnavailableError, ConflictError):
            logger.exception(
                "tenant %s: usage plan of tier %s not assigned; its key is unchanged", self.tenant_id, tier
            )
            return None
        if current is not None:
            try:
                return await self._move(records, plans, current, target, tier)
            except _KeyGoneError:
                logger.warning(
                    "tenant %s: its API key %s no longer exists; creating one", self.tenant_id, current.key_id
                )
        return await self._create(records, plans, target, tier)

    async def _move(
        self, records: TenantApiKeyRecords, plans: UsagePlanClient, current: TenantApiKey, target: str, tier: str
    ) -> TenantApiKey | None:
        """The existing key moved to ``target``; None when the tenant fell back to the default key.

        Raises
        ------
        _KeyGoneError
            The recorded key no longer exists.
        """
        try:
            held = await plans.plan_ids_of(current.key_id)
        except UsagePlanError:
            logger.exception("tenant %s: usage plans of its key unreadable; key unchanged", self.tenant_id)
            return current
        if held is None:
            raise _KeyGoneError
        # API Gateway refuses a key in two plans of one stage, so the old plan is left before the new one is joined.
        try:
            for plan_id in held - {target}:
                await plans.detach(current.key_id, plan_id)
            if target not in held:
                await plans.attach(current.key_id, target)
        except UsagePlanError:
            logger.exception("tenant %s: moving its key to tier %s failed", self.tenant_id, tier)
            return await self._restore(records, plans, current, held)
        moved = replace(current, tier=tier)
        try:
            await records.put(moved)
        except (UpstreamUnavailableError, ConflictError):
            # The key itself is where it belongs; only the recorded tier is stale, which nothing reads for limits.
            logger.exception(
                "tenant %s: key moved to tier %s but the record kept tier %s", self.tenant_id, tier, current.tier
            )
        return moved

    async def _restore(
        self, records: TenantApiKeyRecords, plans: UsagePlanClient, current: TenantApiKey, held: set[str]
    ) -> TenantApiKey | None:
        try:
            for plan_id in held - (await plans.plan_ids_of(current.key_id) or set()):
                await plans.attach(current.key_id, plan_id)
            logger.warning("tenant %s keeps its key in its old usage plan (tier %s)", self.tenant_id, current.tier)
            return current
        except UsagePlanError:
            logger.exception("tenant %s: its key could not be put back in its old usage plan", self.tenant_id)
        try:
            await records.forget()
            logger.error("tenant %s falls back to the default API key", self.tenant_id)
        except (UpstreamUnavailableError, ConflictError):
            logger.exception("tenant %s: key outside every usage plan and its record not removed", self.tenant_id)
        return None

    async def _create(
        self, records: TenantApiKeyRecords, plans: UsagePlanClient, target: str, tier: str
    ) -> TenantApiKey | None:
        try:
            key_id, value = await plans.create_key(self.tenant_id)
        except UsagePlanError:
            logger.exception("tenant %s: API key not created; it uses the default API key", self.tenant_id)
            return None
        key = TenantApiKey(key_id=key_id, value=value, tier=tier)
        try:
            await plans.attach(key_id, target)
            await records.put(key)
        except (UsagePlanError, UpstreamUnavailableError, ConflictError):
            logger.exception("tenant %s: API key not recorded; it uses the default API key", self.tenant_id)
            try:
                await plans.delete_key(key_id)
            except UsagePlanError:
                logger.exception("tenant %s: unused API key %s left behind", self.tenant_id, key_id)
            return None
        logger.info("tenant %s: API key %s in the usage plan of tier %s", self.tenant_id, key_id, tier)
        return key

    def _dependencies(self) -> tuple[TenantApiKeyRecords, UsagePlanClient]:
        settings = get_settings()
        if self._plans is None:
            settings.require("usage_plan_names")
            self._plans = UsagePlanClient(settings.usage_plan_names)
        if self._records is None:
            self._records = TenantApiKeyRecords(self.tenant_id)
        return self._records, self._plans


class TenantUsageKeys:
    """The authorizer's view: the usage identifier key of a tenant, cached per container.

    Parameters
    ----------
    default_key : str
        Value of the shared default key (``DEFAULT_API_KEY_VALUE``), for callers without a tenant key.
    ttl_s : float
        How long a looked-up key (or its absence) is reused.
    records_for : Callable[[str], TenantApiKeyRecords], optional
        Builds the mapping repository of a tenant; injected by tests.
    clock : Callable[[], float], optional
        Monotonic seconds; injected by tests.
    """

    def __init__(
        self,
        default_key: str,
        *,
        ttl_s: float = USAGE_KEY_CACHE_TTL_S,
        records_for: Callable[[str], TenantApiKeyRecords] = TenantApiKeyRecords,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.default_key = default_key
        self._ttl_s = ttl_s
        self._records_for = records_for
        self._clock = clock
        self._cache: dict[str, tuple[float, str]] = {}

    async def key_for(self, tenant_id: str | None) -> str:
        """The key whose usage plan counts a request of ``tenant_id``'s caller.

        Returns
        -------
        str
            The tenant's key; the default key when there is no tenant, it has no key, or the lookup failed (logged,
            not cached, so the next request tries again).
        """
        if not tenant_id:
            return self.default_key
        now = self._clock()
        cached = self._cache.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            record = await self._records_for(tenant_id).get()
        except UpstreamUnavailableError:
            logger.exception("tenant %s: API key lookup failed; using the default key", tenant_id)
            return self.default_key
        key = record.value if record is not None else self.default_key
        self._cache[tenant_id] = (now + self._ttl_s, key)
        return key
