"""Checks of what the deploy created: every function behind its live alias, and the API calling the aliases."""

from collections import Counter
from typing import Any

from local.rehearsal.handoff import AwsClient
from local.rehearsal.processes import RehearsalError

ALIAS_NAME = "live"
BOUNDARY_PARAMETER = "PermissionsBoundaryArn"


def check_aliases(cloudformation: AwsClient, apigateway: AwsClient, stack_name: str) -> str:
    """Check that each function has a published version and a ``live`` alias, and each proxy integration targets one.

    Returns
    -------
    str
        A one-line description (counts) for the summary.

    Raises
    ------
    RehearsalError
        A function without version or alias, or an integration that calls a function's unqualified ARN.
    """
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    kinds = Counter(resource["ResourceType"] for resource in resources)
    functions = kinds["AWS::Lambda::Function"]
    if not functions or kinds["AWS::Lambda::Version"] != functions or kinds["AWS::Lambda::Alias"] != functions:
        raise RehearsalError(f"expected a version and an alias per function, the stack holds {dict(kinds)}")
    (api_id,) = (r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::ApiGateway::RestApi")
    uris = [
        method["methodIntegration"]["uri"]
        for resource in apigateway.get_resources(restApiId=api_id, embed=["methods"], limit=500)["items"]
        for method in resource.get("resourceMethods", {}).values()
        if method.get("methodIntegration", {}).get("type") == "AWS_PROXY"
    ]
    unqualified = [uri for uri in uris if f":{ALIAS_NAME}/invocations" not in uri]
    if not uris or unqualified:
        raise RehearsalError(f"integrations not on the {ALIAS_NAME} alias: {unqualified or 'no integration found'}")
    return f"{functions} functions, each with a version and its {ALIAS_NAME} alias; {len(uris)} integrations on them"


def alias_versions(cloudformation: AwsClient, lambda_client: AwsClient, stack_name: str) -> dict[str, str]:
    """Function name → the version its ``live`` alias points at, for every function of the stack."""
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    names = [r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::Lambda::Function"]
    return {name: lambda_client.get_alias(FunctionName=name, Name=ALIAS_NAME)["FunctionVersion"] for name in names}


def check_only_changed_function_moved(before: dict[str, str], after: dict[str, str], changed: str) -> str:
    """Check that a redeploy after changing one function's code moved that function's alias and no other.

    Returns
    -------
    str
        A one-line description for the summary.

    Raises
    ------
    RehearsalError
        The changed function kept its version, or another function got a new one.
    """
    moved = sorted(name for name in after if after[name] != before.get(name))
    if moved != [changed]:
        raise RehearsalError(f"changing {changed} alone moved the live alias of {moved or 'no function'}")
    return f"only {changed} moved: live {before[changed]} → {after[changed]}"


def check_boundaries(
    transformed: dict[str, Any], cloudformation: AwsClient, ssm: AwsClient, stack_name: str, boundary_arn: str
) -> str:
    """Check that every role of the deployed template carries the boundary of the SSM hand-off.

    MiniStack accepts ``PermissionsBoundary`` on ``AWS::IAM::Role`` but does not store it (docs/deploy-rehearsal.md,
    gap 12), so the chain is checked instead of ``GetRole``: each role's ``PermissionsBoundary`` is
    ``!Ref PermissionsBoundaryArn``, and the stack's value of that parameter (deployed as the SSM name) is
    ``boundary_arn``: MiniStack reports the resolved value as ``ParameterValue``; AWS reports the name there and the
    value as ``ResolvedValue``, and a name is read from SSM. The deploy role may create the stack's
    roles only with this boundary (infra/aws_github_oidc.tf), so a role without it would fail to deploy in AWS.

    Parameters
    ----------
    transformed : dict
        The CloudFormation template after the SAM transform (what ``sam deploy`` sent).
    cloudformation, ssm : AwsClient
        Clients of the emulator.
    stack_name : str
    boundary_arn : str
        The boundary the rehearsal created (Terraform's ``aws_iam_policy.function_boundary``).

    Returns
    -------
    str
        A one-line description for the summary.

    Raises
    ------
    RehearsalError
        No role, a role without ``PermissionsBoundary: !Ref PermissionsBoundaryArn``, or a stack parameter that does
        not lead to ``boundary_arn``.
    """
    roles = {k: v for k, v in transformed["Resources"].items() if v["Type"] == "AWS::IAM::Role"}
    wrong = {
        logical_id: role["Properties"].get("PermissionsBoundary")
        for logical_id, role in roles.items()
        if role["Properties"].get("PermissionsBoundary") != {"Ref": BOUNDARY_PARAMETER}
    }
    if not roles or wrong:
        raise RehearsalError(f"roles without PermissionsBoundary: !Ref {BOUNDARY_PARAMETER}: {wrong or 'no role'}")
    (stack,) = cloudformation.describe_stacks(StackName=stack_name)["Stacks"]
    (parameter,) = [p for p in stack.get("Parameters", []) if p["ParameterKey"] == BOUNDARY_PARAMETER] or [{}]
    name = parameter.get("ParameterValue", "")
    value = ssm.get_parameter(Name=name)["Parameter"]["Value"] if name.startswith("/") else name
    if value != boundary_arn or parameter.get("ResolvedValue", value) != boundary_arn:
        raise RehearsalError(f"{BOUNDARY_PARAMETER}={name!r} leads to {value!r}, not {boundary_arn}")
    return f"{len(roles)} roles, each bounded by {BOUNDARY_PARAMETER}, resolved to {value}"
