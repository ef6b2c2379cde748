"""``python -m local.gateway serve|routes``: the API Gateway emulator over template.yaml."""

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from local.gateway.api import LambdaProxyIntegration
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig, build_gateway
from local.gateway.errors import TemplateError
from local.gateway.server import make_asgi_app


def _assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not name or not equals:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m local.gateway", description=__doc__)
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="SAM template (template.yaml)")
    parser.add_argument(
        "--config", type=Path, default=DEFAULT_CONFIG, help="JSON with ParameterOverrides and Environment"
    )
    parser.add_argument(
        "--parameter", type=_assignment, action="append", default=[], help="template parameter override NAME=VALUE"
    )
    parser.add_argument("--env", type=_assignment, action="append", default=[], help="function variable NAME=VALUE")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the API over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    commands.add_parser("routes", help="print the routes the template declares")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = GatewayConfig.from_file(args.config, args.template).merged(dict(args.parameter), dict(args.env))
        gateway = build_gateway(config)
    except TemplateError as exc:
        print(f"local gateway: {exc}", file=sys.stderr)
        return 2
    if args.command == "routes":
        for method in sorted(gateway.api.methods, key=lambda method: (method.resource_path, method.http_method)):
            target = method.integration
            name = target.function.logical_id if isinstance(target, LambdaProxyIntegration) else "mock"
            print(f"{method.http_method:8} {method.resource_path:40} {name}")
        return 0
    print(f"API Gateway emulator: stage {gateway.api.stage!r} of {args.template} on http://{args.host}:{args.port}")
    try:
        uvicorn.run(make_asgi_app(gateway), host=args.host, port=args.port, log_level="info")
    finally:
        gateway.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
