"""Run the provider with uvicorn: in the foreground (CLI) or in a background thread (tests, ``python -m local``)."""

import dataclasses
import socket
import threading
import time

import uvicorn

from local.idp.app import create_app
from local.idp.config import IdpConfig
from local.idp.runtime import IdpRuntime

STARTUP_TIMEOUT_S = 10.0
# Bounded so that a held "timeout" fault cannot stall shutdown.
GRACEFUL_SHUTDOWN_S = 1


class IdpStartupError(Exception):
    """The server did not start listening within STARTUP_TIMEOUT_S."""


def _bind(config: IdpConfig) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((config.host, config.port))
    return sock


class IdpServer:
    """The provider on a bound socket; ``port=0`` picks a free port before the issuer is fixed.

    Examples
    --------
    >>> with IdpServer(IdpConfig(port=0, state_dir=tmp_path)) as server:  # doctest: +SKIP
    ...     server.runtime.config.issuer
    'http://127.0.0.1:41234/P2LocalDevProject00000000000'
    """

    def __init__(self, config: IdpConfig) -> None:
        self._socket = _bind(config)
        port = self._socket.getsockname()[1]
        self.runtime = IdpRuntime.from_config(dataclasses.replace(config, port=port))
        uvicorn_config = uvicorn.Config(
            create_app(self.runtime),
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        )
        self._server = uvicorn.Server(uvicorn_config)
        self._thread: threading.Thread | None = None

    @property
    def config(self) -> IdpConfig:
        """The configuration with the real port."""
        return self.runtime.config

    def run(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C)."""
        self._server.run(sockets=[self._socket])

    def start(self) -> "IdpServer":
        """Serve in a daemon thread and return once the socket accepts requests.

        Raises
        ------
        IdpStartupError
            uvicorn did not report started within STARTUP_TIMEOUT_S.
        """
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="local-idp", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise IdpStartupError(f"the identity provider did not start on {self.config.base_url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread, and release the socket."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=STARTUP_TIMEOUT_S)
        self._socket.close()

    def __enter__(self) -> "IdpServer":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
