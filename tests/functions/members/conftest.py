"""Fixture ``fresh_idp`` for the members tests: the provider re-seeded and the suspension memory emptied."""

from collections.abc import Iterator

import pytest

from tests.fixtures.aws import MotoProcess
from tests.fixtures.idp import LocalIdp

SUSPENSION_PREFIX = "SUSPENDED#"


def forget_suspensions(moto_server: MotoProcess) -> None:
    """Delete every suspension item: re-seeding the provider gives suspended members their roles back."""
    client = moto_server.client("dynamodb")
    for table in client.list_tables()["TableNames"]:
        for item in client.scan(TableName=table)["Items"]:
            if item["sk"]["S"].startswith(SUSPENSION_PREFIX):
                client.delete_item(TableName=table, Key={"pk": item["pk"], "sk": item["sk"]})


@pytest.fixture
def fresh_idp(idp: LocalIdp, moto_server: MotoProcess) -> Iterator[LocalIdp]:
    """The provider re-seeded and no member suspended, before and after: these tests change memberships."""
    idp.reset()
    forget_suspensions(moto_server)
    yield idp
    idp.reset()
    forget_suspensions(moto_server)
