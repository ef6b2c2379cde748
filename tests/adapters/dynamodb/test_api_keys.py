"""identity_stack.adapters.dynamodb.api_keys: the tenant -> API key record (item USAGEKEY)."""

from identity_stack.adapters.dynamodb.api_keys import TenantApiKey, TenantApiKeyRecords
from tests.adapters.dynamodb.tables import TableUnderTest


def records(table: TableUnderTest, tenant_id: str = "T2alpha") -> TenantApiKeyRecords:
    return TenantApiKeyRecords(tenant_id, client=table.client, table_name=table.name)


async def test_put_get_forget_round_trip_in_the_tenants_partition(table: TableUnderTest) -> None:
    key = TenantApiKey("key01", "usage-identifier-value", "pro")
    assert await records(table).get() is None

    await records(table).put(key)
    assert await records(table).get() == key
    assert await records(table, "T2bravo").get() is None
    assert table.keys() == [("TENANT#T2alpha", "USAGEKEY")]

    await records(table).forget()
    assert await records(table).get() is None


def test_key_value_is_kept_out_of_repr() -> None:
    assert "usage-identifier-value" not in repr(TenantApiKey("key01", "usage-identifier-value", "pro"))
