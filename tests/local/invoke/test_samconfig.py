"""samconfig.toml, parameter overrides, env vars files and the resulting function environment, in SAM's formats."""

import json
from pathlib import Path

import pytest

from local.gateway.api import FunctionSpec
from local.gateway.config import REPOSITORY_ROOT
from local.gateway.runtime import runtime_environment
from local.invoke.environment import resolve_environment
from local.invoke.samconfig import (
    ConfigValues,
    InvokeConfigError,
    format_parameter_overrides,
    parse_parameter_overrides,
    read_config,
    read_env_vars,
)

SPEC = FunctionSpec(
    logical_id="AuthFunction",
    name="identity-stack-local-auth",
    arn="arn:aws:lambda:us-east-1:123456789012:function:identity-stack-local-auth",
    code_dir=Path("/code"),
    handler="app.handler",
    layer_paths=(),
    environment={"TABLE_NAME": "from-template", "ENVIRONMENT": "dev", "APP_VERSION": "1.0"},
    timeout_s=10,
    memory_mb=512,
)


def test_parse_parameter_overrides_splits_pairs_and_keeps_quoted_spaces() -> None:
    overrides = parse_parameter_overrides(["A=1 B=two", "CspPolicy=\"default-src 'self'\"", "Empty="])

    assert overrides == {"A": "1", "B": "two", "CspPolicy": "default-src 'self'", "Empty": ""}


def test_format_parameter_overrides_is_read_back_by_parse_with_quotes_only_where_needed() -> None:
    values = {"A": "1", "CspPolicy": "default-src 'self'", "Empty": "", "Odd": 'say "hi" \\ bye'}

    entries = format_parameter_overrides(values)

    assert entries[:2] == ["A=1", "CspPolicy=\"default-src 'self'\""]
    assert parse_parameter_overrides(entries) == values


@pytest.mark.parametrize("entry", ["NoEquals", "=value", 'A="unclosed'])
def test_parse_parameter_overrides_malformed_entry_is_refused(entry: str) -> None:
    with pytest.raises(InvokeConfigError):
        parse_parameter_overrides([entry])


def test_read_config_of_another_command_reads_that_commands_section(tmp_path: Path) -> None:
    config = tmp_path / "samconfig.toml"
    config.write_text(
        'version = 0.1\n[dev.deploy.parameters]\nparameter_overrides = ["A=/ssm/a"]\n'
        '[dev.local_invoke.parameters]\nparameter_overrides = ["A=literal"]\n'
    )

    assert read_config(config, "dev", "deploy").parameter_overrides == ("A=/ssm/a",)


def test_read_config_merges_global_and_local_invoke_sections_of_env(tmp_path: Path) -> None:
    config = tmp_path / "samconfig.toml"
    config.write_text(
        'version = 0.1\n[dev.global.parameters]\ntemplate_file = "t.yaml"\nparameter_overrides = "A=global"\n'
        '[dev.local_invoke.parameters]\nenv_vars = "env/vars.json"\nparameter_overrides = ["A=1", "B=2"]\n'
        '[default.local_invoke.parameters]\nparameter_overrides = "C=3"\n'
    )

    values = read_config(config, "dev")

    assert values == ConfigValues(
        template_file=tmp_path / "t.yaml", env_vars=tmp_path / "env" / "vars.json", parameter_overrides=("A=1", "B=2")
    )
    assert read_config(config, "default").parameter_overrides == ("C=3",)
    assert read_config(config, "absent") == ConfigValues()
    assert read_config(tmp_path / "none.toml", "dev") == ConfigValues()


def test_read_config_not_toml_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "samconfig.toml"
    config.write_text("[default\n")

    with pytest.raises(InvokeConfigError):
        read_config(config, "default")


def test_read_env_vars_function_object_wins_over_parameters(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    path.write_text(json.dumps({"Parameters": {"A": "all", "B": True}, "AuthFunction": {"A": "mine"}, "Other": {}}))

    assert read_env_vars(path, "AuthFunction") == {"A": "mine", "B": "true"}
    assert read_env_vars(path, "KeysFunction") == {"A": "all", "B": "true"}


def test_read_env_vars_value_not_an_object_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    path.write_text(json.dumps({"Parameters": {"A": "1"}, "AuthFunction": "A=2"}))

    with pytest.raises(InvokeConfigError):
        read_env_vars(path, "AuthFunction")


def test_resolve_environment_file_beats_shell_beats_template_and_lists_undeclared() -> None:
    shell = {"TABLE_NAME": "from-shell", "ENVIRONMENT": "from-shell", "PATH": "/bin", "HTTPS_PROXY": "http://proxy"}
    overrides = {"ENVIRONMENT": "local", "AWS_ENDPOINT_URL": "http://127.0.0.1:1"}

    environment = resolve_environment(SPEC.environment, runtime_environment(SPEC), overrides, shell)

    assert environment.variables["ENVIRONMENT"] == "local"
    assert environment.variables["TABLE_NAME"] == "from-shell"
    assert environment.variables["APP_VERSION"] == "1.0"
    assert environment.variables["AWS_ENDPOINT_URL"] == "http://127.0.0.1:1"
    assert environment.variables["AWS_LAMBDA_FUNCTION_NAME"] == SPEC.name
    assert environment.variables["AWS_ACCESS_KEY_ID"] == "defaultkey"
    assert environment.variables["PATH"] == "/bin"
    assert "HTTPS_PROXY" not in environment.variables
    assert environment.undeclared == ("AWS_ENDPOINT_URL",)


def test_local_invoke_env_file_is_sam_local_invoke_env_plus_gateway_environment() -> None:
    # local/env/local-invoke.json (README: python -m local invoke against make dev) must give each function what
    # the local gateway gives it, on top of what samconfig's sam local invoke file sets.
    env = REPOSITORY_ROOT / "local" / "env"
    gateway = json.loads((env / "gateway.json").read_text())["Environment"]
    sam_local = json.loads((env / "sam-local-invoke.json").read_text())["Parameters"]

    assert read_env_vars(env / "local-invoke.json", "AnyFunction") == {**sam_local, **gateway}
