"""identity_stack.web.tracing: the X-Ray SDK only when XRAY_SDK_TRACING asks for it."""

from collections.abc import Iterator
from typing import Any

import pytest

from identity_stack.config import get_settings
from identity_stack.web.tracing import xray_sdk_tracing
from tests.builders import lambda_context


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def test_tracing_is_off_by_default(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.delenv("XRAY_SDK_TRACING", raising=False)

    assert xray_sdk_tracing() == []


def test_tracing_on_wraps_the_handler_in_the_tracer(settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("XRAY_SDK_TRACING", "true")
    settings_env.setenv("POWERTOOLS_TRACE_DISABLED", "true")  # no X-Ray daemon here: the decorator still runs
    calls: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        calls.append(event)
        return {"statusCode": 200}

    decorators = xray_sdk_tracing()

    assert len(decorators) == 1
    traced = decorators[0](handler)
    assert traced is not handler
    assert traced({"path": "/api/health"}, lambda_context()) == {"statusCode": 200}
    assert calls == [{"path": "/api/health"}]
