"""local.rehearsal without MiniStack: what it writes for Terraform, what it deploys with, how it reports."""

from pathlib import Path
from typing import Any

import boto3
import pytest

from local.handoff import HAND_OFFS
from local.rehearsal.__main__ import GAP_PARAMETERS, Summary
from local.rehearsal.checks import check_boundaries
from local.rehearsal.deploy import check_wheels, stage_parameters
from local.rehearsal.handoff import ClientFactory, StageInputs, write_stage
from local.rehearsal.processes import RehearsalError

REGION = "us-east-1"
INPUTS = StageInputs(
    stage="dev",
    project_id="P2RehearsalProject",
    issuer="http://127.0.0.1:9/P2RehearsalProject",
    base_url="http://127.0.0.1:9",
    management_key="rehearsal-key",
    allowed_origin="http://localhost:3000",
    csp="default-src 'self'",
)


@pytest.fixture
def client_for(in_process_aws: None) -> ClientFactory:
    return lambda service: boto3.client(service, region_name=REGION)


def test_write_stage_writes_every_hand_off_name_terraform_writes(client_for: ClientFactory) -> None:
    written = write_stage(client_for, INPUTS, ("123456789012", REGION))
    ssm = client_for("ssm")
    pages = ssm.get_paginator("get_parameters_by_path").paginate(Path="/identity-stack/dev", Recursive=True)
    stored = {parameter["Name"]: parameter["Value"] for page in pages for parameter in page["Parameters"]}
    expected = {hand_off.ssm_name("dev"): written[hand_off.parameter] for hand_off in HAND_OFFS}
    assert stored == {**expected, "/identity-stack/dev/deploy/artifacts-bucket": written["ArtifactsBucket"]}
    secret = client_for("secretsmanager").get_secret_value(SecretId=written["DescopeManagementKeySecretArn"])
    assert secret["SecretString"] == INPUTS.management_key
    table = client_for("dynamodb").describe_table(TableName="identity-stack-dev-tenant-data")["Table"]
    assert table["TableArn"] == written["TableArn"]


def test_write_stage_refuses_a_value_terraform_would_refuse(client_for: ClientFactory) -> None:
    bad = StageInputs(**{**INPUTS.__dict__, "allowed_origin": "http://localhost:3000/path"})
    with pytest.raises(RehearsalError, match="AllowedOrigin="):
        write_stage(client_for, bad, ("123456789012", REGION))


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_rehearsal_deploys_with_samconfig_ssm_names_and_only_the_gap_parameters_changed(stage: str) -> None:
    parameters = stage_parameters(stage)
    for hand_off in HAND_OFFS:
        assert parameters[hand_off.parameter] == hand_off.ssm_name(stage)
    # Turned off by parameter only, never by editing the template (docs/deploy-rehearsal.md gaps 2, 3 and 13).
    assert GAP_PARAMETERS == {"TrafficShifting": "false", "AttachWebAcl": "false", "SnapStartApplyOn": "None"}
    assert parameters["TrafficShifting"] == parameters["AttachWebAcl"] == "true"
    # SnapStart is on in every stage: the template's default, overridden by no samconfig section.
    assert "SnapStartApplyOn" not in parameters


def test_check_wheels_refuses_a_layer_built_for_another_machine(tmp_path: Path) -> None:
    layer = tmp_path / "SharedLayer" / "python" / "pydantic_core"
    layer.mkdir(parents=True)
    (layer / "_pydantic_core.cpython-312-aarch64-linux-gnu.so").touch()
    check_wheels(tmp_path, "arm64")
    with pytest.raises(RehearsalError, match="not built for x86_64"):
        check_wheels(tmp_path, "x86_64")


def test_summary_records_failed_steps_and_reraises() -> None:
    summary = Summary()
    with summary.step("passes"):
        pass
    with pytest.raises(RehearsalError), summary.step("fails"):
        raise RehearsalError("boom")
    assert [(name, outcome) for name, outcome, _ in summary.steps] == [("passes", "ok"), ("fails", "FAILED")]
    assert "FAILED" in summary.render()


class _Stack:
    """The one CloudFormation call check_boundaries makes, answering with a fixed PermissionsBoundaryArn value."""

    def __init__(self, value: str) -> None:
        self.value = value

    def describe_stacks(self, StackName: str) -> dict[str, Any]:  # noqa: N803 - boto3's name
        return {"Stacks": [{"Parameters": [{"ParameterKey": "PermissionsBoundaryArn", "ParameterValue": self.value}]}]}


def _roles(*boundaries: object) -> dict[str, Any]:
    """A translated template with one role per boundary value (None: no PermissionsBoundary)."""
    properties = [{} if boundary is None else {"PermissionsBoundary": boundary} for boundary in boundaries]
    return {"Resources": {f"R{n}": {"Type": "AWS::IAM::Role", "Properties": p} for n, p in enumerate(properties)}}


def test_write_stage_creates_the_boundary_and_codedeploys_role(client_for: ClientFactory) -> None:
    written = write_stage(client_for, INPUTS, ("123456789012", REGION))
    iam = client_for("iam")
    assert iam.get_policy(PolicyArn=written["PermissionsBoundaryArn"])["Policy"]["PolicyName"] == (
        "identity-stack-function-boundary-dev"
    )
    assert iam.get_role(RoleName="identity-stack-codedeploy-dev")["Role"]["Arn"] == written["CodeDeployRoleArn"]


def test_check_boundaries_follows_the_role_to_the_ssm_value(client_for: ClientFactory) -> None:
    written = write_stage(client_for, INPUTS, ("123456789012", REGION))
    ssm, boundary = client_for("ssm"), written["PermissionsBoundaryArn"]
    ref = {"Ref": "PermissionsBoundaryArn"}
    name = "/identity-stack/dev/iam/permissions-boundary-arn"

    assert "2 roles" in check_boundaries(_roles(ref, ref), _Stack(name), ssm, "s", boundary)
    assert "1 roles" in check_boundaries(_roles(ref), _Stack(boundary), ssm, "s", boundary)
    with pytest.raises(RehearsalError, match="R1"):
        check_boundaries(_roles(ref, None), _Stack(name), ssm, "s", boundary)
    with pytest.raises(RehearsalError, match="no role"):
        check_boundaries(_roles(), _Stack(name), ssm, "s", boundary)
    with pytest.raises(RehearsalError, match="leads to"):
        check_boundaries(_roles(ref), _Stack("/identity-stack/dev/waf/web-acl-arn"), ssm, "s", boundary)
