"""Responses the gateway sends: mapped Lambda proxy results, mock integrations and gateway responses."""

import base64
import binascii
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from local.gateway.api import MockIntegration
from local.gateway.errors import FunctionInvocationError
from local.gateway.events import IncomingRequest
from local.gateway.media_types import is_binary

# Default status of each gateway response type (AWS "Gateway response types for API Gateway").
GATEWAY_RESPONSE_STATUS = {
    "ACCESS_DENIED": 403,
    "API_CONFIGURATION_ERROR": 500,
    "AUTHORIZER_CONFIGURATION_ERROR": 500,
    "AUTHORIZER_FAILURE": 500,
    "BAD_REQUEST_BODY": 400,
    "BAD_REQUEST_PARAMETERS": 400,
    "DEFAULT_4XX": 400,
    "DEFAULT_5XX": 500,
    "EXPIRED_TOKEN": 403,
    "INTEGRATION_FAILURE": 504,
    "INTEGRATION_TIMEOUT": 504,
    "INVALID_API_KEY": 403,
    "INVALID_SIGNATURE": 403,
    "MISSING_AUTHENTICATION_TOKEN": 403,
    "QUOTA_EXCEEDED": 429,
    "REQUEST_TOO_LARGE": 413,
    "RESOURCE_NOT_FOUND": 404,
    "THROTTLED": 429,
    "UNAUTHORIZED": 401,
    "UNSUPPORTED_MEDIA_TYPE": 415,
    "WAF_FILTERED": 403,
}
_DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'
_CONTEXT_VARIABLE = re.compile(r"\$context\.([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)")
_HEADER_PARAMETER = "gatewayresponse.header."


@dataclass(frozen=True)
class GatewayResult:
    """An HTTP response ready for any transport: status, header fields in order (repeats allowed), body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class ResponseScope:
    """What mapping expressions and ``$context`` variables may read while rendering a response."""

    request: IncomingRequest
    request_id: str
    stage: str
    resource_path: str | None = None
    path_parameters: Mapping[str, str] | None = None


class GatewayResponses:
    """Render gateway-made errors from the API's ``x-amazon-apigateway-gateway-responses``.

    A customised response type wins; otherwise ``DEFAULT_4XX``/``DEFAULT_5XX`` by status class; otherwise API
    Gateway's built-in ``{"message": ...}`` body with no extra headers.

    Parameters
    ----------
    definitions : Mapping[str, Mapping[str, Any]]
        Gateway responses by type, intrinsics resolved.

    Notes
    -----
    https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-gatewayResponse-definition.html.
    Templates support ``$context`` variable substitution only: API Gateway does not run VTL on them either.
    """

    def __init__(self, definitions: Mapping[str, Mapping[str, Any]]) -> None:
        self._definitions = definitions

    def render(
        self, response_type: str, message: str, scope: ResponseScope, *, status: int | None = None
    ) -> GatewayResult:
        """Build the response for one gateway response type.

        Parameters
        ----------
        response_type : str
            ``MISSING_AUTHENTICATION_TOKEN``, ``THROTTLED``, ``DEFAULT_5XX``, ...
        message : str
            ``$context.error.message``, e.g. ``Missing Authentication Token``.
        scope : ResponseScope
        status : int, optional
            Status when it differs from the type's default (a failed Lambda is ``DEFAULT_5XX`` with 502).
        """
        status = status or GATEWAY_RESPONSE_STATUS[response_type]
        fallback = "DEFAULT_5XX" if status >= 500 else "DEFAULT_4XX"
        definition = self._definitions.get(response_type) or self._definitions.get(fallback) or {}
        status = int(definition.get("statusCode", status))
        variables = _context_variables(scope) | {
            "error.message": message,
            "error.messageString": json.dumps(message),
            "error.responseType": response_type,
        }
        headers = [
            (name.removeprefix(_HEADER_PARAMETER), value)
            for name, expression in definition.get("responseParameters", {}).items()
            if name.startswith(_HEADER_PARAMETER)
            and (value := evaluate_mapping(expression, scope, variables)) is not None
        ]
        templates = definition.get("responseTemplates") or {"application/json": _DEFAULT_TEMPLATE}
        content_type, template = next(iter(templates.items()))
        if "application/json" in templates:
            content_type, template = "application/json", templates["application/json"]
        body = _CONTEXT_VARIABLE.sub(lambda match: str(variables.get(match.group(1), "")), template)
        return _finish(status, headers, body.encode(), scope, default_content_type=content_type)


def render_mock(integration: MockIntegration, scope: ResponseScope) -> GatewayResult:
    """Answer a ``mock`` integration (SAM's CORS preflight) with its static status, headers and body."""
    variables = _context_variables(scope)
    headers = [
        (name, value)
        for name, expression in integration.headers.items()
        if (value := evaluate_mapping(expression, scope, variables)) is not None
    ]
    return _finish(integration.status, headers, integration.body.encode(), scope)


def map_proxy_result(result: Any, scope: ResponseScope, binary_media_types: Iterable[str]) -> GatewayResult:
    """Turn a Lambda proxy result into the HTTP response API Gateway sends.

    Parameters
    ----------
    result : Any
        The handler's return value: ``statusCode``, ``headers``, ``multiValueHeaders``, ``body``,
        ``isBase64Encoded``.
    scope : ResponseScope
    binary_media_types : Iterable[str]
        A base64 body is decoded only when the request's ``Accept`` names one of these; otherwise the client
        receives the base64 text, as from a REST API.

    Raises
    ------
    FunctionInvocationError
        The result is not a valid proxy response ("Malformed Lambda proxy response", 502 in AWS).

    Notes
    -----
    When a name is in both ``headers`` and ``multiValueHeaders`` the multi-value list wins (AWS "Lambda proxy
    integration output format").
    """
    if not isinstance(result, dict):
        raise FunctionInvocationError("malformed Lambda proxy response: not an object")
    status = result.get("statusCode")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise FunctionInvocationError(f"malformed Lambda proxy response: statusCode {status!r}")
    single = _header_map(result.get("headers"), multi=False)
    multi = _header_map(result.get("multiValueHeaders"), multi=True)
    multi_names = {name.lower() for name in multi}
    headers = [(name, value) for name, value in single.items() if name.lower() not in multi_names]
    headers += [(name, value) for name, values in multi.items() for value in values]
    body = result.get("body")
    if body is None:
        payload = b""
    elif not isinstance(body, str):
        raise FunctionInvocationError("malformed Lambda proxy response: body is not a string")
    elif result.get("isBase64Encoded") and is_binary(scope.request.header("accept"), binary_media_types):
        try:
            payload = base64.b64decode(body, validate=True)
        except binascii.Error as exc:
            raise FunctionInvocationError("malformed Lambda proxy response: body is not base64") from exc
    else:
        payload = body.encode()
    return _finish(status, headers, payload, scope)


def evaluate_mapping(expression: Any, scope: ResponseScope, variables: Mapping[str, Any]) -> str | None:
    """Evaluate an API Gateway response-parameter mapping expression.

    Parameters
    ----------
    expression : Any
        ``'static value'`` (outer single quotes stripped; inner quotes kept, as in ``'default-src 'self''``),
        ``method.request.header.X``, ``method.request.querystring.X``, ``method.request.path.X``, ``context.X``.
    scope : ResponseScope
    variables : Mapping[str, Any]
        ``$context`` variables, without the prefix.

    Returns
    -------
    str or None
        None when the referenced request value is absent (API Gateway then omits the header).
    """
    text = str(expression)
    if len(text) >= 2 and text.startswith("'") and text.endswith("'"):
        return text[1:-1]
    source, _, name = text.rpartition(".")
    if source == "method.request.header":
        return scope.request.header(name)
    if source == "method.request.querystring":
        values = [value for key, value in scope.request.query if key == name]
        return values[-1] if values else None
    if source == "method.request.path":
        return (scope.path_parameters or {}).get(name)
    if text.startswith("context."):
        value = variables.get(text.removeprefix("context."))
        return None if value is None else str(value)
    return None


def _context_variables(scope: ResponseScope) -> dict[str, Any]:
    return {
        "requestId": scope.request_id,
        "extendedRequestId": scope.request_id,
        "stage": scope.stage,
        "httpMethod": scope.request.method,
        "resourcePath": scope.resource_path,
        "path": f"/{scope.stage}{scope.request.raw_path}",
        "identity.sourceIp": scope.request.source_ip,
    }


def _header_map(value: Any, *, multi: bool) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FunctionInvocationError("malformed Lambda proxy response: headers are not an object")
    if multi:
        if not all(isinstance(values, list) for values in value.values()):
            raise FunctionInvocationError("malformed Lambda proxy response: multiValueHeaders need lists")
        return {name: [str(item) for item in values] for name, values in value.items()}
    return {name: str(item) for name, item in value.items()}


def _finish(
    status: int,
    headers: list[tuple[str, str]],
    body: bytes,
    scope: ResponseScope,
    *,
    default_content_type: str = "application/json",
) -> GatewayResult:
    # API Gateway labels a response without Content-Type as JSON and always adds its request id.
    names = {name.lower() for name, _ in headers}
    if "content-type" not in names:
        headers.append(("Content-Type", default_content_type))
    headers.append(("x-amzn-RequestId", scope.request_id))
    return GatewayResult(status, tuple(headers), body)
