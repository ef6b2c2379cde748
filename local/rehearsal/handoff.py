"""Write into the emulator what Terraform writes in AWS: the tenant table, the management-key secret, the bucket, the
function roles' permissions boundary, CodeDeploy's role and the SSM hand-off under ``/identity-stack/<stage>/``
(names from ``local.handoff``)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from local.aws.tables import create_table, load_table_block
from local.handoff import HAND_OFFS, SSM_PREFIX, format_problems
from local.rehearsal.processes import RehearsalError

# A boto3 client of any service. botocore builds each service's methods at run time, and only the services the layer
# calls have stubs installed (mypy-boto3-*), so the rehearsal's clients are untyped.
AwsClient = Any
ClientFactory = Callable[[str], AwsClient]
ARTIFACTS_BUCKET_NAME = "deploy/artifacts-bucket"
# Stand-ins for infra/aws_iam_boundary.tf: the rehearsal checks that the stack deploys with a boundary on every
# function role and a given CodeDeploy role, not what they allow (tests/infra asserts the Terraform documents).
_BOUNDARY_DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["logs:*", "xray:*", "dynamodb:*", "secretsmanager:*"], "Resource": "*"}
    ],
}
_CODEDEPLOY_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


@dataclass(frozen=True)
class StageInputs:
    """The values an operator's Terraform apply and out-of-band step would produce for a stage.

    Attributes
    ----------
    stage : str
        ``dev`` or ``prod``: the SSM prefix ``/identity-stack/<stage>/``.
    project_id, issuer, base_url, management_key : str
        The identity provider (the local one, in the rehearsal).
    allowed_origin, csp : str
        The SPA origin and the Content-Security-Policy.
    """

    stage: str
    project_id: str
    issuer: str
    base_url: str
    management_key: str
    allowed_origin: str
    csp: str

    @property
    def name_prefix(self) -> str:
        """Terraform's ``local.name_prefix``."""
        return f"identity-stack-{self.stage}"


def write_stage(client_for: ClientFactory, inputs: StageInputs, account_region: tuple[str, str]) -> dict[str, str]:
    """Create the table, the secret, the boundary policy, CodeDeploy's role and the artifacts bucket, then write every
    hand-off SSM parameter.

    Parameters
    ----------
    client_for : Callable[[str], AwsClient]
        boto3 client factory pointed at the emulator.
    inputs : StageInputs
    account_region : tuple[str, str]
        The emulator's account id and region (for the web ACL ARN, which nothing resolves in the rehearsal).

    Returns
    -------
    dict[str, str]
        Template parameter → the value written under its SSM name, plus ``ArtifactsBucket``.

    Raises
    ------
    RehearsalError
        A value breaks its hand-off format (as Terraform's ``allowed_pattern`` would refuse it).
    """
    dynamodb = client_for("dynamodb")
    table_name = create_table(dynamodb, load_table_block(), f"{inputs.name_prefix}-tenant-data")
    table_arn = dynamodb.describe_table(TableName=table_name)["Table"]["TableArn"]
    secret_arn = client_for("secretsmanager").create_secret(
        Name=f"{inputs.name_prefix}-descope-management-key", SecretString=inputs.management_key
    )["ARN"]
    iam = client_for("iam")
    boundary_arn = iam.create_policy(
        PolicyName=f"identity-stack-function-boundary-{inputs.stage}", PolicyDocument=json.dumps(_BOUNDARY_DOCUMENT)
    )["Policy"]["Arn"]
    codedeploy_role_arn = iam.create_role(
        RoleName=f"identity-stack-codedeploy-{inputs.stage}", AssumeRolePolicyDocument=json.dumps(_CODEDEPLOY_TRUST)
    )["Role"]["Arn"]
    bucket = f"{inputs.name_prefix}-sam-artifacts"
    client_for("s3").create_bucket(Bucket=bucket)
    account, region = account_region
    values = {
        "DescopeProjectId": inputs.project_id,
        "DescopeBaseUrl": inputs.base_url,
        "DescopeManagementKeySecretArn": secret_arn,
        "OidcIssuer": inputs.issuer,
        "SpaClientId": inputs.project_id,
        "TableName": table_name,
        "TableArn": table_arn,
        "AllowedOrigin": inputs.allowed_origin,
        "CspPolicy": inputs.csp,
        # Never associated (AttachWebAcl=false): MiniStack has no WAFv2 association (docs/deploy-rehearsal.md).
        "WebAclArn": f"arn:aws:wafv2:{region}:{account}:regional/webacl/{inputs.name_prefix}/rehearsal",
        "PermissionsBoundaryArn": boundary_arn,
        "CodeDeployRoleArn": codedeploy_role_arn,
    }
    if problems := format_problems(values):
        raise RehearsalError("hand-off values break their formats: " + "; ".join(problems))
    ssm = client_for("ssm")
    for hand_off in HAND_OFFS:
        ssm.put_parameter(Name=hand_off.ssm_name(inputs.stage), Value=values[hand_off.parameter], Type="String")
    ssm.put_parameter(Name=f"{SSM_PREFIX}/{inputs.stage}/{ARTIFACTS_BUCKET_NAME}", Value=bucket, Type="String")
    return {**values, "ArtifactsBucket": bucket}
