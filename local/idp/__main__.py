"""Command line: ``python -m local.idp serve | reset | rotate-keys | token <login id> [--tenant <id>]``."""

import argparse
import sys
from pathlib import Path

import httpx

from local.idp.config import (
    DEFAULT_HOST,
    DEFAULT_MANAGEMENT_KEY,
    DEFAULT_PORT,
    DEFAULT_PROJECT_ID,
    DEFAULT_RATE_LIMIT_REQUESTS,
    DEFAULT_RATE_LIMIT_WINDOW_S,
    DEFAULT_STATE_DIR,
    IdpConfig,
)
from local.idp.pkce_client import SignInError, TokenSet, sign_in
from local.idp.seed import load_seed
from local.idp.server import IdpServer
from local.idp.signing import SigningKeys
from local.idp.store import Store

TOKEN_FIELDS = ("access_token", "id_token", "refresh_token")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", default=DEFAULT_HOST, help="listen/connect address (default %(default)s)")
    common.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (default %(default)s)")
    common.add_argument("--project-id", default=DEFAULT_PROJECT_ID, help="Descope project id (default %(default)s)")
    common.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR, help="state folder (default %(default)s)")

    parser = argparse.ArgumentParser(prog="python -m local.idp", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", parents=[common], help="run the provider in the foreground")
    serve.add_argument("--management-key", default=DEFAULT_MANAGEMENT_KEY, help="default %(default)s")
    serve.add_argument("--faults", action="store_true", help="mount the /_control/faults endpoint")
    serve.add_argument("--rate-limit", type=int, default=DEFAULT_RATE_LIMIT_REQUESTS, help="calls per window")
    serve.add_argument("--rate-window", type=float, default=DEFAULT_RATE_LIMIT_WINDOW_S, help="window in seconds")
    serve.add_argument("--redirect-uri", action="append", default=[], help="extra approved redirect URI")
    commands.add_parser("reset", parents=[common], help="re-seed the state (a running server picks it up)")
    commands.add_parser("rotate-keys", parents=[common], help="new signing key; the previous stays published")
    token = commands.add_parser("token", parents=[common], help="print a token obtained through the PKCE flow")
    token.add_argument("login_id", help="seeded login id, e.g. owner@acme.test")
    token.add_argument("--tenant", help="tenant id to make active (dct)")
    token.add_argument("--field", choices=TOKEN_FIELDS, default="access_token", help="default %(default)s")
    return parser


def _config(args: argparse.Namespace) -> IdpConfig:
    return IdpConfig(host=args.host, port=args.port, project_id=args.project_id, state_dir=args.state_dir)


def _token(args: argparse.Namespace) -> TokenSet:
    config = _config(args)
    with httpx.Client(timeout=10.0) as client:
        try:
            return sign_in(client, config.base_url, config.project_id, args.login_id, tenant=args.tenant)
        except httpx.ConnectError:
            # Nothing is listening: serve the same state on the same port just long enough to sign in, so the
            # token's issuer is the usual one.
            with IdpServer(config) as server:
                served = server.config
                return sign_in(client, served.base_url, served.project_id, args.login_id, tenant=args.tenant)


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        config = IdpConfig(
            host=args.host,
            port=args.port,
            project_id=args.project_id,
            management_key=args.management_key,
            state_dir=args.state_dir,
            faults_enabled=args.faults,
            rate_limit_requests=args.rate_limit,
            rate_limit_window_s=args.rate_window,
            extra_redirect_uris=tuple(args.redirect_uri),
        )
        server = IdpServer(config)
        print(f"local identity provider: issuer {server.config.issuer}", file=sys.stderr)
        server.run()
    elif args.command == "reset":
        config = _config(args)
        Store(config.state_dir, load_seed(config.infra_dir, config.tfvars, config.users_seed).initial_state).reset()
        print(f"state re-seeded in {config.state_dir}", file=sys.stderr)
    elif args.command == "rotate-keys":
        print(SigningKeys(args.state_dir).rotate())
    else:
        try:
            print(getattr(_token(args), args.field))
        except SignInError as exc:
            print(f"sign-in refused: {exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
