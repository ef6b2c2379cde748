"""The ResourceStore port: the DynamoDB adapter (moto in-process) and the in-memory fake answer alike."""

from collections.abc import Callable

import boto3
import pytest

from identity_stack.adapters.dynamodb.resources import TenantResources
from identity_stack.domain.models import Resource
from identity_stack.domain.ports import ResourceStore
from identity_stack.errors import ConflictError, InvalidRequestError, NotFoundError
from local.aws.tables import create_table, load_table_block
from tests.fakes.aws import FakeResources

TABLE = "tenant-data-contract"
SUB = "U2creator"

StoreFor = Callable[[str], ResourceStore]


@pytest.fixture(params=["dynamodb", "fake"])
def store_for(request: pytest.FixtureRequest) -> StoreFor:
    if request.param == "fake":
        table: dict[str, dict[str, Resource]] = {}
        return lambda tenant_id: FakeResources(tenant_id, shared=table)
    request.getfixturevalue("in_process_aws")
    client = boto3.client("dynamodb")
    create_table(client, load_table_block(), TABLE)
    return lambda tenant_id: TenantResources(tenant_id, client=client, table_name=TABLE)


async def test_port_names_are_unique_per_tenant_only(store_for: StoreFor) -> None:
    alpha, bravo = store_for("T2alpha"), store_for("T2bravo")
    await alpha.create(name="Roadmap", description="", created_by=SUB)

    with pytest.raises(ConflictError):
        await alpha.create(name="ROADMAP", description="", created_by=SUB)
    theirs = await bravo.create(name="Roadmap", description="", created_by=SUB)

    assert theirs.tenant_id == "T2bravo"
    with pytest.raises(NotFoundError):
        await alpha.get(theirs.id)


async def test_port_pages_newest_first_and_refuses_forged_cursors(store_for: StoreFor) -> None:
    store = store_for("T2alpha")
    for index in range(3):
        await store.create(name=f"doc-{index}", description="", created_by=SUB)

    first = await store.list_page(limit=2)
    assert first.next_cursor is not None
    second = await store.list_page(limit=2, cursor=first.next_cursor)

    assert [item.name for item in first.items + second.items] == ["doc-2", "doc-1", "doc-0"]
    assert second.next_cursor is None
    with pytest.raises(InvalidRequestError):
        await store.list_page(cursor="!!!")


async def test_port_delete_releases_the_name_and_then_is_not_found(store_for: StoreFor) -> None:
    store = store_for("T2alpha")
    created = await store.create(name="Roadmap", description="", created_by=SUB)

    await store.delete(created.id)

    with pytest.raises(NotFoundError):
        await store.delete(created.id)
    assert (await store.create(name="Roadmap", description="", created_by=SUB)).id != created.id
