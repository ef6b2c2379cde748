"""API Gateway (REST) emulator driven by template.yaml: routes, proxy events, gateway responses, CORS preflights."""

from local.gateway.api import ApiDefinition, FunctionSpec, Method, load_api
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
from local.gateway.runtime import FunctionRuntime, LambdaContext
from local.gateway.server import make_asgi_app
from local.gateway.template import LocalTemplate, load_template

__all__ = [
    "ApiDefinition",
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
    "build_gateway",
    "load_api",
    "load_template",
    "make_asgi_app",
]
