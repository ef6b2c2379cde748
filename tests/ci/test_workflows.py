"""The conventions of .github/ that actionlint and zizmor do not enforce (or only in their pedantic modes).

Every action pinned to a commit with its release in a comment (Dependabot updates both), read-only or no token
unless a job says why, AWS credentials only through OIDC in the jobs that use them, deploys never cancelled, and a
Dependabot entry for every folder that pins packages. Then the security review's fixes (docs/ci.md): prod's values
only in protected environments, Terraform and deploy jobs in distinct environments, saved plans applied as
reviewed, no third-party build code next to an OIDC token, the prod release gate, no build cache in deploys, and
`sam deploy` on every run.
"""

import re
import shlex
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from ci.changed_functions import REPOSITORY_ROOT

WORKFLOWS = sorted((REPOSITORY_ROOT / ".github" / "workflows").glob("*.yml"))
DEPLOY = REPOSITORY_ROOT / ".github" / "workflows" / "deploy.yml"
TERRAFORM = REPOSITORY_ROOT / ".github" / "workflows" / "terraform.yml"
TERRAFORM_STAGE = REPOSITORY_ROOT / ".github" / "workflows" / "terraform-stage.yml"
DEPENDABOT = REPOSITORY_ROOT / ".github" / "dependabot.yml"
PINNED_USES = re.compile(r"^\s*(?:-\s+)?uses:\s+(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40}) # v\d+\.\d+\.\d+\b")
AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials"


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text())


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def action(step: dict[str, Any]) -> str:
    return step.get("uses", "").split("@")[0]


def assumes_aws_role(job: dict[str, Any]) -> bool:
    """Whether the job, or the local reusable workflow it calls, configures AWS credentials."""
    if job.get("uses", "").startswith("./"):
        called = load(REPOSITORY_ROOT / job["uses"].split()[0])
        return any(assumes_aws_role(called_job) for called_job in called["jobs"].values())
    return any(action(step) == AWS_CREDENTIALS_ACTION for step in job.get("steps", []))


def scripts(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def named_step(job: dict[str, Any], name: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if step.get("name") == name)


MAIN_ONLY = "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"


def runs_only_on_main(jobs: dict[str, Any], name: str) -> bool:
    """The job's condition is :data:`MAIN_ONLY`, or it has none and needs one such job (skipped when that is)."""
    job = jobs[name]
    needs = job.get("needs")
    if "if" in job:
        return job["if"] == MAIN_ONLY
    return isinstance(needs, str) and runs_only_on_main(jobs, needs)


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
        assert (job["permissions"].get("id-token") == "write") == assumes_aws_role(job), name
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
    apply = load(TERRAFORM_STAGE)["jobs"]["apply"]
    terraform = load(TERRAFORM)["concurrency"]

    assert load(DEPLOY)["concurrency"]["cancel-in-progress"] is False
    assert apply["concurrency"]["cancel-in-progress"] is False
    # Runs on main (push or manual) share one group and are cancelled only for pull requests.
    assert terraform["cancel-in-progress"] == "${{ github.event_name == 'pull_request' }}"
    assert "|| 'main'" in terraform["group"]
    assert "github.event_name" not in terraform["group"].split("||")[1]


def test_jobs_that_change_a_stage_run_in_its_environment() -> None:
    deploy = load(DEPLOY)["jobs"]["deploy"]
    stage = load(TERRAFORM_STAGE)["jobs"]

    assert deploy["environment"]["name"] == "${{ needs.changes.outputs.stage }}"
    assert stage["plan"]["environment"] == stage["apply"]["environment"] == "${{ inputs.stage }}-infra"


def test_terraform_and_deploy_jobs_never_share_an_environment() -> None:
    # The Terraform roles trust environment <stage>-infra, the deploy role environment <stage>: a job of one kind
    # can never present the other's OIDC subject.
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            if not assumes_aws_role(job) or "uses" in job:
                continue
            text = str(job)
            environment = job.get("environment")
            environment = environment.get("name") if isinstance(environment, dict) else environment
            if "AWS_DEPLOY_ROLE_ARN" in text:
                assert environment == "${{ needs.changes.outputs.stage }}", (path.name, name)
            elif "AWS_PLAN_ROLE_ARN_DEV" in text:
                assert environment is None, (path.name, name)  # the pull-request plan
            else:
                assert {"AWS_TERRAFORM_ROLE_ARN", "AWS_PLAN_ROLE_ARN"} & set(re.findall(r"vars\.(\w+)", text))
                assert environment == "${{ inputs.stage }}-infra", (path.name, name)


def test_no_workflow_reads_a_repository_level_prod_value() -> None:
    # Repository-level variables and secrets are readable by every branch: prod's live only in prod, prod-infra.
    for path in WORKFLOWS:
        assert re.findall(r"(?:vars|secrets)\.\w*PROD\w*", path.read_text()) == [], path.name


def test_pull_requests_plan_dev_only_without_the_lock() -> None:
    jobs = load(TERRAFORM)["jobs"]
    plan = jobs["pr-plan"]

    assert plan["if"].startswith("github.event_name == 'pull_request'")
    assert plan["env"]["STAGE"] == "dev"
    assert "environment" not in plan
    assert "-lock=false" in named_step(plan, "terraform plan")["run"]
    # Nothing else runs on a pull request with AWS access.
    for name, job in jobs.items():
        if name != "pr-plan" and assumes_aws_role(job):
            assert runs_only_on_main(jobs, name), name


def test_main_plans_and_applies_dev_then_prod_in_their_infra_environments() -> None:
    jobs = load(TERRAFORM)["jobs"]

    assert runs_only_on_main(jobs, "dev")
    assert runs_only_on_main(jobs, "prod")

    assert (
        jobs["dev"]["uses"].split()[0] == jobs["prod"]["uses"].split()[0] == "./.github/workflows/terraform-stage.yml"
    )
    assert jobs["dev"]["with"] == {"stage": "dev"}
    assert jobs["prod"]["with"] == {"stage": "prod"}
    assert jobs["prod"]["needs"] == "dev"


def test_the_plan_is_saved_with_its_sha256_and_shown_in_the_run_summary() -> None:
    plan = load(TERRAFORM_STAGE)["jobs"]["plan"]
    upload = next(step for step in plan["steps"] if action(step) == "actions/upload-artifact")

    assert "-out=tfplan" in named_step(plan, "terraform plan")["run"]
    assert "-lock=false" in named_step(plan, "terraform plan")["run"]  # the plan role cannot write the lock file
    assert "GITHUB_STEP_SUMMARY" in named_step(plan, "Plan in the run summary")["run"]
    assert upload["with"]["path"] == "infra/tfplan"
    assert plan["outputs"]["artifact-id"] == f"${{{{ steps.{upload['id']}.outputs.artifact-id }}}}"
    digest = plan["outputs"]["sha256"]
    assert (
        "sha256sum infra/tfplan" in next(step for step in plan["steps"] if f"steps.{step.get('id')}." in digest)["run"]
    )
    assert "apply" not in scripts(plan)


def test_the_apply_applies_exactly_the_reviewed_plan() -> None:
    apply = load(TERRAFORM_STAGE)["jobs"]["apply"]
    names = [step.get("name") for step in apply["steps"]]
    download = next(step for step in apply["steps"] if action(step) == "actions/download-artifact")
    verify = named_step(apply, "Verify the sha256 of tfplan")

    assert apply["needs"] == "plan"
    assert download["with"]["artifact-ids"] == "${{ needs.plan.outputs.artifact-id }}"
    assert verify["env"]["SHA256"] == "${{ needs.plan.outputs.sha256 }}"
    assert "sha256sum --check" in verify["run"]
    assert names.index("Verify the sha256 of tfplan") < names.index("terraform apply")
    assert named_step(apply, "terraform apply")["run"].split()[-1] == "tfplan"
    assert "terraform -chdir=infra plan" not in scripts(apply)


# The commands of third-party build code: package installs that run build scripts, bundlers, test runners.
BUILD_CODE = re.compile(r"\b(?:sam build|npm|npx|pytest|make)\b|pip install(?!.*--only-binary=:all:)")


def test_no_job_with_an_oidc_token_runs_third_party_build_code() -> None:
    for path in WORKFLOWS:
        for name, job in load(path)["jobs"].items():
            if job["permissions"].get("id-token") == "write" and "steps" in job:
                assert BUILD_CODE.findall(scripts(job)) == [], (path.name, name)


def test_the_deploy_builds_in_jobs_without_aws_access() -> None:
    jobs = load(DEPLOY)["jobs"]
    for name, command in {"build": "sam build", "spa": "npm run build", "smoke": "pytest tests/smoke"}.items():
        assert command in scripts(jobs[name]), name
        assert "id-token" not in jobs[name]["permissions"], name
        assert not assumes_aws_role(jobs[name]), name
    # Only the smoke suite needs its environment, for the smoke key.
    assert "environment" not in jobs["build"]
    assert "environment" not in jobs["spa"]
    assert "sam deploy" in scripts(jobs["deploy"])
    assert "aws s3 sync" in scripts(jobs["publish"])


def test_artifacts_reach_jobs_with_an_oidc_token_by_id_and_sha256() -> None:
    jobs = load(DEPLOY)["jobs"]
    for name in ("deploy", "publish"):
        job = jobs[name]
        downloads = [step for step in job["steps"] if action(step) == "actions/download-artifact"]
        assert len(downloads) == 1, name
        producer = re.fullmatch(r"\$\{\{ needs\.(\w+)\.outputs\.artifact-id \}\}", downloads[0]["with"]["artifact-ids"])
        assert producer, name
        verify = next(step for step in job["steps"] if "sha256sum --check" in step.get("run", ""))
        assert verify["env"]["SHA256"] == f"${{{{ needs.{producer[1]}.outputs.sha256 }}}}", name
        assert "sha256" in jobs[producer[1]]["outputs"], name


def test_the_smoke_suite_loads_only_the_plugins_it_names() -> None:
    smoke = named_step(load(DEPLOY)["jobs"]["smoke"], "Smoke tests")
    command = shlex.split(smoke["run"])

    assert smoke["env"]["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] == "1"
    assert command[:4] == [".venv/bin/python", "-m", "pytest", "tests/smoke"]
    # The same arguments still find everything pyproject.toml configures (an unknown option would warn).
    collected = subprocess.run(  # noqa: S603 - this interpreter, the workflow's own arguments
        [sys.executable, "-m", "pytest", *command[3:], "--collect-only", "-W", "error::pytest.PytestConfigWarning"],
        cwd=REPOSITORY_ROOT,
        env={"PATH": "/usr/bin:/bin", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert "PytestConfigWarning" not in collected.stdout + collected.stderr


def test_prod_deploys_only_releases_whose_commit_is_on_main() -> None:
    workflow = load(DEPLOY)
    changes = workflow["jobs"]["changes"]
    names = [step.get("name") for step in changes["steps"]]
    gate = named_step(changes, "Prod deploys only commits of main")
    checkout = next(step for step in changes["steps"] if action(step) == "actions/checkout")

    # PyYAML reads the key `on` as True.
    assert workflow[True]["release"]["types"] == ["released"]
    assert gate["if"] == "steps.stage.outputs.stage == 'prod'"
    assert 'git merge-base --is-ancestor "$GITHUB_SHA" origin/main' in gate["run"]
    assert checkout["with"]["fetch-depth"] == 0  # every branch, so origin/main is there
    # Before any package is installed.
    assert names.index(gate["name"]) < min(
        i for i, step in enumerate(changes["steps"]) if "make" in step.get("run", "")
    )
    for name in ("build", "deploy"):
        assert "changes" in workflow["jobs"][name]["needs"], name


def test_deploys_restore_no_build_cache_and_other_caches_only_for_dev() -> None:
    jobs = load(DEPLOY)["jobs"]
    for name, job in jobs.items():
        for step in job.get("steps", []):
            if action(step) == "actions/cache":
                assert ".aws-sam" not in step["with"]["path"], name
                assert step["if"].endswith("== 'dev'"), (name, step["name"])
    # Whatever the build job writes becomes Lambda code: it restores nothing.
    assert not [step for step in jobs["build"]["steps"] if action(step) == "actions/cache"]


def test_sam_deploy_runs_whatever_changed() -> None:
    deploy = named_step(load(DEPLOY)["jobs"]["deploy"], "sam deploy")

    # Hand-off values changed by Terraform reach the stack only through a deploy.
    assert "if" not in deploy
    assert "--no-fail-on-empty-changeset" in deploy["run"]
    assert "--template-file .aws-sam/build/template.yaml" in deploy["run"]


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
