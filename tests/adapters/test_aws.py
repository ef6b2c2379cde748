"""identity_stack.adapters.aws: one client per service and container, short timeouts, endpoints from the environment."""

import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from botocore.client import BaseClient

from identity_stack.adapters.aws import (
    APIGATEWAY_TIMEOUTS,
    DYNAMODB_TIMEOUTS,
    ClientTimeouts,
    get_apigateway_client,
    get_dynamodb_client,
)
from local import REPOSITORY_ROOT
from local.aws import FAKE_CREDENTIALS
from local.gateway.template import LOCAL_REGION

FACTORIES: list[tuple[Callable[[], BaseClient], ClientTimeouts, str]] = [
    (get_dynamodb_client, DYNAMODB_TIMEOUTS, "dynamodb"),
    (get_apigateway_client, APIGATEWAY_TIMEOUTS, "apigateway"),
]


@pytest.fixture(autouse=True)
def fresh_clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {**FAKE_CREDENTIALS, "AWS_DEFAULT_REGION": LOCAL_REGION}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:45999")
    get_dynamodb_client.cache_clear()
    get_apigateway_client.cache_clear()
    yield
    get_dynamodb_client.cache_clear()
    get_apigateway_client.cache_clear()


@pytest.mark.parametrize(("factory", "timeouts", "service"), FACTORIES, ids=["dynamodb", "apigateway"])
def test_factory_builds_one_client_with_short_timeouts_and_standard_retries(
    factory: Callable[[], BaseClient], timeouts: ClientTimeouts, service: str
) -> None:
    client = factory()
    # botocore sets each option as an attribute; its stubs declare none of them.
    config = vars(client.meta.config)

    assert factory() is client
    assert client.meta.service_model.service_name == service
    assert (config["connect_timeout"], config["read_timeout"]) == (timeouts.connect_s, timeouts.read_s)
    assert config["retries"] == {"mode": "standard", "total_max_attempts": timeouts.max_attempts}
    assert timeouts.read_s + timeouts.connect_s < 29 / timeouts.max_attempts


@pytest.mark.parametrize(("factory", "timeouts", "service"), FACTORIES, ids=["dynamodb", "apigateway"])
def test_factory_takes_endpoint_and_region_from_the_environment(
    factory: Callable[[], BaseClient], timeouts: ClientTimeouts, service: str
) -> None:
    client = factory()
    assert client.meta.endpoint_url == "http://127.0.0.1:45999"
    assert client.meta.region_name == LOCAL_REGION


def test_importing_the_adapters_does_not_import_boto3() -> None:
    code = (
        "import sys; import identity_stack.adapters.aws, identity_stack.adapters.rate_limits, "
        "identity_stack.adapters.dynamodb.resources; print('boto3' in sys.modules, 'botocore' in sys.modules)"
    )
    layer = str(REPOSITORY_ROOT / "layers" / "shared")
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": layer}
    )
    assert result.stdout.split() == ["False", "False"]
