"""tokens: the claim rules, and validate_access_token / validate_id_token against the test IdP."""

from typing import Any

import pytest
from py_identity_model import ClaimsValidationError

from identity_stack.auth.tokens import (
    check_audience,
    check_issuer,
    check_not_id_token,
    check_not_refresh_token,
    validate_access_token,
    validate_id_token,
)
from identity_stack.config import MissingSettingError
from identity_stack.errors import AuthenticationError, UpstreamUnavailableError
from tests.builders import access_key_claims, make_token, user_claims
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime

ALLOWED = ["https://api.descope.com/P2", "https://api.descope.com/v1/apps/P2"]


@pytest.mark.parametrize("issuer", ALLOWED, ids=["oidc-form", "apps-form"])
def test_check_issuer_allowed_forms_pass(issuer: str) -> None:
    check_issuer({"iss": issuer}, ALLOWED)


@pytest.mark.parametrize(
    "claims",
    [{}, {"iss": "P2"}, {"iss": "https://api.descope.com/P2/"}, {"iss": ["https://api.descope.com/P2"]}],
    ids=["missing", "bare-project-id", "trailing-slash", "list"],
)
def test_check_issuer_other_values_fail(claims: dict[str, Any]) -> None:
    with pytest.raises(ClaimsValidationError):
        check_issuer(claims, ALLOWED)


@pytest.mark.parametrize(
    "claims",
    [{"aud": "P2"}, {"aud": ["other", "P2"]}, {"drn": "DS"}],
    ids=["string", "list-containing", "session-token-without-aud"],
)
def test_check_audience_accepted(claims: dict[str, Any]) -> None:
    check_audience(claims, "P2")


@pytest.mark.parametrize(
    "claims",
    [{"aud": "other"}, {"aud": []}, {"aud": {"P2": True}}, {}, {"drn": "DSR"}, {"aud": None, "drn": "DS"}],
    ids=["other-string", "empty-list", "object", "no-aud-no-drn", "refresh-token", "null-aud"],
)
def test_check_audience_rejected(claims: dict[str, Any]) -> None:
    with pytest.raises(ClaimsValidationError):
        check_audience(claims, "P2")


@pytest.mark.parametrize("claim", ["nonce", "at_hash", "c_hash"], ids=["nonce", "at_hash", "c_hash"])
def test_check_not_id_token_rejects_id_token_claims(claim: str) -> None:
    with pytest.raises(ClaimsValidationError):
        check_not_id_token({claim: "x"})


@pytest.mark.parametrize("claims", [{"drn": "DS"}, {}], ids=["session", "no-drn"])
def test_check_not_refresh_token_session_or_absent_passes(claims: dict[str, Any]) -> None:
    check_not_refresh_token(claims)


@pytest.mark.parametrize("claims", [{"drn": "DSR"}, {"drn": None}], ids=["refresh", "null-drn"])
def test_check_not_refresh_token_other_drn_fails(claims: dict[str, Any]) -> None:
    with pytest.raises(ClaimsValidationError):
        check_not_refresh_token(claims)


def test_validate_access_token_returns_claims(lambda_runtime: LambdaRuntime, oidc_env: JwksServer) -> None:
    lambda_runtime.reset_container()
    claims = access_key_claims(oidc_env.issuer)

    validated = lambda_runtime.loop.run_until_complete(validate_access_token(make_token(oidc_env.ec_key, claims)))

    assert validated == claims


@pytest.mark.parametrize("status", [404, 500, 429], ids=["discovery-404", "idp-500", "idp-throttling"])
def test_validate_access_token_idp_failure_raises_unavailable(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, status: int
) -> None:
    lambda_runtime.reset_container()
    oidc_env.fail_with(status)
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    with pytest.raises(UpstreamUnavailableError) as raised:
        lambda_runtime.loop.run_until_complete(validate_access_token(token))

    assert raised.value.retry_after_s == 5


def test_validate_access_token_discovery_issuer_not_allowed_rejects_token(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The discovery document's issuer is pinned too: a document for another issuer is never trusted.
    monkeypatch.setenv("OIDC_ALLOWED_ISSUERS", "https://api.descope.com/P2Elsewhere")
    lambda_runtime.reset_container()
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))

    with pytest.raises(AuthenticationError):
        lambda_runtime.loop.run_until_complete(validate_access_token(token))


def test_validate_access_token_without_settings_raises_missing_setting(
    lambda_runtime: LambdaRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OIDC_DISCOVERY_URL", raising=False)
    lambda_runtime.reset_container()

    with pytest.raises(MissingSettingError, match="OIDC_DISCOVERY_URL"):
        lambda_runtime.loop.run_until_complete(validate_access_token("a.b.c"))


def test_validate_id_token_checks_azp_against_spa_client(lambda_runtime: LambdaRuntime, oidc_env: JwksServer) -> None:
    # OIDC Core §3.1.3.7: with several audiences, azp must be our client.
    lambda_runtime.reset_container()
    claims = user_claims(oidc_env.issuer, oidc_env.project_id, aud=[oidc_env.project_id, "other"], azp="other")

    with pytest.raises(AuthenticationError):
        lambda_runtime.loop.run_until_complete(validate_id_token(make_token(oidc_env.signing_key, claims)))


def test_validate_id_token_access_key_session_token_is_rejected(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer
) -> None:
    lambda_runtime.reset_container()
    token = make_token(oidc_env.signing_key, access_key_claims(oidc_env.issuer))

    with pytest.raises(AuthenticationError):
        lambda_runtime.loop.run_until_complete(validate_id_token(token))
