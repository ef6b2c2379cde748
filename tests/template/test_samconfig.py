"""samconfig.toml and the local env files agree with template.yaml."""

import json
import tomllib
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig

SAMCONFIG = REPOSITORY_ROOT / "samconfig.toml"
SAM_LOCAL_INVOKE_ENV = REPOSITORY_ROOT / "local" / "env" / "sam-local-invoke.json"


@pytest.fixture(scope="module")
def samconfig() -> dict[str, Any]:
    return tomllib.loads(SAMCONFIG.read_text())


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml_parse(DEFAULT_TEMPLATE.read_text())


def overrides(entries: list[str]) -> dict[str, str]:
    return dict(entry.split("=", 1) for entry in entries)


def test_samconfig_declares_default_dev_and_prod(samconfig: dict[str, Any]) -> None:
    assert {"default", "dev", "prod"} <= set(samconfig)
    assert samconfig["default"]["build"]["parameters"] == {"cached": True, "parallel": True}
    assert samconfig["default"]["validate"]["parameters"]["lint"] is True


@pytest.mark.parametrize("environment", ["dev", "prod"], ids=str)
def test_samconfig_deploy_sets_every_parameter_without_default(
    samconfig: dict[str, Any], template: dict[str, Any], environment: str
) -> None:
    deploy = samconfig[environment]["deploy"]["parameters"]
    required = {name for name, spec in template["Parameters"].items() if "Default" not in spec}
    assert required <= set(overrides(deploy["parameter_overrides"]))
    assert deploy["stack_name"].endswith(environment)


def test_samconfig_prod_runs_as_production(samconfig: dict[str, Any]) -> None:
    parameters = overrides(samconfig["prod"]["deploy"]["parameters"]["parameter_overrides"])
    assert parameters["EnvironmentName"] == "production"
    assert parameters["OidcIssuer"].startswith("https://")


def test_samconfig_local_invoke_matches_gateway_parameters(samconfig: dict[str, Any]) -> None:
    local_invoke = samconfig["default"]["local_invoke"]["parameters"]
    assert overrides(local_invoke["parameter_overrides"]) == dict(
        GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides
    )
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
