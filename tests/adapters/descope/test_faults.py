"""Descope SDK and transport faults become problems, never echoing upstream text; 429 keeps its Retry-After."""

import json

import httpx
import pytest
from descope import AuthException, RateLimitException

from identity_stack.adapters.descope.faults import access_key_not_found, tenant_exists, translate_sdk_faults
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
        RateLimitException(429, "E130429", UPSTREAM_TEXT, UPSTREAM_TEXT, {"Retry-After": 17}),
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


@pytest.mark.parametrize(
    ("raised", "problem_type", "status"),
    [
        (auth_exception(400, "E114107"), ConflictError, 409),
        (auth_exception(400, "E112102"), NotFoundError, 404),
        (auth_exception(400, "E011003"), UpstreamError, 502),
    ],
    ids=["tenant-exists", "user-not-found-still-general", "other-4xx"],
)
async def test_tenant_exists_refinement_only_changes_its_code(
    raised: AuthException, problem_type: type[ProblemError], status: int
) -> None:
    with pytest.raises(problem_type) as caught:
        async with translate_sdk_faults("create tenant", refine=tenant_exists):
            raise raised

    assert caught.value.status_code == status


@pytest.mark.parametrize(
    "raised", [auth_exception(404, "E000000"), auth_exception(400, "E115102")], ids=["http-404", "local-code"]
)
async def test_access_key_not_found_refinement_is_404(raised: AuthException) -> None:
    with pytest.raises(NotFoundError, match="No such access key"):
        async with translate_sdk_faults("load access key", refine=access_key_not_found):
            raise raised


async def test_access_key_refinement_leaves_5xx_unavailable() -> None:
    with pytest.raises(UpstreamUnavailableError):
        async with translate_sdk_faults("load access key", refine=access_key_not_found):
            raise auth_exception(503, "E000001")
