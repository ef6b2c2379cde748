"""A key's secret is sent once, in the 201 of its creation, and never again: not by list, get, status changes,
errors, nor in any log line of the functions (logged at DEBUG here, so nothing is filtered out by level)."""

import logging
from collections.abc import Callable

import pytest

from tests.fixtures.gateway import GatewayClient
from tests.fixtures.idp import LocalIdp


@pytest.fixture
def verbose_gateway(gateway_factory: Callable[..., GatewayClient]) -> GatewayClient:
    """Cold functions logging at DEBUG (event logging stays off, as deployed: it would log what clients send)."""
    return gateway_factory(environment={"POWERTOOLS_LOG_LEVEL": "DEBUG"})


def test_key_secret_appears_only_in_creation_response(
    verbose_gateway: GatewayClient,
    fresh_idp: LocalIdp,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    acme = fresh_idp.seed.tenant_ids["acme"]
    admin = fresh_idp.token_for("admin@acme.test", tenant=acme).access_token
    created = verbose_gateway.request("POST", "/api/keys", token=admin, json={"name": "ci"})
    secret = created.json()["cleartext"]
    key_path = f"/api/keys/{created.json()['key']['id']}"
    fresh_idp.faults.add("/v1/mgmt/accesskey/deactivate", "error", status=500)

    later = [
        verbose_gateway.request("GET", "/api/keys", token=admin),
        verbose_gateway.request("GET", key_path, token=admin),
        verbose_gateway.request("POST", f"{key_path}/deactivate", token=admin),  # the armed fault: 503
        verbose_gateway.request("POST", f"{key_path}/deactivate", token=admin),
        verbose_gateway.request("POST", f"{key_path}/activate", token=admin),
        # A 422 must not echo the body either, even when the secret is sent back in it.
        verbose_gateway.request("POST", "/api/keys", token=admin, json={"name": "", "description": secret}),
        verbose_gateway.request("DELETE", key_path, token=admin),
    ]
    output = capfd.readouterr()

    assert created.status_code == 201
    assert [response.status_code for response in later] == [200, 200, 503, 200, 200, 422, 204]
    for response in later:
        assert secret not in response.text
        assert secret not in str(response.headers)
    assert caplog.records  # the functions did log, at DEBUG
    assert secret not in caplog.text
    assert secret not in output.out
    assert secret not in output.err
