"""Usage plans and keys of template.yaml in moto (``local.aws``), and ``python -m local.aws reconcile-keys``."""

import subprocess
import sys
from typing import Any

import pytest
from botocore.client import BaseClient

from local.aws.tenant_keys import IdentityProviderAccess, load_tenant_tiers
from local.aws.usage_plans import UsagePlanDefinitionError, create_usage_plan_request, create_usage_plans
from local.gateway import LocalTemplate, load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig
from tests.fixtures.aws import MotoProcess
from tests.fixtures.idp import LocalIdp

PLANS = ("FreeUsagePlan", "ProUsagePlan", "EnterpriseUsagePlan", "DefaultUsagePlan")


@pytest.fixture(scope="module")
def template() -> LocalTemplate:
    return load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides)


@pytest.fixture
def apigateway(moto_server: MotoProcess) -> BaseClient:
    return moto_server.client("apigateway")


def plans_by_name(apigateway: BaseClient) -> dict[str, dict[str, Any]]:
    return {plan["name"]: plan for plan in apigateway.get_usage_plans()["items"]}


@pytest.mark.parametrize("logical_id", PLANS, ids=str)
def test_moto_usage_plan_matches_template(apigateway: BaseClient, template: LocalTemplate, logical_id: str) -> None:
    declared = template.resolved_properties(logical_id)
    created = plans_by_name(apigateway)[declared["UsagePlanName"]]
    (stage,) = created["apiStages"]
    (declared_stage,) = declared["ApiStages"]

    assert created["throttle"] == {
        "rateLimit": declared["Throttle"]["RateLimit"],
        "burstLimit": declared["Throttle"]["BurstLimit"],
    }
    assert created["quota"] == {"limit": declared["Quota"]["Limit"], "period": declared["Quota"]["Period"], "offset": 0}
    assert (stage["apiId"], stage["stage"]) == (declared_stage["ApiId"], declared_stage["Stage"])
    assert stage["throttle"] == {
        path: {"rateLimit": limits["RateLimit"], "burstLimit": limits["BurstLimit"]}
        for path, limits in declared_stage["Throttle"].items()
    }


def test_moto_default_key_is_enabled_in_default_plan(apigateway: BaseClient, template: LocalTemplate) -> None:
    declared = template.resolved_properties("DefaultApiKey")
    (key,) = [key for key in apigateway.get_api_keys(includeValues=True)["items"] if key["name"] == declared["Name"]]
    held_by = [plan["name"] for plan in apigateway.get_usage_plans(keyId=key["id"])["items"]]

    assert (key["value"], key["enabled"]) == (declared["Value"], True)
    assert held_by == [template.resolved_properties("DefaultUsagePlan")["UsagePlanName"]]


def test_create_usage_plans_again_reuses_every_resource(
    moto_server: MotoProcess, apigateway: BaseClient, template: LocalTemplate
) -> None:
    plans_before = plans_by_name(apigateway)

    ids = create_usage_plans(template, moto_server.client)

    assert plans_by_name(apigateway).keys() == plans_before.keys()
    assert {ids[logical_id] for logical_id in PLANS} <= {plan["id"] for plan in plans_before.values()}
    default_plan = ids["DefaultUsagePlan"]
    assert [key["id"] for key in apigateway.get_usage_plan_keys(usagePlanId=default_plan)["items"]] == [
        ids["DefaultApiKey"]
    ]


@pytest.mark.parametrize(
    ("properties", "message"),
    [
        ({"UsagePlanName": "p", "Quota": {"Limit": 5, "Period": "DAY", "Offset": 2}}, "Offset"),
        ({"UsagePlanName": "p", "ProductCode": "x"}, "ProductCode"),
        ({"Throttle": {"RateLimit": 1, "BurstLimit": 1}}, "UsagePlanName"),
    ],
    ids=["quota-offset", "untranslated-property", "no-name"],
)
def test_create_usage_plan_request_refuses_what_it_cannot_reproduce(properties: dict[str, Any], message: str) -> None:
    with pytest.raises(UsagePlanDefinitionError, match=message):
        create_usage_plan_request(properties)


def test_reconcile_keys_command_gives_every_tenant_a_key_in_its_tier_plan(
    idp: LocalIdp, moto_server: MotoProcess, apigateway: BaseClient, template: LocalTemplate
) -> None:
    command = [sys.executable, "-m", "local.aws", "reconcile-keys", "--aws-url", moto_server.endpoint_url]
    command += ["--idp-url", idp.base_url]

    done = subprocess.run(command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, check=False, timeout=60)  # noqa: S603

    tiers = load_tenant_tiers(IdentityProviderAccess(idp.base_url, idp.project_id, idp.management_key))
    table = template.parameters["TableName"]
    dynamodb = moto_server.client("dynamodb")
    assert done.returncode == 0, done.stderr
    assert {idp.seed.tenant_ids["acme"], idp.seed.tenant_ids["globex"]} <= tiers.keys()
    for tenant_id, tier in tiers.items():
        item = dynamodb.get_item(TableName=table, Key={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "USAGEKEY"}})
        plans = apigateway.get_usage_plans(keyId=item["Item"]["key_id"]["S"])["items"]
        assert item["Item"]["tier"]["S"] == tier, tenant_id
        assert [plan["name"] for plan in plans] == [f"identity-stack-local-{tier}"], tenant_id
        assert f"{tenant_id}: {tier}" in done.stderr
