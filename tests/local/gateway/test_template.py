"""local.gateway.template and local.gateway.api: the sample template as the emulator reads it."""

from pathlib import Path

import pytest

from local.gateway.api import LambdaProxyIntegration, MockIntegration, load_api
from local.gateway.config import DEFAULT_TEMPLATE, GatewayConfig
from local.gateway.errors import TemplateError
from local.gateway.template import LOCAL_STACK_NAME, load_template

SAMPLE_DIR = Path(__file__).resolve().parent / "sample"
SAMPLE_TEMPLATE = SAMPLE_DIR / "template.yaml"


def test_load_template_applies_defaults_and_overrides() -> None:
    template = load_template(SAMPLE_TEMPLATE, {"Greeting": "hi", "StageName": "qa"})
    assert dict(template.parameters) == {"StageName": "qa", "Greeting": "hi", "Mode": "quiet"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "Greeting has no default and no override"),
        ({"Greeting": "Hello World"}, "does not match"),
        ({"Greeting": "hi", "Mode": "shouting"}, "is not one of"),
        ({"Greeting": "hi", "Undeclared": "x"}, "does not declare: Undeclared"),
    ],
    ids=["missing-required", "breaks-allowed-pattern", "breaks-allowed-values", "unknown-parameter"],
)
def test_load_template_bad_parameters_raise_template_error(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        load_template(SAMPLE_TEMPLATE, overrides)


def test_load_api_reads_stage_methods_and_gateway_responses() -> None:
    api = load_api(load_template(SAMPLE_TEMPLATE, {"Greeting": "hi", "StageName": "qa"}))
    routes = {(method.http_method, method.resource_path): method.integration for method in api.methods}
    assert api.stage == "qa"
    assert api.binary_media_types == ("image/png",)
    assert set(api.gateway_responses) == {"DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED"}
    echo = routes[("GET", "/items/{item_id}")]
    assert isinstance(echo, LambdaProxyIntegration)
    assert echo.function.logical_id == "EchoFunction"
    assert isinstance(routes[("ANY", "/files/{proxy+}")], LambdaProxyIntegration)
    preflight = routes[("OPTIONS", "/items")]
    assert isinstance(preflight, MockIntegration)
    assert preflight.headers["Access-Control-Allow-Origin"] == "'https://app.example.test'"


def test_load_api_function_spec_merges_globals_and_resolves_intrinsics() -> None:
    api = load_api(load_template(SAMPLE_TEMPLATE, {"Greeting": "hi"}))
    specs = {spec.logical_id: spec for spec in api.functions.values()}
    echo, state, faulty = specs["EchoFunction"], specs["StateFunction"], specs["FaultyFunction"]
    layer_arn = echo.environment["LAYER_ARN"]
    assert echo.name == f"{LOCAL_STACK_NAME}-EchoFunction"
    assert echo.arn.endswith(f":function:{LOCAL_STACK_NAME}-EchoFunction")
    assert echo.code_dir == SAMPLE_DIR / "functions" / "echo"
    assert echo.handler == "app.handler"
    assert echo.layer_paths == (SAMPLE_DIR / "layer",)
    assert dict(echo.environment) == {"GREETING": "hi", "STAGE_LABEL": "test@us-east-1", "LAYER_ARN": layer_arn}
    assert layer_arn.startswith("arn:aws:lambda:us-east-1:123456789012:layer:")
    assert state.environment["GREETING"] == "from-function"
    assert (echo.timeout_s, echo.memory_mb, faulty.timeout_s) == (5, 256, 1)


def test_load_api_condition_false_drops_gateway_response_header() -> None:
    quiet = load_api(load_template(SAMPLE_TEMPLATE, {"Greeting": "hi"}))
    loud = load_api(load_template(SAMPLE_TEMPLATE, {"Greeting": "hi", "Mode": "loud"}))
    header = "gatewayresponse.header.X-Loud"
    assert header not in quiet.gateway_responses["DEFAULT_4XX"]["responseParameters"]
    assert loud.gateway_responses["DEFAULT_4XX"]["responseParameters"][header] == "'yes'"


def test_load_template_missing_code_folder_raises_template_error(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(SAMPLE_TEMPLATE.read_text().replace("CodeUri: functions/echo/", "CodeUri: functions/absent/"))
    (tmp_path / "layer").mkdir()
    with pytest.raises(TemplateError, match="absent does not exist"):
        load_api(load_template(template, {"Greeting": "hi"}))


def repository_overrides() -> dict[str, str]:
    return dict(GatewayConfig.from_file().parameter_overrides)


def test_load_template_ssm_typed_parameter_without_local_value_fails_clearly() -> None:
    overrides = repository_overrides()
    del overrides["TableArn"]
    with pytest.raises(TemplateError, match="TableArn is read from SSM when deployed and needs a literal local value"):
        load_template(DEFAULT_TEMPLATE, overrides)


def test_load_template_checks_ssm_typed_values_against_the_hand_off_format() -> None:
    with pytest.raises(TemplateError, match="AllowedOrigin='http://localhost:3000/' does not match"):
        load_template(DEFAULT_TEMPLATE, {**repository_overrides(), "AllowedOrigin": "http://localhost:3000/"})


def test_load_template_aliases_and_versions_name_their_function() -> None:
    template = load_template(DEFAULT_TEMPLATE, repository_overrides())
    function_arn = template.resolver.resolve({"Fn::GetAtt": ["HealthFunction", "Arn"]})
    (version,) = (key for key in template.resources_of_type("AWS::Lambda::Version") if key.startswith("Health"))
    assert template.resolver.resolve({"Ref": "HealthFunctionAliaslive"}) == function_arn
    assert template.resolver.resolve({"Ref": version}) == function_arn
    assert function_arn.endswith(":function:identity-stack-local-health")
