"""Cold-start discipline: functions import only what they use (measured in a fresh interpreter)."""

import json
import os
import subprocess
import sys

import pytest

from tests.builders import REPO_ROOT
from tests.fixtures.lambda_runtime import POWERTOOLS_ENV, unused_port_url

PROBE = """
import json, sys
WATCHED = ("descope", "py_identity_model", "boto3", "fastapi", "aws_xray_sdk")
sys.path.insert(0, "layers/shared")
from tests.builders import load_function
load_function(sys.argv[1])
print(json.dumps({name: name in sys.modules for name in WATCHED}))
"""


def imported_after_cold_start(group: str) -> dict[str, bool]:
    idp = unused_port_url()  # priming fails fast and is swallowed; nothing here needs a live IdP
    env = {
        **os.environ,
        **POWERTOOLS_ENV,
        "OIDC_DISCOVERY_URL": f"{idp}/P2/.well-known/openid-configuration",
        "OIDC_AUDIENCE": "P2",
        "OIDC_ALLOWED_ISSUERS": f"{idp}/P2",
        "SPA_CLIENT_ID": "P2",
        "DESCOPE_PROJECT_ID": "P2",
        "DESCOPE_MANAGEMENT_KEY": "K2probe",
        "HTTP_RETRY_MAX_ATTEMPTS": "0",
        "DEFAULT_API_KEY_VALUE": "default-usage-key-for-import-probe",
        "TABLE_NAME": "tenant-data",
    }
    result = subprocess.run(  # noqa: S603 (fixed interpreter and script)
        [sys.executable, "-c", PROBE, group], cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("group", "expected"),
    [
        # Trusting the authorizer's context: only the authorizer (and /api/validate-id-token, lazily) validates.
        (
            "auth",
            {"descope": False, "py_identity_model": False, "boto3": False, "fastapi": True, "aws_xray_sdk": False},
        ),
        (
            "health",
            {"descope": False, "py_identity_model": False, "boto3": False, "fastapi": True, "aws_xray_sdk": False},
        ),
        # The authorizer is no FastAPI app; boto3 waits for the first tenant's usage-key lookup.
        (
            "authorizer",
            {"descope": False, "py_identity_model": True, "boto3": False, "fastapi": False, "aws_xray_sdk": False},
        ),
    ],
    ids=["auth", "health", "authorizer"],
)
def test_cold_start_imports_only_what_the_function_uses(group: str, expected: dict[str, bool]) -> None:
    assert imported_after_cold_start(group) == expected
