"""One stage, one set of values: what the deploy workflow builds the SPA and runs the smoke suite with comes from the
stage's SSM hand-off that Terraform writes, the same parameters samconfig.toml hands the template.

So the SPA's issuer and client id are the API's, and its origin is the one CORS allows and Descope redirects to
(infra/ derives both from one origin: tests/infra/test_aws_handoff.py). The jobs without AWS access receive these
values as the deploy job's outputs; each is followed back to the SSM name (or stack output) it was read from.
"""

import re
from typing import Any

import pytest
import yaml

from ci.changed_functions import REPOSITORY_ROOT
from tests.infra.hcl_module import Module

DEPLOY = REPOSITORY_ROOT / ".github" / "workflows" / "deploy.yml"
STEP_OUTPUT = re.compile(r"^\$\{\{ steps\.(?P<step>[a-z0-9-]+)\.outputs\.(?P<output>[a-z0-9-]+) \}\}$")
NEEDS_OUTPUT = re.compile(r"^\$\{\{ needs\.(?P<job>[a-z0-9-]+)\.outputs\.(?P<output>[a-z0-9-]+) \}\}$")
API_URL = "stack output ApiUrl"
# What each consumer must be fed from, as SSM names below /identity-stack/<stage>/.
SPA_BUILD_SOURCES = {
    "VITE_OIDC_AUTHORITY": "oidc/issuer",
    "VITE_OIDC_CLIENT_ID": "oidc/spa-client-id",
    "VITE_CANONICAL_ORIGIN": "api/allowed-origin",
    # The API URL is the deployed stack's own output, never a copied value.
    "VITE_API_BASE_URL": API_URL,
}
SMOKE_SOURCES = {"SMOKE_ISSUER": "oidc/issuer", "SMOKE_ALLOWED_ORIGIN": "api/allowed-origin", "SMOKE_API_URL": API_URL}


@pytest.fixture(scope="module")
def jobs() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(DEPLOY.read_text())["jobs"]


@pytest.fixture(scope="module")
def terraform_names() -> set[str]:
    return set(Module.read(REPOSITORY_ROOT / "infra").locals["ssm_parameters"])


def step(job: dict[str, Any], name: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if step.get("name") == name)


def handoff_names(job: dict[str, Any]) -> dict[str, str]:
    """Step output name (``oidc-issuer``) → the SSM name the job's hand-off step reads (``oidc/issuer``)."""
    script = next(step for step in job["steps"] if step.get("id") == "handoff")["run"]
    loop = re.search(r"for name in (?P<names>.*?); do", script, flags=re.S)
    assert loop, "the hand-off step reads its SSM names in one `for name in ...` loop"
    names = loop.group("names").replace("\\\n", " ").split()
    return {name.replace("/", "-"): name for name in names}


def source(jobs: dict[str, dict[str, Any]], job_name: str, expression: str) -> str | None:
    """Where an expression of ``job_name`` gets its value: an SSM name, :data:`API_URL`, or None (anything else)."""
    job = jobs[job_name]
    if match := NEEDS_OUTPUT.match(expression):
        assert match["job"] in job["needs"], f"{job_name} reads {match['job']} without needing it"
        return source(jobs, match["job"], jobs[match["job"]]["outputs"][match["output"]])
    if match := STEP_OUTPUT.match(expression):
        if match["step"] == "handoff":
            return handoff_names(job)[match["output"]]
        producer = next((step for step in job["steps"] if step.get("id") == match["step"]), {})
        if match["output"] == "api-url" and "OutputKey=='ApiUrl'" in producer.get("run", ""):
            return API_URL
    return None


def sources(jobs: dict[str, dict[str, Any]], job_name: str, step_name: str) -> dict[str, str]:
    """Environment variable of a step → where its value comes from (variables fed by the hand-off or stack only)."""
    env = step(jobs[job_name], step_name).get("env", {})
    fed = {variable: source(jobs, job_name, str(expression)) for variable, expression in env.items()}
    return {variable: origin for variable, origin in fed.items() if origin is not None}


def test_the_workflow_reads_only_names_terraform_writes(
    jobs: dict[str, dict[str, Any]], terraform_names: set[str]
) -> None:
    readers = [job for job in jobs.values() if any(step.get("id") == "handoff" for step in job.get("steps", []))]
    read = {name for job in readers for name in handoff_names(job).values()}

    assert len(readers) >= 2  # the stack's deploy and the SPA's upload
    assert read <= terraform_names, sorted(read - terraform_names)


def test_the_spa_is_built_with_the_stages_issuer_client_id_origin_and_api(jobs: dict[str, dict[str, Any]]) -> None:
    assert sources(jobs, "spa", "Build the SPA") == SPA_BUILD_SOURCES


def test_the_smoke_suite_checks_the_stages_issuer_and_origin(jobs: dict[str, dict[str, Any]]) -> None:
    assert sources(jobs, "smoke", "Smoke tests") == SMOKE_SOURCES


def test_the_spa_goes_to_the_stages_bucket_and_distribution(jobs: dict[str, dict[str, Any]]) -> None:
    assert sources(jobs, "publish", "Upload the SPA") == {"SPA_BUCKET": "spa/bucket-name"}
    assert sources(jobs, "publish", "Invalidate CloudFront") == {"DISTRIBUTION_ID": "spa/distribution-id"}
    assert sources(jobs, "deploy", "sam deploy") == {"ARTIFACTS_BUCKET": "deploy/artifacts-bucket"}
