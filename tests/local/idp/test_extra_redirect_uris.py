"""Extra approved redirect URIs (``IdpConfig.extra_redirect_uris``, ``serve --redirect-uri``): added to the
Terraform's ``spa_extra_redirect_urls``, compared as whole strings, and their origins allowed by CORS."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local.idp.pkce_client import DEFAULT_REDIRECT_URI, make_pkce_pair
from tests.fixtures.idp import LocalIdp, start_local_idp

EXTRA_ORIGIN = "http://127.0.0.1:4173"


@pytest.fixture(scope="module")
def extra_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIdp]:
    """A provider that also approves ``EXTRA_ORIGIN`` (as the browser tests' SPA origin)."""
    state_dir: Path = tmp_path_factory.mktemp("idp-extra-redirect")
    server, handle = start_local_idp(state_dir, extra_redirect_uris=(EXTRA_ORIGIN,))
    yield handle
    handle.close()
    server.stop()


def _authorize(idp: LocalIdp, redirect_uri: str) -> httpx.Response:
    _, challenge = make_pkce_pair()
    params = {
        "response_type": "code",
        "client_id": idp.project_id,
        "redirect_uri": redirect_uri,
        "scope": "openid",
        "state": "state-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "login_hint": "owner@acme.test",
    }
    return httpx.get(f"{idp.base_url}/oauth2/v1/authorize", params=params)


@pytest.mark.parametrize("redirect_uri", [EXTRA_ORIGIN, DEFAULT_REDIRECT_URI], ids=["extra", "terraform"])
def test_authorize_extra_redirect_uri_is_approved_beside_terraform_ones(extra_idp: LocalIdp, redirect_uri: str) -> None:
    answer = _authorize(extra_idp, redirect_uri)

    assert answer.status_code == 302
    assert answer.headers["location"].startswith(f"{redirect_uri}?code=")


@pytest.mark.parametrize(
    "redirect_uri",
    [f"{EXTRA_ORIGIN}/", f"{EXTRA_ORIGIN}/callback", "http://localhost:4173", "http://127.0.0.1:4174"],
    ids=["trailing_slash", "path_suffix", "other_host", "other_port"],
)
def test_authorize_near_miss_of_extra_redirect_uri_answers_400_without_redirect(
    extra_idp: LocalIdp, redirect_uri: str
) -> None:
    answer = _authorize(extra_idp, redirect_uri)

    assert answer.status_code == 400
    assert "location" not in answer.headers


def test_token_endpoint_preflight_from_extra_origin_is_allowed(extra_idp: LocalIdp) -> None:
    answer = httpx.options(
        f"{extra_idp.base_url}/oauth2/v1/token",
        headers={"Origin": EXTRA_ORIGIN, "Access-Control-Request-Method": "POST"},
    )

    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == EXTRA_ORIGIN


def test_extra_redirect_uri_is_not_approved_by_default_provider(idp: LocalIdp) -> None:
    assert _authorize(idp, EXTRA_ORIGIN).status_code == 400
