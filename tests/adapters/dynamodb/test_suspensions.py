"""identity_stack.adapters.dynamodb.suspensions: suspended members of one tenant (moto in-process)."""

from datetime import UTC, datetime
from typing import Any, cast

import pytest
from mypy_boto3_dynamodb.client import DynamoDBClient

from identity_stack.adapters.dynamodb.suspensions import SuspendedMembers
from identity_stack.domain.ports import Suspension
from identity_stack.errors import ConflictError
from tests.adapters.dynamodb.tables import TableUnderTest

MOMENT_NS = 1_750_000_000_123_456_000


def members(table: TableUnderTest, tenant_id: str = "T2alpha") -> SuspendedMembers:
    return SuspendedMembers(tenant_id, client=table.client, table_name=table.name, clock_ns=lambda: MOMENT_NS)


async def test_suspend_then_get_returns_the_roles_and_who_and_when(table: TableUnderTest) -> None:
    suspended = await members(table).suspend("U2bob", roles=("admin", "member"), suspended_by="U2owner")

    assert (
        await members(table).get("U2bob")
        == suspended
        == Suspension("U2bob", ("admin", "member"), datetime.fromtimestamp(MOMENT_NS / 1e9, tz=UTC), "U2owner")
    )
    assert table.keys() == [("TENANT#T2alpha", "SUSPENDED#U2bob")]


async def test_suspend_twice_is_conflict_and_keeps_the_first(table: TableUnderTest) -> None:
    first = await members(table).suspend("U2bob", roles=("admin",), suspended_by="U2owner")

    with pytest.raises(ConflictError):
        await members(table).suspend("U2bob", roles=(), suspended_by="U2other")

    assert await members(table).get("U2bob") == first


async def test_suspensions_are_per_tenant_and_forget_then_restore_round_trips(table: TableUnderTest) -> None:
    alpha = members(table)
    suspension = await alpha.suspend("U2bob", roles=("member",), suspended_by="U2owner")
    await members(table, "T2bravo").suspend("U2carol", roles=(), suspended_by="U2owner")

    assert await alpha.suspended_user_ids() == {"U2bob"}
    await alpha.forget("U2bob")
    assert await alpha.get("U2bob") is None
    await alpha.restore(suspension)
    assert await alpha.get("U2bob") == suspension
    assert await members(table, "T2bravo").suspended_user_ids() == {"U2carol"}


class OneItemPages:
    """The real client, except that every query page holds one item: pagination without thousands of items."""

    def __init__(self, client: DynamoDBClient) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def query(self, **params: Any) -> Any:
        return self._client.query(**params, Limit=1)


async def test_suspended_user_ids_reads_every_page(table: TableUnderTest) -> None:
    for user_id in ("U2a", "U2b", "U2c"):
        await members(table).suspend(user_id, roles=(), suspended_by="U2owner")
    paged = SuspendedMembers("T2alpha", client=cast(DynamoDBClient, OneItemPages(table.client)), table_name=table.name)

    assert await paged.suspended_user_ids() == {"U2a", "U2b", "U2c"}


@pytest.mark.parametrize("user_id", ["", "../x", "U2#x"])
async def test_a_user_id_that_is_no_id_never_reaches_a_key(table: TableUnderTest, user_id: str) -> None:
    with pytest.raises(ValueError, match="not a user id"):
        await members(table).get(user_id)
