"""template.yaml: cfn-lint, the SAM transform, and the contracts the rest of the repository relies on."""

import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from samtranslator.yaml_helper import yaml_parse

from local.gateway import FunctionRuntime, LocalTemplate, load_api, load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig
from local.handoff import HAND_OFFS

ARCHITECTURE = REPOSITORY_ROOT / "docs" / "ARCHITECTURE.md"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "'nosniff'",
    "X-Frame-Options": "'DENY'",
    "Referrer-Policy": "'strict-origin-when-cross-origin'",
    "X-XSS-Protection": "'0'",
}


@pytest.fixture(scope="module")
def sam_template() -> dict[str, Any]:
    return yaml_parse(DEFAULT_TEMPLATE.read_text())


@pytest.fixture(scope="module")
def local_template() -> LocalTemplate:
    return load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides)


def sam_functions(sam_template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        logical_id: resource["Properties"]
        for logical_id, resource in sam_template["Resources"].items()
        if resource["Type"] == "AWS::Serverless::Function"
    }


def test_template_cfn_lint_reports_nothing() -> None:
    matches = lint_file(DEFAULT_TEMPLATE)
    assert [f"{match.rule.id} {match.message}" for match in matches] == []


@pytest.mark.parametrize("architecture", ["arm64", "x86_64"])
def test_template_architecture_parameter_drives_functions_and_layer(architecture: str) -> None:
    overrides = {**GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides, "Architecture": architecture}
    template = load_template(DEFAULT_TEMPLATE, overrides)
    ((layer_id, layer),) = template.resources_of_type("AWS::Lambda::LayerVersion").items()
    assert layer["Metadata"] == {"BuildMethod": "python3.12", "BuildArchitecture": {"Ref": "Architecture"}}
    layer_properties = template.resolved_properties(layer_id)
    assert layer_properties["CompatibleArchitectures"] == [architecture]
    assert layer_properties["Content"]["S3Key"] == "layers/shared"
    functions = template.resources_of_type("AWS::Lambda::Function")
    assert functions
    for logical_id in functions:
        properties = template.resolved_properties(logical_id)
        assert properties["Runtime"] == "python3.12", logical_id
        assert properties["Architectures"] == [architecture], logical_id
        assert properties["Handler"] == "app.handler", logical_id
        assert properties["Layers"] == [template.resolver.resolve({"Ref": layer_id})], logical_id
        assert properties["Code"]["S3Key"] == f"functions/{Path(properties['Code']['S3Key']).name}", logical_id


def test_template_aws_default_architecture_is_arm64(sam_template: dict[str, Any]) -> None:
    assert sam_template["Parameters"]["Architecture"]["Default"] == "arm64"


def test_template_hand_off_parameters_are_ssm_typed(sam_template: dict[str, Any]) -> None:
    ssm_typed = {
        name
        for name, spec in sam_template["Parameters"].items()
        if spec["Type"] == "AWS::SSM::Parameter::Value<String>"
    }
    assert ssm_typed == {hand_off.parameter for hand_off in HAND_OFFS}
    # AllowedPattern does not apply to the resolved SSM value (local.handoff holds the formats).
    assert all("AllowedPattern" not in sam_template["Parameters"][name] for name in ssm_typed)


def test_template_owns_no_table_and_reads_it_from_the_hand_off(local_template: LocalTemplate) -> None:
    assert local_template.resources_of_type("AWS::DynamoDB::Table") == {}
    assert local_template.resources_of_type("AWS::SSM::Parameter") == {}
    table_arn = local_template.parameters["TableArn"]
    for logical_id in local_template.resources_of_type("AWS::Lambda::Function"):
        variables = local_template.resolved_properties(logical_id)["Environment"]["Variables"]
        if "TABLE_NAME" in variables:
            assert variables["TABLE_NAME"] == local_template.parameters["TableName"], logical_id
    for logical_id in local_template.resources_of_type("AWS::IAM::Role"):
        for policy in local_template.resolved_properties(logical_id).get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                if any(action.startswith("dynamodb:") for action in actions):
                    assert statement["Resource"] == table_arn, logical_id


def test_template_function_names_follow_the_contract(sam_template: dict[str, Any]) -> None:
    for logical_id, properties in sam_functions(sam_template).items():
        folder = Path(properties["CodeUri"]).name
        assert logical_id == f"{folder.capitalize()}Function"
        assert properties["FunctionName"] == {"Fn::Sub": f"${{AWS::StackName}}-{folder}"}, logical_id


@pytest.mark.parametrize(
    ("environment", "deployment_config"),
    [
        ("local", "CodeDeployDefault.LambdaAllAtOnce"),
        ("dev", "CodeDeployDefault.LambdaAllAtOnce"),
        ("production", "CodeDeployDefault.LambdaCanary10Percent5Minutes"),
    ],
    ids=str,
)
def test_template_every_function_shifts_its_live_alias_with_its_alarms(
    environment: str, deployment_config: str
) -> None:
    overrides = {**GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides, "EnvironmentName": environment}
    template = load_template(DEFAULT_TEMPLATE, overrides)
    stack = template.resolver.resolve({"Ref": "AWS::StackName"})
    functions = template.resources_of_type("AWS::Lambda::Function")
    aliases = template.resources_of_type("AWS::Lambda::Alias")
    groups = template.resources_of_type("AWS::CodeDeploy::DeploymentGroup")
    assert len(aliases) == len(groups) == len(functions) == 8
    for logical_id in functions:
        folder = template.resolved_properties(logical_id)["FunctionName"].removeprefix(f"{stack}-")
        alias = aliases[f"{logical_id}Aliaslive"]
        assert alias["Properties"]["Name"] == "live"
        group_id = alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]["DeploymentGroupName"]["Ref"]
        group = template.resolved_properties(group_id)
        assert group["DeploymentConfigName"] == deployment_config, logical_id
        assert group["AutoRollbackConfiguration"]["Enabled"] is True
        assert {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"} <= set(group["AutoRollbackConfiguration"]["Events"])
        assert group["AlarmConfiguration"] == {
            "Enabled": True,
            "Alarms": [{"Name": f"{stack}-{folder}-{kind}"} for kind in ("errors", "throttles", "p99-duration")],
        }, logical_id


def _function_reference(uri: Any) -> str:
    """The logical id an integration/authorizer URI (an ``Fn::Sub``) names its function by."""
    sub = uri["Fn::Sub"]
    text, variables = (sub, {}) if isinstance(sub, str) else sub
    name = re.fullmatch(r".*/functions/\$\{(?P<name>[^}]+)\}/invocations", text)["name"]
    return variables[name]["Ref"] if name in variables else name


def test_template_api_integrates_with_the_live_aliases(local_template: LocalTemplate) -> None:
    api = local_template.resources["Api"]["Properties"]["Body"]
    for path, operations in api["paths"].items():
        for verb, operation in operations.items():
            integration = operation["x-amazon-apigateway-integration"]
            if integration["type"] == "aws_proxy":
                assert _function_reference(integration["uri"]).endswith("Aliaslive"), f"{verb} {path}"
    (authorizer,) = (
        scheme["x-amazon-apigateway-authorizer"]
        for scheme in api["components"]["securitySchemes"].values()
        if "x-amazon-apigateway-authorizer" in scheme
    )
    assert _function_reference(authorizer["authorizerUri"]) == "AuthorizerFunctionAliaslive"


def test_template_every_route_but_health_has_the_authorizer(local_template: LocalTemplate) -> None:
    for method in load_api(local_template).methods:
        if method.http_method == "OPTIONS":
            continue
        schemes = {name for requirement in method.security for name in requirement}
        expected = set() if method.resource_path == "/api/health" else {"TokenAuthorizer", "api_key"}
        assert schemes == expected, f"{method.http_method} {method.resource_path}"


def test_template_every_invoke_permission_is_scoped_to_this_api(local_template: LocalTemplate) -> None:
    permissions = local_template.resources_of_type("AWS::Lambda::Permission")
    assert permissions
    api_id = local_template.resolver.resolve({"Ref": "Api"})
    prefix = f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/"
    for logical_id, permission in permissions.items():
        properties = permission["Properties"]
        assert properties["FunctionName"]["Ref"].endswith("Aliaslive"), logical_id
        assert properties["Principal"] == "apigateway.amazonaws.com", logical_id
        assert local_template.resolved_properties(logical_id)["SourceArn"].startswith(prefix), logical_id


def test_template_only_this_api_can_invoke_each_function(
    sam_template: dict[str, Any], local_template: LocalTemplate
) -> None:
    # The functions trust requestContext.authorizer (docs/ARCHITECTURE.md, "Trust boundary"): that holds only if
    # API Gateway, for this API, is the one caller each function's live alias lets in (SAM generates the
    # permissions from the Api events and the authorizer; this reads the transformed template).
    functions = set(sam_functions(sam_template))
    permitted: dict[str, set[str]] = {}
    for logical_id, permission in local_template.resources_of_type("AWS::Lambda::Permission").items():
        properties = local_template.resolved_properties(logical_id)
        function = permission["Properties"]["FunctionName"]["Ref"].removesuffix("Aliaslive")
        permitted.setdefault(function, set()).add(properties["Principal"])
        assert properties["Action"] == "lambda:InvokeFunction", logical_id
        assert "SourceArn" in properties, logical_id

    assert set(permitted) == functions
    assert all(principals == {"apigateway.amazonaws.com"} for principals in permitted.values())
    assert not local_template.resources_of_type("AWS::Lambda::Url")  # no other door to a function


@pytest.mark.parametrize("attach", ["true", "false"])
def test_template_web_acl_association_follows_attach_web_acl(attach: str) -> None:
    overrides = {**GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides, "AttachWebAcl": attach}
    template = load_template(DEFAULT_TEMPLATE, overrides)
    associations = template.resources_of_type("AWS::WAFv2::WebACLAssociation")
    if attach == "false":
        assert associations == {}
        return
    (logical_id,) = associations
    properties = template.resolved_properties(logical_id)
    api_id, stage = template.resolver.resolve({"Ref": "Api"}), template.parameters["StageName"]
    assert properties == {
        "ResourceArn": f"arn:aws:apigateway:us-east-1::/restapis/{api_id}/stages/{stage}",
        "WebACLArn": overrides["WebAclArn"],
    }


def test_template_every_route_is_an_explicit_api_event(sam_template: dict[str, Any]) -> None:
    for logical_id, properties in sam_functions(sam_template).items():
        for name, event in properties.get("Events", {}).items():
            where = f"{logical_id}.{name}"
            assert event["Type"] == "Api", where
            assert event["Properties"]["RestApiId"] == {"Ref": "Api"}, where
            assert event["Properties"]["Path"].startswith("/api/"), where
            assert "+}" not in event["Properties"]["Path"], f"{where}: greedy paths hide routes from the gateway"
            assert event["Properties"]["Method"].lower() in {"get", "post", "put", "patch", "delete"}, where


def test_template_routes_match_each_function_app(sam_template: dict[str, Any], local_template: LocalTemplate) -> None:
    # Each app is imported in an emulated container, so the host keeps no layer state or environment from it.
    runtime = FunctionRuntime()
    try:
        for spec in load_api(local_template).functions.values():
            events = sam_functions(sam_template)[spec.logical_id].get("Events", {}).values()
            if not events:  # the Lambda authorizer: API Gateway invokes it, it serves no route
                assert not hasattr(runtime.load(spec), "app"), spec.logical_id
                continue
            declared = {(event["Properties"]["Method"].upper(), event["Properties"]["Path"]) for event in events}
            paths = runtime.load(spec).app.openapi()["paths"]
            served = {(method.upper(), path) for path, operations in paths.items() for method in operations}
            assert declared == served, spec.logical_id
    finally:
        runtime.close()


def test_template_environment_names_are_documented(local_template: LocalTemplate) -> None:
    section = ARCHITECTURE.read_text().split("## Environment variables", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", section))
    for logical_id in local_template.resources_of_type("AWS::Lambda::Function"):
        names = set(local_template.resolved_properties(logical_id)["Environment"]["Variables"])
        undocumented = {name for name in names - documented if not name.startswith("POWERTOOLS_")}
        assert undocumented == set(), logical_id


@pytest.mark.parametrize(("environment", "has_hsts"), [("local", False), ("dev", False), ("production", True)], ids=str)
def test_template_gateway_responses_carry_security_and_cors_headers(environment: str, has_hsts: bool) -> None:
    overrides = GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides
    api = load_api(load_template(DEFAULT_TEMPLATE, {**overrides, "EnvironmentName": environment}))
    for response_type in ("DEFAULT_4XX", "DEFAULT_5XX"):
        headers = {
            name.removeprefix("gatewayresponse.header."): value
            for name, value in api.gateway_responses[response_type]["responseParameters"].items()
        }
        assert SECURITY_HEADERS.items() <= headers.items(), response_type
        assert headers["Content-Security-Policy"] == "'default-src 'self''"
        assert headers["Access-Control-Allow-Origin"] == f"'{overrides['AllowedOrigin']}'"
        assert ("Strict-Transport-Security" in headers) is has_hsts


def test_template_cors_preflight_allows_the_origin_parameter(local_template: LocalTemplate) -> None:
    api = load_api(local_template)
    preflights = [method for method in api.methods if method.http_method == "OPTIONS"]
    assert {method.resource_path for method in preflights} == {
        method.resource_path for method in api.methods if method.http_method != "OPTIONS"
    }
    origin = local_template.parameters["AllowedOrigin"]
    for method in preflights:
        assert method.integration.headers["Access-Control-Allow-Origin"] == f"'{origin}'"
        assert "Authorization" in method.integration.headers["Access-Control-Allow-Headers"]


def test_template_outputs_name_api_layer_and_every_function(sam_template: dict[str, Any]) -> None:
    expected = {"ApiUrl", "SharedLayerArn"} | {f"{logical_id}Arn" for logical_id in sam_functions(sam_template)}
    assert expected <= set(sam_template["Outputs"])


def test_template_local_parameters_resolve_function_environment(local_template: LocalTemplate) -> None:
    api = load_api(local_template)
    environment = next(iter(api.functions.values())).environment
    issuer = local_template.parameters["OidcIssuer"]
    assert environment["OIDC_DISCOVERY_URL"] == f"{issuer}/.well-known/openid-configuration"
    parameters = local_template.parameters
    apps_issuer = f"{parameters['DescopeBaseUrl']}/v1/apps/{parameters['DescopeProjectId']}"
    assert environment["OIDC_ALLOWED_ISSUERS"] == f"{issuer},{apps_issuer}"
    assert environment["OIDC_AUDIENCE"] == local_template.parameters["DescopeProjectId"]
    assert environment["ENVIRONMENT"] == "local"
    assert environment["OIDC_ALLOW_INSECURE_HTTP"] == "false"


def test_template_traffic_shifting_off_keeps_versions_and_aliases_only() -> None:
    overrides = {**GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides, "TrafficShifting": "false"}
    template = load_template(DEFAULT_TEMPLATE, overrides)
    codedeploy = [key for key, value in template.resources.items() if value["Type"].startswith("AWS::CodeDeploy::")]
    aliases = template.resources_of_type("AWS::Lambda::Alias")
    assert codedeploy == []
    assert len(aliases) == len(template.resources_of_type("AWS::Lambda::Version")) == 8
    assert all("UpdatePolicy" not in alias for alias in aliases.values())


@pytest.mark.parametrize("traffic_shifting", ["true", "false"])
def test_template_every_function_role_carries_the_terraform_boundary(traffic_shifting: str) -> None:
    overrides = {**GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides, "TrafficShifting": traffic_shifting}
    template = load_template(DEFAULT_TEMPLATE, overrides)
    roles = template.resources_of_type("AWS::IAM::Role")
    functions = template.resources_of_type("AWS::Lambda::Function")
    role_of = {
        logical_id: template.resolved_properties(logical_id)["Role"] for logical_id in functions
    }  # GetAtt <role>.Arn, resolved to the role's ARN

    assert len(functions) == 8
    # Every role of the stack is a function role (SAM makes no CodeDeploy role), and each has the boundary.
    assert {template.resolver.resolve({"Fn::GetAtt": [role, "Arn"]}) for role in roles} == set(role_of.values())
    for logical_id in roles:
        assert template.resolved_properties(logical_id)["PermissionsBoundary"] == overrides["PermissionsBoundaryArn"]


def test_template_codedeploy_uses_terraforms_role_and_sam_makes_none() -> None:
    overrides = GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides
    template = load_template(DEFAULT_TEMPLATE, overrides)
    groups = template.resources_of_type("AWS::CodeDeploy::DeploymentGroup")

    assert "CodeDeployServiceRole" not in template.resources
    assert len(groups) == 8
    for logical_id in groups:
        assert template.resolved_properties(logical_id)["ServiceRoleArn"] == overrides["CodeDeployRoleArn"]
