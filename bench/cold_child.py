"""One cold start in a fresh interpreter: import a Lambda handler, invoke it once, report what it cost.

Run by :mod:`bench.cold_start` as ``python -I bench/cold_child.py <job.json> <result.json>`` with the function's
environment. Only the standard library is imported before the clock starts, so the handler's import pays for every
third-party module it needs, as in a new Lambda container. Logs go to stdout (Powertools' choice), hence the result
file.
"""

import functools
import importlib
import inspect
import json
import sys
import time
import uuid
from typing import Any

# Imported only where used: py-identity-model by the authorizer alone (functions trust its context), descope by
# nothing before a management call, boto3 only by functions with AWS resources.
WATCHED_MODULES = ("descope", "py_identity_model", "boto3")
KIB_PER_MIB = 1024
PROC_STATUS = "/proc/self/status"


class LambdaContext:
    """The attributes of the Lambda context object that Powertools reads."""

    function_version = "$LATEST"
    memory_limit_in_mb = 512
    log_stream_name = "bench"

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.aws_request_id = str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def peak_rss_mib() -> float:
    """High-water resident set of this process image (``VmHWM``; ``ru_maxrss`` would count the parent's before exec)."""
    with open(PROC_STATUS) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / KIB_PER_MIB
    raise RuntimeError(f"no VmHWM in {PROC_STATUS}")


def _loaded_modules() -> dict[str, bool]:
    return {name: name in sys.modules for name in WATCHED_MODULES}


def _identity_model_misses() -> int | None:
    # Discovery + JWKS cache misses of py-identity-model's async path (each one a fetch); None when not imported.
    if "py_identity_model" not in sys.modules:
        return None
    snapshot = sys.modules["py_identity_model"].get_cache_counters().snapshot()
    return snapshot["disco_misses"] + snapshot["jwks_misses"]


def _is_async(call: Any) -> bool:
    target = inspect.unwrap(call)
    # An instance dependency runs its __call__; a class is instantiated in the threadpool like any sync callable.
    if not (inspect.isroutine(target) or inspect.isclass(target) or isinstance(target, functools.partial)):
        target = type(target).__call__
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


def sync_callables(module: Any) -> list[str]:
    """Routes and dependencies FastAPI would run in its threadpool (``def`` instead of ``async def``)."""
    app = getattr(module, "app", None)
    if app is None or not hasattr(app, "routes"):
        return []
    from fastapi.routing import APIRoute

    found: set[str] = set()
    pending = [route.dependant for route in app.routes if isinstance(route, APIRoute)]
    while pending:
        dependant = pending.pop()
        if dependant.call is not None and not _is_async(dependant.call):
            code = getattr(inspect.unwrap(dependant.call), "__code__", None)
            where = f"{code.co_filename}:{code.co_firstlineno}" if code else repr(dependant.call)
            found.add(f"{getattr(dependant.call, '__qualname__', dependant.call)} ({where})")
        pending.extend(dependant.dependencies)
    return sorted(found)


def main(job_path: str, result_path: str) -> None:
    with open(job_path) as job_file:
        job = json.load(job_file)
    module_name, _, attribute = job["handler"].rpartition(".")
    # Lambda puts the function's code folder, then each layer's python folder (/opt/python), on sys.path.
    sys.path[:0] = [job["code_dir"], *job["layer_paths"]]

    init_wall_s, init_cpu_s = time.perf_counter(), time.process_time()
    module = importlib.import_module(module_name)
    handler = getattr(module, attribute)
    init_wall_s, init_cpu_s = time.perf_counter() - init_wall_s, time.process_time() - init_cpu_s
    loaded_at_init = _loaded_modules()
    misses_at_init = _identity_model_misses()

    invoke_wall_s, invoke_cpu_s = time.perf_counter(), time.process_time()
    response = handler(job["event"], LambdaContext(job["function_name"]))
    invoke_wall_s, invoke_cpu_s = time.perf_counter() - invoke_wall_s, time.process_time() - invoke_cpu_s

    misses_after_invoke = _identity_model_misses()
    result = {
        "init_wall_s": init_wall_s,
        "init_cpu_s": init_cpu_s,
        "invoke_wall_s": invoke_wall_s,
        "invoke_cpu_s": invoke_cpu_s,
        "peak_rss_mib": peak_rss_mib(),
        "loaded_at_init": loaded_at_init,
        "loaded_after_invoke": _loaded_modules(),
        # A proxy response carries statusCode; an authorizer answers with a policy document.
        "status": response.get("statusCode") if isinstance(response, dict) else None,
        "is_policy": isinstance(response, dict) and "policyDocument" in response,
        "sync_callables": sync_callables(module),
        "identity_model_cache": None
        if misses_after_invoke is None
        else {"init_misses": misses_at_init or 0, "invoke_misses": misses_after_invoke - (misses_at_init or 0)},
    }
    with open(result_path, "w") as result_file:
        json.dump(result, result_file)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
