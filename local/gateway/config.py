"""What the local gateway runs: the template, its local parameter values and the extra function environment."""

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from local.gateway.api import load_api
from local.gateway.errors import TemplateError
from local.gateway.gateway import Clock, Gateway, RequestCheck
from local.gateway.runtime import FunctionRuntime
from local.gateway.template import load_template

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TEMPLATE = REPOSITORY_ROOT / "template.yaml"
DEFAULT_CONFIG = REPOSITORY_ROOT / "local" / "env" / "gateway.json"


@dataclass(frozen=True)
class GatewayConfig:
    """Inputs of a local gateway.

    Attributes
    ----------
    template_path : Path
    parameter_overrides : Mapping[str, str]
        Template parameter values (``ParameterOverrides`` in local/env/gateway.json).
    environment : Mapping[str, str]
        Variables added to every function on top of its template environment (``Environment``).
    """

    template_path: Path = DEFAULT_TEMPLATE
    parameter_overrides: Mapping[str, str] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: Path = DEFAULT_CONFIG, template_path: Path = DEFAULT_TEMPLATE) -> "GatewayConfig":
        """Read a JSON file with ``ParameterOverrides`` and ``Environment`` objects of strings.

        Raises
        ------
        TemplateError
            The file is not such a JSON object.
        """
        try:
            document = json.loads(path.read_text())
            overrides = {str(key): str(value) for key, value in document.get("ParameterOverrides", {}).items()}
            environment = {str(key): str(value) for key, value in document.get("Environment", {}).items()}
        except (OSError, ValueError, AttributeError) as exc:
            raise TemplateError(f"{path}: expected {{'ParameterOverrides': {{}}, 'Environment': {{}}}}") from exc
        return cls(template_path=template_path, parameter_overrides=overrides, environment=environment)

    def merged(
        self, parameter_overrides: Mapping[str, str] | None = None, environment: Mapping[str, str] | None = None
    ) -> "GatewayConfig":
        """Return a copy with more parameter overrides and environment variables on top."""
        return replace(
            self,
            parameter_overrides={**self.parameter_overrides, **(parameter_overrides or {})},
            environment={**self.environment, **(environment or {})},
        )


def build_gateway(config: GatewayConfig, *, checks: Sequence[RequestCheck] = (), clock: Clock | None = None) -> Gateway:
    """Load the template and return a gateway whose functions start cold.

    Raises
    ------
    TemplateError
        The template cannot be served locally (see ``load_template`` and ``load_api``).
    """
    api = load_api(load_template(config.template_path, config.parameter_overrides))
    return Gateway(api, FunctionRuntime(config.environment), checks=checks, clock=clock or time.time)
