"""py-identity-model's async client is bound to the first event loop that used it, and pytest-asyncio gives each
test a new loop: tests that validate tokens start with a fresh client and empty token caches."""

from collections.abc import AsyncIterator

import pytest
from py_identity_model.aio.http_client import _reset_async_http_client, close_async_http_client
from py_identity_model.aio.token_validation import clear_discovery_cache, clear_jwks_cache

from tests.local.idp.contract import contract  # noqa: F401 - the local/live contract fixture of this folder


async def _reset_async_token_validation() -> None:
    await clear_discovery_cache()
    await clear_jwks_cache()
    try:
        await close_async_http_client()
    except RuntimeError:  # bound to a loop that is already closed
        _reset_async_http_client()


@pytest.fixture
async def fresh_async_token_validation() -> AsyncIterator[None]:
    await _reset_async_token_validation()
    yield
    await _reset_async_token_validation()
