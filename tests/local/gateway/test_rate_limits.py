"""Rate limits of template.yaml through the local gateway, with the personas' tokens and the tenants' usage-plan keys.

Each test builds its own gateway on a manual clock (``gateway_factory``), after giving every tenant its key as
``python -m local.aws reconcile-keys`` does; the expected numbers are read from the template.
"""

import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from local.aws.tenant_keys import IdentityProviderAccess, load_tenant_tiers, reconcile_tenant_keys
from local.gateway import LocalTemplate, load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig
from tests.fixtures.aws import MotoProcess
from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

ORIGIN = "http://localhost:3000"
ACME_OWNER = "owner@acme.test"  # Acme Corp: plan_tier pro
GLOBEX_OWNER = "owner@globex.test"  # Globex Inc: plan_tier free
NEWCOMER = "newcomer@example.test"
PLATFORM = "platform@identity-stack.test"
SECURITY_HEADERS = ("x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy")


class ManualClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, start_s: float = 1_800_000_000.0) -> None:
        self.now_s = start_s

    def __call__(self) -> float:
        return self.now_s

    def advance(self, seconds: float) -> None:
        self.now_s += seconds


@pytest.fixture(scope="module")
def template() -> LocalTemplate:
    return load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides)


@pytest.fixture
def tenant_keys(fresh_idp: LocalIdp, moto_server: MotoProcess, template: LocalTemplate) -> dict[str, str | None]:
    """Every tenant's key in its tier's plan, as ``python -m local.aws reconcile-keys`` leaves them."""
    access = IdentityProviderAccess(fresh_idp.base_url, fresh_idp.project_id, fresh_idp.management_key)
    return reconcile_tenant_keys(template, load_tenant_tiers(access), moto_server.endpoint_url)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def limited(
    gateway_factory: Callable[..., GatewayClient], clock: ManualClock, tenant_keys: dict[str, str | None]
) -> GatewayClient:
    return gateway_factory(clock=clock)


def token(idp: LocalIdp, login_id: str) -> str:
    return idp.token_for(login_id).access_token


def plan_throttle(template: LocalTemplate, logical_id: str, method: str | None = None) -> dict[str, Any]:
    properties = template.resolved_properties(logical_id)
    return properties["ApiStages"][0]["Throttle"][method] if method else properties["Throttle"]


def passes_at_once(client: GatewayClient, access_token: str, method: str, path: str, ceiling: int, **kw: Any) -> int:
    """How many requests pass before the first 429, sending at most ``ceiling`` + 1 at the same instant."""
    for sent in range(ceiling + 1):
        response = client.request(method, path, token=access_token, **kw)
        if response.status_code == 429:
            return sent
    return ceiling + 1


def assert_throttled_problem(response: httpx.Response) -> None:
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:identity-stack:problem:rate-limited"
    assert response.headers["retry-after"] == "6"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert all(name in response.headers for name in SECURITY_HEADERS)


def test_rate_limits_eleventh_key_creation_in_a_minute_returns_429_while_globex_is_unaffected(
    limited: GatewayClient, fresh_idp: LocalIdp, template: LocalTemplate, clock: ManualClock
) -> None:
    entry = plan_throttle(template, "ProUsagePlan", "/api/keys/POST")
    acme, globex = token(fresh_idp, ACME_OWNER), token(fresh_idp, GLOBEX_OWNER)
    invalid = {"name": ""}  # refused by the function (422): counted by the gateway, creates nothing

    allowed = [limited.request("POST", "/api/keys", token=acme, json=invalid).status_code for _ in range(10)]
    refused = limited.request("POST", "/api/keys", token=acme, json=invalid, headers={"Origin": ORIGIN})
    other_tenant = limited.request("POST", "/api/keys", token=globex, json=invalid)
    other_route = limited.request("GET", "/api/keys", token=acme)
    clock.advance(math.ceil(1 / entry["RateLimit"]))
    refilled = limited.request("POST", "/api/keys", token=acme, json=invalid)

    assert entry["BurstLimit"] == 10
    assert allowed == [422] * 10
    assert_throttled_problem(refused)
    assert other_tenant.status_code == 422
    assert other_route.status_code == 200
    assert refilled.status_code == 422
    # The refused request never reached the function.
    assert limited.gateway.runtime.invocation_counts["KeysFunction"] == 10 + 3


def test_rate_limits_pro_tenant_gets_higher_default_limit_than_free(
    limited: GatewayClient, fresh_idp: LocalIdp, template: LocalTemplate, tenant_keys: dict[str, str | None]
) -> None:
    acme_id, globex_id = fresh_idp.seed.tenant_ids["acme"], fresh_idp.seed.tenant_ids["globex"]
    free_burst = plan_throttle(template, "FreeUsagePlan")["BurstLimit"]
    pro_burst = plan_throttle(template, "ProUsagePlan")["BurstLimit"]

    globex_passed = passes_at_once(limited, token(fresh_idp, GLOBEX_OWNER), "GET", "/api/me", pro_burst)
    acme_passed = passes_at_once(limited, token(fresh_idp, ACME_OWNER), "GET", "/api/me", pro_burst)

    assert (tenant_keys[acme_id], tenant_keys[globex_id]) == ("pro", "free")
    assert globex_passed == free_burst
    assert acme_passed == pro_burst > free_burst


def test_rate_limits_users_of_one_tenant_share_its_key_and_tenantless_users_the_default_key(
    limited: GatewayClient, fresh_idp: LocalIdp, template: LocalTemplate
) -> None:
    free_burst = plan_throttle(template, "FreeUsagePlan")["BurstLimit"]
    globex_owner = token(fresh_idp, GLOBEX_OWNER)
    globex_admin = fresh_idp.token_for("consultant@example.test", fresh_idp.seed.tenant_ids["globex"]).access_token

    owner_passed = passes_at_once(limited, globex_owner, "GET", "/api/me", free_burst)
    admin_after_owner = limited.request("GET", "/api/me", token=globex_admin)
    newcomer = limited.request("GET", "/api/me", token=token(fresh_idp, NEWCOMER))

    assert owner_passed == free_burst
    assert admin_after_owner.status_code == 429
    assert newcomer.status_code == 200
    assert limited.gateway.runtime.invocation_counts["AuthorizerFunction"] == 3


def test_rate_limits_health_is_never_limited(limited: GatewayClient, template: LocalTemplate) -> None:
    # More than any usage plan allows at one instant, without a token: no key, so no plan counts it (the stage
    # throttle being off for it is shown in test_throttling.py, where sending 1000+ requests costs nothing).
    largest_burst = max(plan_throttle(template, plan)["BurstLimit"] for plan in ("DefaultUsagePlan", "FreeUsagePlan"))

    statuses = {limited.request("GET", "/api/health").status_code for _ in range(largest_burst + 1)}

    assert statuses == {200}
    assert dict(limited.gateway.runtime.invocation_counts) == {"HealthFunction": largest_burst + 1}


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/api/me", {}),
        ("POST", "/api/keys", {}),
        ("GET", "/api/tenants/current", {"Authorization": ""}),
        ("POST", "/api/validate-id-token", {}),
    ],
    ids=["me", "create-key", "empty-header", "validate-id-token"],
)
def test_rate_limits_request_without_token_returns_401_without_invoking_any_function(
    limited: GatewayClient, method: str, path: str, headers: dict[str, str]
) -> None:
    response = limited.request(method, path, headers={"Origin": ORIGIN, **headers})

    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:identity-stack:problem:unauthenticated"
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert all(name in response.headers for name in SECURITY_HEADERS)
    assert sum(limited.gateway.runtime.invocation_counts.values()) == 0


def test_rate_limits_invalid_token_is_refused_by_the_authorizer_before_any_route(limited: GatewayClient) -> None:
    response = limited.request("GET", "/api/me", token="not-a-jwt")

    assert response.status_code == 401
    assert response.json()["type"] == "urn:identity-stack:problem:unauthenticated"
    assert dict(limited.gateway.runtime.invocation_counts) == {"AuthorizerFunction": 1}


def test_rate_limits_id_token_may_call_only_validate_id_token(limited: GatewayClient, fresh_idp: LocalIdp) -> None:
    id_token = fresh_idp.token_for(GLOBEX_OWNER).id_token

    validated = limited.request("POST", "/api/validate-id-token", token=id_token)
    elsewhere = limited.request("GET", "/api/me", token=id_token)

    assert validated.status_code == 200, validated.text
    assert elsewhere.status_code == 403
    assert elsewhere.json()["type"] == "urn:identity-stack:problem:access-denied"
    # One authorizer run: its cached policy decided the second request.
    assert limited.gateway.runtime.invocation_counts["AuthorizerFunction"] == 1
    assert "AuthFunction" in limited.gateway.runtime.invocation_counts


def test_rate_limits_tier_change_applies_once_the_authorizer_cache_expires(
    limited: GatewayClient, fresh_idp: LocalIdp, template: LocalTemplate, clock: ManualClock
) -> None:
    ttl_s = template.resolved_properties("Api")["Body"]["components"]["securitySchemes"]["TokenAuthorizer"][
        "x-amazon-apigateway-authorizer"
    ]["authorizerResultTtlInSeconds"]
    free_burst = plan_throttle(template, "FreeUsagePlan")["BurstLimit"]
    pro_burst = plan_throttle(template, "ProUsagePlan")["BurstLimit"]
    owner = token(fresh_idp, GLOBEX_OWNER)

    upgrade = limited.request(
        "PATCH", "/api/tenants/current/settings", token=owner, json={"custom_attributes": {"plan_tier": "pro"}}
    )
    # Within the cached authorizer result the key still counts against the free plan (the PATCH took one token).
    cached = passes_at_once(limited, owner, "GET", "/api/me", pro_burst)
    clock.advance(ttl_s - 1)
    still_cached = passes_at_once(limited, owner, "GET", "/api/me", pro_burst)
    clock.advance(2)
    reauthorized = passes_at_once(limited, owner, "GET", "/api/me", pro_burst)

    assert upgrade.status_code == 200, upgrade.text
    assert (cached, still_cached) == (free_burst - 1, free_burst)
    assert reauthorized == pro_burst


def test_rate_limits_new_tenant_gets_its_own_key_in_the_free_plan(
    limited: GatewayClient, fresh_idp: LocalIdp, moto_server: MotoProcess, template: LocalTemplate
) -> None:
    response = limited.request("POST", "/api/tenants", token=token(fresh_idp, PLATFORM), json={"name": "Rate Limited"})
    tenant_id = response.json()["id"]
    table = template.parameters["TableName"]

    item = moto_server.client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "USAGEKEY"}}
    )["Item"]
    plans = moto_server.client("apigateway").get_usage_plans(keyId=item["key_id"]["S"])["items"]

    assert response.status_code == 201, response.text
    assert item["tier"]["S"] == "free"
    assert [plan["name"] for plan in plans] == [template.resolved_properties("FreeUsagePlan")["UsagePlanName"]]
