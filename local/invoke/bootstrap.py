"""The Lambda runtime's bootstrap for one invocation in a fresh interpreter (``python -I bootstrap.py``).

Run by :mod:`local.invoke.runner` with the function's environment already set and its working directory at the
code folder (``LAMBDA_TASK_ROOT``). It reads one job from stdin (``{"handler", "paths", "event", "context",
"timeout_s"}``), puts the code folder and the layers' folders first on ``sys.path`` (``/var/task``, then
``/opt/python`` in Lambda), imports the handler, invokes it once and writes the response, or Lambda's error object,
as JSON to its stdout.

Everything the function prints or logs goes to stderr, as the function's CloudWatch log stream would receive it:
file descriptor 1 is redirected to 2 before the function is imported, and the response is written to a copy of the
original stdout. Only the standard library is imported here, so the function's import pays for every package it
needs, as in a new Lambda container. Exit status 0: a response; 1: an unhandled error (import, handler or
serialisation), as ``{"errorMessage", "errorType", "requestId", "stackTrace"}`` (the Lambda Invoke API's error shape).

The error types of a failed import and of a missing handler are those of the Python runtime interface client
(``awslambdaric``): ``Runtime.ImportModuleError``, ``Runtime.HandlerNotFound``, ``Runtime.MarshalError``.
"""

import importlib
import json
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from typing import IO, Any


@dataclass
class LambdaContext:
    """The context object the Python Lambda runtime passes to a handler (``awslambdaric`` attribute names)."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    deadline_s: float = field(repr=False)
    identity: Any = None
    client_context: Any = None

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the function's ``Timeout``."""
        return max(0, int((self.deadline_s - time.monotonic()) * 1000))


class InvocationError(Exception):
    """Raised when the runtime, not the handler, fails: the module or handler is missing, the result is not JSON.

    Parameters
    ----------
    error_type : str
        Lambda's ``errorType`` for the failure (``Runtime.ImportModuleError``, ...).
    message : str
    """

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def error_payload(exc: BaseException, request_id: str) -> dict[str, Any]:
    """Lambda's error object for an exception: ``errorMessage``, ``errorType``, ``requestId``, ``stackTrace``."""
    error_type = exc.error_type if isinstance(exc, InvocationError) else type(exc).__name__
    stack = traceback.format_list(traceback.extract_tb(exc.__traceback__))
    return {"errorMessage": str(exc), "errorType": error_type, "requestId": request_id, "stackTrace": stack}


def load_handler(handler: str) -> Any:
    """Import ``module.attribute`` the way the Python runtime does (``app.handler`` → ``app`` from the code folder).

    Raises
    ------
    InvocationError
        The module cannot be imported (``Runtime.ImportModuleError``) or has no such callable
        (``Runtime.HandlerNotFound``).
    """
    module_name, _, attribute = handler.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:
        raise InvocationError("Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}") from exc
    function = getattr(module, attribute, None)
    if not callable(function):
        raise InvocationError("Runtime.HandlerNotFound", f"Handler '{attribute}' missing on module '{module_name}'")
    return function


def run(job: dict[str, Any], response: IO[str]) -> int:
    """Invoke the job's handler once and write its response (or error) to ``response``; return the exit status.

    The handler runs under the function's ``Timeout``, counted from the invocation (the import is the init phase,
    which has its own limit, enforced by the caller); past it the process ends with Lambda's timeout error.
    """
    sys.path[:0] = job["paths"]
    try:
        handler = load_handler(job["handler"])
        context = LambdaContext(**job["context"], deadline_s=time.monotonic() + job["timeout_s"])
        timer = threading.Timer(job["timeout_s"], _time_out, args=(response, context.aws_request_id, job["timeout_s"]))
        timer.daemon = True
        timer.start()
        try:
            result = handler(job["event"], context)
        finally:
            # Cancelled before anything is written, so the response is never followed by a timeout error.
            timer.cancel()
        try:
            body = json.dumps(result)
        except (TypeError, ValueError) as exc:
            raise InvocationError("Runtime.MarshalError", f"Unable to marshal response: {exc}") from exc
        status = 0
    except Exception as exc:
        # The traceback goes to the log, as the runtime reports it; the caller gets the error object.
        traceback.print_exc()
        body = json.dumps(error_payload(exc, job["context"]["aws_request_id"]))
        status = 1
    sys.stdout.flush()
    response.write(body + "\n")
    response.flush()
    return status


def _time_out(response: IO[str], request_id: str, timeout_s: float) -> None:
    message = f"RequestId: {request_id} Error: Task timed out after {timeout_s:.2f} seconds"
    response.write(json.dumps({"errorMessage": message, "errorType": "Sandbox.Timedout"}) + "\n")
    response.flush()
    # The runtime stops the whole sandbox, whatever the handler is doing.
    os._exit(1)


def main() -> int:
    """Read the job from stdin, send the function's own output to stderr, and invoke."""
    job = json.load(sys.stdin)
    response = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    sys.stdout.flush()
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    return run(job, response)


if __name__ == "__main__":
    sys.exit(main())
