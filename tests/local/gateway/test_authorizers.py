"""The Lambda authorizer as ``local.gateway.authorizers`` runs it, on template.yaml's API, with a scripted function."""

from collections.abc import Callable
from typing import Any

import pytest

from local.gateway import ApiDefinition, FunctionSpec, IncomingRequest, RequestContext, load_api, load_template
from local.gateway.authorizers import AuthorizerCheck
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig
from local.gateway.errors import FunctionInvocationError, GatewayRejection
from local.gateway.routes import RouteTable

TTL_S = 300
NOW_S = 1_800_000_000.0


@pytest.fixture(scope="module")
def api() -> ApiDefinition:
    return load_api(load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides))


class ScriptedAuthorizer:
    """Stands in for the authorizer function: records events, answers with ``outcome`` (output or exception)."""

    def __init__(self, outcome: Any) -> None:
        self.outcome = outcome
        self.events: list[dict[str, Any]] = []

    def __call__(self, spec: FunctionSpec, event: dict[str, Any]) -> Any:
        self.events.append(event)
        if isinstance(self.outcome, BaseException):
            raise FunctionInvocationError(f"{spec.logical_id} raised") from self.outcome
        return self.outcome


def policy(effect: str, resource: str) -> dict[str, Any]:
    return {
        "principalId": "U2user",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": [resource]}],
        },
        "context": {"sub": "U2user", "tenant": "T2acme", "admin": False, "rank": 3},
        "usageIdentifierKey": "tenant-key-value",
    }


# An Allow of every method of any API: only the context differs between the answers that use it.
ALLOW_ALL = policy("Allow", "arn:aws:execute-api:*")


def arn(api: ApiDefinition, tail: str) -> str:
    return f"arn:aws:execute-api:us-east-1:123456789012:{api.rest_api_id}/{api.stage}/{tail}"


@pytest.fixture
def request_at(api: ApiDefinition) -> Callable[..., RequestContext]:
    routes = RouteTable(api.methods)

    def build(method: str, path: str, now_s: float = NOW_S, token: str | None = "token-1") -> RequestContext:
        match = routes.match(method, path)
        assert match is not None
        headers = (("Authorization", f"Bearer {token}"),) if token else ()
        return RequestContext(IncomingRequest(method, path, headers=headers), match, "request-id", received_at_s=now_s)

    return build


def outcome(check: AuthorizerCheck, context: RequestContext) -> tuple[str, str] | None:
    try:
        check(context)
    except GatewayRejection as exc:
        return exc.response_type, exc.message
    return None


def test_authorizer_allow_sets_context_and_usage_key(
    api: ApiDefinition, request_at: Callable[..., RequestContext]
) -> None:
    script = ScriptedAuthorizer(policy("Allow", arn(api, "*/*")))
    context = request_at("GET", "/api/me")

    assert outcome(AuthorizerCheck(api, script), context) is None
    assert context.authorizer == {
        "principalId": "U2user",
        "sub": "U2user",
        "tenant": "T2acme",
        "admin": "false",
        "rank": "3",
        "integrationLatency": 0,
    }
    assert context.usage_identifier_key == "tenant-key-value"
    (event,) = script.events
    assert event["type"] == "REQUEST"
    assert event["methodArn"] == arn(api, "GET/api/me")
    assert event["headers"]["Authorization"] == "Bearer token-1"
    assert "body" not in event


def test_authorizer_missing_identity_source_returns_401_without_invoking(
    api: ApiDefinition, request_at: Callable[..., RequestContext]
) -> None:
    script = ScriptedAuthorizer(policy("Allow", arn(api, "*/*")))
    assert outcome(AuthorizerCheck(api, script), request_at("GET", "/api/me", token=None)) == (
        "UNAUTHORIZED",
        "Unauthorized",
    )
    assert script.events == []


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Exception("Unauthorized"), "UNAUTHORIZED"),
        (RuntimeError("identity provider down"), "AUTHORIZER_FAILURE"),
        ({"policyDocument": {}}, "AUTHORIZER_CONFIGURATION_ERROR"),
        ({**ALLOW_ALL, "context": {"tenants": {"T2acme": {"roles": ["admin"]}}}}, "AUTHORIZER_CONFIGURATION_ERROR"),
        ({**ALLOW_ALL, "context": {"amr": ["pwd"]}}, "AUTHORIZER_CONFIGURATION_ERROR"),
    ],
    ids=["unauthorized-error", "other-error", "malformed-output", "object-context-value", "array-context-value"],
)
def test_authorizer_failure_maps_to_gateway_response_and_is_not_cached(
    api: ApiDefinition, request_at: Callable[..., RequestContext], answer: Any, expected: str
) -> None:
    script = ScriptedAuthorizer(answer)
    check = AuthorizerCheck(api, script)

    first, second = outcome(check, request_at("GET", "/api/me")), outcome(check, request_at("GET", "/api/me"))

    assert first is not None
    assert second is not None
    assert first[0] == second[0] == expected
    assert len(script.events) == 2


@pytest.mark.parametrize(
    ("effect", "resource", "expected"),
    [
        ("Deny", "*/*", "User is not authorized to access this resource with an explicit deny"),
        ("Allow", "POST/api/validate-id-token", "User is not authorized to access this resource"),
    ],
    ids=["explicit-deny", "allow-elsewhere"],
)
def test_authorizer_policy_not_allowing_the_method_returns_403(
    api: ApiDefinition, request_at: Callable[..., RequestContext], effect: str, resource: str, expected: str
) -> None:
    check = AuthorizerCheck(api, ScriptedAuthorizer(policy(effect, arn(api, resource))))
    assert outcome(check, request_at("GET", "/api/me")) == ("ACCESS_DENIED", expected)


def test_authorizer_result_is_cached_per_identity_for_the_ttl(
    api: ApiDefinition, request_at: Callable[..., RequestContext]
) -> None:
    script = ScriptedAuthorizer(policy("Allow", arn(api, "POST/api/validate-id-token")))
    check = AuthorizerCheck(api, script)

    allowed = outcome(check, request_at("POST", "/api/validate-id-token"))
    denied_from_cache = outcome(check, request_at("GET", "/api/me", NOW_S + TTL_S - 1))
    other_identity = request_at("GET", "/api/me", NOW_S + 1, token="token-2")
    other_outcome = outcome(check, other_identity)
    expired = request_at("POST", "/api/validate-id-token", NOW_S + TTL_S)
    expired_outcome = outcome(check, expired)

    assert allowed is None
    assert denied_from_cache is not None
    assert denied_from_cache[0] == "ACCESS_DENIED"
    assert other_outcome is not None
    assert (expired_outcome, expired.authorizer_invoked, other_identity.authorizer_invoked) == (None, True, True)
    assert len(script.events) == 3


def test_authorizer_routes_without_authorizer_are_left_alone(
    api: ApiDefinition, request_at: Callable[..., RequestContext]
) -> None:
    script = ScriptedAuthorizer(RuntimeError("must not run"))
    context = request_at("GET", "/api/health", token=None)
    assert outcome(AuthorizerCheck(api, script), context) is None
    assert (context.authorizer, script.events) == (None, [])
