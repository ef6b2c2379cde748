"""One stage, one set of values: what the deploy workflow builds the SPA and runs the smoke suite with comes from the
stage's SSM hand-off that Terraform writes, the same parameters samconfig.toml hands the template.

So the SPA's issuer and client id are the API's, and its origin is the one CORS allows and Descope redirects to
(infra/ derives both from one origin: tests/infra/test_aws_handoff.py).
"""

import re
from typing import Any

import pytest
import yaml

from ci.changed_functions import REPOSITORY_ROOT
from tests.infra.hcl_module import Module

DEPLOY = REPOSITORY_ROOT / ".github" / "workflows" / "deploy.yml"
HANDOFF_OUTPUT = re.compile(r"^\$\{\{ steps\.handoff\.outputs\.(?P<output>[a-z0-9-]+) \}\}$")
# What each consumer must be fed from, as SSM names below /identity-stack/<stage>/.
SPA_BUILD_SOURCES = {
    "VITE_OIDC_AUTHORITY": "oidc/issuer",
    "VITE_OIDC_CLIENT_ID": "oidc/spa-client-id",
    "VITE_CANONICAL_ORIGIN": "api/allowed-origin",
}
SMOKE_SOURCES = {"SMOKE_ISSUER": "oidc/issuer", "SMOKE_ALLOWED_ORIGIN": "api/allowed-origin"}


@pytest.fixture(scope="module")
def deploy_steps() -> dict[str, dict[str, Any]]:
    workflow = yaml.safe_load(DEPLOY.read_text())
    return {step["name"]: step for step in workflow["jobs"]["deploy"]["steps"] if "name" in step}


@pytest.fixture(scope="module")
def terraform_names() -> set[str]:
    return set(Module.read(REPOSITORY_ROOT / "infra").locals["ssm_parameters"])


def handoff_names(deploy_steps: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Step output name (``oidc-issuer``) → the SSM name the hand-off step reads (``oidc/issuer``)."""
    script = deploy_steps["Hand-off from Terraform (SSM)"]["run"]
    loop = re.search(r"for name in (?P<names>.*?); do", script, flags=re.S)
    assert loop, "the hand-off step reads its SSM names in one `for name in ...` loop"
    names = loop.group("names").replace("\\\n", " ").split()
    return {name.replace("/", "-"): name for name in names}


def sources(step: dict[str, Any], deploy_steps: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Environment variable of ``step`` → the SSM name its value comes from (variables fed by the hand-off only)."""
    outputs = handoff_names(deploy_steps)
    fed = {}
    for variable, expression in step.get("env", {}).items():
        if match := HANDOFF_OUTPUT.match(str(expression)):
            fed[variable] = outputs[match.group("output")]
    return fed


def test_the_workflow_reads_only_names_terraform_writes(
    deploy_steps: dict[str, dict[str, Any]], terraform_names: set[str]
) -> None:
    read = set(handoff_names(deploy_steps).values())

    assert read <= terraform_names, sorted(read - terraform_names)


def test_the_spa_is_built_with_the_stages_issuer_client_id_and_origin(deploy_steps: dict[str, dict[str, Any]]) -> None:
    build = deploy_steps["Build the SPA"]

    assert sources(build, deploy_steps) == SPA_BUILD_SOURCES
    # The API URL is the deployed stack's own output, never a copied value.
    assert build["env"]["VITE_API_BASE_URL"] == "${{ steps.stack.outputs.api-url }}"


def test_the_smoke_suite_checks_the_stages_issuer_and_origin(deploy_steps: dict[str, dict[str, Any]]) -> None:
    smoke = deploy_steps["Smoke tests"]

    assert sources(smoke, deploy_steps) == SMOKE_SOURCES
    assert smoke["env"]["SMOKE_API_URL"] == "${{ steps.stack.outputs.api-url }}"


def test_the_spa_goes_to_the_stages_bucket_and_distribution(deploy_steps: dict[str, dict[str, Any]]) -> None:
    assert sources(deploy_steps["Upload the SPA"], deploy_steps) == {"SPA_BUCKET": "spa/bucket-name"}
    assert sources(deploy_steps["Invalidate CloudFront"], deploy_steps) == {"DISTRIBUTION_ID": "spa/distribution-id"}
    assert sources(deploy_steps["sam deploy"], deploy_steps) == {"ARTIFACTS_BUCKET": "deploy/artifacts-bucket"}
