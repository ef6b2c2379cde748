"""The smoke checks of the rehearsal: tests/smoke when the repository has it, else a built-in minimum."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from local.gateway.config import REPOSITORY_ROOT
from local.idp.config import DEFAULT_INFRA_DIR, DEFAULT_TFVARS, DEFAULT_USERS_SEED
from local.idp.seed import load_seed
from local.rehearsal.handoff import StageInputs
from local.rehearsal.processes import RehearsalError

SMOKE_SUITE = REPOSITORY_ROOT / "tests" / "smoke"
SMOKE_TIMEOUT_S = 300.0
# MiniStack cold-starts a function in up to ~10 s (docs/deploy-rehearsal.md).
REQUEST_TIMEOUT_S = 30.0
SMOKE_LOGIN = "owner@acme.test"
# The seeded access key of the smoke suite's client-credentials flow and the tenant it belongs to.
SMOKE_ACCESS_KEY = "acme_api"
SMOKE_TENANT = "acme"


def run_smoke(api_url: str, inputs: StageInputs, idp_port: int, stack_name: str, work_dir: Path) -> None:
    """Run the smoke suite (``SMOKE_GAPS=ministack``) against ``api_url``, or the built-in checks without one.

    Raises
    ------
    RehearsalError
        A check failed.
    """
    # ApiKeySourceType AUTHORIZER is a MiniStack gap: it reads only x-api-key, so callers send the shared key.
    api_key = f"shared-default-usage-key-{stack_name}"
    if SMOKE_SUITE.is_dir():
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
            "SMOKE_API_KEY": api_key,
        }
        command = [sys.executable, "-m", "pytest", str(SMOKE_SUITE), "-q", "-p", "no:cacheprovider"]
        result = subprocess.run(command, env=env, cwd=REPOSITORY_ROOT, timeout=SMOKE_TIMEOUT_S, check=False)  # noqa: S603
        if result.returncode != 0:
            raise RehearsalError(f"the smoke suite failed (exit {result.returncode})")
        return
    token = _access_token(idp_port, work_dir)
    checks = [
        ("GET /api/health answers 200", "/api/health", None, 200),
        ("GET /api/me without a token answers 401", "/api/me", None, 401),
        ("GET /api/me with a token answers 200", "/api/me", token, 200),
    ]
    failures = []
    with httpx.Client(base_url=api_url, timeout=REQUEST_TIMEOUT_S, trust_env=False) as client:
        for name, path, bearer, expected in checks:
            headers = {"x-api-key": api_key} | ({"Authorization": f"Bearer {bearer}"} if bearer else {})
            response = client.get(path, headers=headers)
            outcome = (
                "ok" if response.status_code == expected else f"FAILED ({response.status_code}: {response.text[:200]})"
            )
            print(f"  smoke: {name}: {outcome}", file=sys.stderr)
            if response.status_code != expected:
                failures.append(name)
    if failures:
        raise RehearsalError(f"smoke checks failed: {', '.join(failures)}")


def _access_token(idp_port: int, work_dir: Path) -> str:
    command = [
        sys.executable, "-m", "local.idp", "token", SMOKE_LOGIN,
        "--port", str(idp_port), "--state-dir", str(work_dir / "idp"),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RehearsalError(f"no token from the identity provider: {result.stderr.strip()}")
    return result.stdout.strip()
