"""template.yaml: cfn-lint, the SAM transform, and the contracts the rest of the repository relies on."""

import re
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint_file
from samtranslator.yaml_helper import yaml_parse

from local.gateway import FunctionRuntime, LocalTemplate, load_api, load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig

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


def test_template_functions_run_python312_arm64_with_the_shared_layer(local_template: LocalTemplate) -> None:
    layers = local_template.resources_of_type("AWS::Lambda::LayerVersion")
    ((layer_id, layer),) = layers.items()
    assert layer["Metadata"] == {"BuildMethod": "python3.12", "BuildArchitecture": "arm64"}
    assert local_template.resolved_properties(layer_id)["Content"]["S3Key"] == "layers/shared"
    functions = local_template.resources_of_type("AWS::Lambda::Function")
    assert functions
    for logical_id in functions:
        properties = local_template.resolved_properties(logical_id)
        assert properties["Runtime"] == "python3.12", logical_id
        assert properties["Architectures"] == ["arm64"], logical_id
        assert properties["Handler"] == "app.handler", logical_id
        assert properties["Layers"] == [local_template.resolver.resolve({"Ref": layer_id})], logical_id
        assert properties["Code"]["S3Key"] == f"functions/{Path(properties['Code']['S3Key']).name}", logical_id


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
