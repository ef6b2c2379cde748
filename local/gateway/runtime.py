"""Run Lambda handlers in-process, one isolated "container" per function, the way the Lambda runtime would.

Every function of the template shares this process, so isolation is emulated:

* each container imports its handler as Lambda does (``app.handler`` imports the top-level module ``app``), with
  its ``CodeUri`` folder, then its layer folders, first on ``sys.path``; a module next to ``app.py`` is imported by
  ``import services`` (the task root is on the path; ``from . import services`` fails, as on Lambda, because the
  handler module is not inside a package);
* each container has its own module namespace: every top-level name its folders provide (``app``, ``services``,
  ``identity_stack``...), the runtime's own ``snapshot_restore_py``, and everything under them belong to the
  container, and are in ``sys.modules`` only while it runs. Two functions may each have a ``services.py``, each
  function has its own copy of the layer and its caches, and the host process (pytest) keeps its own copies under
  the same names;
* the function's environment is applied to ``os.environ`` while it imports and while it is invoked, because
  functions read their settings at import;
* handlers run on one thread for the whole process, never on the caller's event loop: Mangum drives that thread's
  loop, as in Lambda, and libraries that bind async clients to the first loop they see (py-identity-model) keep
  working across invocations, containers and gateways.

Third-party packages (site-packages) and the standard library are shared by all containers (a folder module named
like a standard-library module is not the container's: Lambda's runtime has imported most of them before the
handler). Invocations are serialised, one at a time in the process, which is enough for a local stack; it also
makes swapping ``os.environ`` and ``sys.modules`` safe.
"""

import importlib
import logging
import os
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from local.gateway.api import FunctionSpec
from local.gateway.authorizers import UNAUTHORIZED_MESSAGE as AUTHORIZER_UNAUTHORIZED_MESSAGE
from local.gateway.errors import FunctionInvocationError, FunctionLoadError
from local.gateway.template import LOCAL_REGION
from local.invoke.bootstrap import LambdaContext

logger = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], Any], Any]
# The one thread every handler runs on (see the module docstring); a timed-out invocation keeps it busy until the
# handler returns, as a stuck Lambda container would.
_LAMBDA_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lambda-runtime")
# Modules of the Lambda runtime that keep per-environment state: each container imports its own copy. The SnapStart
# hook registry would otherwise collect (and keep alive) the hooks of every container the process ever started.
RUNTIME_MODULES = ("snapshot_restore_py",)


def runtime_environment(spec: FunctionSpec) -> dict[str, str]:
    """Variables the Lambda runtime defines for every function (AWS "Defined runtime environment variables").

    ``AWS_SAM_LOCAL`` tells Powertools (and code that asks) that this is a local run, as ``sam local`` does.
    """
    return {
        "AWS_REGION": LOCAL_REGION,
        "AWS_DEFAULT_REGION": LOCAL_REGION,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "AWS_LAMBDA_FUNCTION_NAME": spec.name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "local",
        "LAMBDA_TASK_ROOT": str(spec.code_dir),
        "_HANDLER": spec.handler,
        "AWS_SAM_LOCAL": "true",
    }


def context_fields(spec: FunctionSpec) -> dict[str, Any]:
    """The Lambda context of one invocation of ``spec``, all but its deadline (a new ``aws_request_id`` each call)."""
    return {
        "function_name": spec.name,
        "function_version": "$LATEST",
        "invoked_function_arn": spec.arn,
        "memory_limit_in_mb": spec.memory_mb,
        "aws_request_id": str(uuid.uuid4()),
        "log_group_name": f"/aws/lambda/{spec.name}",
        "log_stream_name": "local",
    }


class FunctionRuntime:
    """Containers for the functions of one gateway, created on first invocation.

    Parameters
    ----------
    environment_overrides : Mapping[str, str]
        Variables set in every function on top of its template environment (AWS_ENDPOINT_URL, fake credentials,
        the local management key: what the local stack adds and templates never declare).
    """

    def __init__(self, environment_overrides: Mapping[str, str] | None = None) -> None:
        self._overrides = dict(environment_overrides or {})
        self._containers: dict[str, _Container] = {}
        self._lock = threading.Lock()
        # Logical id -> invocations, so tests can tell which functions a request reached.
        self.invocation_counts: Counter[str] = Counter()

    def invoke(self, spec: FunctionSpec, event: dict[str, Any]) -> Any:
        """Invoke a function's handler with an event, importing it first on a cold start.

        Returns
        -------
        Any
            Whatever the handler returned.

        Raises
        ------
        FunctionLoadError
            The handler cannot be imported.
        FunctionInvocationError
            The handler raised, or ran past the function's ``Timeout``.
        """
        self.invocation_counts[spec.logical_id] += 1
        future = _LAMBDA_THREAD.submit(self._container(spec).invoke, event)
        try:
            return future.result(timeout=spec.timeout_s)
        except FutureTimeoutError as exc:
            raise FunctionInvocationError(f"{spec.logical_id} timed out after {spec.timeout_s} s") from exc

    def load(self, spec: FunctionSpec) -> ModuleType:
        """Import a function's handler module in its container (a cold start) without invoking it.

        Returns
        -------
        ModuleType
            The function module, for introspection (its FastAPI ``app``); its globals keep the container's copies.

        Raises
        ------
        FunctionLoadError
            The handler cannot be imported.
        """
        return _LAMBDA_THREAD.submit(self._container(spec).load).result()

    def _container(self, spec: FunctionSpec) -> "_Container":
        with self._lock:
            if spec.logical_id not in self._containers:
                self._containers[spec.logical_id] = _Container(spec, self._overrides)
            return self._containers[spec.logical_id]

    def close(self) -> None:
        """Drop every container, so the next invocation is a cold start."""
        with self._lock:
            self._containers.clear()


class _Container:
    def __init__(self, spec: FunctionSpec, overrides: Mapping[str, str]) -> None:
        self._spec = spec
        self._environment = {**runtime_environment(spec), **spec.environment, **overrides}
        self._roots = tuple(str(root) for root in (spec.code_dir, *spec.layer_paths))
        self._names = frozenset(RUNTIME_MODULES).union(*(_top_level_names(root) for root in self._roots))
        self._modules: dict[str, ModuleType] = {}
        self._module: ModuleType | None = None
        self._handler: Handler | None = None

    def load(self) -> ModuleType:
        with self._entered():
            return self._loaded()[0]

    def invoke(self, event: dict[str, Any]) -> Any:
        with self._entered():
            _, handler = self._loaded()
            context = LambdaContext(**context_fields(self._spec), deadline_s=time.monotonic() + self._spec.timeout_s)
            try:
                return handler(event, context)
            except Exception as exc:
                if str(exc) == AUTHORIZER_UNAUTHORIZED_MESSAGE:
                    # A Lambda authorizer's documented way to answer 401: an expected outcome, not a fault to trace.
                    logger.info("%s refused the request (Unauthorized)", self._spec.logical_id)
                else:
                    # Lambda reports the error to API Gateway, which answers 502; the traceback goes to the log.
                    logger.exception("%s raised", self._spec.logical_id)
                raise FunctionInvocationError(f"{self._spec.logical_id} raised {type(exc).__name__}") from exc

    def _loaded(self) -> tuple[ModuleType, Handler]:
        if self._module is None or self._handler is None:
            self._module, self._handler = self._import_handler()
        return self._module, self._handler

    def _import_handler(self) -> tuple[ModuleType, Handler]:
        module_path, _, attribute = self._spec.handler.rpartition(".")
        source = self._spec.code_dir.joinpath(*module_path.split(".")).with_suffix(".py")
        if not module_path or module_path.partition(".")[0] not in self._names or not source.is_file():
            raise FunctionLoadError(f"{self._spec.logical_id}: handler {self._spec.handler!r} has no {source}")
        try:
            module = importlib.import_module(module_path)
        except Exception as exc:
            # A failed init leaves nothing behind: the next invocation imports everything again, as a new
            # Lambda execution environment would.
            for name in [name for name in sys.modules if self._owns(name)]:
                del sys.modules[name]
            logger.exception("%s failed to import", self._spec.logical_id)
            raise FunctionLoadError(f"{self._spec.logical_id}: importing {source} failed: {exc}") from exc
        handler = getattr(module, attribute, None)
        if not callable(handler):
            raise FunctionLoadError(f"{self._spec.logical_id}: {self._spec.handler} is not callable")
        return module, handler

    @contextmanager
    def _entered(self) -> Iterator[None]:
        saved_environment = {name: os.environ.get(name) for name in self._environment}
        host_modules = {name: sys.modules.pop(name) for name in [name for name in sys.modules if self._owns(name)]}
        sys.modules.update(self._modules)
        sys.path[:0] = self._roots
        os.environ.update(self._environment)
        try:
            yield
        finally:
            for name, value in saved_environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            for root in self._roots:
                sys.path.remove(root)
            self._modules = {name: sys.modules.pop(name) for name in [name for name in sys.modules if self._owns(name)]}
            sys.modules.update(host_modules)

    def _owns(self, module_name: str) -> bool:
        return module_name.partition(".")[0] in self._names


def _top_level_names(root: str) -> set[str]:
    """Names ``import <name>`` finds in a folder first on ``sys.path``: modules, packages and namespace packages."""
    if not os.path.isdir(root):
        return set()
    names = set()
    for entry in os.scandir(root):
        name = entry.name.removesuffix(".py") if entry.is_file() else entry.name
        if (
            (entry.is_dir() or entry.name.endswith(".py"))
            and name.isidentifier()
            and name != "__pycache__"
            and name not in sys.stdlib_module_names
        ):
            names.add(name)
    return names
