"""identity_stack.adapters.rate_limits against moto's server: the wired saga's configuration check and the
authorizer's cached tenant -> key lookup."""

import asyncio
import uuid

import pytest

from identity_stack.adapters.dynamodb.api_keys import TenantApiKey, TenantApiKeyRecords
from identity_stack.adapters.rate_limits import TenantUsageKeys, assign_usage_plan
from local.aws import aws_client
from tests.fixtures.aws import LOCAL_TABLE, MotoProcess
from tests.fixtures.lambda_runtime import unused_port_url

TABLE = LOCAL_TABLE


@pytest.fixture
def tenant_id() -> str:
    return f"T2usage{uuid.uuid4().hex[:12]}"


@pytest.fixture
def records(moto_server: MotoProcess, tenant_id: str) -> TenantApiKeyRecords:
    return TenantApiKeyRecords(tenant_id, client=aws_client("dynamodb", moto_server.endpoint_url), table_name=TABLE)


def test_assign_without_configured_plans_logs_and_keeps_default_key(
    monkeypatch: pytest.MonkeyPatch, records: TenantApiKeyRecords, tenant_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    from identity_stack.config import get_settings

    monkeypatch.delenv("USAGE_PLAN_NAMES", raising=False)
    get_settings.cache_clear()
    try:
        key = asyncio.run(assign_usage_plan(tenant_id, "pro"))
    finally:
        get_settings.cache_clear()

    assert key is None
    assert "rate limits not configured" in caplog.text
    assert asyncio.run(records.get()) is None


class CountingRecords(TenantApiKeyRecords):
    """Counts reads, to show the cache answering."""

    reads = 0

    async def get(self) -> TenantApiKey | None:
        type(self).reads += 1
        return await super().get()


@pytest.fixture
def counting(moto_server: MotoProcess) -> type[CountingRecords]:
    CountingRecords.reads = 0
    return CountingRecords


def test_tenant_usage_keys_cache_lookups_for_the_ttl(
    moto_server: MotoProcess, records: TenantApiKeyRecords, tenant_id: str, counting: type[CountingRecords]
) -> None:
    asyncio.run(records.put(TenantApiKey("key01", "tenant-usage-key-value-0001", "pro")))
    now = [0.0]
    dynamodb = aws_client("dynamodb", moto_server.endpoint_url)
    keys = TenantUsageKeys(
        "default-usage-key-value",
        ttl_s=300,
        records_for=lambda tenant: counting(tenant, client=dynamodb, table_name=TABLE),
        clock=lambda: now[0],
    )

    answers = [asyncio.run(keys.key_for(tenant_id)) for _ in range(3)]
    now[0] = 300.0
    after_ttl = asyncio.run(keys.key_for(tenant_id))
    without_tenant = asyncio.run(keys.key_for(None))
    unkeyed = asyncio.run(keys.key_for(f"{tenant_id}-unkeyed"))

    assert answers == ["tenant-usage-key-value-0001"] * 3
    assert after_ttl == "tenant-usage-key-value-0001"
    assert (without_tenant, unkeyed) == ("default-usage-key-value", "default-usage-key-value")
    assert counting.reads == 3


def test_tenant_usage_keys_store_down_answers_default_key_uncached(tenant_id: str) -> None:
    down = aws_client("dynamodb", unused_port_url())
    keys = TenantUsageKeys(
        "default-usage-key-value", records_for=lambda tenant: TenantApiKeyRecords(tenant, client=down, table_name=TABLE)
    )
    assert asyncio.run(keys.key_for(tenant_id)) == "default-usage-key-value"
