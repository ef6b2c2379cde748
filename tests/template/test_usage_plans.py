"""template.yaml rate limits: every route's tier, encoded stage settings, gateway responses, and docs/rate-limits.md."""

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from local.gateway import ApiDefinition, LocalTemplate, load_api, load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig
from local.gateway.throttling import encode_resource_path

RATE_LIMITS_DOC = REPOSITORY_ROOT / "docs" / "rate-limits.md"
README = REPOSITORY_ROOT / "README.md"
TENANT_PLANS = {"free": "FreeUsagePlan", "pro": "ProUsagePlan", "enterprise": "EnterpriseUsagePlan"}
PLANS = {**TENANT_PLANS, "default": "DefaultUsagePlan"}
SEED_AUTH_PER_MINUTE = 10
# Routes that create credentials, sessions, members or tenants, or change roles: a burst of them is an attack (or a
# runaway script) that each costs identity-provider calls, so they get a tighter per-minute limit than reads.
AUTH_SENSITIVE = {
    ("POST", "/api/auth/logout"),
    ("POST", "/api/validate-id-token"),
    ("POST", "/api/keys"),
    ("POST", "/api/members/invite"),
    ("POST", "/api/roles/assign"),
    ("POST", "/api/roles/remove"),
    ("POST", "/api/tenants"),
}
EXEMPT = {("GET", "/api/health")}
SECURITY_HEADERS = {"X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "X-XSS-Protection"}


@pytest.fixture(scope="module")
def template() -> LocalTemplate:
    return load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides)


@pytest.fixture(scope="module")
def api(template: LocalTemplate) -> ApiDefinition:
    return load_api(template)


def plan(template: LocalTemplate, name: str) -> dict[str, Any]:
    return template.resolved_properties(PLANS[name])


def routes(api: ApiDefinition) -> set[tuple[str, str]]:
    return {(method.http_method, method.resource_path) for method in api.methods if method.http_method != "OPTIONS"}


def per_minute(limits: dict[str, Any]) -> float:
    return round(float(limits["RateLimit"]) * 60, 1)


@pytest.mark.parametrize("tier", sorted(TENANT_PLANS), ids=str)
def test_usage_plans_every_route_has_its_tier_in_tenant_plan(
    template: LocalTemplate, api: ApiDefinition, tier: str
) -> None:
    properties = plan(template, tier)
    (stage,) = properties["ApiStages"]
    method_throttles = stage["Throttle"]
    for verb, path in routes(api) - EXEMPT:
        entry = method_throttles.get(f"{path}/{verb}")
        if (verb, path) in AUTH_SENSITIVE:
            assert entry is not None, f"{verb} {path} needs the auth tier"
            assert per_minute(entry) == SEED_AUTH_PER_MINUTE, f"{verb} {path}"
            assert entry["BurstLimit"] == SEED_AUTH_PER_MINUTE, f"{verb} {path}"
        else:
            assert entry is None, f"{verb} {path} is a default-tier route"
    assert set(method_throttles) == {f"{path}/{verb}" for verb, path in AUTH_SENSITIVE}
    assert stage["ApiId"] == api.rest_api_id
    assert stage["Stage"] == api.stage


def test_usage_plans_tenant_tiers_grow_from_the_seed_default(template: LocalTemplate) -> None:
    free, pro, enterprise = (plan(template, tier)["Throttle"] for tier in ("free", "pro", "enterprise"))
    assert per_minute(free) == 60
    assert per_minute(free) < per_minute(pro) < per_minute(enterprise)
    assert free["BurstLimit"] < pro["BurstLimit"] < enterprise["BurstLimit"]


@pytest.mark.parametrize("name", sorted(PLANS), ids=str)
def test_usage_plans_no_bucket_holds_more_than_a_minute(template: LocalTemplate, name: str) -> None:
    # The session gateway fixture advances its clock a minute per request, relying on this to never throttle.
    properties = plan(template, name)
    throttles = [properties["Throttle"], *properties["ApiStages"][0]["Throttle"].values()]
    for limits in throttles:
        assert 1 <= limits["BurstLimit"] <= math.ceil(limits["RateLimit"] * 60), limits
    assert properties["Quota"]["Period"] == "DAY"
    assert properties["Quota"].get("Offset", 0) == 0


def test_usage_plans_health_has_no_authorizer_key_or_stage_throttle(api: ApiDefinition) -> None:
    for method in api.methods:
        route = (method.http_method, method.resource_path)
        if route in EXEMPT or method.http_method == "OPTIONS":
            assert method.security == (), route
        else:
            assert {name for requirement in method.security for name in requirement} == {"TokenAuthorizer", "api_key"}
    health = [setting for setting in api.method_settings if setting["ResourcePath"] == "/~1api~1health"]
    assert health == [
        {"ResourcePath": "/~1api~1health", "HttpMethod": "GET", "ThrottlingRateLimit": -1, "ThrottlingBurstLimit": -1}
    ]


def test_usage_plans_authorizer_supplies_the_key(template: LocalTemplate, api: ApiDefinition) -> None:
    assert api.api_key_source == "AUTHORIZER"
    authorizer = api.security_schemes["TokenAuthorizer"]["x-amazon-apigateway-authorizer"]
    assert authorizer["type"] == "request"
    assert authorizer["identitySource"] == "method.request.header.Authorization"
    assert 0 < authorizer["authorizerResultTtlInSeconds"] <= 3600
    key = template.resolved_properties("DefaultApiKey")
    environment = template.resolved_properties("AuthorizerFunction")["Environment"]["Variables"]
    assert environment["DEFAULT_API_KEY_VALUE"] == key["Value"]
    assert len(key["Value"]) >= 20  # API Gateway's minimum key length
    plan_key = template.resources["DefaultUsagePlanKey"]["Properties"]
    assert plan_key["KeyId"] == {"Ref": "DefaultApiKey"}
    assert plan_key["UsagePlanId"] == {"Ref": "DefaultUsagePlan"}


def test_usage_plans_onboarding_functions_name_every_tier_plan(template: LocalTemplate) -> None:
    names = {tier: plan(template, tier)["UsagePlanName"] for tier in TENANT_PLANS}
    for logical_id in ("TenantsFunction", "AttributesFunction"):
        environment = template.resolved_properties(logical_id)["Environment"]["Variables"]
        assert json.loads(environment["USAGE_PLAN_NAMES"]) == names, logical_id


def test_usage_plans_every_method_settings_path_is_encoded(api: ApiDefinition) -> None:
    resource_paths = {method.resource_path for method in api.methods}
    assert {"ResourcePath": "/*", "HttpMethod": "*"}.items() <= api.method_settings[0].items()
    for setting in api.method_settings[1:]:
        path = setting["ResourcePath"]
        assert path.startswith("/"), path
        assert "/" not in path[1:], f"{path}: every '/' must be written '~1'"
        decoded = path[1:].replace("~1", "/")
        assert decoded in resource_paths, f"{path} names no resource"
        assert encode_resource_path(decoded) == path
        assert (setting["HttpMethod"], decoded) in AUTH_SENSITIVE | EXEMPT


def test_usage_plans_stage_safety_throttle_is_above_every_plan(template: LocalTemplate, api: ApiDefinition) -> None:
    stage_default = api.method_settings[0]
    for name in PLANS:
        throttle = plan(template, name)["Throttle"]
        assert throttle["RateLimit"] < stage_default["ThrottlingRateLimit"], name
        assert throttle["BurstLimit"] < stage_default["ThrottlingBurstLimit"], name


@pytest.mark.parametrize(
    ("response_type", "status", "problem"),
    [
        ("THROTTLED", "429", "rate-limited"),
        ("QUOTA_EXCEEDED", "429", "quota-exceeded"),
        ("UNAUTHORIZED", "401", "unauthenticated"),
        ("ACCESS_DENIED", "403", "access-denied"),
        ("INVALID_API_KEY", "403", "usage-plan-missing"),
    ],
    ids=str,
)
def test_usage_plans_gateway_responses_are_problems_with_headers(
    template: LocalTemplate, api: ApiDefinition, response_type: str, status: str, problem: str
) -> None:
    response = api.gateway_responses[response_type]
    headers = {
        name.removeprefix("gatewayresponse.header."): value for name, value in response["responseParameters"].items()
    }
    assert response["statusCode"] == status
    assert set(headers) >= SECURITY_HEADERS
    assert headers["Content-Type"] == "'application/problem+json'"
    assert headers["Access-Control-Allow-Origin"] == f"'{template.parameters['AllowedOrigin']}'"
    assert f'"type":"urn:identity-stack:problem:{problem}"' in response["responseTemplates"]["application/json"]
    assert f'"status":{status}' in response["responseTemplates"]["application/json"]


def test_usage_plans_retry_after_covers_the_slowest_refill(template: LocalTemplate, api: ApiDefinition) -> None:
    rates = [
        limits["RateLimit"]
        for name in PLANS
        for limits in [plan(template, name)["Throttle"], *plan(template, name)["ApiStages"][0]["Throttle"].values()]
    ]
    retry_after = api.gateway_responses["THROTTLED"]["responseParameters"]["gatewayresponse.header.Retry-After"]
    assert int(retry_after.strip("'")) == math.ceil(1 / min(rates))
    quota_retry = api.gateway_responses["QUOTA_EXCEEDED"]["responseParameters"]["gatewayresponse.header.Retry-After"]
    assert int(quota_retry.strip("'")) > 0


def doc_table(heading_row: str, doc: Path = RATE_LIMITS_DOC) -> list[list[str]]:
    """Rows of the markdown table whose header row starts with ``heading_row``, cells stripped of ``,`` and `."""
    lines = doc.read_text().splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(heading_row))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip().strip("`").replace(",", "") for cell in line.strip("|").split("|")])
    return rows


@pytest.mark.parametrize("doc", [RATE_LIMITS_DOC, README], ids=["rate-limits-doc", "readme"])
def test_usage_plans_doc_plan_numbers_match_template(template: LocalTemplate, doc: Path) -> None:
    rows = doc_table("| plan |", doc)
    assert [row[0] for row in rows] == list(PLANS)
    for name, _, rate, burst, minute, quota in rows:
        properties = plan(template, name)
        assert float(rate) == properties["Throttle"]["RateLimit"], name
        assert int(burst) == properties["Throttle"]["BurstLimit"], name
        assert float(minute) == per_minute(properties["Throttle"]), name
        assert int(quota) == properties["Quota"]["Limit"], name


def test_usage_plans_doc_route_numbers_match_template(template: LocalTemplate) -> None:
    rows = doc_table("| route |")
    assert {tuple(row[0].split(" ", 1)) for row in rows} == AUTH_SENSITIVE
    for route, *cells in rows:
        verb, path = route.split(" ", 1)
        for name, cell in zip(PLANS, cells, strict=True):
            entry = plan(template, name)["ApiStages"][0]["Throttle"][f"{path}/{verb}"]
            assert float(cell.removesuffix("/min")) == per_minute(entry), (route, name)


def test_usage_plans_doc_stage_numbers_match_template(api: ApiDefinition) -> None:
    documented = {}
    for method, rate, burst in doc_table("| method |"):
        key = (
            ("/*", "*")
            if method.startswith("every method")
            else (encode_resource_path(method.split(" ")[1]), method.split(" ")[0])
        )
        documented[key] = (-1.0, -1) if rate == "off" else (float(rate), int(burst))
    declared = {
        (setting["ResourcePath"], setting["HttpMethod"]): (
            float(setting["ThrottlingRateLimit"]),
            int(setting["ThrottlingBurstLimit"]),
        )
        for setting in api.method_settings
    }
    assert documented == declared


def test_usage_plans_doc_names_every_gateway_response_problem(api: ApiDefinition) -> None:
    for response_type, _status, problem in doc_table("| gateway response |"):
        template_body = api.gateway_responses[response_type]["responseTemplates"]["application/json"]
        assert re.search(rf'"type":"{re.escape(problem)}"', template_body), response_type


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_function_roles_reach_only_this_stacks_plans_keys() -> None:
    raw = yaml_parse(DEFAULT_TEMPLATE.read_text())
    resources = raw["Resources"]
    policy = resources["UsagePlanKeysPolicy"]["Properties"]
    statements = policy["PolicyDocument"]["Statement"]
    arns = [(action, arn["Fn::Sub"]) for s in statements for action in s["Action"] for arn in _listed(s["Resource"])]
    plan_key_arns = [arn for _, arn in arns if "/usageplans/" in arn]
    users = {
        f"{logical_id}Role"
        for logical_id, resource in resources.items()
        if resource["Type"] == "AWS::Serverless::Function"
        and "USAGE_PLAN_NAMES" in resource["Properties"].get("Environment", {}).get("Variables", {})
    }

    # Exactly the functions that manage tenant keys, and no function grants API Gateway calls in its own Policies.
    assert {role["Ref"] for role in policy["Roles"]} == users
    for logical_id, resource in resources.items():
        if resource["Type"] == "AWS::Serverless::Function":
            granted = [a for p in resource["Properties"].get("Policies", []) for s in p.get("Statement", [])
                       for a in s["Action"]]  # fmt: skip
            assert not [a for a in granted if a.startswith("apigateway:")], logical_id
    # Keys of the tier plans only, by id; the plan collection is only listed (a plan is found by name).
    assert plan_key_arns
    assert all(re.search(r"/usageplans/\$\{(\w+)\}/keys", arn) for arn in plan_key_arns), plan_key_arns
    assert {re.search(r"/usageplans/\$\{(\w+)\}/", arn)[1] for arn in plan_key_arns} == set(TENANT_PLANS.values())
    assert [action for action, arn in arns if arn.endswith("::/usageplans")] == ["apigateway:GET"]
