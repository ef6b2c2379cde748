"""The smoke key's secret goes only to the issuer's own token endpoint, over HTTPS (HTTP only on loopback)."""

import pytest

from tests.smoke.target import trusted_token_endpoint

ISSUER = "https://api.descope.com/P2abc"


def test_the_issuers_https_token_endpoint_is_trusted() -> None:
    endpoint = "https://api.descope.com/oauth2/v1/token"

    assert trusted_token_endpoint(ISSUER, endpoint) == endpoint


def test_a_loopback_issuer_may_use_http() -> None:
    endpoint = "http://127.0.0.1:8400/oauth2/v1/token"

    assert trusted_token_endpoint("http://127.0.0.1:8400/P2abc", endpoint) == endpoint


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://evil.example/oauth2/v1/token",
        "https://api.descope.com.evil.example/token",
        "http://api.descope.com/token",
    ],
)
def test_another_host_or_plain_http_gets_no_secret(endpoint: str) -> None:
    with pytest.raises(AssertionError):
        trusted_token_endpoint(ISSUER, endpoint)
