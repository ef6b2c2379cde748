"""The smoke checks of the rehearsal: tests/smoke against the deployed API, with MiniStack's gaps named."""

import os
import subprocess
import sys

from local.gateway.config import REPOSITORY_ROOT
from local.idp.config import DEFAULT_INFRA_DIR, DEFAULT_TFVARS, DEFAULT_USERS_SEED
from local.idp.seed import load_seed
from local.rehearsal.handoff import StageInputs
from local.rehearsal.processes import RehearsalError

SMOKE_SUITE = REPOSITORY_ROOT / "tests" / "smoke"
SMOKE_TIMEOUT_S = 300.0
# The seeded access key of the smoke suite's client-credentials flow and the tenant it belongs to.
SMOKE_ACCESS_KEY = "acme_api"
SMOKE_TENANT = "acme"


def run_smoke(api_url: str, inputs: StageInputs, stack_name: str) -> None:
    """Run the smoke suite against ``api_url`` with ``SMOKE_GAPS=ministack`` and the stack's shared usage key.

    Raises
    ------
    RehearsalError
        The suite failed.
    """
    seed = load_seed(DEFAULT_INFRA_DIR, DEFAULT_TFVARS, DEFAULT_USERS_SEED)
    key = seed.access_keys[SMOKE_ACCESS_KEY]
    env = {
        **os.environ,
        "SMOKE_CLIENT_ID": key.key_id,
        "SMOKE_CLIENT_SECRET": key.secret,
        "SMOKE_TENANT_ID": seed.tenant_ids[SMOKE_TENANT],
        "SMOKE_API_URL": api_url,
        "SMOKE_ISSUER": inputs.issuer,
        "SMOKE_ALLOWED_ORIGIN": inputs.allowed_origin,
        "SMOKE_GAPS": "ministack",
        # ApiKeySourceType AUTHORIZER is a MiniStack gap: it reads only x-api-key, so the suite sends the key the
        # template's shared default usage plan holds (honoured only with SMOKE_GAPS=ministack).
        "SMOKE_API_KEY": f"shared-default-usage-key-{stack_name}",
    }
    command = [sys.executable, "-m", "pytest", str(SMOKE_SUITE), "-q", "-p", "no:cacheprovider"]
    result = subprocess.run(command, env=env, cwd=REPOSITORY_ROOT, timeout=SMOKE_TIMEOUT_S, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RehearsalError(f"the smoke suite failed (exit {result.returncode})")
