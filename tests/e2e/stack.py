"""The full local stack for browser tests: identity provider, gateway over HTTP and the built SPA, on free ports.

Everything binds 127.0.0.1 on ports the kernel picks, so a running ``make dev`` (ports 3000, 8000, 8400, 8500) is
never touched. The SPA's origin is approved at the identity provider as an extra redirect URI (exact match, as for
the Terraform's ``spa_extra_redirect_urls``) and is the gateway's ``AllowedOrigin``, so CORS is exercised as in
production.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope

from local.gateway import build_gateway, make_asgi_app
from local.gateway.config import REPOSITORY_ROOT
from tests.fixtures.aws import MotoProcess
from tests.fixtures.gateway import stack_config
from tests.fixtures.idp import LocalIdp, start_local_idp

FRONTEND_DIR = REPOSITORY_ROOT / "frontend"
VITE_BIN = FRONTEND_DIR / "node_modules" / ".bin" / "vite"
STARTUP_TIMEOUT_S = 10.0
BUILD_TIMEOUT_S = 180.0
# Bounded so that a browser's kept-alive connection cannot stall teardown.
GRACEFUL_SHUTDOWN_S = 1


class StackStartError(RuntimeError):
    """A part of the stack could not be built or did not start listening in time."""


def bind_loopback() -> socket.socket:
    """A TCP socket bound to a free port on 127.0.0.1 (held, so nothing else can take the port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


class ThreadedServer:
    """An ASGI app served by uvicorn in a daemon thread on an already bound socket.

    Parameters
    ----------
    app : ASGIApp
    sock : socket.socket
        From :func:`bind_loopback`; closed by :meth:`stop`.
    name : str
        Thread name, shown in errors.
    """

    def __init__(self, app: ASGIApp, sock: socket.socket, name: str) -> None:
        self._socket = sock
        self._name = name
        config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]}, name=name, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return origin_of(self._socket)

    def start(self) -> "ThreadedServer":
        """Serve, and return once uvicorn accepts connections.

        Raises
        ------
        StackStartError
            uvicorn did not start within ``STARTUP_TIMEOUT_S``.
        """
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise StackStartError(f"{self._name} did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for its thread and release the socket."""
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=STARTUP_TIMEOUT_S)
        self._socket.close()


def origin_of(sock: socket.socket) -> str:
    """``http://127.0.0.1:<port>`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}"


class SpaFiles(StaticFiles):
    """The built SPA: files as they are, and ``index.html`` for any other path so client routes survive a reload.

    The fallback is what the production hosting does for a single-page app (CloudFront answers 403/404 with the
    index document).
    """

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file at ``path``, or ``index.html`` when there is none."""
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404:
                raise
            return await super().get_response("index.html", scope)


def make_spa_app(dist_dir: Path) -> Starlette:
    """A Starlette app serving ``dist_dir`` (a ``vite build`` output) with the SPA fallback."""
    return Starlette(routes=[Mount("/", app=SpaFiles(directory=dist_dir, html=True))])


def build_spa(out_dir: Path, env: dict[str, str]) -> None:
    """``vite build`` of frontend/ into ``out_dir`` with the given ``VITE_`` variables.

    Process variables take precedence over any ``.env*`` file in frontend/, so a developer's ``.env.local`` cannot
    point the test build elsewhere.

    Raises
    ------
    StackStartError
        Node packages are missing or the build failed (its output is in the message).
    """
    if not VITE_BIN.is_file():
        raise StackStartError("frontend/node_modules is missing: run `make frontend-deps` (npm ci in frontend/)")
    result = subprocess.run(  # noqa: S603 - fixed command, no shell
        [str(VITE_BIN), "build", "--outDir", str(out_dir), "--emptyOutDir", "--logLevel", "warn"],
        cwd=FRONTEND_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise StackStartError(f"vite build failed:\n{result.stdout}\n{result.stderr}")


@dataclass
class E2EStack:
    """URLs and handles of a running stack; :meth:`stop` stops everything it started.

    Attributes
    ----------
    spa_url : str
        The SPA's origin, e.g. ``http://127.0.0.1:41234`` (also its OIDC redirect URI).
    api_url : str
        The gateway's origin (``VITE_API_BASE_URL``).
    idp : LocalIdp
        The identity provider that approves ``spa_url``.
    """

    spa_url: str
    api_url: str
    idp: LocalIdp
    _cleanup: contextlib.ExitStack

    @classmethod
    def start(cls, work_dir: Path, moto_server: MotoProcess) -> "E2EStack":
        """Start the provider and the gateway, build the SPA against them, and serve it.

        Parameters
        ----------
        work_dir : Path
            Holds the provider's state and the SPA build.
        moto_server : MotoProcess
            DynamoDB for the functions.

        Raises
        ------
        StackStartError
            The SPA build failed or a server did not start; whatever had started is stopped.
        """
        with contextlib.ExitStack() as cleanup:
            spa_socket = bind_loopback()
            cleanup.callback(spa_socket.close)
            spa_url = origin_of(spa_socket)
            idp_server, idp = start_local_idp(work_dir / "idp-state", extra_redirect_uris=(spa_url,))
            cleanup.callback(idp_server.stop)
            cleanup.callback(idp.close)
            config = stack_config(idp, moto_server).merged(parameter_overrides={"AllowedOrigin": spa_url})
            gateway = build_gateway(config)
            cleanup.callback(gateway.close)
            gateway_server = ThreadedServer(make_asgi_app(gateway), bind_loopback(), "e2e-gateway").start()
            cleanup.callback(gateway_server.stop)
            dist_dir = work_dir / "spa"
            vite_env = {
                "VITE_OIDC_AUTHORITY": idp.issuer,
                "VITE_OIDC_CLIENT_ID": idp.project_id,
                "VITE_API_BASE_URL": gateway_server.url,
            }
            build_spa(dist_dir, vite_env)
            spa_server = ThreadedServer(make_spa_app(dist_dir), spa_socket, "e2e-spa").start()
            cleanup.callback(spa_server.stop)
            return cls(spa_url=spa_url, api_url=gateway_server.url, idp=idp, _cleanup=cleanup.pop_all())

    def stop(self) -> None:
        """Stop the SPA server, the gateway and the provider (last started first)."""
        self._cleanup.close()


def find_chromium() -> str:
    """Path of Debian's Chromium.

    Raises
    ------
    StackStartError
        Not installed; ``make e2e-deps`` installs it (Playwright's own browser downloads are never used).
    """
    path = shutil.which("chromium")
    if path is None:
        raise StackStartError("chromium is not installed: run `make e2e-deps` (apt-get install chromium)")
    return path
