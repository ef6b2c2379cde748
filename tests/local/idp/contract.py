"""Fixture ``contract``: the same SDK contract case against the local provider and, when configured, real Descope.

Each test that takes ``contract`` runs twice: ``[local]`` against the session's local identity provider (re-seeded
around the test) and ``[live]`` against the Descope project named by ``DESCOPE_PROJECT_ID`` and
``DESCOPE_MANAGEMENT_KEY`` (``DESCOPE_BASE_URL`` optional). Without those variables the live variant is skipped,
with a reason that names them, so a run always reports it. Live cases create what they use under unique names and
delete it afterwards; they never assume the local seed, and they assert only behaviour local/idp/README.md lists as
Descope's (not the codes it marks "local choice").
"""

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest
from descope import DescopeClient

LIVE_VARIABLES = ("DESCOPE_PROJECT_ID", "DESCOPE_MANAGEMENT_KEY")
LIVE_BASE_URL_VARIABLE = "DESCOPE_BASE_URL"
SDK_TIMEOUT_S = 10
LOCAL, LIVE = "local", "live"


@dataclass
class ContractTarget:
    """One identity provider under contract test.

    Attributes
    ----------
    name : str
        ``local`` or ``live``.
    sdk : DescopeClient
        With the management key.
    """

    name: str
    sdk: DescopeClient
    _cleanup: ExitStack = field(default_factory=ExitStack, repr=False)

    def unique(self, prefix: str) -> str:
        """A name no other run uses (live projects are shared between runs)."""
        return f"{prefix}-{uuid.uuid4().hex[:10]}"

    def on_teardown(self, undo: Callable[..., Any], *args: Any) -> None:
        """Call ``undo(*args)`` after the test, last registered first (a failed undo does not hide the others)."""
        self._cleanup.callback(_ignoring_errors, undo, *args)

    def close(self) -> None:
        """Run every registered undo."""
        self._cleanup.close()


def _ignoring_errors(undo: Callable[..., Any], *args: Any) -> None:
    # Best-effort cleanup of a shared live project (the test may have deleted it already); the outcome stands.
    with contextlib.suppress(Exception):
        undo(*args)


def live_client(test_name: str) -> DescopeClient:
    """A ``DescopeClient`` for the configured live project; skips ``test_name`` (naming the variables) without one."""
    missing = [name for name in LIVE_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.skip(f"{test_name}: live Descope variant needs {' and '.join(missing)} (a real project and its key)")
    options: dict[str, Any] = {"timeout_seconds": SDK_TIMEOUT_S}
    if base_url := os.environ.get(LIVE_BASE_URL_VARIABLE):
        options["base_url"] = base_url
    return DescopeClient(
        os.environ["DESCOPE_PROJECT_ID"], management_key=os.environ["DESCOPE_MANAGEMENT_KEY"], **options
    )


@pytest.fixture(params=[LOCAL, LIVE])
def contract(request: pytest.FixtureRequest) -> Iterator[ContractTarget]:
    """The local provider (re-seeded before and after), then the live project (or its named skip)."""
    if request.param == LIVE:
        target = ContractTarget(LIVE, live_client(request.node.name))
        yield target
        target.close()
        return
    idp = request.getfixturevalue("idp")
    idp.reset()
    target = ContractTarget(LOCAL, idp.descope_client())
    yield target
    target.close()
    idp.reset()
