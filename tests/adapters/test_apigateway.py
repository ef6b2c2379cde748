"""identity_stack.adapters.apigateway with the plan saga against moto's server: tenant keys created, moved, repaired,
and never lost."""

import asyncio
import uuid

import pytest
from mypy_boto3_apigateway.client import APIGatewayClient
from mypy_boto3_apigateway.type_defs import ApiKeyTypeDef

from identity_stack.adapters.apigateway import UsagePlanClient, UsagePlanError
from identity_stack.adapters.dynamodb.api_keys import TenantApiKey, TenantApiKeyRecords
from identity_stack.domain.plans import TenantUsagePlans
from local.aws import aws_client
from tests.fixtures.aws import LOCAL_TABLE, MotoProcess
from tests.fixtures.lambda_runtime import unused_port_url

TABLE = LOCAL_TABLE
PLAN_NAMES = {tier: f"identity-stack-local-{tier}" for tier in ("free", "pro", "enterprise")}


@pytest.fixture
def tenant_id() -> str:
    return f"T2usage{uuid.uuid4().hex[:12]}"


@pytest.fixture
def apigateway(moto_server: MotoProcess) -> APIGatewayClient:
    return aws_client("apigateway", moto_server.endpoint_url)


@pytest.fixture
def records(moto_server: MotoProcess, tenant_id: str) -> TenantApiKeyRecords:
    return TenantApiKeyRecords(tenant_id, client=aws_client("dynamodb", moto_server.endpoint_url), table_name=TABLE)


@pytest.fixture
def plan_ids(apigateway: APIGatewayClient) -> dict[str, str]:
    by_name = {plan["name"]: plan["id"] for plan in apigateway.get_usage_plans()["items"]}
    return {tier: by_name[name] for tier, name in PLAN_NAMES.items()}


class FailingPlans(UsagePlanClient):
    """The real client, except that the named operations fail (``times`` times each) as the control plane would."""

    def __init__(self, client: APIGatewayClient, *failing: str, times: int = 1_000) -> None:
        super().__init__(PLAN_NAMES, client=client)
        self.failures_left = dict.fromkeys(failing, times)

    async def attach(self, key_id: str, plan_id: str) -> None:
        self._fail_if("attach")
        await super().attach(key_id, plan_id)

    async def delete_key(self, key_id: str) -> None:
        self._fail_if("delete_key")
        await super().delete_key(key_id)

    def _fail_if(self, operation: str) -> None:
        if self.failures_left.get(operation, 0) > 0:
            self.failures_left[operation] -= 1
            raise UsagePlanError(f"{operation} refused")


def assign(tenant_id: str, tier: str, records: TenantApiKeyRecords, plans: UsagePlanClient) -> TenantApiKey | None:
    return asyncio.run(TenantUsagePlans(tenant_id, records=records, plans=plans).assign(tier))


def plans_of(apigateway: APIGatewayClient, key_id: str) -> set[str]:
    return {plan["id"] for plan in apigateway.get_usage_plans(keyId=key_id)["items"]}


def tenant_keys(apigateway: APIGatewayClient, tenant_id: str) -> list[ApiKeyTypeDef]:
    return [key for key in apigateway.get_api_keys(includeValues=True)["items"] if key.get("customerId") == tenant_id]


def test_assign_new_tenant_creates_enabled_key_in_tier_plan(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, plan_ids: dict[str, str], tenant_id: str
) -> None:
    key = assign(tenant_id, "free", records, UsagePlanClient(PLAN_NAMES, client=apigateway))

    assert key is not None
    assert asyncio.run(records.get()) == key
    assert plans_of(apigateway, key.key_id) == {plan_ids["free"]}
    ((created,),) = [tenant_keys(apigateway, tenant_id)]
    assert (created["id"], created["value"], created["enabled"]) == (key.key_id, key.value, True)


def test_assign_tier_change_moves_the_same_key_and_is_idempotent(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, plan_ids: dict[str, str], tenant_id: str
) -> None:
    plans = UsagePlanClient(PLAN_NAMES, client=apigateway)
    created = assign(tenant_id, "free", records, plans)
    moved = assign(tenant_id, "enterprise", records, plans)
    again = assign(tenant_id, "enterprise", records, plans)

    assert created is not None
    assert moved == again == TenantApiKey(created.key_id, created.value, "enterprise")
    assert plans_of(apigateway, created.key_id) == {plan_ids["enterprise"]}
    assert asyncio.run(records.get()) == moved
    assert len(tenant_keys(apigateway, tenant_id)) == 1


def test_assign_unknown_tier_counts_as_free(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, plan_ids: dict[str, str], tenant_id: str
) -> None:
    key = assign(tenant_id, "platinum", records, UsagePlanClient(PLAN_NAMES, client=apigateway))
    assert key is not None
    assert key.tier == "free"
    assert plans_of(apigateway, key.key_id) == {plan_ids["free"]}


def test_assign_key_deleted_out_of_band_gets_a_new_key(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, plan_ids: dict[str, str], tenant_id: str
) -> None:
    plans = UsagePlanClient(PLAN_NAMES, client=apigateway)
    old = assign(tenant_id, "pro", records, plans)
    assert old is not None
    apigateway.delete_api_key(apiKey=old.key_id)

    new = assign(tenant_id, "pro", records, plans)

    assert new is not None
    assert new.key_id != old.key_id
    assert plans_of(apigateway, new.key_id) == {plan_ids["pro"]}
    assert asyncio.run(records.get()) == new


def test_assign_attach_failure_on_creation_leaves_default_key_and_no_orphan(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, tenant_id: str
) -> None:
    key = assign(tenant_id, "free", records, FailingPlans(apigateway, "attach"))

    assert key is None
    assert asyncio.run(records.get()) is None
    assert tenant_keys(apigateway, tenant_id) == []


def test_assign_attach_failure_on_move_keeps_the_key_in_its_old_plan(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, plan_ids: dict[str, str], tenant_id: str
) -> None:
    created = assign(tenant_id, "free", records, UsagePlanClient(PLAN_NAMES, client=apigateway))

    # The old plan is left first (a key may not sit in two plans of one stage), then joining the new one fails.
    kept = assign(tenant_id, "pro", records, FailingPlans(apigateway, "attach", times=1))

    assert kept == created
    assert created is not None
    assert asyncio.run(records.get()) == created
    assert plans_of(apigateway, created.key_id) == {plan_ids["free"]}


def test_assign_key_stranded_outside_every_plan_falls_back_to_default_key(
    apigateway: APIGatewayClient, records: TenantApiKeyRecords, tenant_id: str
) -> None:
    created = assign(tenant_id, "free", records, UsagePlanClient(PLAN_NAMES, client=apigateway))
    assert created is not None

    fallback = assign(tenant_id, "pro", records, FailingPlans(apigateway, "attach"))

    # No record: the authorizer answers with the default key, which sits in the default plan.
    assert fallback is None
    assert asyncio.run(records.get()) is None
    assert len(tenant_keys(apigateway, tenant_id)) == 1


def test_assign_control_plane_down_changes_nothing(records: TenantApiKeyRecords, tenant_id: str) -> None:
    unreachable = UsagePlanClient(PLAN_NAMES, client=aws_client("apigateway", unused_port_url()))
    assert assign(tenant_id, "pro", records, unreachable) is None
    assert asyncio.run(records.get()) is None
