"""What the local gateway runs: the template, its local parameter values and the extra function environment."""

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

# Re-exported (the `as` form): the local stack's modules import them from here.
from local import DEFAULT_TEMPLATE as DEFAULT_TEMPLATE
from local import REPOSITORY_ROOT as REPOSITORY_ROOT
from local.gateway.api import load_api
from local.gateway.api_keys import API_KEY_SCHEME, ApiKeyCheck, UsagePlanDirectory
from local.gateway.authorizers import AuthorizerCheck
from local.gateway.errors import TemplateError
from local.gateway.gateway import Clock, Gateway, RequestCheck
from local.gateway.runtime import FunctionRuntime
from local.gateway.template import load_template
from local.gateway.throttling import ThrottleCheck

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
    aws_endpoint_url : str, optional
        The API Gateway control plane (moto) where the gateway reads API keys and usage plans; defaults to the
        functions' ``AWS_ENDPOINT_URL``. Separate so a test can break the functions' AWS without breaking the
        gateway's, as in AWS, where the control plane never shares a function's fate.
    """

    template_path: Path = DEFAULT_TEMPLATE
    parameter_overrides: Mapping[str, str] = field(default_factory=dict)
    environment: Mapping[str, str] = field(default_factory=dict)
    aws_endpoint_url: str | None = None

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

    The gateway runs, in order, the template's Lambda authorizer, its API-key requirement (keys and usage plans read
    from the control plane at ``aws_endpoint_url``), its throttles and quotas, then ``checks``.

    Parameters
    ----------
    config : GatewayConfig
    checks : Sequence[RequestCheck]
        Extra checks after the template's.
    clock : Callable[[], float], optional
        Epoch seconds for authorizer caching, throttles and quotas; default ``time.time``.

    Raises
    ------
    TemplateError
        The template cannot be served locally (see ``load_template``, ``load_api`` and ``load_authorizers``), or it
        requires API keys and no control-plane endpoint is configured.
    """
    api = load_api(load_template(config.template_path, config.parameter_overrides))
    runtime = FunctionRuntime(config.environment)
    template_checks: list[RequestCheck] = [AuthorizerCheck(api, runtime.invoke)]
    if any(API_KEY_SCHEME in requirement for method in api.methods for requirement in method.security):
        endpoint_url = config.aws_endpoint_url or config.environment.get("AWS_ENDPOINT_URL")
        if not endpoint_url:
            raise TemplateError("the API requires API keys: the gateway needs aws_endpoint_url (moto) to read them")
        from local.aws.server import aws_client

        directory = UsagePlanDirectory(aws_client("apigateway", endpoint_url), api.rest_api_id, api.stage)
        template_checks.append(ApiKeyCheck(api, directory))
    template_checks.append(ThrottleCheck(api))
    return Gateway(api, runtime, checks=(*template_checks, *checks), clock=clock or time.time)
