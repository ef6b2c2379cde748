"""Management API authentication: a wrong or missing key answers 401 and changes nothing."""

import httpx
import pytest

from tests.fixtures.idp import LocalIdp

BAD_AUTHORIZATIONS = {
    "missing": None,
    "wrong_key": "Bearer {pid}:NotTheKey",
    "other_project": "Bearer P2OtherProject000000000000000:{key}",
    "project_only": "Bearer {pid}",
    "basic_scheme": "Basic {pid}:{key}",
}


@pytest.mark.parametrize("authorization", BAD_AUTHORIZATIONS.values(), ids=list(BAD_AUTHORIZATIONS))
def test_management_call_with_bad_key_is_401_and_changes_nothing(idp: LocalIdp, authorization: str | None) -> None:
    headers = {}
    if authorization is not None:
        headers["Authorization"] = authorization.format(pid=idp.project_id, key=idp.management_key)
    with idp.runtime.store.read() as state:
        tenants_before = dict(state["tenants"])

    answer = httpx.post(
        f"{idp.base_url}/v1/mgmt/tenant/create", json={"name": "Intruder Ltd", "id": "T2Intruder"}, headers=headers
    )

    assert answer.status_code == 401
    assert set(answer.json()) == {"errorCode", "errorDescription", "errorMessage"}
    with idp.runtime.store.read() as state:
        assert state["tenants"] == tenants_before


def test_management_call_with_key_is_accepted(idp: LocalIdp) -> None:
    answer = httpx.get(
        f"{idp.base_url}/v1/mgmt/tenant/all", headers={"Authorization": f"Bearer {idp.project_id}:{idp.management_key}"}
    )

    assert answer.status_code == 200
