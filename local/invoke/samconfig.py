"""What ``sam local invoke`` reads besides its flags: samconfig.toml, ``--parameter-overrides`` and ``--env-vars``.

Formats are SAM CLI's (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-sam-cli-config.html
and ``sam local invoke --help``):

* samconfig.toml: ``[<env>.global.parameters]`` then ``[<env>.local_invoke.parameters]`` (the command's keys win);
  the keys that apply without Docker are ``template_file``, ``env_vars`` and ``parameter_overrides``, the others
  (``docker_network``, ...) are ignored. A flag given on the command line replaces the file's value.
* parameter overrides: ``Key=Value`` pairs separated by spaces, a value with spaces in double quotes
  (``CspPolicy="default-src 'self'"``); in TOML either one such string or a list of them.
* env vars file: JSON ``{"Parameters": {NAME: value}, "<LogicalId>": {NAME: value}}``: ``Parameters`` applies to
  every function, a logical id's object to that function and wins.
"""

import json
import shlex
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COMMAND_SECTION = "local_invoke"
GLOBAL_SECTION = "global"
ENV_VARS_GLOBAL_KEY = "Parameters"


class InvokeConfigError(Exception):
    """Raised when samconfig.toml, a parameter override or an env vars file is not in SAM's format."""


@dataclass(frozen=True)
class ConfigValues:
    """The settings of one command (``local_invoke`` unless told) in one config env of samconfig.toml.

    Attributes
    ----------
    template_file, env_vars : Path, optional
        Resolved against the config file's folder, as SAM resolves them against the project folder.
    parameter_overrides : tuple[str, ...]
        Raw entries, for :func:`parse_parameter_overrides`.
    """

    template_file: Path | None = None
    env_vars: Path | None = None
    parameter_overrides: tuple[str, ...] = ()


def read_config(path: Path, config_env: str, command: str = COMMAND_SECTION) -> ConfigValues:
    """Read the settings of ``command`` in ``config_env`` from a samconfig.toml.

    Parameters
    ----------
    path : Path
        The config file; a missing file gives empty settings (SAM runs without one).
    config_env : str
        The top-level table, ``default`` unless ``--config-env`` names another.
    command : str
        The command's table (``local_invoke``, ``deploy``: SAM's command name with ``_`` for spaces).

    Raises
    ------
    InvokeConfigError
        The file is not TOML, or a value has the wrong type.
    """
    if not path.is_file():
        return ConfigValues()
    try:
        document = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise InvokeConfigError(f"{path}: {exc}") from exc
    environment = document.get(config_env, {})
    values: dict[str, Any] = {
        **environment.get(GLOBAL_SECTION, {}).get("parameters", {}),
        **environment.get(command, {}).get("parameters", {}),
    }
    overrides = values.get("parameter_overrides", ())
    if isinstance(overrides, str):
        overrides = (overrides,)
    if not all(isinstance(entry, str) for entry in overrides):
        raise InvokeConfigError(f"{path}: [{config_env}] parameter_overrides must be a string or a list of strings")
    return ConfigValues(
        template_file=_path_value(path, config_env, values, "template_file"),
        env_vars=_path_value(path, config_env, values, "env_vars"),
        parameter_overrides=tuple(overrides),
    )


def parse_parameter_overrides(entries: Iterable[str]) -> dict[str, str]:
    """Turn ``Key=Value`` entries (several per entry, space-separated, values double-quoted) into a mapping.

    Raises
    ------
    InvokeConfigError
        A token without ``=`` or with an empty key, or unbalanced quotes.
    """
    overrides: dict[str, str] = {}
    for entry in entries:
        try:
            tokens = shlex.split(entry)
        except ValueError as exc:
            raise InvokeConfigError(f"parameter override {entry!r}: {exc}") from exc
        for token in tokens:
            key, separator, value = token.partition("=")
            if not separator or not key:
                raise InvokeConfigError(f"parameter override {token!r} is not Key=Value")
            overrides[key] = value
    return overrides


def format_parameter_overrides(values: Mapping[str, str]) -> list[str]:
    """The ``Key=Value`` entries that :func:`parse_parameter_overrides` (and SAM) read back as ``values``.

    A value with white space or quotes goes in double quotes (``CspPolicy="default-src 'self'"``), with ``"`` and
    ``\\`` escaped by a backslash.
    """
    entries = []
    for key, value in values.items():
        if value and not any(character.isspace() or character in "\"'\\" for character in value):
            entries.append(f"{key}={value}")
        else:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            entries.append(f'{key}="{escaped}"')
    return entries


def read_env_vars(path: Path, logical_id: str) -> dict[str, str]:
    """The variables an env vars file gives ``logical_id``: its ``Parameters``, then its own object on top.

    Raises
    ------
    InvokeConfigError
        The file is unreadable, not JSON, or a top-level value is not an object (SAM's
        ``OverridesNotWellDefinedError``).
    """
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvokeConfigError(f"env vars file {path}: {exc}") from exc
    if not isinstance(document, dict) or not all(isinstance(value, dict) for value in document.values()):
        raise InvokeConfigError(f"env vars file {path}: expected {{'Parameters': {{...}}, '<LogicalId>': {{...}}}}")
    return {**_strings(document.get(ENV_VARS_GLOBAL_KEY, {})), **_strings(document.get(logical_id, {}))}


def _strings(variables: Mapping[str, Any]) -> dict[str, str]:
    # Lambda's environment holds strings only; SAM turns JSON booleans into "true"/"false" the same way.
    return {
        str(name): json.dumps(value) if isinstance(value, bool) else str(value) for name, value in variables.items()
    }


def _path_value(config: Path, config_env: str, values: Mapping[str, Any], key: str) -> Path | None:
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvokeConfigError(f"{config}: [{config_env}] {key} must be a string")
    return (config.parent / value).resolve()
