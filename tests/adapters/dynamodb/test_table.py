"""identity_stack.adapters.dynamodb.table and .keys: fault translation in one place, and the key layout."""

from collections.abc import Awaitable, Callable

import pytest

from identity_stack.adapters.dynamodb.keys import (
    item_key,
    name_sk,
    recent_key_sk,
    resource_sk,
    suspended_sk,
    tenant_pk,
)
from identity_stack.adapters.dynamodb.table import STORE_RETRY_AFTER_S, Table
from identity_stack.errors import ConflictError, UpstreamUnavailableError
from tests.adapters.dynamodb.tables import TableUnderTest


def test_keys_put_every_item_under_its_tenant_partition() -> None:
    assert tenant_pk("T2abc") == "TENANT#T2abc"
    assert item_key("TENANT#T2abc", "USAGEKEY") == {"pk": {"S": "TENANT#T2abc"}, "sk": {"S": "USAGEKEY"}}
    assert resource_sk("0190") == "RESOURCE#0190"
    assert suspended_sk("U2abc") == "SUSPENDED#U2abc"
    assert recent_key_sk("K2abc") == "RECENTKEY#K2abc"


def test_name_sk_is_one_hash_for_every_spelling_of_a_name() -> None:
    spellings = {name_sk(name) for name in ["Road map", "ROAD  MAP", "road\u00a0map", "\uff52oad map"]}
    assert len(spellings) == 1
    assert len(name_sk("x" * 255)) == len("NAME#") + 64


@pytest.mark.parametrize("build", [suspended_sk, recent_key_sk])
@pytest.mark.parametrize("value", ["", "a/b", "x" * 129, "U2#RESOURCE"])
def test_opaque_id_keys_refuse_anything_but_an_id(build: Callable[[str], str], value: str) -> None:
    with pytest.raises(ValueError, match="not a"):
        build(value)


def test_tenant_pk_refuses_an_empty_tenant() -> None:
    with pytest.raises(ValueError, match="tenant id"):
        tenant_pk("")


async def test_put_only_if_absent_twice_is_conflict_with_the_callers_detail(table: TableUnderTest) -> None:
    store = Table(client=table.client, table_name=table.name)
    item = item_key("TENANT#T2abc", "SUSPENDED#U2abc")
    await store.put_item(item, only_if_absent=True)

    with pytest.raises(ConflictError) as raised:
        await store.put_item(item, only_if_absent=True, conflict_detail="Already there.")

    assert raised.value.to_problem()["detail"] == "Already there."
    assert table.keys() == [("TENANT#T2abc", "SUSPENDED#U2abc")]


async def test_failed_transaction_condition_is_conflict_and_writes_nothing(table: TableUnderTest) -> None:
    store = Table(client=table.client, table_name=table.name)
    taken = item_key("TENANT#T2abc", "NAME#taken")
    await store.put_item(taken)
    absent = "attribute_not_exists(pk)"

    with pytest.raises(ConflictError):
        await store.transact_write(
            [
                {"Put": {"TableName": table.name, "Item": item_key("TENANT#T2abc", "RESOURCE#new")}},
                {"Put": {"TableName": table.name, "Item": taken, "ConditionExpression": absent}},
            ]
        )

    assert table.keys() == [("TENANT#T2abc", "NAME#taken")]


@pytest.mark.parametrize("operation", ["get", "put", "delete", "query"])
async def test_any_other_fault_is_503_with_the_stores_retry_after(table: TableUnderTest, operation: str) -> None:
    store = Table(client=table.client, table_name="no-such-table")
    key = item_key("TENANT#T2abc", "USAGEKEY")
    calls: dict[str, Callable[[], Awaitable[object]]] = {
        "get": lambda: store.get_item(key),
        "put": lambda: store.put_item(key),
        "delete": lambda: store.delete_item(key),
        "query": lambda: store.query_prefix("TENANT#T2abc", "RESOURCE#"),
    }

    with pytest.raises(UpstreamUnavailableError) as raised:
        await calls[operation]()

    assert raised.value.status_code == 503
    assert raised.value.headers["Retry-After"] == str(STORE_RETRY_AFTER_S)


async def test_query_prefix_pages_with_the_last_evaluated_key(table: TableUnderTest) -> None:
    store = Table(client=table.client, table_name=table.name)
    for index in range(3):
        await store.put_item(item_key("TENANT#T2abc", f"SUSPENDED#U{index}"))
    await store.put_item(item_key("TENANT#T2abc", "RESOURCE#r"))
    await store.put_item(item_key("TENANT#T2other", "SUSPENDED#U9"))

    first, start = await store.query_prefix("TENANT#T2abc", "SUSPENDED#", limit=2)
    rest, end = await store.query_prefix("TENANT#T2abc", "SUSPENDED#", limit=2, start_after=start)

    assert [item["sk"]["S"] for item in first + rest] == ["SUSPENDED#U0", "SUSPENDED#U1", "SUSPENDED#U2"]
    assert start is not None
    assert end is None
