"""API Gateway (REST) emulator over template.yaml: routes, events, authorizers, API keys, throttles, responses."""

from local.gateway.api import ApiDefinition, FunctionSpec, Method, load_api
from local.gateway.api_keys import ApiKeyCheck, UsagePlanDirectory
from local.gateway.authorizers import AuthorizerCheck
from local.gateway.config import GatewayConfig, build_gateway
from local.gateway.errors import (
    FunctionInvocationError,
    FunctionLoadError,
    GatewayEmulatorError,
    GatewayRejection,
    TemplateError,
)
from local.gateway.events import IncomingRequest, RequestContext
from local.gateway.gateway import Gateway, RequestCheck
from local.gateway.responses import GatewayResult
from local.gateway.runtime import FunctionRuntime
from local.gateway.server import make_asgi_app
from local.gateway.template import LocalTemplate, load_template
from local.gateway.throttling import ThrottleCheck
from local.invoke.bootstrap import LambdaContext

__all__ = [
    "ApiDefinition",
    "ApiKeyCheck",
    "AuthorizerCheck",
    "FunctionInvocationError",
    "FunctionLoadError",
    "FunctionRuntime",
    "FunctionSpec",
    "Gateway",
    "GatewayConfig",
    "GatewayEmulatorError",
    "GatewayRejection",
    "GatewayResult",
    "IncomingRequest",
    "LambdaContext",
    "LocalTemplate",
    "Method",
    "RequestCheck",
    "RequestContext",
    "TemplateError",
    "ThrottleCheck",
    "UsagePlanDirectory",
    "build_gateway",
    "load_api",
    "load_template",
    "make_asgi_app",
]
