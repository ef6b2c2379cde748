"""Lambda SnapStart runtime hooks: what a snapshot may keep, and what every restored copy must renew.

With ``SnapStart: ApplyOn: PublishedVersions`` Lambda runs a function's init once per published version, snapshots
the memory of that execution environment and resumes any number of copies from it
(https://docs.aws.amazon.com/lambda/latest/dg/snapstart.html). Whatever init left in memory is therefore shared by
all copies and may be days old when a copy resumes (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html):

* kept: imported modules, the FastAPI app, the settings (the environment is fixed per published version);
* renewed after restore: pooled HTTP connections (their sockets belong to the snapshot's network session), the
  discovery document and JWKS (keys may have rotated since), and the state of :mod:`random` (every copy would draw
  the same numbers). :mod:`secrets`, :func:`uuid.uuid4` and :func:`os.urandom` read the kernel's generator, which
  Lambda reseeds on restore: they need nothing.

The hooks are registered with ``snapshot_restore_py``, which ships with Lambda's Python managed runtimes
(https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-python.html), so it is not packaged in the
layer. Where it is absent (an emulator without SnapStart) there is no snapshot and nothing is registered.
"""

import asyncio
import importlib
import logging
import random
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from identity_stack.config import get_settings

logger = logging.getLogger(__name__)

# Container-wide client factories (``functools.cache``): each holds a connection pool or an SDK client built on it.
# Renewed only where the factory's module is already imported, so a function never imports an SDK it does not use.
CLIENT_FACTORIES = (
    "identity_stack.adapters.descope.client:get_identity_provider",
    "identity_stack.adapters.aws:get_dynamodb_client",
    "identity_stack.adapters.aws:get_apigateway_client",
)
# Powertools' parameter providers (the Secrets Manager one reads the management key) keep a boto3 client each.
POWERTOOLS_PROVIDERS_MODULE = "aws_lambda_powertools.utilities.parameters.base"
IDENTITY_MODEL_MODULE = "py_identity_model"


class CachedFactory(Protocol):
    """A ``functools.cache``-wrapped function: the part of its interface the hooks use."""

    def cache_clear(self) -> None:
        """Forget the cached result."""


def prime_before_snapshot(preload: Sequence[str] = ()) -> None:
    """Do in the snapshot what every copy would otherwise repeat: import ``preload`` modules, read the settings.

    Parameters
    ----------
    preload : Sequence[str]
        Modules the function imports lazily on first use (``"descope"``, ``"boto3"``): importing them costs each
        cold start hundreds of milliseconds without SnapStart, nothing with it.
    """
    for name in preload:
        importlib.import_module(name)
    get_settings()


def refresh_after_restore(*, validates_tokens: bool = False) -> None:
    """Renew, in a copy resumed from the snapshot, what copies must not share (see the module docstring).

    Parameters
    ----------
    validates_tokens : bool
        Fetch discovery and JWKS again, as init did, so the first request pays no fetch.
    """
    random.seed()  # from os.urandom: a different sequence in every copy
    for factory in _imported_factories():
        factory.cache_clear()
    providers = sys.modules.get(POWERTOOLS_PROVIDERS_MODULE)
    if providers is not None:
        providers.DEFAULT_PROVIDERS.clear()
    if IDENTITY_MODEL_MODULE in sys.modules:
        # Mangum runs every invocation on this thread's loop; the library's client must be bound to that loop.
        asyncio.get_event_loop().run_until_complete(_reset_token_validation())
    if validates_tokens:
        from identity_stack.auth.tokens import prime_token_validation

        prime_token_validation()


def register_hooks(*, validates_tokens: bool = False, preload: Sequence[str] = ()) -> bool:
    """Register :func:`prime_before_snapshot` and :func:`refresh_after_restore` with the SnapStart runtime.

    Idempotent: the same hooks with the same arguments are registered once.

    Returns
    -------
    bool
        False when ``snapshot_restore_py`` is not importable (no SnapStart here), else True.
    """
    try:
        import snapshot_restore_py
    except ImportError:
        return False
    _register_once(
        snapshot_restore_py.get_before_snapshot(),
        snapshot_restore_py.register_before_snapshot,
        prime_before_snapshot,
        (tuple(preload),),
        {},
    )
    _register_once(
        snapshot_restore_py.get_after_restore(),
        snapshot_restore_py.register_after_restore,
        refresh_after_restore,
        (),
        {"validates_tokens": validates_tokens},
    )
    return True


def _register_once(
    registry: Sequence[Any],
    register: Callable[..., Any],
    hook: Callable[..., None],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    # The registry holds (callable, args, kwargs) tuples; make_handler may run more than once per process in tests.
    if (hook, args, kwargs) not in list(registry):
        register(hook, *args, **kwargs)


def _imported_factories() -> list[CachedFactory]:
    factories: list[CachedFactory] = []
    for path in CLIENT_FACTORIES:
        module_name, _, attribute = path.partition(":")
        module = sys.modules.get(module_name)
        if module is not None:
            factories.append(getattr(module, attribute))
    return factories


async def _reset_token_validation() -> None:
    from py_identity_model.aio.http_client import _reset_async_http_client, close_async_http_client
    from py_identity_model.aio.token_validation import clear_discovery_cache, clear_jwks_cache

    await clear_discovery_cache()
    await clear_jwks_cache()
    try:
        await close_async_http_client()
    except RuntimeError:
        # Bound to a loop that is closed: the client cannot be closed, only forgotten (the library's own reset).
        _reset_async_http_client()
