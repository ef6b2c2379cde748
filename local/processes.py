"""Background servers of the local tooling (``python -m local dev``, the deploy rehearsal, tests): a free loopback
port, waiting until a started server answers HTTP, and stopping process groups."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from typing import Any

import httpx

LOOPBACK = "127.0.0.1"
_POLL_INTERVAL_S = 0.25


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_answers(process: "subprocess.Popen[Any]", ready_url: str, timeout_s: float) -> str | None:
    """Poll ``ready_url`` until it answers HTTP (any status) while ``process`` runs.

    Returns
    -------
    str | None
        ``None`` once it answers; otherwise why not (the process exited, or nothing answered within ``timeout_s``),
        for the caller's own error.
    """
    deadline = time.monotonic() + timeout_s
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return f"exited with status {process.returncode} while starting"
            try:
                client.get(ready_url)
                return None
            except httpx.TransportError:
                time.sleep(_POLL_INTERVAL_S)
    return f"did not answer {ready_url} within {timeout_s:.0f} s"


def stop_process_groups(processes: Sequence["subprocess.Popen[Any]"], timeout_s: float) -> None:
    """SIGTERM each process's group (last started first), then SIGKILL the groups still running after ``timeout_s``.

    The processes must have been started with ``start_new_session=True``; a group is signalled even when its leader
    has exited (npm exits before the vite it started).
    """
    for process in reversed(processes):
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: "subprocess.Popen[Any]", signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
