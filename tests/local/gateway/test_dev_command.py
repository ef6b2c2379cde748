"""``python -m local dev``: the whole stack as separate processes, stopped by SIGTERM; a taken port fails fast."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from local.gateway.config import REPOSITORY_ROOT
from local.idp.pkce_client import sign_in

PROJECT_ID = "P2LocalDevProject00000000000"
BANNER = "Local stack is up:"
START_TIMEOUT_S = 90.0


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for probe in sockets:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in sockets]
    finally:
        for probe in sockets:
            probe.close()


def start_dev(ports: list[int], log: Path, state_dir: Path) -> subprocess.Popen[bytes]:
    gateway, idp, aws = ports
    command = [
        sys.executable, "-m", "local", "dev", "--no-spa",
        "--gateway-port", str(gateway), "--idp-port", str(idp), "--aws-port", str(aws),
        "--idp-state-dir", str(state_dir),
    ]  # fmt: skip
    with log.open("wb") as output:
        return subprocess.Popen(  # noqa: S603 - fixed command
            command, cwd=REPOSITORY_ROOT, stdout=output, stderr=subprocess.STDOUT, env={**os.environ}
        )


@pytest.fixture
def dev_stack(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], list[int], Path]]:
    ports, log = free_ports(3), tmp_path / "dev.log"
    process = start_dev(ports, log, tmp_path / "idp-state")
    yield process, ports, log
    if process.poll() is None:
        process.kill()
        process.wait()


def test_dev_command_serves_persona_me_and_stops_on_sigterm(
    dev_stack: tuple[subprocess.Popen[bytes], list[int], Path],
) -> None:
    process, (gateway_port, idp_port, _), log = dev_stack
    deadline = time.monotonic() + START_TIMEOUT_S
    while BANNER not in log.read_text(errors="replace"):
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)
    with httpx.Client(timeout=10.0, trust_env=False) as client:
        tokens = sign_in(client, f"http://127.0.0.1:{idp_port}", PROJECT_ID, "member@acme.test")
        response = client.get(
            f"http://127.0.0.1:{gateway_port}/api/me", headers={"Authorization": f"Bearer {tokens.access_token}"}
        )
    assert response.status_code == 200, response.text
    assert response.json()["sub"] == tokens.claims["sub"]
    assert "member@acme.test" in log.read_text()

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    for port in (gateway_port, idp_port):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_dev_command_taken_port_exits_with_clear_error(tmp_path: Path) -> None:
    ports = free_ports(3)
    with socket.socket() as occupant:
        occupant.bind(("127.0.0.1", ports[0]))
        occupant.listen()
        process = start_dev(ports, tmp_path / "dev.log", tmp_path / "idp-state")
        assert process.wait(timeout=30) == 1
    output = (tmp_path / "dev.log").read_text()
    assert f"gateway: port {ports[0]} is already in use" in output
    assert BANNER not in output
