"""``python -m local.aws serve``: moto's server on 127.0.0.1 with the resources of template.yaml."""

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

from local.aws.resources import create_template_resources
from local.aws.server import DEFAULT_PORT, MotoServer, PortInUseError
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig
from local.gateway.errors import TemplateError
from local.gateway.template import load_template


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m local.aws", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve moto until interrupted")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE)
    serve.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="gateway config (ParameterOverrides)")
    args = parser.parse_args(argv)

    # Every request moto answers is logged by werkzeug at INFO; the stack's console has better uses.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    stopped = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopped.set())
    try:
        template = load_template(args.template, GatewayConfig.from_file(args.config).parameter_overrides)
        server = MotoServer(args.port).start()
    except (TemplateError, PortInUseError) as exc:
        print(f"local aws: {exc}", file=sys.stderr)
        return 2
    try:
        created = create_template_resources(template, server.client)
        print(f"moto server on {server.endpoint_url}; created {created or 'no resources'}", file=sys.stderr)
        stopped.wait()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
