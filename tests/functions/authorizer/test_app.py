"""functions/authorizer through its Lambda handler: tokens in, Allow + context + usage key out, or Unauthorized."""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from types import ModuleType
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from identity_stack import AuthenticationError, Principal, UpstreamUnavailableError
from identity_stack.adapters.dynamodb.api_keys import TenantApiKey, TenantApiKeyRecords
from identity_stack.auth.context import decode_context
from tests.builders import (
    SigningKey,
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


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hs256_with_public_key(server: JwksServer, claims: dict[str, Any]) -> str:
    # The classic algorithm-confusion forgery: HMAC keyed with the RSA public key. PyJWT refuses to create it, so the
    # JWS is assembled by hand (test-only: this is the attack, not a signing path).
    pem = server.signing_key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": server.signing_key.kid}).encode())
    payload = b64url(json.dumps(claims).encode())
    signature = hmac.new(pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def rejected_tokens(server: JwksServer) -> dict[str, str]:
    issuer, audience, key = server.issuer, server.project_id, server.signing_key
    now = int(time.time())
    return {
        "garbage": "garbage",
        "three-garbage-segments": "a.b.c",
        "expired": make_token(key, user_claims(issuer, audience, iat=now - 7200, exp=now - 3600)),
        "nbf-in-future": make_token(key, user_claims(issuer, audience, nbf=now + 3600)),
        "iat-in-future": make_token(key, user_claims(issuer, audience, iat=now + 3600)),
        "wrong-iss": make_token(key, user_claims("https://evil.example/P2TestProject000000000000000", audience)),
        "no-iss": make_token(key, user_claims(issuer, audience, iss=None)),
        "wrong-aud": make_token(key, user_claims(issuer, "P2OtherProject")),
        "other-project": make_token(key, user_claims(f"{server.base_url}/P2OtherProject", "P2OtherProject")),
        "alg-none": jwt.encode(user_claims(issuer, audience), key=None, algorithm="none", headers={"kid": key.kid}),
        "hs256-with-public-key": hs256_with_public_key(server, user_claims(issuer, audience)),
        "foreign-key-known-kid": make_token(SigningKey.rsa(key.kid), user_claims(issuer, audience)),
        "missing-sub": make_token(key, user_claims(issuer, audience, sub=None)),
        "missing-exp": make_token(key, user_claims(issuer, audience, exp=None)),
        "missing-iat": make_token(key, user_claims(issuer, audience, iat=None)),
        "no-aud-not-session-token": make_token(key, user_claims(issuer, audience, aud=None, drn=None)),
        "no-aud-refresh-token": make_token(key, access_key_claims(issuer, drn="DSR")),
        "refresh-token-with-aud": make_token(key, user_claims(issuer, audience, drn="DSR")),
        "id-token-as-access-token": make_token(key, user_claims(issuer, audience, nonce="n-0S6_WzA2Mj")),
    }


REJECTED_CASES = [
    "garbage",
    "three-garbage-segments",
    "expired",
    "nbf-in-future",
    "iat-in-future",
    "wrong-iss",
    "no-iss",
    "wrong-aud",
    "other-project",
    "alg-none",
    "hs256-with-public-key",
    "foreign-key-known-kid",
    "missing-sub",
    "missing-exp",
    "missing-iat",
    "no-aud-not-session-token",
    "no-aud-refresh-token",
    "refresh-token-with-aud",
    "id-token-as-access-token",
]


def test_authorizer_access_token_allows_every_route_with_tenant_key(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, acme_key: TenantApiKey
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)
    token = make_token(oidc_env.signing_key, claims)

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert output["principalId"] == "U2userAcmeAdmin"
    assert output["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [f"{API_ARN}/*/*"]}
    ]
    context = output["context"]
    assert (context["sub"], context["tenant"], context["kind"]) == ("U2userAcmeAdmin", "T-acme", "user")
    assert decode_context(context, leeway_s=0) == Principal.from_claims(claims)
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

    assert (output["context"]["sub"], output["context"]["tenant"], output["context"]["kind"]) == (
        "U2userAcmeAdmin",
        "",
        kind,
    )
    assert output["usageIdentifierKey"] == DEFAULT_KEY


def test_authorizer_tenant_without_recorded_key_gets_default_key(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    tenants = {"T-unkeyed": {"roles": ["viewer"], "permissions": ["documents.read"]}}
    token = make_token(oidc_env.signing_key, access_key_claims(oidc_env.issuer, tenants=tenants))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert output["context"]["tenant"] == "T-unkeyed"
    assert output["context"]["kind"] == "access_key"
    assert output["usageIdentifierKey"] == DEFAULT_KEY


def test_authorizer_id_token_allows_only_validate_id_token(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    token = make_token(oidc_env.signing_key, id_token_claims(oidc_env.issuer, oidc_env.project_id))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}", path="/api/validate-id-token")

    assert output["policyDocument"]["Statement"] == [
        {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": [f"{API_ARN}/POST/api/validate-id-token"]}
    ]
    assert output["context"]["kind"] == "id_token"
    with pytest.raises(AuthenticationError):  # no function route accepts an ID token's context
        decode_context(output["context"], leeway_s=0)
    assert output["usageIdentifierKey"] == DEFAULT_KEY


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer "],
    ids=["absent", "empty", "basic", "no-token", "blank-token"],
)
def test_authorizer_without_bearer_token_raises_unauthorized(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, authorization: str | None
) -> None:
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(lambda_runtime, authorizer, authorization)


@pytest.mark.parametrize("case", REJECTED_CASES, ids=REJECTED_CASES)
def test_authorizer_rejected_token_raises_unauthorized(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, case: str
) -> None:
    token = rejected_tokens(oidc_env)[case]

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(lambda_runtime, authorizer, f"Bearer {token}")


@pytest.mark.parametrize("key_name", ["signing_key", "ec_key"], ids=["rs256", "es256"])
def test_authorizer_accepts_both_signing_algorithms(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, key_name: str
) -> None:
    token = make_token(getattr(oidc_env, key_name), user_claims(oidc_env.issuer, oidc_env.project_id))

    output = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    assert output["principalId"] == "U2userAcmeAdmin"


@pytest.mark.parametrize(
    ("form", "kind"),
    [("user-session-token-without-aud", "user"), ("access-key-token-from-apps-issuer", "access_key")],
)
def test_authorizer_accepts_descope_session_tokens_without_aud_and_both_issuer_forms(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, form: str, kind: str
) -> None:
    # Descope's default session token has no `aud` and is still a user's; the `/v1/apps/<project>` issuer form is
    # Descope's other issuer (both in OIDC_ALLOWED_ISSUERS).
    apps_issuer = f"{oidc_env.base_url}/v1/apps/{oidc_env.project_id}"
    claims = {
        "user-session-token-without-aud": user_claims(oidc_env.issuer, oidc_env.project_id, aud=None),
        "access-key-token-from-apps-issuer": access_key_claims(apps_issuer),
    }[form]

    output = authorize(lambda_runtime, authorizer, f"Bearer {make_token(oidc_env.signing_key, claims)}")

    assert output["context"]["kind"] == kind
    assert decode_context(output["context"], leeway_s=0).issuer == claims["iss"]


def test_authorizer_unknown_kid_refetches_jwks_once_then_rejects(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    claims = user_claims(oidc_env.issuer, oidc_env.project_id)
    jwks_fetches_after_init = oidc_env.jwks_fetches

    for kid in ("unknown-kid", "another-kid"):
        with pytest.raises(Exception, match=r"^Unauthorized$"):
            authorize(lambda_runtime, authorizer, f"Bearer {make_token(SigningKey.rsa(kid), claims)}")

    # One refetch for the first unknown kid; the second falls inside py-identity-model's refresh cooldown.
    assert oidc_env.jwks_fetches == jwks_fetches_after_init + 1


def test_authorizer_token_accepted_then_expired_is_rejected(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: a token validated once must not stay valid past `exp` through a cache.
    claims = user_claims(oidc_env.issuer, oidc_env.project_id, exp=int(time.time()) + 60)
    token = make_token(oidc_env.signing_key, claims)
    accepted = authorize(lambda_runtime, authorizer, f"Bearer {token}")

    class Later(datetime):
        """PyJWT's clock, moved past `exp` plus the 30 s leeway."""

        @classmethod
        def now(cls, tz: tzinfo | None = None) -> "Later":
            return super().now(tz) + timedelta(seconds=95)

    monkeypatch.setattr(jwt.api_jwt, "datetime", Later)

    assert accepted["principalId"] == "U2userAcmeAdmin"
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        authorize(lambda_runtime, authorizer, f"Bearer {token}")


def test_authorizer_warm_invocations_fetch_discovery_and_jwks_once(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    principals = {authorize(lambda_runtime, authorizer, f"Bearer {token}")["principalId"] for _ in range(100)}

    assert principals == {"U2userAcmeAdmin"}
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (1, 1)


def test_authorizer_key_rotation_costs_one_jwks_refetch(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    rotated = SigningKey.rsa("rsa-2")
    oidc_env.publish(rotated)
    token = make_token(rotated, user_claims(oidc_env.issuer, oidc_env.project_id))

    principals = [authorize(lambda_runtime, authorizer, f"Bearer {token}")["principalId"] for _ in range(5)]

    assert principals == ["U2userAcmeAdmin"] * 5
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (1, 2)


def test_authorizer_idp_down_at_cold_start_fails_then_recovers(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, aws_env: MotoProcess
) -> None:
    oidc_env.fail_with(503)
    module = lambda_runtime.cold_start("authorizer")  # priming fails and is swallowed: the import must not crash
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    with pytest.raises(UpstreamUnavailableError) as down:
        authorize(lambda_runtime, module, f"Bearer {token}")
    oidc_env.fail_with(None)
    back = authorize(lambda_runtime, module, f"Bearer {token}")

    assert down.value.headers == {"Retry-After": "5"}
    assert back["principalId"] == "U2userAcmeAdmin"


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


@pytest.mark.parametrize(
    "headers",
    [
        {"headers": {"Authorization": "Bearer {id}", "authorization": "Bearer {access}"}},
        {"multiValueHeaders": {"Authorization": ["Bearer {id}", "Bearer {access}"]}},
        {"multiValueHeaders": {"Authorization": ["Bearer {access}"], "AUTHORIZATION": ["Bearer {id}"]}},
    ],
    ids=["headers-by-case", "repeated", "multi-value-by-case"],
)
def test_authorizer_refuses_several_authorization_values(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer, headers: dict[str, Any]
) -> None:
    # API Gateway caches the answer under one of the values (its identity source), not necessarily the one this
    # authorizer would validate: the answer for one token could be reused for the other, so neither is validated.
    tokens = {
        "access": make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id)),
        "id": make_token(oidc_env.signing_key, id_token_claims(oidc_env.issuer, oidc_env.project_id)),
    }
    event = authorizer_event("GET", "/api/me", f"Bearer {tokens['access']}")
    for where, values in headers.items():
        event[where] = {
            name: [value.format(**tokens) for value in listed] if isinstance(listed, list) else listed.format(**tokens)
            for name, listed in values.items()
        }

    with pytest.raises(Exception, match=r"^Unauthorized$"):
        lambda_runtime.invoke(authorizer, event)


def test_authorizer_accepts_the_same_authorization_value_repeated(
    lambda_runtime: LambdaRuntime, authorizer: ModuleType, oidc_env: JwksServer
) -> None:
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))
    event = authorizer_event("GET", "/api/me", f"Bearer {token}")
    event["multiValueHeaders"] = {"Authorization": [f"Bearer {token}"], "authorization": [f"Bearer {token}"]}

    output = lambda_runtime.invoke(authorizer, event)

    assert output["context"]["kind"] == "user"
