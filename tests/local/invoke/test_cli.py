"""``python -m local invoke`` as a developer runs it, over the gateway tests' sample template (no stack needed)."""

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from local.gateway.config import REPOSITORY_ROOT

SAMPLE_TEMPLATE = REPOSITORY_ROOT / "tests" / "local" / "gateway" / "sample" / "template.yaml"
EVENT = {"resource": "/items", "path": "/items", "httpMethod": "GET", "pathParameters": None}


def invoke(*args: str, stdin: str = "", cwd: Path = REPOSITORY_ROOT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m local invoke <args>`` and capture both streams."""
    return subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "local", "invoke", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )


def response(completed: subprocess.CompletedProcess[str]) -> Any:
    """The one JSON document on stdout."""
    (line,) = completed.stdout.strip().splitlines()
    return json.loads(line)


def test_invoke_echo_runs_handler_with_template_environment_layer_and_context(tmp_path: Path) -> None:
    env_vars = tmp_path / "env.json"
    env_vars.write_text(json.dumps({"Parameters": {"GREETING": "from-file"}, "EchoFunction": {"EXTRA": "mine"}}))

    completed = invoke(
        "EchoFunction", "-t", str(SAMPLE_TEMPLATE), "-e", "-", "--env-vars", str(env_vars),
        "--parameter-overrides", "Greeting=hello", "StageName=unit",
        stdin=json.dumps(EVENT),
    )  # fmt: skip
    body = json.loads(response(completed)["body"])

    assert completed.returncode == 0, completed.stderr
    assert body["event"] == EVENT
    assert body["greeting_at_import"] == "from-file"
    assert body["environment"]["STAGE_LABEL"] == "unit@us-east-1"
    assert body["environment"]["AWS_SAM_LOCAL"] == "true"
    assert body["environment"]["EXTRA"] == "mine"
    assert body["context"]["memory_limit_in_mb"] == 256
    assert 0 < body["context"]["remaining_ms"] <= 5000
    assert body["layer"]
    # EXTRA is not declared by the template: applied, and named because `sam local invoke` would drop it.
    assert "does not declare EXTRA" in completed.stderr
    assert "START RequestId: " in completed.stderr
    assert "REPORT RequestId: " in completed.stderr


def test_invoke_reads_local_invoke_section_of_config_file_and_flags_replace_it(tmp_path: Path) -> None:
    (tmp_path / "env.json").write_text(json.dumps({"Parameters": {"EXTRA": "from-config-env-vars"}}))
    (tmp_path / "samconfig.toml").write_text(
        "version = 0.1\n"
        "[default.global.parameters]\n"
        f'template_file = "{SAMPLE_TEMPLATE}"\n'
        "[staging.global.parameters]\n"
        f'template_file = "{SAMPLE_TEMPLATE}"\n'
        "[staging.local_invoke.parameters]\n"
        'env_vars = "env.json"\n'
        'parameter_overrides = ["Greeting=configured", "StageName=staging"]\n'
        'docker_network = "host"\n'
    )
    config = ["--config-file", str(tmp_path / "samconfig.toml"), "--config-env", "staging"]

    from_config = json.loads(response(invoke("EchoFunction", *config, "-e", "-", stdin="{}"))["body"])
    flagged = invoke("EchoFunction", *config, "--parameter-overrides", "Greeting=flagged", "-e", "-", stdin="{}")

    assert from_config["environment"]["GREETING"] == "configured"
    assert from_config["environment"]["STAGE_LABEL"] == "staging@us-east-1"
    assert from_config["environment"]["EXTRA"] == "from-config-env-vars"
    # The flag's list replaces the file's whole list, as in SAM: StageName falls back to its default.
    assert json.loads(response(flagged)["body"])["environment"]["STAGE_LABEL"] == "test@us-east-1"


def test_invoke_unhandled_error_prints_lambda_error_object_and_exits_1() -> None:
    event = json.dumps({"pathParameters": {"mode": "raise"}})

    completed = invoke("FaultyFunction", "-t", str(SAMPLE_TEMPLATE), "--parameter-overrides", "Greeting=x", "-e", "-",
                       stdin=event)  # fmt: skip
    error = response(completed)

    assert completed.returncode == 1
    assert error["errorType"] == "RuntimeError"
    assert error["errorMessage"] == "secret internals must not reach the client"
    assert "Traceback" in completed.stderr


def test_invoke_past_function_timeout_reports_lambda_timeout_and_exits_1() -> None:
    event = json.dumps({"pathParameters": {"mode": "slow"}})

    completed = invoke("FaultyFunction", "-t", str(SAMPLE_TEMPLATE), "--parameter-overrides", "Greeting=x", "-e", "-",
                       stdin=event)  # fmt: skip

    assert completed.returncode == 1
    assert response(completed)["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in response(completed)["errorMessage"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NoSuchFunction", "--parameter-overrides", "Greeting=x"], "has no function 'NoSuchFunction'"),
        (["EchoFunction", "--parameter-overrides", "Greeting"], "is not Key=Value"),
        (["EchoFunction", "--config-file", "missing.toml"], "does not exist"),
    ],
    ids=["unknown-function", "bad-override", "missing-config"],
)
def test_invoke_that_cannot_start_exits_2_with_reason(args: list[str], message: str) -> None:
    completed = invoke(*args[:1], "-t", str(SAMPLE_TEMPLATE), *args[1:])

    assert completed.returncode == 2
    assert message in completed.stderr
    assert completed.stdout == ""


def test_invoke_with_repository_samconfig_runs_health_sample_event() -> None:
    # samconfig.toml's [default.local_invoke.parameters] and template.yaml as shipped; health needs no other service.
    completed = invoke("HealthFunction", "-e", "functions/health/events/health_ok.json")

    assert completed.returncode == 0, completed.stderr
    assert response(completed)["statusCode"] == 200


def test_invoke_ssm_typed_parameter_takes_literal_override(tmp_path: Path) -> None:
    # Deployed stages read parameters from SSM (AWS::SSM::Parameter::Value<String>, the default an SSM name);
    # locally, as with `sam local invoke`, the override is the value itself.
    sample = tmp_path / "sample"
    shutil.copytree(SAMPLE_TEMPLATE.parent, sample)
    template = sample / "template.yaml"
    declared = '  Greeting:\n    Type: String\n    AllowedPattern: "^[a-z]+$"\n'
    assert declared in template.read_text()
    template.write_text(
        template.read_text().replace(
            declared, "  Greeting:\n    Type: AWS::SSM::Parameter::Value<String>\n    Default: /sample/greeting\n"
        )
    )

    overridden = invoke("EchoFunction", "-t", str(template), "--parameter-overrides", "Greeting=literal", "-e", "-",
                        stdin="{}")  # fmt: skip
    # The repository's samconfig.toml overrides parameters the sample does not declare: an empty config instead.
    empty_config = tmp_path / "samconfig.toml"
    empty_config.write_text("version = 0.1\n")
    defaulted = invoke("EchoFunction", "-t", str(template), "--config-file", str(empty_config), "-e", "-", stdin="{}")

    assert json.loads(response(overridden)["body"])["environment"]["GREETING"] == "literal"
    assert json.loads(response(defaulted)["body"])["environment"]["GREETING"] == "/sample/greeting"
