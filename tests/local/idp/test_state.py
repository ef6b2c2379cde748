"""State: saved atomically, kept across restarts, re-seeded by reset (also when a CLI resets a running server)."""

import json
from pathlib import Path

from local.idp import IdpConfig, IdpServer
from local.idp.__main__ import main
from tests.fixtures.idp import start_local_idp


def test_state_after_restart_keeps_created_tenant(tmp_path: Path) -> None:
    server, first = start_local_idp(tmp_path)
    try:
        tenant_id = first.descope_client().mgmt.tenant.create("Umbrella")["id"]
    finally:
        first.close()
        server.stop()

    with IdpServer(IdpConfig(port=0, state_dir=tmp_path)) as restarted, restarted.runtime.store.read() as state:
        names = {tenant["name"] for tenant in state["tenants"].values()}

    assert tenant_id.startswith("T2")
    assert "Umbrella" in names
    assert json.loads((tmp_path / "state.json").read_text())["tenants"][tenant_id]["name"] == "Umbrella"


def test_cli_reset_reseeds_running_server(tmp_path: Path) -> None:
    server, running = start_local_idp(tmp_path)
    try:
        running.descope_client().mgmt.tenant.create("Hooli")

        exit_code = main(["reset", "--state-dir", str(tmp_path)])
        tenants = running.descope_client().mgmt.tenant.load_all()["tenants"]
    finally:
        running.close()
        server.stop()

    assert exit_code == 0
    assert {tenant["name"] for tenant in tenants} == {"Acme Corp", "Globex Inc"}


def test_signing_keys_file_is_private_and_state_has_no_secrets(tmp_path: Path) -> None:
    with IdpServer(IdpConfig(port=0, state_dir=tmp_path)) as server:
        secret = server.runtime.seed.access_keys["acme_api"].secret

    assert (tmp_path / "signing-keys.json").stat().st_mode & 0o077 == 0
    assert secret not in (tmp_path / "state.json").read_text()


def test_cli_token_for_disabled_persona_exits_1(tmp_path: Path) -> None:
    exit_code = main(["token", "disabled@acme.test", "--state-dir", str(tmp_path), "--port", "0"])

    assert exit_code == 1
