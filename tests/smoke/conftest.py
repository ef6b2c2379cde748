"""Fixtures of the smoke suite: the target (a deployed stage, or the local stack started here), a client, a token."""

from collections.abc import Iterator

import httpx
import pytest

from local.gateway import build_gateway, make_asgi_app
from tests.e2e.stack import ThreadedServer, bind_loopback
from tests.fixtures.gateway import stack_config
from tests.smoke.target import SmokeTarget, target_from_environment, trusted_token_endpoint

HTTP_TIMEOUT_S = 30.0
LOCAL_ACCESS_KEY = "acme_api"
LOCAL_TENANT = "acme"


@pytest.fixture(scope="session")
def smoke_target(request: pytest.FixtureRequest) -> Iterator[SmokeTarget]:
    """The stage named by ``SMOKE_*`` variables; without ``SMOKE_API_URL``, the local stack on free ports."""
    deployed = target_from_environment()
    if deployed is not None:
        yield deployed
        return
    # Looked up only here, so a run against a deployed stage starts neither the provider nor moto.
    idp = request.getfixturevalue("idp")
    config = stack_config(idp, request.getfixturevalue("moto_server"))
    gateway = build_gateway(config)
    server = ThreadedServer(make_asgi_app(gateway), bind_loopback(), "smoke-gateway").start()
    key = idp.seed.access_keys[LOCAL_ACCESS_KEY]
    try:
        yield SmokeTarget(
            api_url=server.url,
            issuer=idp.issuer,
            client_id=key.key_id,
            client_secret=key.secret,
            allowed_origin=config.parameter_overrides["AllowedOrigin"],
            tenant_id=idp.seed.tenant_ids[LOCAL_TENANT],
        )
    finally:
        server.stop()
        gateway.close()


@pytest.fixture(scope="session")
def api(smoke_target: SmokeTarget) -> Iterator[httpx.Client]:
    """A client of the stage's API; with the ``ministack`` gap it sends the usage-plan key as ``x-api-key``."""
    # MiniStack gap 4 "ApiKeySourceType: AUTHORIZER not supported" (docs/deploy-rehearsal.md): without x-api-key
    # every keyed route answers 403, so the key the authorizer would have named is sent by the client instead.
    headers = {"x-api-key": smoke_target.api_key} if smoke_target.api_key else {}
    client = httpx.Client(base_url=smoke_target.api_url, headers=headers, timeout=HTTP_TIMEOUT_S, trust_env=False)
    with client:
        yield client


@pytest.fixture(scope="session")
def access_token(smoke_target: SmokeTarget) -> str:
    """An access token of the smoke key from the issuer's token endpoint (client credentials, HTTP Basic)."""
    with httpx.Client(timeout=HTTP_TIMEOUT_S, trust_env=False) as client:
        discovery = client.get(f"{smoke_target.issuer}/.well-known/openid-configuration")
        discovery.raise_for_status()
        document = discovery.json()
        assert "client_credentials" in document.get("grant_types_supported", ["client_credentials"])
        token_endpoint = trusted_token_endpoint(smoke_target.issuer, document["token_endpoint"])
        answer = client.post(
            token_endpoint,
            data={"grant_type": "client_credentials"},
            auth=(smoke_target.client_id, smoke_target.client_secret),
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"].lower() == "bearer"
    return str(body["access_token"])
