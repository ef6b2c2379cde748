"""The Terraform → SAM hand-off: which SSM parameter feeds which template parameter, and the format of its value.

Terraform (infra/) writes one ``String`` parameter per entry under ``/identity-stack/<stage>/``; template.yaml reads
each with a parameter of type ``AWS::SSM::Parameter::Value<String>`` whose value in samconfig.toml is the SSM name.
``AllowedPattern`` does not apply to the value an SSM parameter type resolves to, so the formats live here: the local
stack checks its literal values against them, the deploy rehearsal the values it writes, and Terraform's
``allowed_pattern`` carries ``ssm_allowed_patterns()`` (tests/infra compares the two).
"""

import re
from dataclasses import dataclass

SSM_PREFIX = "/identity-stack"


@dataclass(frozen=True)
class HandOff:
    """One hand-off value.

    Attributes
    ----------
    parameter : str
        Template parameter (``OidcIssuer``).
    name : str
        SSM name below ``/identity-stack/<stage>/`` (``oidc/issuer``).
    pattern : str
        Regular expression the whole value must match.
    """

    parameter: str
    name: str
    pattern: str

    def ssm_name(self, stage: str) -> str:
        """The full SSM parameter name for a stage (``/identity-stack/dev/oidc/issuer``)."""
        return f"{SSM_PREFIX}/{stage}/{self.name}"

    def matches(self, value: str) -> bool:
        """Whether ``value`` has this entry's format (the pattern matched against the whole value)."""
        return re.fullmatch(self.pattern, value) is not None


_ARN = r"arn:aws[a-z-]*:{service}:[a-z0-9-]+:[0-9]{{12}}:"
_IAM_ARN = r"arn:aws[a-z-]*:iam::[0-9]{12}:"
# The contract of issue 11 (the brief's SSM table); Terraform writes the same names (infra/aws_ssm.tf).
HAND_OFFS: tuple[HandOff, ...] = (
    HandOff("DescopeProjectId", "descope/project-id", r"[A-Za-z0-9]+"),
    HandOff("DescopeBaseUrl", "descope/base-url", r"https?://[^\s]+[^/\s]"),
    HandOff(
        "DescopeManagementKeySecretArn",
        "descope/management-key-secret-arn",
        _ARN.format(service="secretsmanager") + r"secret:.+",
    ),
    HandOff("OidcIssuer", "oidc/issuer", r"https?://[^\s/]+(/[^\s]*)?[^/\s]"),
    HandOff("SpaClientId", "oidc/spa-client-id", r"[A-Za-z0-9_-]+"),
    HandOff("TableName", "dynamodb/table-name", r"[A-Za-z0-9_.-]{3,255}"),
    HandOff("TableArn", "dynamodb/table-arn", _ARN.format(service="dynamodb") + r"table/[A-Za-z0-9_.-]{3,255}"),
    HandOff("AllowedOrigin", "api/allowed-origin", r"https?://[^\s/,']+"),
    HandOff("CspPolicy", "api/csp", r"[^\r\n]+"),
    HandOff("WebAclArn", "waf/web-acl-arn", _ARN.format(service="wafv2") + r"regional/webacl/.+"),
    # IAM ARNs have no region: arn:<partition>:iam::<account>:policy/<name> and :role/<name>.
    HandOff("PermissionsBoundaryArn", "iam/permissions-boundary-arn", _IAM_ARN + r"policy/[\w+=,.@/-]+"),
    HandOff("CodeDeployRoleArn", "iam/codedeploy-role-arn", _IAM_ARN + r"role/[\w+=,.@/-]+"),
)
HAND_OFF_BY_PARAMETER = {hand_off.parameter: hand_off for hand_off in HAND_OFFS}

# S3 bucket naming rules (Amazon S3 user guide, "General purpose bucket naming rules").
_BUCKET = r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"
# The SSM names the deploy workflow reads (no template parameter): name → format of the value.
WORKFLOW_FORMATS: dict[str, str] = {
    "spa/bucket-name": _BUCKET,
    "spa/distribution-id": r"[A-Z0-9]+",
    "deploy/artifacts-bucket": _BUCKET,
}


def ssm_allowed_patterns() -> dict[str, str]:
    """The ``allowed_pattern`` of every SSM parameter Terraform writes (infra/aws_ssm.tf): SSM name → Java regex.

    The formats above, anchored (SSM finds the pattern anywhere in the value otherwise) and https only: what
    Terraform writes in AWS is always https (``descope_base_url`` and ``spa_origin`` refuse anything else), while
    the local stack's literal values may be http on loopback.
    """
    formats = {hand_off.name: hand_off.pattern for hand_off in HAND_OFFS} | WORKFLOW_FORMATS
    return {name: "^" + pattern.replace("https?://", "https://") + "$" for name, pattern in formats.items()}


def format_problems(values: dict[str, str]) -> list[str]:
    """Describe every hand-off value in ``values`` (parameter → value) that breaks its format.

    Returns
    -------
    list[str]
        One message per bad value; empty when all are well formed. Parameters outside the hand-off are ignored.
    """
    return [
        f"{name}={value!r} does not match {HAND_OFF_BY_PARAMETER[name].pattern}"
        for name, value in values.items()
        if name in HAND_OFF_BY_PARAMETER and not HAND_OFF_BY_PARAMETER[name].matches(value)
    ]
