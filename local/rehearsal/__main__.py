"""``python -m local.rehearsal``: deploy template.yaml onto MiniStack as a stage would be, smoke-test it, tear down.

Steps (docs/deploy-rehearsal.md): start MiniStack and the local identity provider on free loopback ports; write what
Terraform writes (table, secret, function-role boundary, CodeDeploy role, artifacts bucket, SSM hand-off);
``sam build`` for the host architecture; ``sam deploy --config-env <stage>`` whose parameter values are samconfig's
SSM *names*; check that every role of the stack has the boundary of the SSM hand-off; run the smoke checks against
the deployed API; change one function's built code and redeploy (only its live alias may move); delete the stack and
stop everything, on failure too. Exits 0 only when every step passed.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError

from local.aws import aws_client, aws_environment
from local.gateway.config import DEFAULT_CONFIG, REPOSITORY_ROOT, GatewayConfig
from local.gateway.template import LOCAL_REGION
from local.processes import free_port
from local.rehearsal.checks import alias_versions, check_aliases, check_boundaries, check_only_changed_function_moved
from local.rehearsal.deploy import (
    apply_sam_transform,
    artifacts_bucket,
    build,
    check_wheels,
    deploy,
    host_architecture,
    package,
    stage_parameters,
)
from local.rehearsal.handoff import AwsClient, StageInputs, write_stage
from local.rehearsal.processes import RehearsalError, Servers
from local.rehearsal.smoke import run_smoke

MINISTACK = REPOSITORY_ROOT / ".venv-ministack" / "bin" / "ministack"
REGION = LOCAL_REGION
# Template features MiniStack cannot deploy, turned off by parameter (never by editing the template): it has no
# CodeDeploy and no WAFv2 association, and its CloudFormation does not wait for SnapStart snapshots
# (docs/deploy-rehearsal.md).
GAP_PARAMETERS = {"TrafficShifting": "false", "AttachWebAcl": "false", "SnapStartApplyOn": "None"}
START_TIMEOUT_S = 60.0
# The function whose code the rehearsal changes to rehearse a per-function deploy (folder and logical id).
CHANGED_FUNCTION = "health"
CHANGED_FUNCTION_LOGICAL_ID = "HealthFunction"


@dataclass
class Summary:
    """Each step's name, outcome and duration, printed at the end."""

    steps: list[tuple[str, str, float]] = field(default_factory=list)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step and record whether it passed; failures propagate."""
        started = time.monotonic()
        try:
            yield
        except BaseException:
            self.steps.append((name, "FAILED", time.monotonic() - started))
            raise
        self.steps.append((name, "ok", time.monotonic() - started))

    def render(self) -> str:
        """One line per step, then the total."""
        lines = [f"  {outcome:<6} {seconds:7.1f} s  {name}" for name, outcome, seconds in self.steps]
        total = sum(seconds for _, _, seconds in self.steps)
        return "\n".join(["deploy rehearsal:", *lines, f"  total  {total:7.1f} s"])


def main(argv: list[str] | None = None) -> int:
    """Run the rehearsal; returns the exit status (0 when every step passed)."""
    parser = argparse.ArgumentParser(prog="python -m local.rehearsal", description=__doc__.splitlines()[0])
    parser.add_argument("--stage", default="dev", choices=["dev", "prod"], help="samconfig section and SSM prefix")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for build + deploy each (default 900)")
    parser.add_argument("--keep-logs", type=Path, help="copy the logs (ministack, idp, sam) to this folder")
    args = parser.parse_args(argv)
    summary = Summary()
    with tempfile.TemporaryDirectory(prefix="identity-stack-rehearsal-") as work:
        work_dir = Path(work)
        servers = Servers(work_dir)
        try:
            rehearse(args, work_dir, servers, summary)
            status = 0
        except RehearsalError as exc:
            print(f"deploy rehearsal failed: {exc}", file=sys.stderr)
            status = 1
        except (BotoCoreError, ClientError, OSError, subprocess.SubprocessError) as exc:
            print(f"deploy rehearsal failed: {exc!r} (--keep-logs DIR keeps the servers' logs)", file=sys.stderr)
            status = 1
        finally:
            with summary.step("stop MiniStack and the identity provider"):
                servers.stop()
            if args.keep_logs:
                args.keep_logs.mkdir(parents=True, exist_ok=True)
                for log in work_dir.glob("*.log"):
                    (args.keep_logs / log.name).write_bytes(log.read_bytes())
            print(summary.render(), file=sys.stderr)
    return status


def rehearse(args: argparse.Namespace, work_dir: Path, servers: Servers, summary: Summary) -> None:
    """Every step between starting the servers and stopping them (the stack is deleted even when one fails)."""
    config = GatewayConfig.from_file(DEFAULT_CONFIG)
    aws_port, idp_port = free_port(), free_port()
    endpoint_url = f"http://127.0.0.1:{aws_port}"
    aws_env = {
        **aws_environment(endpoint_url),
        "SAM_CLI_TELEMETRY": "0",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    project_id = config.parameter_overrides["DescopeProjectId"]
    idp_url = f"http://127.0.0.1:{idp_port}"
    with summary.step("start MiniStack and the identity provider"):
        if not MINISTACK.exists():
            raise RehearsalError(f"{MINISTACK} is missing: run `make ministack`")
        servers.start(
            "ministack",
            [str(MINISTACK)],
            {"BIND_HOST": "127.0.0.1", "GATEWAY_PORT": str(aws_port), "MINISTACK_REGION": REGION},
            f"{endpoint_url}/_ministack/health",
            START_TIMEOUT_S,
        )
        servers.start(
            "idp",
            [sys.executable, "-m", "local.idp", "serve", "--port", str(idp_port), "--state-dir", str(work_dir / "idp")],
            {},
            f"{idp_url}/{project_id}/.well-known/openid-configuration",
            START_TIMEOUT_S,
        )

    def client_for(service: str) -> AwsClient:
        return aws_client(service, endpoint_url)

    inputs = StageInputs(
        stage=args.stage,
        project_id=project_id,
        issuer=f"{idp_url}/{project_id}",
        base_url=idp_url,
        management_key=config.environment["DESCOPE_MANAGEMENT_KEY"],
        allowed_origin=config.parameter_overrides["AllowedOrigin"],
        csp=config.parameter_overrides["CspPolicy"],
    )
    with summary.step("write what Terraform writes (table, secret, boundary, roles, bucket, SSM hand-off)"):
        account = client_for("sts").get_caller_identity()["Account"]
        written = write_stage(client_for, inputs, (account, REGION))
    architecture = host_architecture()
    # The host's own AWS settings (a real session token, a profile, ignored endpoints) never reach the emulator's
    # tools: only the emulator's fake credentials and endpoint.
    host_env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env = {**host_env, **aws_env, "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    with summary.step(f"sam build ({architecture})"):
        built = build(work_dir / "build", architecture, env, work_dir / "sam.log", args.timeout)
        check_wheels(work_dir / "build", architecture)
    stack_name = f"identity-stack-{args.stage}"
    parameters = {**stage_parameters(args.stage), **GAP_PARAMETERS, "Architecture": architecture}
    with summary.step("read the artifacts bucket from SSM as make deploy does"):
        bucket = artifacts_bucket(args.stage, env)
        if bucket != written["ArtifactsBucket"]:
            raise RehearsalError(
                f"make deploy would use bucket {bucket!r}, Terraform wrote {written['ArtifactsBucket']!r}"
            )
    log = work_dir / "sam.log"
    with summary.step("sam package, then the SAM transform with the parameter values"):
        transformed = apply_sam_transform(package(built, bucket, env, log, args.timeout), parameters, REGION)
    try:
        with summary.step(f"sam deploy --config-env {args.stage} (SSM names as parameter values)"):
            deploy(transformed, args.stage, stack_name, bucket, parameters, env, log, args.timeout)
        with summary.step("versions and live aliases deployed, the API integrated with them"):
            print(
                f"  {check_aliases(client_for('cloudformation'), client_for('apigateway'), stack_name)}",
                file=sys.stderr,
            )
        with summary.step("every role of the stack carries the permissions boundary from SSM"):
            boundary, template = written["PermissionsBoundaryArn"], json.loads(transformed.read_text())
            clients = client_for("cloudformation"), client_for("ssm")
            print(f"  {check_boundaries(template, *clients, stack_name, boundary)}", file=sys.stderr)
        with summary.step("smoke tests against the deployed API"):
            api_url = _api_url(client_for("cloudformation"), stack_name, endpoint_url, args.stage)
            run_smoke(api_url, inputs, stack_name)
        with summary.step(f"change {CHANGED_FUNCTION}'s code and redeploy: only its alias moves"):
            before = alias_versions(client_for("cloudformation"), client_for("lambda"), stack_name)
            # The built copy changes, never the repository's source.
            handler = built.parent / CHANGED_FUNCTION_LOGICAL_ID / "app.py"
            handler.write_text(handler.read_text() + "\n# changed by the deploy rehearsal\n")
            transformed = apply_sam_transform(package(built, bucket, env, log, args.timeout), parameters, REGION)
            deploy(transformed, args.stage, stack_name, bucket, parameters, env, log, args.timeout)
            after = alias_versions(client_for("cloudformation"), client_for("lambda"), stack_name)
            changed = f"{stack_name}-{CHANGED_FUNCTION}"
            print(f"  {check_only_changed_function_moved(before, after, changed)}", file=sys.stderr)
    finally:
        with summary.step("delete the stack"):
            _delete_stack(client_for("cloudformation"), stack_name)


def _api_url(cloudformation: AwsClient, stack_name: str, endpoint_url: str, stage: str) -> str:
    (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    # MiniStack serves every REST API under its own endpoint (the ApiUrl output names AWS's host).
    return f"{endpoint_url}/_aws/execute-api/{outputs['RestApiId']}/{stage}"


def _delete_stack(cloudformation: AwsClient, stack_name: str) -> None:
    cloudformation.delete_stack(StackName=stack_name)
    waiter = cloudformation.get_waiter("stack_delete_complete")
    waiter.wait(StackName=stack_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})


if __name__ == "__main__":
    sys.exit(main())
