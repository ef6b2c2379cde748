"""descope_client: SDK faults become problems; the management key comes from env or Secrets Manager."""

import json

import boto3
import httpx
import pytest
from descope import AuthException, RateLimitException
from moto import mock_aws

from identity_stack.adapters.descope.client import read_management_key, translate_sdk_faults
from identity_stack.config import Settings
from identity_stack.errors import (
    ConflictError,
    NotFoundError,
    ProblemError,
    UpstreamError,
    UpstreamUnavailableError,
)

UPSTREAM_TEXT = "internal shard 7 exploded"


def auth_exception(status: int | None, code: str) -> AuthException:
    body = json.dumps({"errorCode": code, "errorDescription": UPSTREAM_TEXT, "errorMessage": UPSTREAM_TEXT})
    return AuthException(status, "server error", body)


FAULTS: dict[str, tuple[Exception, type[ProblemError], int]] = {
    "rate-limited": (
        RateLimitException("E130429", "API rate limit exceeded", UPSTREAM_TEXT, UPSTREAM_TEXT, {"Retry-After": 17}),
        UpstreamUnavailableError,
        503,
    ),
    "user-not-found": (auth_exception(400, "E112102"), NotFoundError, 404),
    "user-exists": (auth_exception(400, "E062107"), ConflictError, 409),
    "other-4xx": (auth_exception(403, "E011003"), UpstreamError, 502),
    "5xx": (auth_exception(502, "E000001"), UpstreamUnavailableError, 503),
    "non-json-error-body": (AuthException(400, "server error", "<html>oops</html>"), UpstreamError, 502),
    "sdk-misconfigured": (AuthException(None, "invalid argument", UPSTREAM_TEXT), ProblemError, 500),
    "network": (httpx.ConnectError(UPSTREAM_TEXT), UpstreamUnavailableError, 503),
    "non-json-2xx": (json.JSONDecodeError(UPSTREAM_TEXT, "<html>", 0), UpstreamError, 502),
}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
async def test_translate_sdk_faults_maps_fault_to_problem(fault: str) -> None:
    raised, problem_type, status = FAULTS[fault]

    with pytest.raises(problem_type) as caught:
        async with translate_sdk_faults("test operation"):
            raise raised

    assert caught.value.status_code == status
    assert caught.value.__cause__ is raised
    assert UPSTREAM_TEXT not in json.dumps(caught.value.to_problem())


async def test_translate_sdk_faults_rate_limit_keeps_retry_after() -> None:
    with pytest.raises(UpstreamUnavailableError) as caught:
        async with translate_sdk_faults("test operation"):
            raise RateLimitException(429, "API rate limit exceeded", "", "", {"Retry-After": 17})

    assert caught.value.headers["Retry-After"] == "17"


async def test_translate_sdk_faults_rate_limit_without_retry_after_uses_default() -> None:
    with pytest.raises(UpstreamUnavailableError) as caught:
        async with translate_sdk_faults("test operation"):
            raise RateLimitException(429, "API rate limit exceeded", "", "", {})

    assert caught.value.retry_after_s == 5


def test_read_management_key_prefers_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY", "K-from-env")
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x")

    assert read_management_key(Settings()) == "K-from-env"


def test_read_management_key_reads_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESCOPE_MANAGEMENT_KEY", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        arn = boto3.client("secretsmanager").create_secret(Name="descope-mgmt", SecretString="K-from-secret")["ARN"]
        monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY_SECRET_ARN", arn)

        assert read_management_key(Settings()) == "K-from-secret"


def test_read_management_key_none_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DESCOPE_MANAGEMENT_KEY", raising=False)
    monkeypatch.delenv("DESCOPE_MANAGEMENT_KEY_SECRET_ARN", raising=False)

    assert read_management_key(Settings()) is None
