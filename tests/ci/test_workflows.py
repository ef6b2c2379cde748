"""The conventions of .github/ that actionlint and zizmor do not enforce (or only in their pedantic modes).

Every action pinned to a commit with its release in a comment (Dependabot updates both), read-only or no token
unless a job says why, AWS credentials only through OIDC in the jobs that use them, deploys never cancelled, and a
Dependabot entry for every folder that pins packages.
"""

import re
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from ci.changed_functions import REPOSITORY_ROOT

WORKFLOWS = sorted((REPOSITORY_ROOT / ".github" / "workflows").glob("*.yml"))
DEPENDABOT = REPOSITORY_ROOT / ".github" / "dependabot.yml"
PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+\b")
AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def action(step: dict[str, Any]) -> str:
    return step.get("uses", "").split("@")[0]


def test_the_workflows_of_the_issue_exist() -> None:
    assert {path.name for path in WORKFLOWS} >= {
        "ci.yml",
        "deploy.yml",
        "terraform.yml",
        "local-invoke.yml",
        "security.yml",
    }


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment(path: Path) -> None:
    used = [step["uses"] for step in steps(load(path)) if "uses" in step]
    pinned_lines = [match for line in path.read_text().splitlines() if (match := PINNED_USES.match(line))]

    assert used
    assert sorted(used) == sorted(f"{match['action']}@{match['sha']}" for match in pinned_lines)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_the_token_has_no_permission_unless_a_job_asks(path: Path) -> None:
    workflow = load(path)

    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, name
        assert set(job["permissions"].values()) <= {"read", "write"}, name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_only_jobs_that_assume_an_aws_role_get_an_oidc_token(path: Path) -> None:
    for name, job in load(path)["jobs"].items():
        assumes_role = any(action(step) == AWS_CREDENTIALS_ACTION for step in job.get("steps", []))
        assert (job["permissions"].get("id-token") == "write") == assumes_role, name
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes <= {"id-token"}, name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_aws_credentials_come_from_a_role_never_from_keys(path: Path) -> None:
    for step in steps(load(path)):
        if action(step) == AWS_CREDENTIALS_ACTION:
            assert step["with"]["role-to-assume"].startswith("${{ ")
            assert not {"aws-access-key-id", "aws-secret-access-key"} & set(step["with"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_checkouts_leave_no_credentials_behind(path: Path) -> None:
    checkouts = [step for step in steps(load(path)) if action(step) == "actions/checkout"]

    assert checkouts
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_no_expression_is_pasted_into_a_script(path: Path) -> None:
    scripts = [step["run"] for step in steps(load(path)) if "run" in step]

    assert [script for script in scripts if "${{" in script] == []


def test_deploys_and_applies_are_never_cancelled_half_way() -> None:
    deploy = load(REPOSITORY_ROOT / ".github/workflows/deploy.yml")
    apply = load(REPOSITORY_ROOT / ".github/workflows/terraform.yml")["jobs"]["apply"]

    assert deploy["concurrency"]["cancel-in-progress"] is False
    assert apply["concurrency"]["cancel-in-progress"] is False


def test_jobs_that_change_a_stage_run_in_its_environment() -> None:
    deploy = load(REPOSITORY_ROOT / ".github/workflows/deploy.yml")["jobs"]["deploy"]
    apply = load(REPOSITORY_ROOT / ".github/workflows/terraform.yml")["jobs"]["apply"]

    assert deploy["environment"]["name"] == "${{ needs.changes.outputs.stage }}"
    assert apply["environment"] == "${{ matrix.stage }}"
    assert apply["strategy"]["matrix"]["stage"] == ["dev", "prod"]


def test_dependabot_watches_every_folder_that_pins_packages() -> None:
    updates = load(DEPENDABOT)["updates"]
    watched = {
        (update["package-ecosystem"], folder.strip("/"))
        for update in updates
        for folder in update.get("directories", [update.get("directory")])
    }
    committed = subprocess.run(
        ["git", "ls-files", "*requirements*.txt"],  # noqa: S607 - git from PATH
        cwd=REPOSITORY_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    pip_folders = {str(PurePosixPath(path).parent).removeprefix(".") for path in committed}

    assert {("pip", folder) for folder in pip_folders} <= watched
    assert ("npm", "frontend") in watched
    assert ("github-actions", "") in watched
    assert ("terraform", "infra") in watched
