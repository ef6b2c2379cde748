"""Rate limits wired to AWS: the plan saga over the DynamoDB record and API Gateway, and the authorizer's key cache."""

import logging
import time
from collections.abc import Callable

from identity_stack.adapters.apigateway import UsagePlanClient
from identity_stack.adapters.dynamodb.api_keys import TenantApiKeyRecords
from identity_stack.config import MissingSettingError, Requirement, get_settings
from identity_stack.domain.plans import TenantUsagePlans
from identity_stack.domain.ports import ApiKeyRecords, TenantApiKey
from identity_stack.errors import UpstreamUnavailableError

__all__ = ["USAGE_KEY_CACHE_TTL_S", "TenantUsageKeys", "assign_usage_plan"]

# As long as API Gateway caches an authorizer result (template.yaml ReauthorizeEvery).
USAGE_KEY_CACHE_TTL_S = 300.0

logger = logging.getLogger(__name__)


async def assign_usage_plan(tenant_id: str, tier: str) -> TenantApiKey | None:
    """Put ``tenant_id``'s API key in the usage plan of ``tier`` (:meth:`TenantUsagePlans.assign`).

    Uses ``USAGE_PLAN_NAMES`` and ``TABLE_NAME``; when either is unset the tenant stays on the default key, which is
    logged, because rate limits must never fail tenant creation or a tier change.

    Returns
    -------
    TenantApiKey or None
        The tenant's key; None when it is left on the shared default key. Never raises for AWS faults.
    """
    try:
        settings = get_settings()
        settings.require_for(Requirement.USAGE_PLANS)
        plans = UsagePlanClient(settings.rate_limits.usage_plan_names)
        records = TenantApiKeyRecords(tenant_id)
    except MissingSettingError as exc:
        logger.warning("tenant %s stays on the default API key: rate limits not configured (%s)", tenant_id, exc)
        return None
    return await TenantUsagePlans(tenant_id, records=records, plans=plans).assign(tier)


class TenantUsageKeys:
    """The authorizer's view: the usage identifier key of a tenant, cached per container.

    Parameters
    ----------
    default_key : str
        Value of the shared default key (``DEFAULT_API_KEY_VALUE``), for callers without a tenant key.
    ttl_s : float
        How long a looked-up key (or its absence) is reused, in seconds.
    records_for : Callable[[str], ApiKeyRecords], optional
        Builds the API-key record of a tenant; defaults to the DynamoDB item (``TABLE_NAME``).
    clock : Callable[[], float], optional
        Monotonic seconds; injected by tests.
    """

    def __init__(
        self,
        default_key: str,
        *,
        ttl_s: float = USAGE_KEY_CACHE_TTL_S,
        records_for: Callable[[str], ApiKeyRecords] = TenantApiKeyRecords,
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
