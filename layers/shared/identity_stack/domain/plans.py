"""Plan tiers and the usage-plan saga: every tenant's own API key sits in the usage plan of its tier.

API Gateway counts usage-plan limits per API key, so each tenant gets its own key in the plan of its ``plan_tier``
custom attribute (the AWS SaaS pattern of per-tenant usage plans:
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html). Clients never see
the key: the Lambda authorizer returns it as ``usageIdentifierKey`` (``ApiKeySourceType: AUTHORIZER``).

A tenant without a key uses the shared default key, in the default plan. That is also where every failure of the
saga leaves a tenant: never with a recorded key outside every usage plan, which API Gateway would refuse (403).
"""

import logging
from dataclasses import replace
from typing import Final, Literal, get_args

from identity_stack.domain.ports import ApiKeyRecords, TenantApiKey, UsagePlanError, UsagePlans
from identity_stack.errors import ConflictError, UpstreamUnavailableError

__all__ = ["DEFAULT_PLAN_TIER", "PLAN_TIERS", "PlanTier", "TenantUsagePlans", "plan_tier_or_default"]

# The tenant custom attribute plan_tier (infra/descope_project.tf) and its values; one usage plan each (template.yaml).
PlanTier = Literal["free", "pro", "enterprise"]
PLAN_TIERS: Final[tuple[PlanTier, ...]] = get_args(PlanTier)
# New tenants, and tenants without the attribute.
DEFAULT_PLAN_TIER: Final[PlanTier] = "free"

# The saga tolerates these from the record port (UpstreamUnavailableError: the store is down; ConflictError: a
# condition failed) and UsagePlanError from the usage-plan port.
_RECORD_FAULTS = (UpstreamUnavailableError, ConflictError)

logger = logging.getLogger(__name__)


def plan_tier_or_default(value: object) -> PlanTier:
    """``value`` when it names a tier, else :data:`DEFAULT_PLAN_TIER`."""
    for tier in PLAN_TIERS:
        if value == tier:
            return tier
    return DEFAULT_PLAN_TIER


class _KeyGoneError(Exception):
    """Raised when a tenant's recorded API key no longer exists in API Gateway."""


class TenantUsagePlans:
    """Onboarding of one tenant: its own API key, in the usage plan of its tier.

    Parameters
    ----------
    tenant_id : str
        Opaque tenant id.
    records : ApiKeyRecords
        The tenant's API-key record.
    plans : UsagePlans
        The usage plans and API keys.

    Example
    -------
    >>> await TenantUsagePlans("T2abc", records=records, plans=plans).assign("pro")
    """

    def __init__(self, tenant_id: str, *, records: ApiKeyRecords, plans: UsagePlans) -> None:
        self.tenant_id = tenant_id
        self._records = records
        self._plans = plans

    async def assign(self, tier: str) -> TenantApiKey | None:
        """Make the tenant's key sit in the usage plan of ``tier``: create it, or move it from its old plan.

        Idempotent, so it also reconciles a tenant whose key is missing, deleted or in the wrong plan.

        Parameters
        ----------
        tier : str
            One of ``PLAN_TIERS``; anything else counts as the default tier.

        Returns
        -------
        TenantApiKey or None
            The tenant's key, or None when it is left on the shared default key.

        Notes
        -----
        Never raises for a fault of either port: rate limits must not fail tenant creation or a tier change. On any
        failure the tenant keeps a key inside a usage plan (its old one) or falls back to the default key, and the
        failure is logged; running the assignment again (``python -m local.aws reconcile-keys`` locally) repairs it.
        """
        target_tier = plan_tier_or_default(tier)
        try:
            target = await self._plans.plan_id(target_tier)
            current = await self._records.get()
        except (UsagePlanError, *_RECORD_FAULTS):
            logger.exception(
                "tenant %s: usage plan of tier %s not assigned; its key is unchanged", self.tenant_id, target_tier
            )
            return None
        if current is not None:
            try:
                return await self._move(current, target, target_tier)
            except _KeyGoneError:
                logger.warning(
                    "tenant %s: its API key %s no longer exists; creating one", self.tenant_id, current.key_id
                )
        return await self._create(target, target_tier)

    async def _move(self, current: TenantApiKey, target: str, tier: PlanTier) -> TenantApiKey | None:
        """The existing key moved to ``target``; None when the tenant fell back to the default key.

        Raises
        ------
        _KeyGoneError
            The recorded key no longer exists.
        """
        try:
            held = await self._plans.plan_ids_of(current.key_id)
        except UsagePlanError:
            logger.exception("tenant %s: usage plans of its key unreadable; key unchanged", self.tenant_id)
            return current
        if held is None:
            raise _KeyGoneError
        # API Gateway refuses a key in two plans of one stage, so the old plan is left before the new one is joined.
        try:
            for plan_id in held - {target}:
                await self._plans.detach(current.key_id, plan_id)
            if target not in held:
                await self._plans.attach(current.key_id, target)
        except UsagePlanError:
            logger.exception("tenant %s: moving its key to tier %s failed", self.tenant_id, tier)
            return await self._restore(current, held)
        moved = replace(current, tier=tier)
        try:
            await self._records.put(moved)
        except _RECORD_FAULTS:
            # The key itself is where it belongs; only the recorded tier is stale, which nothing reads for limits.
            logger.exception(
                "tenant %s: key moved to tier %s but the record kept tier %s", self.tenant_id, tier, current.tier
            )
        return moved

    async def _restore(self, current: TenantApiKey, held: set[str]) -> TenantApiKey | None:
        """Put the key back in the plans it ``held``; failing that, forget the record (the default key applies)."""
        try:
            for plan_id in held - (await self._plans.plan_ids_of(current.key_id) or set()):
                await self._plans.attach(current.key_id, plan_id)
            logger.warning("tenant %s keeps its key in its old usage plan (tier %s)", self.tenant_id, current.tier)
            return current
        except UsagePlanError:
            logger.exception("tenant %s: its key could not be put back in its old usage plan", self.tenant_id)
        try:
            await self._records.forget()
            logger.error("tenant %s falls back to the default API key", self.tenant_id)
        except _RECORD_FAULTS:
            logger.exception("tenant %s: key outside every usage plan and its record not removed", self.tenant_id)
        return None

    async def _create(self, target: str, tier: PlanTier) -> TenantApiKey | None:
        """A new key in ``target`` and its record; on failure no record and no key left behind."""
        try:
            key_id, value = await self._plans.create_key(self.tenant_id)
        except UsagePlanError:
            logger.exception("tenant %s: API key not created; it uses the default API key", self.tenant_id)
            return None
        key = TenantApiKey(key_id=key_id, value=value, tier=tier)
        try:
            await self._plans.attach(key_id, target)
            await self._records.put(key)
        except (UsagePlanError, *_RECORD_FAULTS):
            logger.exception("tenant %s: API key not recorded; it uses the default API key", self.tenant_id)
            try:
                await self._plans.delete_key(key_id)
            except UsagePlanError:
                logger.exception("tenant %s: unused API key %s left behind", self.tenant_id, key_id)
            return None
        logger.info("tenant %s: API key %s in the usage plan of tier %s", self.tenant_id, key_id, tier)
        return key
