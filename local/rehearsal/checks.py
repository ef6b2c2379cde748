"""Checks of what the deploy created: every function behind its live alias, and the API calling the aliases."""

from collections import Counter

from botocore.client import BaseClient

from local.rehearsal.processes import RehearsalError

ALIAS_NAME = "live"


def check_aliases(cloudformation: BaseClient, apigateway: BaseClient, stack_name: str) -> str:
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


def alias_versions(cloudformation: BaseClient, lambda_client: BaseClient, stack_name: str) -> dict[str, str]:
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


def check_boundaries(cloudformation: BaseClient, iam: BaseClient, stack_name: str, boundary_arn: str) -> str:
    """Check that every role of the stack carries ``boundary_arn`` as its permissions boundary.

    The deploy role may create the stack's roles only with this boundary (infra/aws_github_oidc.tf), so a role
    without it would fail to deploy in AWS. CodeDeploy's role is Terraform's, so the stack holds function roles only.

    Returns
    -------
    str
        A one-line description for the summary.

    Raises
    ------
    RehearsalError
        No role in the stack, or a role without the boundary or with another one.
    """
    resources = cloudformation.describe_stack_resources(StackName=stack_name)["StackResources"]
    roles = [r["PhysicalResourceId"] for r in resources if r["ResourceType"] == "AWS::IAM::Role"]
    boundaries = {
        role: iam.get_role(RoleName=role)["Role"].get("PermissionsBoundary", {}).get("PermissionsBoundaryArn")
        for role in roles
    }
    wrong = {role: boundary for role, boundary in boundaries.items() if boundary != boundary_arn}
    if not roles or wrong:
        raise RehearsalError(f"roles without the boundary {boundary_arn}: {wrong or 'no role in the stack'}")
    return f"{len(roles)} roles, each bounded by {boundary_arn.rsplit('/', 1)[-1]}"
