"""functions/auth behind the emulated API Gateway: the authorizer's cached answer and the token's ``exp``."""

import time
from collections.abc import Callable

import jwt
import pytest

from local.gateway.events import IncomingRequest
from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp

# OIDC_LEEWAY_S as template.yaml leaves it (the layer's default).
LEEWAY_S = 30


def test_token_expiring_inside_the_authorizer_cache_gets_401_from_the_function(
    gateway_factory: Callable[..., GatewayClient], idp: LocalIdp, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The gateway's clock moves a minute per request and ReauthorizeEvery is 300 s, so the second request reuses the
    # authorizer's Allow; only the function's own clock passes the token's `exp` (+ leeway) in between.
    gateway = gateway_factory()
    token = idp.token_for("member@acme.test").access_token
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]

    fresh = gateway.request("GET", "/api/me", token=token)
    monkeypatch.setattr(time, "time", lambda: exp + LEEWAY_S + 1.0)
    expired = gateway.request("GET", "/api/me", token=token)
    monkeypatch.undo()

    assert fresh.status_code == 200
    assert expired.status_code == 401
    assert expired.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    # The function's problem (it carries the correlation id), not the gateway's own 401: the request got through.
    assert expired.json()["correlation_id"] == expired.headers["x-correlation-id"]


def _send(gateway: GatewayClient, method: str, path: str, *authorizations: tuple[str, str]) -> int:
    # Header fields in order, repeats and name cases kept (httpx's Mapping API would merge them).
    request = IncomingRequest(method=method, raw_path=path, headers=(("Host", "testserver"), *authorizations))
    return gateway.gateway.handle(request).status


def test_several_authorization_headers_cannot_share_an_authorizer_answer_between_tokens(
    gateway_factory: Callable[..., GatewayClient], idp: LocalIdp
) -> None:
    # The authorizer's answer is cached under one Authorization value (the identity source); were another of the
    # request's values validated instead, that answer would later serve the first token: here the ID token's
    # single-route Allow under the access token (a 403 for its owner), or the access token's Allow under the ID token.
    gateway = gateway_factory()
    tokens = idp.token_for("member@acme.test")
    access, id_token = f"Bearer {tokens.access_token}", f"Bearer {tokens.id_token}"

    poison_access = _send(gateway, "GET", "/api/me", ("Authorization", id_token), ("authorization", access))
    access_after = _send(gateway, "GET", "/api/me", ("Authorization", access))
    poison_id = _send(gateway, "GET", "/api/me", ("Authorization", access), ("authorization", id_token))
    id_after = _send(gateway, "GET", "/api/me", ("Authorization", id_token))

    assert (poison_access, access_after) == (401, 200)
    assert (poison_id, id_after) == (401, 403)
