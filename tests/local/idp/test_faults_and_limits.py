"""Fault injection and the per-project rate limit, as the descope SDK experiences them."""

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from descope import AuthException, DescopeClient, RateLimitException

from local.idp import FaultKind
from tests.fixtures.idp import LocalIdp, start_local_idp


@pytest.fixture
def clean_idp(idp: LocalIdp) -> Iterator[LocalIdp]:
    idp.reset()
    yield idp
    idp.reset()


def test_fault_error_answers_status_for_next_call_only(clean_idp: LocalIdp) -> None:
    sdk = clean_idp.descope_client()
    clean_idp.faults.add("/v1/mgmt/tenant/*", FaultKind.ERROR, count=1, status=500)

    with pytest.raises(AuthException) as failed:
        sdk.mgmt.tenant.load_all()
    recovered = sdk.mgmt.tenant.load_all()

    assert failed.value.status_code == 500
    assert json.loads(failed.value.error_message)["errorCode"]
    assert len(recovered["tenants"]) == 2


def test_fault_malformed_answers_non_json(clean_idp: LocalIdp) -> None:
    clean_idp.faults.add("/v1/mgmt/user", FaultKind.MALFORMED)

    with pytest.raises(json.JSONDecodeError):
        clean_idp.descope_client().mgmt.user.load("owner@acme.test")


def test_fault_rate_limit_gives_retry_after(clean_idp: LocalIdp) -> None:
    clean_idp.faults.add("/v2/mgmt/user/search", FaultKind.RATE_LIMIT, retry_after_s=17)

    with pytest.raises(RateLimitException) as limited:
        clean_idp.descope_client().mgmt.user.search_all()

    assert limited.value.status_code == "E130429"
    assert limited.value.rate_limit_parameters == {"Retry-After": 17}


def test_fault_timeout_outlasts_client_timeout(clean_idp: LocalIdp) -> None:
    clean_idp.faults.add(clean_idp.discovery_url.removeprefix(clean_idp.base_url), FaultKind.TIMEOUT, delay_s=1.0)

    with pytest.raises(httpx.ReadTimeout):
        httpx.get(clean_idp.discovery_url, timeout=0.2)


def test_rate_limit_over_budget_is_429_with_retry_after(clean_idp: LocalIdp) -> None:
    clean_idp.rate_limiter.configure(requests=2, window_s=30)
    sdk = clean_idp.descope_client()
    sdk.mgmt.tenant.load_all()
    sdk.mgmt.tenant.load_all()

    with pytest.raises(RateLimitException) as limited:
        sdk.mgmt.tenant.load_all()

    assert limited.value.status_code == "E130429"
    assert 1 <= limited.value.rate_limit_parameters["Retry-After"] <= 30


def test_control_endpoint_exists_only_with_faults_flag(idp: LocalIdp, tmp_path: Path) -> None:
    server, with_faults = start_local_idp(tmp_path, faults_enabled=True)
    try:
        armed = httpx.post(
            f"{with_faults.base_url}/_control/faults", json={"path": "/v1/mgmt/license", "kind": "error"}
        )
        license_call = httpx.get(
            f"{with_faults.base_url}/v1/mgmt/license",
            headers={"Authorization": f"Bearer {with_faults.project_id}:{with_faults.management_key}"},
        )
    finally:
        with_faults.close()
        server.stop()
    absent = httpx.post(f"{idp.base_url}/_control/faults", json={"path": "/x", "kind": "error"})

    assert armed.status_code == 201
    assert license_call.status_code == 500
    assert absent.status_code in (404, 405)


def test_descope_client_fixture_is_a_real_sdk_client(idp: LocalIdp) -> None:
    assert isinstance(idp.descope_client(), DescopeClient)
