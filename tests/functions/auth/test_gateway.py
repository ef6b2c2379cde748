"""functions/auth behind the emulated API Gateway: the authorizer's cached answer and the token's ``exp``."""

import time
from collections.abc import Callable

import jwt
import pytest

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
