"""Background servers of the rehearsal (MiniStack, the local identity provider), started and stopped together."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

_POLL_INTERVAL_S = 0.25
STOP_TIMEOUT_S = 10.0


class RehearsalError(RuntimeError):
    """Raised when a step of the rehearsal fails; the message says which and why."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Servers:
    """Processes started in their own sessions with their output in log files; ``stop()`` ends every one."""

    def __init__(self, log_dir: Path) -> None:
        self._log_dir = log_dir
        self._processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(
        self, name: str, command: Sequence[str], env: Mapping[str, str], ready_url: str, timeout_s: float
    ) -> None:
        """Start ``command`` and wait until ``ready_url`` answers HTTP.

        Raises
        ------
        RehearsalError
            The process exits, or does not answer within ``timeout_s`` (the log's tail is in the message).
        """
        log_path = self.log_path(name)
        with log_path.open("wb") as log:
            self._processes[name] = subprocess.Popen(  # noqa: S603 - fixed commands, no shell
                list(command),
                env={**os.environ, **env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while time.monotonic() < deadline:
                if self._processes[name].poll() is not None:
                    raise RehearsalError(f"{name} exited while starting:\n{self.tail(name)}")
                try:
                    client.get(ready_url)
                    return
                except httpx.TransportError:
                    time.sleep(_POLL_INTERVAL_S)
        raise RehearsalError(f"{name} did not answer {ready_url} within {timeout_s:.0f} s:\n{self.tail(name)}")

    def log_path(self, name: str) -> Path:
        """Where a server's output goes."""
        return self._log_dir / f"{name}.log"

    def tail(self, name: str, lines: int = 30) -> str:
        """The last lines of a server's log."""
        return "\n".join(self.log_path(name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM each process group (last started first), then SIGKILL what outlives ``STOP_TIMEOUT_S``."""
        for process in reversed(list(self._processes.values())):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in self._processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
