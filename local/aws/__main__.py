"""``python -m local.aws serve|reconcile-keys``: moto's server with the resources of template.yaml; tenant API keys."""

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path

import httpx

from local import DEFAULT_TEMPLATE
from local.aws.resources import create_template_resources
from local.aws.server import DEFAULT_PORT, MotoServer, PortInUseError
from local.aws.tenant_keys import IdentityProviderAccess, describe, load_tenant_tiers, reconcile_tenant_keys
from local.gateway.config import DEFAULT_CONFIG, GatewayConfig
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
    reconcile = commands.add_parser("reconcile-keys", help="give every tenant its API key in its tier's usage plan")
    reconcile.add_argument("--aws-url", default=f"http://127.0.0.1:{DEFAULT_PORT}", help="moto's server")
    reconcile.add_argument("--idp-url", default="http://127.0.0.1:8400", help="identity provider base URL")
    reconcile.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE)
    reconcile.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="gateway config (project, key)")
    args = parser.parse_args(argv)
    if args.command == "reconcile-keys":
        return _reconcile_keys(args)

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


def _reconcile_keys(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        config = GatewayConfig.from_file(args.config, args.template)
        template = load_template(args.template, config.parameter_overrides)
        idp = IdentityProviderAccess(
            base_url=args.idp_url,
            project_id=config.parameter_overrides["DescopeProjectId"],
            management_key=config.environment["DESCOPE_MANAGEMENT_KEY"],
        )
        assigned = reconcile_tenant_keys(template, load_tenant_tiers(idp), args.aws_url)
    except (TemplateError, KeyError, httpx.HTTPError) as exc:
        print(f"local aws: reconcile-keys failed: {exc!r}", file=sys.stderr)
        return 2
    print(f"tenant API keys (tier of the usage plan holding each):\n{describe(assigned)}", file=sys.stderr)
    return 0 if all(assigned.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
