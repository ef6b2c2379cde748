"""identity_stack.adapters.dynamodb.resources: tenant resources on DynamoDB (moto in-process, infra/aws_dynamodb.tf)."""

import base64
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from mypy_boto3_dynamodb.client import DynamoDBClient

from identity_stack.adapters.dynamodb.keys import tenant_pk
from identity_stack.adapters.dynamodb.resources import MAX_PAGE_SIZE, TenantResources
from identity_stack.errors import ConflictError, InvalidRequestError, NotFoundError, UpstreamUnavailableError
from local.aws.tables import create_table, load_table_block

TABLE = "tenant-data-under-test"
TENANT_A = "T2tenantAlpha"
TENANT_B = "T2tenantBravo"
SUB = "U2creator"


@pytest.fixture
def dynamodb(in_process_aws: None) -> DynamoDBClient:
    client: DynamoDBClient = boto3.client("dynamodb")
    create_table(client, load_table_block(), TABLE)
    return client


def make_repo(client: DynamoDBClient, tenant_id: str = TENANT_A, **kwargs: Any) -> TenantResources:
    return TenantResources(tenant_id, client=client, table_name=TABLE, **kwargs)


def scan_keys(client: DynamoDBClient) -> list[tuple[str, str]]:
    items = client.scan(TableName=TABLE)["Items"]
    return sorted((item["pk"]["S"], item["sk"]["S"]) for item in items)


def ticking_clock(start_ns: int = 1_750_000_000_000_000_000, step_ns: int = 1_000_000) -> Callable[[], int]:
    now = start_ns

    def clock() -> int:
        nonlocal now
        now += step_ns
        return now

    return clock


def test_tenant_pk_names_tenant_partition() -> None:
    assert tenant_pk("T2abc") == "TENANT#T2abc"


@pytest.mark.parametrize("tenant_id", ["", None], ids=["empty", "none"])
def test_tenant_resources_without_tenant_id_refuses_to_build(dynamodb: DynamoDBClient, tenant_id: Any) -> None:
    with pytest.raises(ValueError, match="tenant id"):
        TenantResources(tenant_id, client=dynamodb, table_name=TABLE)


def test_template_table_has_on_demand_billing_pitr_and_encryption(dynamodb: DynamoDBClient) -> None:
    table = dynamodb.describe_table(TableName=TABLE)["Table"]
    backups = dynamodb.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]

    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSEDescription"]["Status"] == "ENABLED"
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert {k["AttributeName"]: k["KeyType"] for k in table["KeySchema"]} == {"pk": "HASH", "sk": "RANGE"}


async def test_create_then_get_returns_stored_resource(dynamodb: DynamoDBClient) -> None:
    moment_ns = 1_750_000_000_123_456_000
    repo = make_repo(dynamodb, clock_ns=lambda: moment_ns)

    created = await repo.create(name="Roadmap", description="Q3 plans", created_by=SUB)
    loaded = await repo.get(created.id)

    assert loaded == created
    assert (loaded.tenant_id, loaded.name, loaded.description, loaded.created_by) == (
        TENANT_A,
        "Roadmap",
        "Q3 plans",
        SUB,
    )
    assert loaded.created_at == datetime.fromtimestamp(moment_ns / 1e9, tz=UTC)
    assert uuid.UUID(created.id).version == 7
    assert all(pk == tenant_pk(TENANT_A) for pk, _ in scan_keys(dynamodb))


FULLWIDTH_ROADMAP = "\uff52\uff4f\uff41\uff44\uff4d\uff41\uff50"


@pytest.mark.parametrize("second_name", ["Roadmap", "ROADMAP", FULLWIDTH_ROADMAP], ids=["same", "case", "fullwidth"])
async def test_create_duplicate_name_in_tenant_raises_conflict_and_writes_nothing(
    dynamodb: DynamoDBClient, second_name: str
) -> None:
    repo = make_repo(dynamodb)
    await repo.create(name="Roadmap", description="", created_by=SUB)
    before = scan_keys(dynamodb)

    with pytest.raises(ConflictError):
        await repo.create(name=second_name, description="other", created_by=SUB)

    assert scan_keys(dynamodb) == before
    assert len((await repo.list_page()).items) == 1


@pytest.mark.parametrize(
    "second_name",
    ["road map", "Road\u00a0map", "Road   map", "Road\tmap"],
    ids=["case", "no-break-space", "whitespace-run", "tab"],
)
async def test_create_name_differing_only_in_whitespace_raises_conflict(
    dynamodb: DynamoDBClient, second_name: str
) -> None:
    repo = make_repo(dynamodb)
    await repo.create(name="Road map", description="", created_by=SUB)

    with pytest.raises(ConflictError):
        await repo.create(name=second_name, description="", created_by=SUB)

    assert [item.name for item in (await repo.list_page()).items] == ["Road map"]


async def test_create_same_name_in_other_tenant_is_allowed(dynamodb: DynamoDBClient) -> None:
    first = await make_repo(dynamodb, TENANT_A).create(name="Roadmap", description="", created_by=SUB)
    second = await make_repo(dynamodb, TENANT_B).create(name="Roadmap", description="", created_by=SUB)

    assert first.id != second.id
    assert second.tenant_id == TENANT_B


async def test_get_other_tenants_resource_raises_not_found_like_unknown_id(dynamodb: DynamoDBClient) -> None:
    theirs = await make_repo(dynamodb, TENANT_A).create(name="Secret", description="", created_by=SUB)
    mine = make_repo(dynamodb, TENANT_B)

    with pytest.raises(NotFoundError) as foreign:
        await mine.get(theirs.id)
    with pytest.raises(NotFoundError) as unknown:
        await mine.get(str(uuid.UUID(int=uuid.UUID(theirs.id).int ^ 1)))

    assert foreign.value.to_problem() == unknown.value.to_problem()


@pytest.mark.parametrize(
    "resource_id",
    ["", "not-a-uuid", str(uuid.uuid4()), "x" * 5000, "../" + "a" * 36, str(uuid.UUID(int=7 << 76)).upper()],
    ids=["empty", "garbage", "uuid4", "oversized", "traversal", "uppercase"],
)
async def test_get_malformed_id_raises_not_found(dynamodb: DynamoDBClient, resource_id: str) -> None:
    with pytest.raises(NotFoundError):
        await make_repo(dynamodb).get(resource_id)


async def test_list_page_returns_newest_first_with_cursor_until_exhausted(dynamodb: DynamoDBClient) -> None:
    repo = make_repo(dynamodb, clock_ns=ticking_clock())
    names = [f"doc-{index}" for index in range(5)]
    for name in names:
        await repo.create(name=name, description="", created_by=SUB)

    pages = [await repo.list_page(limit=2)]
    while pages[-1].next_cursor:
        pages.append(await repo.list_page(limit=2, cursor=pages[-1].next_cursor))

    assert [[item.name for item in page.items] for page in pages] == [
        ["doc-4", "doc-3"],
        ["doc-2", "doc-1"],
        ["doc-0"],
    ]


async def test_list_page_exact_multiple_of_limit_has_no_dead_cursor(dynamodb: DynamoDBClient) -> None:
    repo = make_repo(dynamodb, clock_ns=ticking_clock())
    for index in range(2):
        await repo.create(name=f"doc-{index}", description="", created_by=SUB)

    page = await repo.list_page(limit=2)

    assert len(page.items) == 2
    assert page.next_cursor is None


async def test_list_page_other_tenants_cursor_never_yields_their_items(dynamodb: DynamoDBClient) -> None:
    tenant_a = make_repo(dynamodb, TENANT_A, clock_ns=ticking_clock())
    for index in range(3):
        await tenant_a.create(name=f"a-{index}", description="", created_by=SUB)
    tenant_b = make_repo(dynamodb, TENANT_B, clock_ns=ticking_clock(start_ns=1_700_000_000_000_000_000))
    await tenant_b.create(name="b-0", description="", created_by=SUB)
    cursor_a = (await tenant_a.list_page(limit=1)).next_cursor
    assert cursor_a is not None

    page = await tenant_b.list_page(limit=10, cursor=cursor_a)

    assert {item.tenant_id for item in page.items} <= {TENANT_B}
    assert [item.name for item in page.items] == ["b-0"]


def _b64(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "!!!",
        "",
        _b64(["after"]),
        _b64({"v": 2, "after": str(uuid.UUID(int=7 << 76 | 2 << 62))}),
        _b64({"v": 1, "after": str(uuid.uuid4())}),
        _b64({"v": 1, "after": 42}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
    ids=["not-base64", "empty", "list", "wrong-version", "not-uuid7", "not-string", "not-utf8"],
)
async def test_list_page_forged_cursor_raises_invalid_request_422(dynamodb: DynamoDBClient, cursor: str) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        await make_repo(dynamodb).list_page(cursor=cursor)

    assert raised.value.status_code == 422


@pytest.mark.parametrize("limit", [0, -1, MAX_PAGE_SIZE + 1], ids=["zero", "negative", "over-max"])
async def test_list_page_limit_out_of_range_raises_invalid_request_422(dynamodb: DynamoDBClient, limit: int) -> None:
    with pytest.raises(InvalidRequestError) as raised:
        await make_repo(dynamodb).list_page(limit=limit)

    assert raised.value.status_code == 422


async def test_delete_removes_resource_and_releases_name(dynamodb: DynamoDBClient) -> None:
    repo = make_repo(dynamodb)
    created = await repo.create(name="Roadmap", description="", created_by=SUB)

    await repo.delete(created.id)

    assert scan_keys(dynamodb) == []
    with pytest.raises(NotFoundError):
        await repo.get(created.id)
    again = await repo.create(name="Roadmap", description="", created_by=SUB)
    assert again.id != created.id


async def test_delete_other_tenants_resource_raises_not_found_and_keeps_it(dynamodb: DynamoDBClient) -> None:
    theirs = await make_repo(dynamodb, TENANT_A).create(name="Secret", description="", created_by=SUB)
    before = scan_keys(dynamodb)

    with pytest.raises(NotFoundError):
        await make_repo(dynamodb, TENANT_B).delete(theirs.id)

    assert scan_keys(dynamodb) == before


async def test_create_on_missing_table_raises_upstream_unavailable(dynamodb: DynamoDBClient) -> None:
    repo = TenantResources(TENANT_A, client=dynamodb, table_name="no-such-table")

    with pytest.raises(UpstreamUnavailableError) as raised:
        await repo.create(name="x", description="", created_by=SUB)

    assert raised.value.status_code == 503
    assert "Retry-After" in raised.value.headers


async def test_store_unreachable_endpoint_raises_upstream_unavailable(unused_tcp_port: int) -> None:
    client = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{unused_tcp_port}",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(connect_timeout=0.2, read_timeout=0.2, retries={"total_max_attempts": 1}),
    )
    repo = TenantResources(TENANT_A, client=client, table_name=TABLE)

    with pytest.raises(UpstreamUnavailableError):
        await repo.list_page()
