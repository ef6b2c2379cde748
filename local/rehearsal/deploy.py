"""``sam build`` and ``sam deploy`` of template.yaml with a stage's samconfig.toml section, against an emulator."""

import json
import platform
import subprocess
from collections.abc import Mapping
from pathlib import Path

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

from local.gateway.config import REPOSITORY_ROOT
from local.invoke.samconfig import format_parameter_overrides, parse_parameter_overrides, read_config
from local.rehearsal.processes import RehearsalError

SAM = REPOSITORY_ROOT / ".venv-tools" / "bin" / "sam"
TOOLS_PYTHON = REPOSITORY_ROOT / ".venv-tools" / "bin" / "python"
ARTIFACTS_BUCKET_SCRIPT = REPOSITORY_ROOT / "scripts" / "artifacts_bucket.py"
SAMCONFIG = REPOSITORY_ROOT / "samconfig.toml"
DEPLOY_COMMAND = "deploy"
TEMPLATE = REPOSITORY_ROOT / "template.yaml"
# platform.machine() → the template's Architecture values (Lambda's names).
_ARCHITECTURES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}


def host_architecture() -> str:
    """The Lambda architecture of this machine (``x86_64`` or ``arm64``).

    Raises
    ------
    RehearsalError
        The machine is neither.
    """
    machine = platform.machine().lower()
    if machine not in _ARCHITECTURES:
        raise RehearsalError(f"no Lambda architecture for this machine ({machine})")
    return _ARCHITECTURES[machine]


def stage_parameters(stage: str) -> dict[str, str]:
    """The ``parameter_overrides`` of ``[<stage>.deploy.parameters]`` in samconfig.toml, as SAM reads them."""
    return parse_parameter_overrides(read_config(SAMCONFIG, stage, DEPLOY_COMMAND).parameter_overrides)


def artifacts_bucket(stage: str, env: Mapping[str, str]) -> str:
    """The artifacts bucket as ``make deploy`` reads it (scripts/artifacts_bucket.py, from SSM).

    Raises
    ------
    RehearsalError
        The script failed (no such SSM parameter).
    """
    command = [str(TOOLS_PYTHON), str(ARTIFACTS_BUCKET_SCRIPT), stage]
    result = subprocess.run(command, env=dict(env), capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RehearsalError(f"scripts/artifacts_bucket.py {stage}: {result.stderr.strip()}")
    return result.stdout.strip()


def run_sam(arguments: list[str], env: Mapping[str, str], log: Path, timeout_s: float) -> None:
    """Run the SAM CLI of .venv-tools with its output appended to ``log``.

    Raises
    ------
    RehearsalError
        A non-zero exit or a run past ``timeout_s`` (the log's tail is in the message).
    """
    with log.open("ab") as output:
        try:
            result = subprocess.run(  # noqa: S603 - fixed executable, arguments built here
                [str(SAM), *arguments], env=dict(env), stdout=output, stderr=subprocess.STDOUT, timeout=timeout_s
            )
        except subprocess.TimeoutExpired as exc:
            raise RehearsalError(f"sam {arguments[0]} ran past {timeout_s:.0f} s") from exc
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        raise RehearsalError(f"sam {arguments[0]} exited with {result.returncode}:\n{tail}")


def build(build_dir: Path, architecture: str, env: Mapping[str, str], log: Path, timeout_s: float) -> Path:
    """``sam build`` for one architecture (the template's Architecture parameter); returns the built template."""
    arguments = ["build", "--template", str(TEMPLATE), "--build-dir", str(build_dir)]
    run_sam([*arguments, "--parameter-overrides", f"Architecture={architecture}"], env, log, timeout_s)
    return build_dir / "template.yaml"


def check_wheels(build_dir: Path, architecture: str) -> None:
    """Check that the layer's compiled extensions were built for ``architecture`` (``BuildArchitecture: !Ref``).

    Raises
    ------
    RehearsalError
        No compiled extension in the layer, or one for another machine.
    """
    machine = {"x86_64": "x86_64", "arm64": "aarch64"}[architecture]
    extensions = list(build_dir.glob("SharedLayer/python/**/*.so"))
    wrong = [path.name for path in extensions if "-linux-gnu" in path.name and f"-{machine}-" not in path.name]
    if not extensions or wrong:
        raise RehearsalError(f"the layer was not built for {architecture}: {wrong or 'no compiled extension'}")


def package(built_template: Path, bucket: str, env: Mapping[str, str], log: Path, timeout_s: float) -> Path:
    """``sam package``: upload the built code and layer to ``bucket``; returns the template naming their S3 objects."""
    packaged = built_template.with_name("packaged.yaml")
    arguments = ["package", "--template-file", str(built_template), "--s3-bucket", bucket]
    run_sam([*arguments, "--output-template-file", str(packaged)], env, log, timeout_s)
    return packaged


def apply_sam_transform(packaged_template: Path, parameters: Mapping[str, str], region: str) -> Path:
    """Apply the SAM transform with the stack's parameter values, as CloudFormation does; returns the result.

    MiniStack runs the transform without parameter values (docs/deploy-rehearsal.md), so a property SAM resolves at
    transform time (``DeploymentPreference.Enabled: !Ref TrafficShifting``) would keep its default there.

    Raises
    ------
    RehearsalError
        The translator refuses the template.
    """
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=region))
    try:
        # No managed policy is named by name in the template, so the IAM lookup (which needs AWS) returns nothing.
        translated = translator.translate(
            yaml_parse(packaged_template.read_text()), parameter_values=dict(parameters), get_managed_policy_map=dict
        )
    except Exception as exc:  # samtranslator raises several unrelated types; all mean "invalid template"
        raise RehearsalError(f"SAM transform failed: {exc}") from exc
    output = packaged_template.with_name("transformed.json")
    output.write_text(json.dumps(translated, indent=1))
    return output


def deploy(
    built_template: Path,
    stage: str,
    stack_name: str,
    bucket: str,
    parameters: Mapping[str, str],
    env: Mapping[str, str],
    log: Path,
    timeout_s: float,
) -> None:
    """``sam deploy --config-env <stage>`` of the built template, non-interactive, with every parameter given."""
    overrides = format_parameter_overrides(parameters)
    arguments = [
        "deploy",
        "--config-file", str(SAMCONFIG),
        "--config-env", stage,
        "--template-file", str(built_template),
        "--stack-name", stack_name,
        "--s3-bucket", bucket,
        "--no-confirm-changeset",
        "--no-progressbar",
        "--parameter-overrides", *overrides,
    ]  # fmt: skip
    run_sam(arguments, env, log, timeout_s)
