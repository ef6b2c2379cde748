"""Key rotation: py-identity-model refetches the JWKS exactly once for a token signed with the new key."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from py_identity_model import TokenValidationConfig
from py_identity_model.aio import validate_token

from tests.fixtures.idp import LocalIdp, start_local_idp

pytestmark = pytest.mark.usefixtures("fresh_async_token_validation")


@pytest.fixture
def own_idp(tmp_path: Path) -> Iterator[LocalIdp]:
    # A provider of its own: rotation must not change the keys other tests' caches hold, and a new port gives
    # py-identity-model cold caches.
    server, handle = start_local_idp(tmp_path)
    yield handle
    handle.close()
    server.stop()


async def test_validate_token_after_rotation_refetches_jwks_once(own_idp: LocalIdp) -> None:
    config = TokenValidationConfig(perform_disco=True, audience=own_idp.project_id, allowed_issuers=[own_idp.issuer])
    old_token = own_idp.token_for("owner@acme.test").access_token
    await validate_token(old_token, config, own_idp.discovery_url)
    fetches_before = own_idp.requests.count(own_idp.jwks_path)

    new_kid = own_idp.rotate_keys()
    new_token = own_idp.token_for("owner@acme.test").access_token
    claims = await validate_token(new_token, config, own_idp.discovery_url)
    await validate_token(new_token, config, own_idp.discovery_url)
    await validate_token(old_token, config, own_idp.discovery_url)

    assert fetches_before == 1
    assert own_idp.requests.count(own_idp.jwks_path) == 2
    assert claims["sub"].startswith("U2")
    assert own_idp.runtime.keys.jwks()["keys"][0]["kid"] == new_kid


def test_jwks_publishes_current_and_previous_with_use_only(own_idp: LocalIdp) -> None:
    first = own_idp.runtime.keys.current_kid
    own_idp.rotate_keys()

    keys = own_idp.runtime.keys.jwks()["keys"]

    assert keys[1]["kid"] == first
    assert all(key["use"] == "sig" and "key_ops" not in key and key["alg"] == "RS256" for key in keys)
    assert all("d" not in key for key in keys)
