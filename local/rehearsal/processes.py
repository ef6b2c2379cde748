"""Background servers of the rehearsal (MiniStack, the local identity provider), started and stopped together."""

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from local.processes import stop_process_groups, wait_until_answers

STOP_TIMEOUT_S = 10.0


class RehearsalError(RuntimeError):
    """Raised when a step of the rehearsal fails; the message says which and why."""


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
        if problem := wait_until_answers(self._processes[name], ready_url, timeout_s):
            raise RehearsalError(f"{name} {problem}:\n{self.tail(name)}")

    def log_path(self, name: str) -> Path:
        """Where a server's output goes."""
        return self._log_dir / f"{name}.log"

    def tail(self, name: str, lines: int = 30) -> str:
        """The last lines of a server's log."""
        return "\n".join(self.log_path(name).read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM each process group (last started first), then SIGKILL what outlives ``STOP_TIMEOUT_S``."""
        stop_process_groups(list(self._processes.values()), STOP_TIMEOUT_S)
