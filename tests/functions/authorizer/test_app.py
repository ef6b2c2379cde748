"""functions/authorizer through its Lambda handler: tokens in, Allow + context + usage key out, or Unauthorized."""

import time
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from identity_stack import UpstreamUnavailableError
from identity_stack.adapters.dynamodb.api_keys import TenantApiKey, TenantApiKeyRecords
from tests.builders import (
    access_key_claims,
    id_token_claims,
    make_event,
    make_token,
    user_claims,
)
from tests.fixtures.aws import LOCAL_TABLE, MotoProcess
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime, unused_port_url

DEFAULT_KEY = "shared-default-usage-key-for-tests"
API_ARN = "arn:aws:execute-api:us-east-1:123456789012:api123/dev"
TABLE = LOCAL_TABLE


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, moto_server: MotoProcess) -> MotoProcess:
    for name, value in {**moto_server.environment, "TABLE_NAME": TABLE, "DEFAULT_API_KEY_VALUE": DEFAULT_KEY}.items():
        monkeypatch.setenv(name, value)
    return moto_server


@pytest.fixture
def authorizer(lambda_runtime: LambdaRuntime, oidc_env: JwksServer, aws_env: MotoProcess) -> ModuleType:
    """functions/authorizer after a cold start against the test IdP and moto."""
    return lambda_runtime.cold_start("authorizer")


@pytest.fixture
def acme_key(aws_env: MotoProcess, lambda_runtime: LambdaRuntime) -> Iterator[TenantApiKey]:
    """A recorded API key of tenant T-acme (the tenant of ``user_claims``)."""
    records = TenantApiKeyRecords("T-acme", client=aws_env.client("dynamodb"), table_name=TABLE)
    key = TenantApiKey(key_id="acmekey01", value="acme-usage-identifier-key-value", tier="pro")
    lambda_runtime.loop.run_until_complete(records.put(key))
    yield key
    lambda_runtime.loop.run_until_complete(records.forget())


def authorizer_event(method: str, path: str, authorization: str | None) -> dict[str, Any]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    event = make_event(method, path, headers=headers)
    for integration_only in ("body", "isBase64Encoded"):
        event.pop(integration_only, None)
    return {"type": "REQUEST", "methodArn": f"{API_ARN}/{method}{path}", **event}


def authorize(runtime: LambdaRuntime, module: ModuleType, authorization: str | None, *, path: str = "/api/me") -> Any:
    method = "POST" if path == "/api/validate-id-token" else "GET"
    return runtime.invoke(module, authorizer_event(method, path, authorization))


def test_authorizer_access_token_allows_every_route_with_tenant_key(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, acme_key: TenantApiKey
) -> None:
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert output["principalId"] == "U2userAcmeAdmin"
    assert output["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [f"{API_ARN}/*/*"]}
    ]
    assert output["context"] == {"sub": "U2userAcmeAdmin", "tenant": "T-acme", "token_kind": "user"}
    assert output["usageIdentifierKey"] == acme_key.value


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [({"dct": None, "tenants": {}}, "user"), ({"amr": ["accesskey"], "dct": None, "tenants": {}}, "access_key")],
    ids=["user-without-tenant", "access-key-without-tenant"],
)
def test_authorizer_caller_without_tenant_gets_default_key(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, overrides: dict[str, Any], kind: str
) -> None:
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id, **overrides))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert output["context"] == {"sub": "U2userAcmeAdmin", "tenant": "", "token_kind": kind}
    assert output["usageIdentifierKey"] == DEFAULT_KEY


def test_authorizer_tenant_without_recorded_key_gets_default_key(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    tenants = {"T-unkeyed": {"roles": ["viewer"], "permissions": ["documents.read"]}}
    token = make_token(oidc_env.signing_key, access_key_claims(oidc_env.issuer, tenants=tenants))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert output["context"]["tenant"] == "T-unkeyed"
    assert output["context"]["token_kind"] == "access_key"
    assert output["usageIdentifierKey"] == DEFAULT_KEY


def test_authorizer_id_token_allows_only_validate_id_token(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    token = make_token(oidc_env.signing_key, id_token_claims(oidc_env.issuer, oidc_env.project_id))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}", path="/api/validate-id-token")

    assert output["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [f"{API_ARN}/POST/api/validate-id-token"]}
    ]
    assert output["context"]["token_kind"] == "id_token"
    assert output["usageIdentifierKey"] == DEFAULT_KEY


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer garbage", "expired"],
    ids=["absent", "empty", "basic", "no-token", "garbage", "expired"],
)
def test_authorizer_rejected_token_raises_unauthorized(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, authorization: str | None
) -> None:
    if authorization == "expired":
        now = int(time.time())
        claims = user_claims(oidc_env.issuer, oidc_env.project_id, iat=now - 7200, exp=now - 3600)
        authorization = f"Bearer {make_token(oidc_env.signing_key, claims)}"

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(lambda_runtime, authorizer, authorization)


def test_authorizer_identity_provider_down_is_a_failure_not_a_401(
    lambda_runtime: LambdaRuntime, monkeypatch: pytest.MonkeyPatch, oidc_env: JwksServer, aws_env: MotoProcess
) -> None:
    monkeypatch.setenv("OIDC_DISCOVERY_URL", f"{unused_port_url()}/.well-known/openid-configuration")
    module = lambda_runtime.cold_start("authorizer")
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    with pytest.raises(UpstreamUnavailableError):
        authorize(lambda_runtime, module, f"Bearer {token}")


def test_authorizer_store_down_falls_back_to_default_key(
    lambda_runtime: LambdaRuntime, monkeypatch: pytest.MonkeyPatch, oidc_env: JwksServer, aws_env: MotoProcess
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", unused_port_url())
    module = lambda_runtime.cold_start("authorizer")
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    output = authorize(lambda_runtime, module, f"Bearer {token}")

    assert output["usageIdentifierKey"] == DEFAULT_KEY
    assert output["context"]["tenant"] == "T-acme"


def test_authorizer_tenant_key_is_cached_per_container(
    lambda_runtime: LambdaRuntime,
    authorizer: ModuleType,
    oidc_env: JwksServer,
    acme_key: TenantApiKey,
    aws_env: MotoProcess,
) -> None:
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))
    first = authorize(lambda_runtime, authorizer, f"Bearer {token}")
    records = TenantApiKeyRecords("T-acme", client=aws_env.client("dynamodb"), table_name=TABLE)
    lambda_runtime.loop.run_until_complete(records.forget())

    second = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert first["usageIdentifierKey"] == second["usageIdentifierKey"] == acme_key.value
