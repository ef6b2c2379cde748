"""template.yaml: SnapStart on every function's published versions, off only where the parameter says so."""

from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from local.gateway import load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig


def test_template_snapstart_defaults_to_published_versions() -> None:
    parameter: dict[str, Any] = yaml_parse(DEFAULT_TEMPLATE.read_text())["Parameters"]["SnapStartApplyOn"]
    assert parameter["Default"] == "PublishedVersions"
    assert set(parameter["AllowedValues"]) == {"PublishedVersions", "None"}


@pytest.mark.parametrize("apply_on", ["PublishedVersions", "None"])
def test_template_every_function_takes_snapstart_from_the_parameter(apply_on: str) -> None:
    overrides = {**GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides, "SnapStartApplyOn": apply_on}
    template = load_template(DEFAULT_TEMPLATE, overrides)
    functions = template.resources_of_type("AWS::Lambda::Function")

    assert len(functions) == 8
    assert {name: template.resolved_properties(name)["SnapStart"] for name in functions} == {
        name: {"ApplyOn": apply_on} for name in functions
    }
    # A snapshot is taken when a version is published: every function publishes one (AutoPublishAlias).
    assert len(template.resources_of_type("AWS::Lambda::Version")) == len(functions)
