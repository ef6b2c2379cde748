"""Run one invocation of a function in a fresh Python process (:mod:`local.invoke.bootstrap`), as Lambda would.

The process is ``python -I``: no current folder, user site or ``PYTHON*`` variable on its path, so the function sees
its code folder, its layers and the virtualenv's packages (where the layer's requirements are installed), never the
repository's ``local`` package. Its working directory is the code folder and its environment is exactly the one
given; the function's logs reach this process's stderr as they are written.
"""

import json
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.invoke.resolution import ResolvedFunction

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
# Lambda gives a function's init phase its own 10 s; the invocation's Timeout is enforced by the bootstrap.
INIT_TIMEOUT_S = 10


@dataclass(frozen=True)
class Invocation:
    """The outcome of one invocation.

    Attributes
    ----------
    payload : Any
        The handler's response, or Lambda's error object ``{"errorMessage", "errorType", ...}``.
    failed : bool
        The function raised, could not load, timed out or returned something that is not JSON.
    request_id : str
    duration_ms : float
        Wall time of the whole process, init included.
    """

    payload: Any
    failed: bool
    request_id: str
    duration_ms: float


def invoke_function(
    function: ResolvedFunction, event: Any, environment: Mapping[str, str], context: Mapping[str, Any]
) -> Invocation:
    """Invoke the function's handler once with ``event`` in a new interpreter.

    Parameters
    ----------
    function : ResolvedFunction
        Code folder, layers, handler and timeout of the function.
    event : Any
        The JSON event.
    environment : Mapping[str, str]
        The function's whole environment (:func:`local.invoke.environment.resolve_environment`).
    context : Mapping[str, Any]
        The Lambda context's attributes but its deadline (``function.context`` and an ``aws_request_id``).

    Returns
    -------
    Invocation
        A handler past its ``Timeout`` is reported as Lambda reports it (``Task timed out after N seconds``); a
        process still running after the init limit and the timeout is killed.
    """
    job = {
        "handler": function.handler,
        "paths": list(function.paths),
        "event": event,
        "context": dict(context),
        "timeout_s": function.timeout_s,
    }
    started_s = time.monotonic()
    try:
        completed = subprocess.run(  # noqa: S603 - this interpreter and a fixed script, no shell
            [sys.executable, "-I", str(BOOTSTRAP)],
            input=json.dumps(job),
            stdout=subprocess.PIPE,
            stderr=None,
            cwd=function.code_dir,
            env=dict(environment),
            text=True,
            timeout=INIT_TIMEOUT_S + function.timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        timed_out = {
            "errorMessage": f"RequestId: {context['aws_request_id']} Error: Init timed out after {INIT_TIMEOUT_S} "
            "seconds",
            "errorType": "Runtime.InitTimeout",
        }
        return Invocation(timed_out, True, context["aws_request_id"], (time.monotonic() - started_s) * 1000)
    duration_ms = (time.monotonic() - started_s) * 1000
    try:
        payload = json.loads(completed.stdout)
    except ValueError:
        # The process died before answering (killed, or the interpreter itself failed).
        payload = {
            "errorMessage": f"RequestId: {context['aws_request_id']} Error: Runtime exited with status "
            f"{completed.returncode}",
            "errorType": "Runtime.ExitError",
        }
        return Invocation(payload, True, context["aws_request_id"], duration_ms)
    return Invocation(payload, completed.returncode != 0, context["aws_request_id"], duration_ms)
