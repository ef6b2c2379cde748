"""The sample API (tests/local/gateway/sample) behind a fresh emulator per test."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from local.gateway import Gateway, GatewayConfig, GatewayResult, IncomingRequest, build_gateway

SAMPLE_TEMPLATE = Path(__file__).resolve().parent / "sample" / "template.yaml"
SAMPLE_PARAMETERS = {"Greeting": "hello"}
SAMPLE_ENVIRONMENT = {"EXTRA": "from-local-config"}


class SampleApi:
    """Sends requests to a gateway over the sample template and reads its answers."""

    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def send(
        self,
        method: str,
        path: str,
        *,
        headers: tuple[tuple[str, str], ...] = (),
        query: tuple[tuple[str, str], ...] = (),
        body: bytes = b"",
    ) -> GatewayResult:
        """Hand one request to ``Gateway.handle``."""
        return self.gateway.handle(IncomingRequest(method, path, query=query, headers=headers, body=body))

    @staticmethod
    def json(result: GatewayResult) -> Any:
        """The response body as JSON."""
        return json.loads(result.body)

    @staticmethod
    def headers(result: GatewayResult, name: str) -> list[str]:
        """Every value of one response header (case-insensitive name)."""
        return [value for key, value in result.headers if key.lower() == name.lower()]


@pytest.fixture
def sample_factory() -> Iterator[Callable[..., SampleApi]]:
    """Build sample APIs with extra template parameters (``Mode="loud"``); all closed at teardown."""
    gateways: list[Gateway] = []

    def build(**parameters: str) -> SampleApi:
        config = GatewayConfig(SAMPLE_TEMPLATE, {**SAMPLE_PARAMETERS, **parameters}, SAMPLE_ENVIRONMENT)
        gateways.append(build_gateway(config))
        return SampleApi(gateways[-1])

    yield build
    for gateway in gateways:
        gateway.close()


@pytest.fixture
def sample(sample_factory: Callable[..., SampleApi]) -> SampleApi:
    """The sample API with cold functions."""
    return sample_factory()
