"""The REST API a template declares: methods and their integrations, stage, gateway responses, functions."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local.gateway.errors import TemplateError
from local.gateway.template import LocalTemplate

ANY_METHOD = "ANY"
_OPENAPI_ANY_METHOD = "x-amazon-apigateway-any-method"
_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", _OPENAPI_ANY_METHOD}
_LAMBDA_URI = re.compile(r"^arn:[^:]+:apigateway:[^:]+:lambda:path/[^/]+/functions/(?P<arn>.+)/invocations$")
_DEFAULT_TIMEOUT_S = 3
_DEFAULT_MEMORY_MB = 128


@dataclass(frozen=True)
class FunctionSpec:
    """One Lambda function as the local runtime needs it.

    Attributes
    ----------
    logical_id, name, arn : str
        Template logical id, local physical name, local ARN.
    code_dir : Path
        The function's ``CodeUri`` folder (``LAMBDA_TASK_ROOT``).
    handler : str
        ``module.attribute`` relative to ``code_dir`` (``app.handler``).
    layer_paths : tuple[Path, ...]
        Folders that Lambda would put on ``sys.path`` from ``/opt/python``, in layer order.
    environment : Mapping[str, str]
        ``Environment.Variables`` after Globals merge and intrinsic resolution.
    timeout_s, memory_mb : int
        ``Timeout`` (seconds) and ``MemorySize`` (MB).
    """

    logical_id: str
    name: str
    arn: str
    code_dir: Path
    handler: str
    layer_paths: tuple[Path, ...]
    environment: Mapping[str, str]
    timeout_s: int
    memory_mb: int


@dataclass(frozen=True)
class LambdaProxyIntegration:
    """``aws_proxy`` integration: the request becomes a REST v1 proxy event for ``function``."""

    function: FunctionSpec


@dataclass(frozen=True)
class MockIntegration:
    """``mock`` integration (SAM uses it for CORS preflights): a fixed status, headers and body.

    ``headers`` maps a header name to its API Gateway mapping expression (``'static'``, ``method.request.header.X``).
    """

    status: int
    headers: Mapping[str, str]
    body: str


@dataclass(frozen=True)
class Method:
    """One method of one API resource.

    Attributes
    ----------
    resource_path : str
        API resource path as declared (``/api/tenants/{tenant_id}``).
    http_method : str
        Upper-case verb, or ``ANY``.
    integration : LambdaProxyIntegration | MockIntegration
    security : tuple[Mapping[str, Any], ...]
        The OpenAPI ``security`` requirements (authorizer, ``api_key``), for request checks to enforce.
    """

    resource_path: str
    http_method: str
    integration: LambdaProxyIntegration | MockIntegration
    security: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class ApiDefinition:
    """A REST API as deployed by CloudFormation: what the emulator serves.

    Attributes
    ----------
    logical_id, rest_api_id, stage : str
        Template logical id of the ``AWS::ApiGateway::RestApi``, its local id, and its stage name.
    methods : tuple[Method, ...]
    gateway_responses : Mapping[str, Mapping[str, Any]]
        ``x-amazon-apigateway-gateway-responses`` by response type, intrinsics resolved.
    binary_media_types : tuple[str, ...]
        Media types API Gateway treats as binary (``image/png``, ``*/*``).
    security_schemes : Mapping[str, Mapping[str, Any]]
        Authorizers and API-key schemes by name, for request checks.
    functions : Mapping[str, FunctionSpec]
        Every function of the template by local ARN (integration and authorizer URIs name functions by ARN).
    template : LocalTemplate
        The template it came from (usage plans, stage settings and tables are read from it).
    api_key_source : str
        ``HEADER`` (clients send ``x-api-key``) or ``AUTHORIZER`` (the authorizer's ``usageIdentifierKey``).
    method_settings : tuple[Mapping[str, Any], ...]
        The stage's ``MethodSettings`` (``ResourcePath`` ``~1``-encoded, ``HttpMethod``, ``Throttling*``).
    """

    logical_id: str
    rest_api_id: str
    stage: str
    methods: tuple[Method, ...]
    gateway_responses: Mapping[str, Mapping[str, Any]]
    binary_media_types: tuple[str, ...]
    security_schemes: Mapping[str, Mapping[str, Any]]
    functions: Mapping[str, FunctionSpec]
    template: LocalTemplate = field(repr=False)
    api_key_source: str = "HEADER"
    method_settings: tuple[Mapping[str, Any], ...] = ()


def load_api(template: LocalTemplate, api_logical_id: str | None = None) -> ApiDefinition:
    """Read the REST API, its stage and its functions from a translated template.

    Parameters
    ----------
    template : LocalTemplate
    api_logical_id : str, optional
        Which ``AWS::ApiGateway::RestApi`` to serve; required only when the template declares several.

    Raises
    ------
    TemplateError
        No (or an ambiguous) REST API, a method whose integration the emulator cannot run, or a function that
        cannot run locally.
    """
    apis = template.resources_of_type("AWS::ApiGateway::RestApi")
    if api_logical_id is None:
        if len(apis) != 1:
            raise TemplateError(f"expected one AWS::ApiGateway::RestApi, found {sorted(apis) or 'none'}")
        (api_logical_id,) = apis
    elif api_logical_id not in apis:
        raise TemplateError(f"{api_logical_id} is not an AWS::ApiGateway::RestApi of the template")
    properties = template.resolved_properties(api_logical_id)
    body = properties.get("Body") or {}
    rest_api_id = template.resolver.resolve({"Ref": api_logical_id})
    functions = load_functions(template)
    methods = tuple(
        _method(path, verb, operation, functions)
        for path, operations in body.get("paths", {}).items()
        for verb, operation in operations.items()
        if verb in _HTTP_METHODS
    )
    schemes = body.get("components", {}).get("securitySchemes") or body.get("securityDefinitions") or {}
    binary_types = body.get("x-amazon-apigateway-binary-media-types") or properties.get("BinaryMediaTypes") or []
    stage = _stage(template, api_logical_id)
    return ApiDefinition(
        logical_id=api_logical_id,
        rest_api_id=rest_api_id,
        stage=str(stage["StageName"]),
        methods=methods,
        gateway_responses=body.get("x-amazon-apigateway-gateway-responses", {}),
        # CloudFormation's BinaryMediaTypes escapes "/" as "~1" (RFC 6901); the OpenAPI extension does not.
        binary_media_types=tuple(media_type.replace("~1", "/") for media_type in binary_types),
        security_schemes=schemes,
        functions=functions,
        template=template,
        api_key_source=str(
            body.get("x-amazon-apigateway-api-key-source") or properties.get("ApiKeySourceType", "HEADER")
        ),
        method_settings=tuple(stage.get("MethodSettings", ())),
    )


def lambda_function_arn(uri: str) -> str | None:
    """The function ARN inside an API Gateway Lambda integration or authorizer URI (None for other URIs)."""
    match = _LAMBDA_URI.match(uri)
    return match["arn"] if match else None


def _method(path: str, verb: str, operation: Mapping[str, Any], functions: Mapping[str, FunctionSpec]) -> Method:
    http_method = ANY_METHOD if verb == _OPENAPI_ANY_METHOD else verb.upper()
    integration = operation.get("x-amazon-apigateway-integration", {})
    where = f"{http_method} {path}"
    if integration.get("type") == "aws_proxy":
        arn = lambda_function_arn(str(integration.get("uri", "")))
        if arn is None or arn not in functions:
            raise TemplateError(f"{where}: integration does not target a function of this template")
        target: LambdaProxyIntegration | MockIntegration = LambdaProxyIntegration(functions[arn])
    elif integration.get("type") == "mock":
        response = integration.get("responses", {}).get("default", {})
        templates = response.get("responseTemplates", {})
        target = MockIntegration(
            status=int(response.get("statusCode", 200)),
            headers={
                key.removeprefix("method.response.header."): value
                for key, value in response.get("responseParameters", {}).items()
            },
            body=templates.get("application/json", next(iter(templates.values()), "")),
        )
    else:
        raise TemplateError(f"{where}: integration type {integration.get('type')!r} is not emulated")
    return Method(path, http_method, target, tuple(operation.get("security", ())))


def _stage(template: LocalTemplate, api_logical_id: str) -> dict[str, Any]:
    for logical_id, stage in template.resources_of_type("AWS::ApiGateway::Stage").items():
        if stage.get("Properties", {}).get("RestApiId") == {"Ref": api_logical_id}:
            return template.resolved_properties(logical_id)
    raise TemplateError(f"{api_logical_id} has no AWS::ApiGateway::Stage")


def load_functions(template: LocalTemplate) -> dict[str, FunctionSpec]:
    """Every ``AWS::Lambda::Function`` of a translated template, by local ARN, as the local runtimes run it.

    Raises
    ------
    TemplateError
        A function that is not Python, uses a layer from outside the template, or has no local code folder.
    """
    layers = {
        template.resolver.resolve({"Ref": logical_id}): _layer_path(template, logical_id, layer)
        for logical_id, layer in template.resources_of_type("AWS::Lambda::LayerVersion").items()
    }
    functions = {}
    for logical_id in template.resources_of_type("AWS::Lambda::Function"):
        properties = template.resolved_properties(logical_id)
        if not str(properties.get("Runtime", "")).startswith("python3"):
            raise TemplateError(f"{logical_id}: only Python runtimes run in the local gateway")
        unknown_layers = [arn for arn in properties.get("Layers", []) if arn not in layers]
        if unknown_layers:
            raise TemplateError(f"{logical_id}: layers outside the template cannot run locally: {unknown_layers}")
        arn = template.resolver.resolve({"Fn::GetAtt": [logical_id, "Arn"]})
        functions[arn] = FunctionSpec(
            logical_id=logical_id,
            name=template.resolver.resolve({"Ref": logical_id}),
            arn=arn,
            code_dir=template.source_dir(properties.get("Code", {}), logical_id),
            handler=properties["Handler"],
            layer_paths=tuple(layers[layer_arn] for layer_arn in properties.get("Layers", [])),
            environment={
                key: str(value) for key, value in properties.get("Environment", {}).get("Variables", {}).items()
            },
            timeout_s=int(properties.get("Timeout", _DEFAULT_TIMEOUT_S)),
            memory_mb=int(properties.get("MemorySize", _DEFAULT_MEMORY_MB)),
        )
    return functions


def _layer_path(template: LocalTemplate, logical_id: str, layer: Mapping[str, Any]) -> Path:
    content = template.source_dir(template.resolved_properties(logical_id).get("Content", {}), logical_id)
    # With a BuildMethod, `sam build` copies the folder into python/ (Lambda's /opt/python); without one the folder
    # is zipped as is, so only its own python/ subfolder lands on sys.path.
    return content if layer.get("Metadata", {}).get("BuildMethod") else content / "python"
