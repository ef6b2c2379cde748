"""samconfig.toml and the local env files agree with template.yaml."""

import json
import shlex
import tomllib
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig
from local.handoff import HAND_OFFS, format_problems

SAMCONFIG = REPOSITORY_ROOT / "samconfig.toml"
SAM_LOCAL_INVOKE_ENV = REPOSITORY_ROOT / "local" / "env" / "sam-local-invoke.json"


@pytest.fixture(scope="module")
def samconfig() -> dict[str, Any]:
    return tomllib.loads(SAMCONFIG.read_text())


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml_parse(DEFAULT_TEMPLATE.read_text())


def overrides(entries: list[str]) -> dict[str, str]:
    """``Key=Value`` entries as SAM reads them: a value may be quoted (SAM splits an unquoted one at a space)."""
    return dict(entry.split("=", 1) for entry in (shlex.split(entry)[0] for entry in entries))


def test_samconfig_declares_default_dev_and_prod(samconfig: dict[str, Any]) -> None:
    assert {"default", "dev", "prod"} <= set(samconfig)
    assert samconfig["default"]["build"]["parameters"] == {"cached": True, "parallel": True}
    assert samconfig["default"]["validate"]["parameters"]["lint"] is True


@pytest.mark.parametrize(("stage", "environment"), [("dev", "dev"), ("prod", "production")], ids=str)
def test_samconfig_deploy_names_the_stage_ssm_parameters(
    samconfig: dict[str, Any], template: dict[str, Any], stage: str, environment: str
) -> None:
    deploy = samconfig[stage]["deploy"]["parameters"]
    parameters = overrides(deploy["parameter_overrides"])
    ssm_typed = {name for name, spec in template["Parameters"].items() if spec["Type"].startswith("AWS::SSM::")}
    required = {name for name, spec in template["Parameters"].items() if "Default" not in spec}
    assert required <= set(parameters)
    assert ssm_typed == {hand_off.parameter for hand_off in HAND_OFFS}
    assert {name: parameters[name] for name in ssm_typed} == {
        hand_off.parameter: hand_off.ssm_name(stage) for hand_off in HAND_OFFS
    }
    assert parameters["StageName"] == stage
    assert parameters["EnvironmentName"] == environment
    assert parameters["AttachWebAcl"] == "true"
    assert parameters["TrafficShifting"] == "true"
    assert parameters["Architecture"] == "arm64"
    assert deploy["stack_name"] == f"identity-stack-{stage}"
    # The artifacts bucket comes from SSM through `make deploy`, never from SAM's own managed bucket.
    assert "resolve_s3" not in deploy
    assert "s3_bucket" not in deploy


def test_samconfig_holds_no_placeholder() -> None:
    assert "REPLACE" not in SAMCONFIG.read_text()


def test_samconfig_local_invoke_matches_gateway_parameters(samconfig: dict[str, Any], template: dict[str, Any]) -> None:
    local_invoke = samconfig["default"]["local_invoke"]["parameters"]
    parameters = overrides(local_invoke["parameter_overrides"])
    assert parameters == dict(GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides)
    # Literal values for every parameter but AppVersion (its default is the local version too).
    assert set(parameters) == set(template["Parameters"]) - {"AppVersion"}
    assert format_problems(parameters) == []
    assert parameters["AttachWebAcl"] == "false"
    assert (REPOSITORY_ROOT / local_invoke["env_vars"]) == SAM_LOCAL_INVOKE_ENV


def test_sam_local_invoke_env_names_only_declared_variables(template: dict[str, Any]) -> None:
    # sam local invoke silently ignores --env-vars entries the template does not declare.
    declared = set(template["Globals"]["Function"]["Environment"]["Variables"])
    overridden = json.loads(SAM_LOCAL_INVOKE_ENV.read_text())["Parameters"]
    assert set(overridden) <= declared


def test_sam_local_invoke_reaches_the_host_stack_on_loopback(samconfig: dict[str, Any]) -> None:
    # The discovery document names 127.0.0.1 endpoints; only host networking makes them reachable from the container.
    local_invoke = samconfig["default"]["local_invoke"]["parameters"]
    assert local_invoke["docker_network"] == "host"
    assert overrides(local_invoke["parameter_overrides"])["OidcIssuer"].startswith("http://127.0.0.1:")


def _rules_hold(template: dict[str, Any], values: dict[str, str]) -> bool:
    """Whether ``values`` pass every rule of the template's ``Rules``, each of the form
    RuleCondition ``Fn::Equals [Ref A, a]`` ⇒ every Assert ``Fn::Equals [Ref B, b]`` (the only form it uses)."""

    def holds(expression: dict[str, Any]) -> bool:
        reference, expected = expression["Fn::Equals"]
        return values[reference["Ref"]] == expected

    return all(
        all(holds(assertion["Assert"]) for assertion in rule["Assertions"])
        for rule in template["Rules"].values()
        if holds(rule["RuleCondition"])
    )


@pytest.mark.parametrize("section", ["dev", "prod", "local"])
def test_the_samconfig_stages_pass_the_templates_rules(
    samconfig: dict[str, Any], template: dict[str, Any], section: str
) -> None:
    command = "local_invoke" if section == "local" else "deploy"
    config = samconfig["default" if section == "local" else section][command]["parameters"]
    parameters = overrides(config["parameter_overrides"])

    assert _rules_hold(template, parameters)


@pytest.mark.parametrize(
    ("stage", "environment"),
    [("prod", "dev"), ("prod", "local"), ("dev", "production"), ("dev", "local"), ("local", "production")],
)
def test_the_templates_rules_refuse_a_stage_with_another_environment(
    template: dict[str, Any], stage: str, environment: str
) -> None:
    assert not _rules_hold(template, {"StageName": stage, "EnvironmentName": environment})
