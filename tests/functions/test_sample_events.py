"""The sample events every HTTP function ships in functions/<group>/events, checked through its Lambda handler.

They are what ``sam local invoke -e`` runs, so each must be a REST (v1) proxy event for one of the function's routes,
and together they must cover every route; an event with a persona's token carries the authorizer context API Gateway
would pass with it, as placeholders. The status each one's name promises (the authorizer's events included) is
checked by tests/local/invoke/test_sample_events.py, through ``python -m local invoke`` against a running stack;
functions/auth's events, which need no stack, are checked here too.
"""

import pytest

from identity_stack.auth.context import CONTEXT_KEYS
from local.invoke.expectations import expectation_for
from local.invoke.sample_events import ACCESS_TOKEN_CONTEXT, ID_TOKEN_CONTEXT, authorizer_placeholders
from tests.builders import FUNCTIONS_PATH, id_token_claims, load_event, make_token, user_claims
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime

HTTP_GROUPS = ("attributes", "auth", "health", "keys", "members", "roles", "tenants")
PROXY_EVENT_KEYS = {"resource", "path", "httpMethod", "headers", "multiValueHeaders", "requestContext"}


def event_names(*groups: str) -> list[tuple[str, str]]:
    """(group, file name) of every shipped event of ``groups``."""
    return [
        (group, path.name) for group in groups for path in sorted((FUNCTIONS_PATH / group / "events").glob("*.json"))
    ]


def event_ids(cases: list[tuple[str, str]]) -> list[str]:
    return [f"{group}/{name.removesuffix('.json')}" for group, name in cases]


HTTP_EVENTS = event_names(*HTTP_GROUPS)


@pytest.fixture
def runtime(lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch) -> LambdaRuntime:
    """The Lambda runtime, with the environment every function needs to start; no AWS call precedes a token check."""
    monkeypatch.setenv("TABLE_NAME", "sample-events-test")
    monkeypatch.setenv("USAGE_PLAN_NAMES", '{"free": "plan-free"}')
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return lambda_runtime


@pytest.mark.parametrize(("group", "name"), HTTP_EVENTS, ids=event_ids(HTTP_EVENTS))
def test_sample_event_is_a_rest_v1_proxy_event_for_its_resource(group: str, name: str) -> None:
    event = load_event(group, name)

    assert event.keys() >= PROXY_EVENT_KEYS
    assert event["requestContext"]["requestId"]
    assert event["requestContext"]["resourcePath"] == event["resource"]


@pytest.mark.parametrize("group", HTTP_GROUPS)
def test_sample_events_cover_every_route(runtime: LambdaRuntime, group: str) -> None:
    function = runtime.cold_start(group)
    routes = {
        (method, route.path)
        for route in function.app.routes
        for method in getattr(route, "methods", set())
        if route.path.startswith("/api/")
    }
    shipped = {(event["httpMethod"], event["resource"]) for event in (load_event(*case) for case in event_names(group))}

    assert routes <= shipped


TOKEN_PLACEHOLDERS = {"Bearer ${ACCESS_TOKEN}": ACCESS_TOKEN_CONTEXT, "Bearer ${ID_TOKEN}": ID_TOKEN_CONTEXT}


@pytest.mark.parametrize(("group", "name"), HTTP_EVENTS, ids=event_ids(HTTP_EVENTS))
def test_sample_event_with_a_token_carries_the_authorizer_context_as_aws_passes_it(group: str, name: str) -> None:
    event = load_event(group, name)
    prefix = TOKEN_PLACEHOLDERS.get((event["headers"] or {}).get("Authorization", ""))
    authorizer = event["requestContext"].get("authorizer")

    if prefix is None:
        # No token of a persona: no context (401), or a fixed one (an expired or garbled context, still 401).
        assert authorizer is None or expectation_for(name).statuses == range(401, 402)
        return
    assert authorizer == {
        "principalId": f"${{{prefix}PRINCIPALID}}",
        **{key: f"${{{prefix}{key.upper()}}}" for key in CONTEXT_KEYS},
        "integrationLatency": 0,
    }


AUTH_EVENTS = event_names("auth")


@pytest.mark.parametrize(("group", "name"), AUTH_EVENTS, ids=event_ids(AUTH_EVENTS))
def test_auth_sample_event_filled_with_a_context_answers_what_its_name_promises(
    runtime: LambdaRuntime, oidc_env: JwksServer, group: str, name: str
) -> None:
    # Offline, as `python -m local invoke` runs them: the context placeholders filled by the layer's encoder.
    access = user_claims(oidc_env.issuer, oidc_env.project_id)
    id_token = id_token_claims(oidc_env.issuer, oidc_env.project_id)
    placeholders = {
        "ID_TOKEN": make_token(oidc_env.signing_key, id_token),
        **authorizer_placeholders(access, prefix=ACCESS_TOKEN_CONTEXT),
        **authorizer_placeholders(id_token, prefix=ID_TOKEN_CONTEXT, kind="id_token"),
    }
    event = load_event(group, name, **placeholders)

    response = runtime.invoke(runtime.cold_start(group), event)

    assert response["statusCode"] in expectation_for(name).statuses
