"""SnapStart hooks, called the way the Lambda runtime calls them: before the snapshot, then in each restored copy."""

import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import snapshot_restore_py
from fastapi import FastAPI
from py_identity_model.aio import http_client

from identity_stack.adapters.aws import get_apigateway_client, get_dynamodb_client
from identity_stack.adapters.descope.client import get_identity_provider
from identity_stack.auth.tokens import prime_token_validation, validate_access_token
from identity_stack.config import get_settings
from identity_stack.web import snapstart
from identity_stack.web.handler import make_handler
from tests.builders import make_token, user_claims
from tests.fixtures.jwks import JwksServer
from tests.fixtures.lambda_runtime import LambdaRuntime


@pytest.fixture
def hook_registry(monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], list[Any]]:
    """Empty registries of snapshot_restore_py for one test (the runtime reads them through its getters)."""
    before: list[Any] = []
    after: list[Any] = []
    monkeypatch.setattr(snapshot_restore_py, "_before_snapshot_registry", before)
    monkeypatch.setattr(snapshot_restore_py, "_after_restore_registry", after)
    return before, after


def run_before_snapshot() -> None:
    # The runtime runs before-snapshot hooks in reverse order of registration.
    for hook, args, kwargs in reversed(snapshot_restore_py.get_before_snapshot()):
        hook(*args, **kwargs)


def run_after_restore() -> None:
    for hook, args, kwargs in snapshot_restore_py.get_after_restore():
        hook(*args, **kwargs)


def test_client_factories_named_by_the_hooks_exist_and_are_caches() -> None:
    # A factory that moved would silently keep its snapshot-time client: the list must follow the code.
    for path in snapstart.CLIENT_FACTORIES:
        module_name, _, attribute = path.partition(":")
        __import__(module_name)
        assert callable(getattr(sys.modules[module_name], attribute).cache_clear), path


def test_before_snapshot_imports_preloaded_modules_and_reads_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lazy_sdk_probe.py").write_text("LOADED = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "lazy_sdk_probe", raising=False)
    get_settings.cache_clear()

    snapstart.prime_before_snapshot(("lazy_sdk_probe",))

    assert sys.modules["lazy_sdk_probe"].LOADED
    assert get_settings.cache_info().currsize == 1
    monkeypatch.delitem(sys.modules, "lazy_sdk_probe")


def test_after_restore_gives_each_copy_its_own_random_sequence(lambda_runtime: LambdaRuntime) -> None:
    random.seed(1234)
    snapshot_state = random.getstate()
    draws = []
    for _copy in range(2):
        random.setstate(snapshot_state)  # both copies resume with the snapshot's generator state
        snapstart.refresh_after_restore()
        draws.append([random.random() for _ in range(4)])
    assert draws[0] != draws[1]


@pytest.fixture
def uncached_aws_clients() -> Iterator[None]:
    """No cached boto3 client before the test, and none left behind for the next test to pick up."""
    for factory in (get_dynamodb_client, get_apigateway_client):
        factory.cache_clear()
    yield
    for factory in (get_dynamodb_client, get_apigateway_client):
        factory.cache_clear()


@pytest.mark.usefixtures("uncached_aws_clients")
def test_after_restore_builds_new_clients(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    from aws_lambda_powertools.utilities.parameters import base as parameters

    monkeypatch.setitem(parameters.DEFAULT_PROVIDERS, "secrets", object())
    before = (get_identity_provider(), get_dynamodb_client(), get_apigateway_client())

    snapstart.refresh_after_restore()

    after = (get_identity_provider(), get_dynamodb_client(), get_apigateway_client())
    assert [old is new for old, new in zip(before, after, strict=True)] == [False, False, False]
    assert "secrets" not in parameters.DEFAULT_PROVIDERS


def test_after_restore_refetches_discovery_and_jwks_on_a_new_http_client(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer
) -> None:
    prime_token_validation()  # what the authorizer does at init, before the snapshot
    snapshot_client = http_client._state["client"]
    fetched_at_init = (oidc_env.discovery_fetches, oidc_env.jwks_fetches)

    snapstart.refresh_after_restore(validates_tokens=True)

    assert fetched_at_init == (1, 1)
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (2, 2)
    assert snapshot_client is not None
    assert http_client._state["client"] is not snapshot_client
    token = make_token(oidc_env.signing_key, user_claims(oidc_env.issuer, oidc_env.project_id))
    # The restored copy still validates, from the keys fetched after the restore.
    claims = lambda_runtime.loop.run_until_complete(validate_access_token(token))
    assert claims["sub"] == user_claims(oidc_env.issuer, oidc_env.project_id)["sub"]
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (2, 2)


def test_after_restore_without_token_validation_fetches_nothing(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer
) -> None:
    lambda_runtime.cold_start_app(FastAPI())

    snapstart.refresh_after_restore()

    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (0, 0)


def test_make_handler_registers_the_hooks_once(
    lambda_runtime: LambdaRuntime, oidc_env: JwksServer, hook_registry: tuple[list[Any], list[Any]]
) -> None:
    for _ in range(2):
        make_handler(FastAPI(), snapshot_preload=("json",))

    before, after = hook_registry
    assert before == [(snapstart.prime_before_snapshot, (("json",),), {})]
    assert after == [(snapstart.refresh_after_restore, (), {"validates_tokens": False})]
    run_before_snapshot()
    run_after_restore()
    # A function validates no token (the authorizer did): neither hook fetches discovery or JWKS.
    assert (oidc_env.discovery_fetches, oidc_env.jwks_fetches) == (0, 0)


def test_register_hooks_without_the_runtime_library_registers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "snapshot_restore_py", None)  # import raises ImportError

    assert snapstart.register_hooks(validates_tokens=True) is False
