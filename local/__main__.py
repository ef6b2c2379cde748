"""``python -m local dev``: moto, the identity provider, the API gateway and the SPA, until Ctrl-C or SIGTERM.

``python -m local invoke``: one function of template.yaml in a fresh process, like ``sam local invoke``
(:mod:`local.invoke.cli`).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from local import REPOSITORY_ROOT
from local.invoke.cli import add_invoke_parser, run_invoke
from local.processes import stop_process_groups, wait_until_answers

FRONTEND_DIR = REPOSITORY_ROOT / "frontend"
READY_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
_POLL_INTERVAL_S = 0.25


@dataclass(frozen=True)
class Service:
    """One process of the stack.

    Attributes
    ----------
    name : str
        Prefix of its output lines.
    command : Sequence[str]
    port : int
        Must be free before start.
    url : str
        Shown to the developer once the stack is up.
    ready_url : str
        Polled until it answers HTTP.
    cwd : Path
    env : Mapping[str, str]
        Added to the inherited environment.
    """

    name: str
    command: Sequence[str]
    port: int
    url: str
    ready_url: str
    cwd: Path = REPOSITORY_ROOT
    env: Mapping[str, str] = field(default_factory=dict)


class StackError(RuntimeError):
    """Raised when the stack cannot start: a port is taken, a service exits or never becomes ready."""


def plan_services(args: argparse.Namespace) -> list[Service]:
    """The services to run, wired to each other's ports."""
    # Imported here, as the stack's other modules below: `python -m local invoke` starts without them.
    from local.gateway.config import DEFAULT_CONFIG, GatewayConfig

    project_id = GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides["DescopeProjectId"]
    idp_url = f"http://127.0.0.1:{args.idp_port}"
    issuer = f"{idp_url}/{project_id}"
    aws_url = f"http://127.0.0.1:{args.aws_port}"
    spa_origin = f"http://localhost:{args.spa_port}"
    gateway_url = f"http://127.0.0.1:{args.gateway_port}"
    python = sys.executable
    # The Terraform approves exactly http://localhost:3000 and http://127.0.0.1:3000; another SPA port needs its own.
    idp_command = [python, "-m", "local.idp", "serve", "--port", str(args.idp_port), "--redirect-uri", spa_origin]
    if args.idp_state_dir:
        idp_command += ["--state-dir", str(args.idp_state_dir)]
    services = [
        Service(
            "aws",
            [python, "-m", "local.aws", "serve", "--port", str(args.aws_port)],
            args.aws_port,
            aws_url,
            f"{aws_url}/moto-api/",
        ),
        Service("idp", idp_command, args.idp_port, issuer, f"{issuer}/.well-known/openid-configuration"),
        Service(
            "gateway",
            [
                python, "-m", "local.gateway",
                "--parameter", f"OidcIssuer={issuer}",
                "--parameter", f"DescopeBaseUrl={idp_url}",
                "--parameter", f"AllowedOrigin={spa_origin}",
                "--env", f"AWS_ENDPOINT_URL={aws_url}",
                "serve", "--port", str(args.gateway_port),
            ],
            args.gateway_port,
            gateway_url,
            f"{gateway_url}/api/health",
        ),
    ]  # fmt: skip
    if not args.no_spa and (FRONTEND_DIR / "package.json").is_file():
        spa_command = ["npm", "run", "dev", "--", "--host", "127.0.0.1", "--port", str(args.spa_port), "--strictPort"]
        # The gateway allows the one origin spa_origin; the dev server also answers on 127.0.0.1, so the SPA moves.
        spa_env = {"VITE_OIDC_AUTHORITY": issuer, "VITE_API_BASE_URL": gateway_url, "VITE_CANONICAL_ORIGIN": spa_origin}
        spa_ready = f"http://127.0.0.1:{args.spa_port}/"
        services.append(Service("spa", spa_command, args.spa_port, spa_origin, spa_ready, FRONTEND_DIR, spa_env))
    return services


class Stack:
    """Processes started in their own sessions, their output prefixed, stopped together."""

    def __init__(self, services: Sequence[Service]) -> None:
        self.services = list(services)
        self._processes: dict[str, subprocess.Popen[str]] = {}

    def start(self) -> None:
        """Check every port, start every service, and wait until each answers HTTP.

        Raises
        ------
        StackError
            A port is taken, a process exits early, or a service is not ready within ``READY_TIMEOUT_S``.
        """
        # moto and the identity provider take a second to import, which every `python -m local invoke` would pay.
        from local.aws.server import PortInUseError, ensure_port_free

        for service in self.services:
            try:
                ensure_port_free(service.port)
            except PortInUseError as exc:
                raise StackError(f"{service.name}: port {service.port} is already in use ({exc})") from exc
        base_env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        for service in self.services:
            process = subprocess.Popen(  # noqa: S603 - fixed commands built above, no shell
                service.command,
                cwd=service.cwd,
                env={**base_env, **service.env},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                # Own session: Ctrl-C reaches only this runner, which then stops the whole group (npm + vite).
                start_new_session=True,
            )
            self._processes[service.name] = process
            threading.Thread(target=_relay, args=(service.name, process.stdout), daemon=True).start()
        for service in self.services:
            self._wait_ready(service)

    def first_exited(self) -> str | None:
        """Name of a service whose process has exited, if any."""
        return next((name for name, process in self._processes.items() if process.poll() is not None), None)

    def stop(self) -> None:
        """SIGTERM each process group (last started first), then SIGKILL what outlives ``STOP_TIMEOUT_S``."""
        stop_process_groups(list(self._processes.values()), STOP_TIMEOUT_S)

    def _wait_ready(self, service: Service) -> None:
        if problem := wait_until_answers(self._processes[service.name], service.ready_url, READY_TIMEOUT_S):
            raise StackError(f"{service.name} {problem}")


def _relay(name: str, stream: IO[str] | None) -> None:
    for line in stream or ():
        print(f"{name:>8} | {line}", end="", flush=True)


def describe(stack: Stack, idp_port: int) -> str:
    """The banner printed once the stack is up: URLs, personas and a first request to try."""
    lines = ["", "Local stack is up:"]
    lines += [f"  {service.name:<8} {service.url}" for service in stack.services]
    from local.idp.config import DEFAULT_USERS_SEED

    users = json.loads(DEFAULT_USERS_SEED.read_text())["users"]
    python = Path(sys.executable)
    if python.is_relative_to(REPOSITORY_ROOT):
        python = python.relative_to(REPOSITORY_ROOT)
    token_command = f"{python} -m local.idp token"
    if idp_port != 8400:
        token_command += f" --port {idp_port}"
    lines += ["", "Personas (sign in on the SPA with the login id, or get a token on the command line):"]
    for user in users:
        roles = ", ".join(f"{tenant}: {'/'.join(names)}" for tenant, names in user.get("tenants", {}).items())
        roles = roles or ", ".join(f"project: {name}" for name in user.get("roleNames", [])) or "no tenant"
        status = " (disabled)" if user.get("status") == "disabled" else ""
        lines.append(f"  {user['loginId']:<28} {roles}{status}")
    gateway = next(service for service in stack.services if service.name == "gateway")
    lines += [
        "",
        f"Try:  TOKEN=$({token_command} owner@acme.test)",
        f'      curl -H "Authorization: Bearer $TOKEN" {gateway.url}/api/me',
        "(run it from the repository root). Ctrl-C stops everything.",
        "",
    ]
    return "\n".join(lines)


def install_frontend_dependencies() -> None:
    """``npm ci`` once, when the SPA exists but its node_modules do not."""
    if (FRONTEND_DIR / "package.json").is_file() and not (FRONTEND_DIR / "node_modules").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            raise StackError("frontend/ needs npm (Node.js 20.19+); install it or pass --no-spa")
        if subprocess.run([npm, "ci"], cwd=FRONTEND_DIR, check=False).returncode != 0:  # noqa: S603 - fixed command
            raise StackError("npm ci failed in frontend/")


def reconcile_tenant_keys(args: argparse.Namespace) -> None:
    """Give every seeded tenant its API key in its tier's usage plan (``python -m local.aws reconcile-keys``).

    A failure is reported and the stack keeps running: tenants without a key use the shared default key.
    """
    command = [
        sys.executable, "-m", "local.aws", "reconcile-keys",
        "--aws-url", f"http://127.0.0.1:{args.aws_port}",
        "--idp-url", f"http://127.0.0.1:{args.idp_port}",
    ]  # fmt: skip
    if subprocess.run(command, cwd=REPOSITORY_ROOT, check=False).returncode != 0:  # noqa: S603 - fixed command
        print("local dev: some tenants have no API key of their own (rate limits use the default key)", flush=True)


def run_dev(args: argparse.Namespace) -> int:
    """Start the stack, print where everything is, and stop it all on Ctrl-C, SIGTERM or a service's exit."""
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    stack = Stack(plan_services(args))
    try:
        if not args.no_spa:
            install_frontend_dependencies()
        stack.start()
        reconcile_tenant_keys(args)
        print(describe(stack, args.idp_port), flush=True)
        while not stopping.wait(_POLL_INTERVAL_S):
            if exited := stack.first_exited():
                raise StackError(f"{exited} exited; stopping the stack")
    except StackError as exc:
        print(f"local dev: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        stack.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = argparse.ArgumentParser(prog="python -m local", description="The offline local stack.")
    commands = parser.add_subparsers(dest="command", required=True)
    dev = commands.add_parser("dev", help="run moto, the identity provider, the gateway and the SPA")
    dev.add_argument("--gateway-port", type=int, default=8000)
    dev.add_argument("--idp-port", type=int, default=8400)
    dev.add_argument("--aws-port", type=int, default=8500)
    dev.add_argument("--spa-port", type=int, default=3000)
    dev.add_argument("--no-spa", action="store_true", help="do not start the SPA dev server")
    dev.add_argument("--idp-state-dir", type=Path, help="identity provider state folder (default: its own)")
    add_invoke_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "invoke":
        return run_invoke(args)
    return run_dev(args)


if __name__ == "__main__":
    sys.exit(main())
