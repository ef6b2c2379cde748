"""identity_stack.domain.plans on in-memory fakes: tiers, the usage-plan saga and its compensation, and the
authorizer's key cache (identity_stack.adapters.rate_limits.TenantUsageKeys) over the records port."""

from typing import get_args

import pytest

from identity_stack.adapters.rate_limits import TenantUsageKeys
from identity_stack.domain.plans import DEFAULT_PLAN_TIER, PLAN_TIERS, PlanTier, TenantUsagePlans, plan_tier_or_default
from identity_stack.domain.ports import ApiKeyRecords, TenantApiKey, UsagePlans
from tests.fakes.aws import FakeApiKeyRecords, FakeUsagePlans

TENANT = "T2planTenant"


@pytest.fixture
def records() -> FakeApiKeyRecords:
    return FakeApiKeyRecords()


@pytest.fixture
def plans() -> FakeUsagePlans:
    return FakeUsagePlans()


def saga(records: ApiKeyRecords, plans: UsagePlans) -> TenantUsagePlans:
    return TenantUsagePlans(TENANT, records=records, plans=plans)


async def onboarded(records: FakeApiKeyRecords, plans: FakeUsagePlans, tier: str = "free") -> TenantApiKey:
    key = await saga(records, plans).assign(tier)
    assert key is not None
    return key


def test_plan_tiers_are_the_literal_values_with_free_as_default() -> None:
    assert PLAN_TIERS == get_args(PlanTier) == ("free", "pro", "enterprise")
    assert DEFAULT_PLAN_TIER == "free"


@pytest.mark.parametrize(
    ("value", "tier"),
    [("pro", "pro"), ("enterprise", "enterprise"), ("Pro", "free"), ("platinum", "free"), (None, "free"), (1, "free")],
)
def test_plan_tier_or_default_keeps_only_known_tiers(value: object, tier: str) -> None:
    assert plan_tier_or_default(value) == tier


async def test_assign_new_tenant_creates_one_key_in_the_tier_plan_and_records_it(
    records: FakeApiKeyRecords, plans: FakeUsagePlans
) -> None:
    key = await onboarded(records, plans, "pro")

    assert records.key == key
    assert key.tier == "pro"
    assert plans.snapshot() == {key.key_id: frozenset({"plan-pro"})}
    assert plans.keys[key.key_id] == TENANT


@pytest.mark.parametrize(("first", "then"), [("free", "enterprise"), ("enterprise", "pro"), ("pro", "free")])
async def test_assign_tier_change_moves_the_same_key_to_the_new_plan_only(
    records: FakeApiKeyRecords, plans: FakeUsagePlans, first: str, then: str
) -> None:
    created = await onboarded(records, plans, first)

    moved = await saga(records, plans).assign(then)

    assert moved == TenantApiKey(created.key_id, created.value, then)
    assert records.key == moved
    assert plans.snapshot() == {created.key_id: frozenset({f"plan-{then}"})}


async def test_assign_same_tier_again_changes_nothing(records: FakeApiKeyRecords, plans: FakeUsagePlans) -> None:
    created = await onboarded(records, plans, "pro")
    before = plans.snapshot()

    again = await saga(records, plans).assign("pro")

    assert again == created
    assert plans.snapshot() == before
    assert "attach" not in plans.faults.calls[plans.faults.calls.index("plan_ids_of") :]


async def test_assign_unknown_tier_counts_as_default(records: FakeApiKeyRecords, plans: FakeUsagePlans) -> None:
    key = await onboarded(records, plans, "platinum")
    assert key.tier == DEFAULT_PLAN_TIER
    assert plans.snapshot() == {key.key_id: frozenset({"plan-free"})}


async def test_assign_recorded_key_gone_gets_a_new_key(records: FakeApiKeyRecords, plans: FakeUsagePlans) -> None:
    old = await onboarded(records, plans, "pro")
    await plans.delete_key(old.key_id)

    new = await onboarded(records, plans, "pro")

    assert new.key_id != old.key_id
    assert records.key == new
    assert plans.snapshot() == {new.key_id: frozenset({"plan-pro"})}


@pytest.mark.parametrize("step", ["plan_id", "create_key", "attach"])
async def test_assign_new_tenant_step_failing_leaves_no_key_and_no_record(
    records: FakeApiKeyRecords, plans: FakeUsagePlans, step: str
) -> None:
    plans.faults.fail(step)

    assert await saga(records, plans).assign("pro") is None
    assert records.key is None
    assert plans.snapshot() == {}


@pytest.mark.parametrize("step", ["get", "put"])
async def test_assign_new_tenant_record_failing_leaves_no_key_and_no_record(
    records: FakeApiKeyRecords, plans: FakeUsagePlans, step: str
) -> None:
    records.faults.fail(step)

    assert await saga(records, plans).assign("free") is None
    assert records.key is None
    assert plans.snapshot() == {}


async def test_assign_new_tenant_cleanup_failing_too_leaves_no_record(
    records: FakeApiKeyRecords, plans: FakeUsagePlans
) -> None:
    records.faults.fail("put")
    plans.faults.fail("delete_key")

    assert await saga(records, plans).assign("free") is None
    # The unused key stays (logged), but unrecorded it counts no one: the tenant is on the default key.
    assert records.key is None
    assert list(plans.snapshot().values()) == [frozenset({"plan-free"})]


@pytest.mark.parametrize(
    ("port", "step"),
    [
        ("plans", "plan_id"),
        ("records", "get"),
        ("plans", "plan_ids_of"),
        ("plans", "detach"),
        ("plans", "attach"),
    ],
)
async def test_assign_move_step_failing_once_leaves_key_and_record_as_before(
    records: FakeApiKeyRecords, plans: FakeUsagePlans, port: str, step: str
) -> None:
    created = await onboarded(records, plans, "free")
    before = plans.snapshot()
    (records if port == "records" else plans).faults.fail(step, times=1)

    result = await saga(records, plans).assign("enterprise")

    assert result in (None, created)
    assert records.key == created
    assert plans.snapshot() == before


async def test_assign_move_key_stranded_outside_every_plan_falls_back_to_default_key(
    records: FakeApiKeyRecords, plans: FakeUsagePlans
) -> None:
    created = await onboarded(records, plans, "free")
    plans.faults.fail("attach")

    assert await saga(records, plans).assign("pro") is None
    # Without a record the authorizer names the default key, which sits in the default plan.
    assert records.key is None
    assert plans.snapshot() == {created.key_id: frozenset()}


async def test_assign_move_record_write_failing_keeps_the_moved_key(
    records: FakeApiKeyRecords, plans: FakeUsagePlans
) -> None:
    created = await onboarded(records, plans, "free")
    records.faults.fail("put")

    moved = await saga(records, plans).assign("pro")

    # The key is where it belongs; only the recorded tier is stale, and nothing reads it for limits.
    assert moved == TenantApiKey(created.key_id, created.value, "pro")
    assert plans.snapshot() == {created.key_id: frozenset({"plan-pro"})}
    assert records.key == created


async def test_assign_move_everything_failing_keeps_the_record_and_plans(
    records: FakeApiKeyRecords, plans: FakeUsagePlans
) -> None:
    created = await onboarded(records, plans, "free")
    before = plans.snapshot()
    for step in ("detach", "attach", "plan_ids_of", "create_key", "delete_key"):
        plans.faults.fail(step)
    records.faults.fail("put")
    records.faults.fail("forget")

    assert await saga(records, plans).assign("pro") == created
    assert records.key == created
    assert plans.snapshot() == before


def usage_keys(records: FakeApiKeyRecords, now: list[float], ttl_s: float = 300.0) -> TenantUsageKeys:
    return TenantUsageKeys("default-key", ttl_s=ttl_s, records_for=lambda tenant: records, clock=lambda: now[0])


async def test_usage_keys_cache_the_tenant_key_until_the_ttl_passes() -> None:
    records = FakeApiKeyRecords(TenantApiKey("key01", "tenant-key", "pro"))
    now = [0.0]
    keys = usage_keys(records, now)

    answers = [await keys.key_for(TENANT) for _ in range(3)]
    now[0] = 299.9
    before_ttl = await keys.key_for(TENANT)
    records.key = TenantApiKey("key02", "rotated-key", "pro")
    now[0] = 300.0
    after_ttl = await keys.key_for(TENANT)

    assert answers == ["tenant-key"] * 3
    assert before_ttl == "tenant-key"
    assert after_ttl == "rotated-key"
    assert records.reads == 2


async def test_usage_keys_cache_a_missing_record_as_the_default_key() -> None:
    records = FakeApiKeyRecords()
    keys = usage_keys(records, [0.0])

    assert [await keys.key_for(TENANT), await keys.key_for(TENANT)] == ["default-key"] * 2
    assert records.reads == 1


@pytest.mark.parametrize("tenant_id", [None, ""])
async def test_usage_keys_without_tenant_answer_default_without_a_read(tenant_id: str | None) -> None:
    records = FakeApiKeyRecords(TenantApiKey("key01", "tenant-key", "pro"))
    assert await usage_keys(records, [0.0]).key_for(tenant_id) == "default-key"
    assert records.faults.calls == []


async def test_usage_keys_store_down_answers_default_and_caches_nothing() -> None:
    records = FakeApiKeyRecords(TenantApiKey("key01", "tenant-key", "pro"))
    records.faults.fail("get", times=1)
    keys = usage_keys(records, [0.0])

    assert await keys.key_for(TENANT) == "default-key"
    assert await keys.key_for(TENANT) == "tenant-key"
