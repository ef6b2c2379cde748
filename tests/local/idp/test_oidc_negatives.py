"""OIDC negatives: each gives the standard OAuth error and issues nothing (no code, no token, no session)."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from local.idp.pkce_client import DEFAULT_REDIRECT_URI, make_pkce_pair
from tests.fixtures.idp import LocalIdp


def _authorize(idp: LocalIdp, **overrides: str | None) -> httpx.Response:
    _, challenge = make_pkce_pair()
    params = {
        "response_type": "code",
        "client_id": idp.project_id,
        "redirect_uri": DEFAULT_REDIRECT_URI,
        "scope": "openid",
        "state": "state-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "login_hint": "owner@acme.test",
    } | overrides
    return httpx.get(f"{idp.base_url}/oauth2/v1/authorize", params={k: v for k, v in params.items() if v is not None})


def _redirect_query(answer: httpx.Response) -> dict[str, str]:
    assert answer.status_code == 302
    return {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["location"]).query).items()}


def _code_and_verifier(idp: LocalIdp, login_id: str = "owner@acme.test") -> tuple[str, str]:
    verifier, challenge = make_pkce_pair()
    query = _redirect_query(_authorize(idp, code_challenge=challenge, login_hint=login_id))
    return query["code"], verifier


def _redeem(idp: LocalIdp, code: str, verifier: str, redirect_uri: str = DEFAULT_REDIRECT_URI) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": idp.project_id,
        "code_verifier": verifier,
    }
    return httpx.post(f"{idp.base_url}/oauth2/v1/token", data=form)


def _session_count(idp: LocalIdp) -> int:
    with idp.runtime.store.read() as state:
        return len(state["sessions"])


AUTHORIZE_REFUSALS = {
    "no_pkce": ({"code_challenge": None, "code_challenge_method": None}, "invalid_request"),
    "plain_pkce": ({"code_challenge_method": "plain"}, "invalid_request"),
    "missing_method_means_plain": ({"code_challenge_method": None}, "invalid_request"),
    "unknown_login_hint": ({"login_hint": "nobody@nowhere.test"}, "invalid_request"),
    "disabled_user": ({"login_hint": "disabled@acme.test"}, "access_denied"),
    "implicit_flow": ({"response_type": "token"}, "unsupported_response_type"),
}


@pytest.mark.parametrize(("overrides", "error"), AUTHORIZE_REFUSALS.values(), ids=list(AUTHORIZE_REFUSALS))
def test_authorize_refused_request_redirects_error_without_code(
    idp: LocalIdp, overrides: dict[str, str | None], error: str
) -> None:
    query = _redirect_query(_authorize(idp, **overrides))

    assert query["error"] == error
    assert query["state"] == "state-1"
    assert "code" not in query


@pytest.mark.parametrize(
    "overrides",
    [{"redirect_uri": "http://127.0.0.1:3000/evil"}, {"redirect_uri": "https://attacker.test"}, {"client_id": "Pnope"}],
    ids=["redirect_uri_suffix", "foreign_redirect_uri", "unknown_client"],
)
def test_authorize_unverified_client_or_redirect_answers_400_without_redirect(
    idp: LocalIdp, overrides: dict[str, str]
) -> None:
    answer = _authorize(idp, **overrides)

    assert answer.status_code == 400
    assert "location" not in answer.headers


def test_token_wrong_verifier_is_invalid_grant_and_issues_nothing(idp: LocalIdp) -> None:
    code, _ = _code_and_verifier(idp)
    other_verifier, _ = make_pkce_pair()
    sessions_before = _session_count(idp)

    answer = _redeem(idp, code, other_verifier)

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"
    assert "access_token" not in answer.json()
    assert _session_count(idp) == sessions_before


def test_token_wrong_redirect_uri_is_invalid_grant(idp: LocalIdp) -> None:
    code, verifier = _code_and_verifier(idp)

    answer = _redeem(idp, code, verifier, redirect_uri="http://localhost:3000")

    assert answer.json()["error"] == "invalid_grant"
    assert "access_token" not in answer.json()


def test_token_reused_code_is_invalid_grant_and_revokes_first_tokens(idp: LocalIdp) -> None:
    code, verifier = _code_and_verifier(idp)
    first = _redeem(idp, code, verifier).json()

    second = _redeem(idp, code, verifier)
    refresh = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"], "client_id": idp.project_id},
    )

    assert second.json()["error"] == "invalid_grant"
    assert "access_token" not in second.json()
    assert refresh.json()["error"] == "invalid_grant"


def test_token_refresh_reuse_is_invalid_grant_and_revokes_session(idp: LocalIdp) -> None:
    tokens = idp.token_for("member@acme.test")
    form = {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id}
    rotated = httpx.post(f"{idp.base_url}/oauth2/v1/token", data=form).json()

    replay = httpx.post(f"{idp.base_url}/oauth2/v1/token", data=form)
    after_replay = httpx.post(
        f"{idp.base_url}/oauth2/v1/token", data=form | {"refresh_token": rotated["refresh_token"]}
    )

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    assert after_replay.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    ("client_id", "secret"),
    [("integration_tests", "wrong-secret"), ("acme_api", "integration_tests")],
    ids=["wrong_secret", "secret_of_other_key"],
)
def test_token_client_credentials_bad_secret_is_invalid_client(idp: LocalIdp, client_id: str, secret: str) -> None:
    keys = idp.seed.access_keys
    presented = keys[secret].secret if secret in keys else secret

    answer = httpx.post(
        f"{idp.base_url}/oauth2/v1/token",
        data={"grant_type": "client_credentials"},
        auth=(keys[client_id].key_id, presented),
    )

    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert "access_token" not in answer.json()


def test_token_refresh_after_user_disabled_is_invalid_grant(idp: LocalIdp) -> None:
    tokens = idp.token_for("member@acme.test")
    try:
        idp.descope_client().mgmt.user.deactivate("member@acme.test")

        answer = httpx.post(
            f"{idp.base_url}/oauth2/v1/token",
            data={"grant_type": "refresh_token", "refresh_token": tokens.refresh_token, "client_id": idp.project_id},
        )
    finally:
        idp.reset()

    assert answer.json()["error"] == "invalid_grant"


def test_token_unknown_grant_type_is_unsupported(idp: LocalIdp) -> None:
    answer = httpx.post(f"{idp.base_url}/oauth2/v1/token", data={"grant_type": "password"})

    assert answer.json()["error"] == "unsupported_grant_type"
