"""Each function's required settings (checked at init) against the environment template.yaml gives it.

A function names what it needs (``make_handler(app, requires=...)``, the authorizer with ``require_for`` at init), so
a template edit that drops one of its variables fails here, not at the function's first request.
"""

from pathlib import Path

import pytest

from identity_stack.config import REQUIRED_FIELDS, MissingSettingError, Requirement, Settings
from local.gateway import load_template
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig
from tests.builders import FUNCTIONS_PATH
from tests.fixtures.lambda_runtime import LambdaRuntime, unused_port_url

SETTING_VARIABLES = [name.upper() for name in Settings.model_fields]


def template_environments() -> dict[str, dict[str, str]]:
    """Folder name (``functions/<folder>``) -> the function's resolved ``Environment.Variables`` (Globals merged)."""
    template = load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides)
    environments = {}
    for logical_id in template.resources_of_type("AWS::Lambda::Function"):
        properties = template.resolved_properties(logical_id)
        folder = Path(properties["Code"]["S3Key"]).name
        environments[folder] = {name: str(value) for name, value in properties["Environment"]["Variables"].items()}
    return environments


ENVIRONMENTS = template_environments()


@pytest.fixture
def checked_at_init(monkeypatch: pytest.MonkeyPatch) -> list[Requirement]:
    """Every requirement :meth:`Settings.require_for` is asked to check, in order (the real check still runs)."""
    checked: list[Requirement] = []
    check = Settings.require_for

    def recording(self: Settings, *requirements: Requirement) -> None:
        checked.extend(requirements)
        check(self, *requirements)

    monkeypatch.setattr(Settings, "require_for", recording)
    return checked


def use_environment(monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]) -> None:
    """Only ``variables`` among the settings; token priming (authorizer) fails fast on a port nobody listens on."""
    for name in SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    if "OIDC_DISCOVERY_URL" in variables:
        monkeypatch.setenv("OIDC_DISCOVERY_URL", f"{unused_port_url()}/P2/.well-known/openid-configuration")
    monkeypatch.setenv("HTTP_RETRY_MAX_ATTEMPTS", "0")


def variables_of(requirement: Requirement) -> list[tuple[str, ...]]:
    """The variables a requirement needs, each entry a choice (any one of them set is enough)."""
    return [
        tuple(name.upper() for name in (field if isinstance(field, tuple) else (field,)))
        for field in REQUIRED_FIELDS[requirement]
    ]


def test_the_template_has_every_function_folder() -> None:
    folders = {path.parent.name for path in FUNCTIONS_PATH.glob("*/app.py")}
    assert set(ENVIRONMENTS) == folders


@pytest.mark.parametrize("group", sorted(ENVIRONMENTS))
def test_function_starts_with_its_template_environment(
    lambda_runtime: LambdaRuntime,
    checked_at_init: list[Requirement],
    monkeypatch: pytest.MonkeyPatch,
    group: str,
) -> None:
    use_environment(monkeypatch, ENVIRONMENTS[group])

    lambda_runtime.cold_start(group)

    for requirement in checked_at_init:
        for choice in variables_of(requirement):
            assert any(ENVIRONMENTS[group].get(name) for name in choice), (group, requirement, choice)
    # Health answers without any identity, table or rate-limit setting; every other function needs some.
    assert (checked_at_init == []) is (group == "health")


@pytest.mark.parametrize("group", sorted(set(ENVIRONMENTS) - {"health"}))
def test_function_without_a_variable_it_requires_fails_at_init_naming_it(
    lambda_runtime: LambdaRuntime,
    checked_at_init: list[Requirement],
    monkeypatch: pytest.MonkeyPatch,
    group: str,
) -> None:
    use_environment(monkeypatch, ENVIRONMENTS[group])
    lambda_runtime.cold_start(group)
    required = {choice for requirement in set(checked_at_init) for choice in variables_of(requirement)}
    assert required

    for choice in sorted(required):
        use_environment(monkeypatch, {k: v for k, v in ENVIRONMENTS[group].items() if k not in choice})
        with pytest.raises(MissingSettingError, match=" or ".join(choice)):
            lambda_runtime.cold_start(group)
