"""``python -m local invoke <LogicalId> -e <event.json | ->``: ``sam local invoke`` without Docker.

The flags are ``sam local invoke``'s where they apply (``-e``, ``--env-vars``, ``--parameter-overrides``,
``--template``, ``--config-file``, ``--config-env``); samconfig.toml's ``[<env>.local_invoke.parameters]`` gives
their defaults. The response JSON goes to stdout; the function's logs and the START/END/REPORT lines to stderr.
The exit status is 1 when the function fails (the error object ``{"errorMessage", "errorType"}`` is printed as
the response, as Lambda returns it) and 2 when the invocation cannot start (unknown function, bad configuration).
"""

import argparse
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

from local import DEFAULT_TEMPLATE, REPOSITORY_ROOT
from local.invoke.environment import resolve_environment
from local.invoke.resolution import ResolvedFunction, resolve_function
from local.invoke.runner import invoke_function
from local.invoke.samconfig import InvokeConfigError, parse_parameter_overrides, read_config, read_env_vars

DEFAULT_CONFIG_FILE = REPOSITORY_ROOT / "samconfig.toml"
DEFAULT_CONFIG_ENV = "default"
STDIN_EVENT = "-"
USAGE_ERROR = 2


def add_invoke_parser(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add the ``invoke`` subcommand to ``python -m local``'s parser."""
    invoke = commands.add_parser(
        "invoke",
        help="invoke one function of template.yaml in a fresh process, like `sam local invoke` (no Docker)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    invoke.add_argument("logical_id", metavar="LogicalId", help="the function's logical id (AuthFunction)")
    invoke.add_argument("-e", "--event", help="JSON event file, or - for stdin (default: the empty event {})")
    invoke.add_argument("-n", "--env-vars", type=Path, help="JSON file of environment variables (SAM's format)")
    invoke.add_argument(
        "--parameter-overrides",
        nargs="+",
        metavar="KEY=VALUE",
        help="template parameter values (replace the config file's list)",
    )
    invoke.add_argument("-t", "--template", "--template-file", dest="template", type=Path, help="SAM template")
    invoke.add_argument("--config-file", type=Path, default=DEFAULT_CONFIG_FILE, help="samconfig.toml to read")
    invoke.add_argument("--config-env", default=DEFAULT_CONFIG_ENV, help="config env of the file (default: default)")


def run_invoke(args: argparse.Namespace) -> int:
    """Invoke the function; print the response to stdout and the report to stderr; return the exit status."""
    try:
        function, environment, event = _prepare(args)
    except (InvokeConfigError, OSError, ValueError) as exc:
        print(f"local invoke: {exc}", file=sys.stderr, flush=True)
        return USAGE_ERROR
    context = {**function.context, "aws_request_id": str(uuid.uuid4())}
    # The lines the Lambda runtime writes around every invocation in the function's log.
    print(f"START RequestId: {context['aws_request_id']} Version: $LATEST", file=sys.stderr, flush=True)
    invocation = invoke_function(function, event, environment, context)
    print(f"END RequestId: {invocation.request_id}", file=sys.stderr)
    print(
        f"REPORT RequestId: {invocation.request_id}\tDuration: {invocation.duration_ms:.2f} ms\t"
        f"Memory Size: {function.memory_mb} MB",
        file=sys.stderr,
        flush=True,
    )
    print(json.dumps(invocation.payload), flush=True)
    return 1 if invocation.failed else 0


def _prepare(args: argparse.Namespace) -> tuple[ResolvedFunction, dict[str, str], Any]:
    config_file: Path = args.config_file
    if config_file != DEFAULT_CONFIG_FILE and not config_file.is_file():
        raise InvokeConfigError(f"config file {config_file} does not exist")
    config = read_config(config_file, args.config_env)
    template = args.template or config.template_file or DEFAULT_TEMPLATE
    overrides = parse_parameter_overrides(args.parameter_overrides or config.parameter_overrides)
    function = resolve_function(template, overrides, args.logical_id)
    env_vars_file = args.env_vars or config.env_vars
    file_variables = read_env_vars(env_vars_file, function.logical_id) if env_vars_file else {}
    environment = resolve_environment(function.declared, function.runtime, file_variables, os.environ)
    if environment.undeclared:
        print(
            f"local invoke: {function.logical_id} does not declare {', '.join(environment.undeclared)} in the "
            "template; applied here, but `sam local invoke` ignores such env vars entries",
            file=sys.stderr,
            flush=True,
        )
    return function, dict(environment.variables), _read_event(args.event)


def _read_event(source: str | None) -> Any:
    if source is None:
        return {}
    text = sys.stdin.read() if source == STDIN_EVENT else Path(source).read_text()
    return json.loads(text)
