"""The incoming request and the REST (v1) Lambda proxy event API Gateway builds from it."""

import base64
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from local.gateway.media_types import is_binary
from local.gateway.routes import RouteMatch

_FORWARDED_HEADERS = ("x-forwarded-for", "x-forwarded-port", "x-forwarded-proto")
# Context values API Gateway accepts from a Lambda authorizer; an object or array is a configuration error.
CONTEXT_VALUE_TYPES = (str, int, float, bool)


@dataclass(frozen=True)
class IncomingRequest:
    """An HTTP request as the gateway received it.

    Attributes
    ----------
    method : str
        Upper-case verb.
    raw_path : str
        Percent-encoded path without the query string.
    query : tuple[tuple[str, str], ...]
        Decoded query parameters in order, blanks kept.
    headers : tuple[tuple[str, str], ...]
        Header fields in order, names in the case the transport delivered (ASGI servers lower-case them).
    body : bytes
    source_ip : str
    scheme, port : str, int
        How the client reached the gateway (``X-Forwarded-Proto`` / ``X-Forwarded-Port``).
    """

    method: str
    raw_path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    scheme: str = "http"
    port: int = 80

    def header(self, name: str) -> str | None:
        """Return the last value of a header, matched case-insensitively (None when absent)."""
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return values[-1] if values else None


@dataclass
class RequestContext:
    """What the gateway knows about one request while handling it; request checks read and enrich it.

    Attributes
    ----------
    request : IncomingRequest
    route : RouteMatch
    request_id : str
        API Gateway request id (``requestContext.requestId``, ``x-amzn-RequestId``).
    received_at_s : float
        Epoch seconds from the gateway's clock.
    authorizer : dict[str, Any] or None
        ``requestContext.authorizer`` (principalId and context) once an authorizer allowed the request.
    api_key, api_key_id : str or None
        ``requestContext.identity.apiKey`` / ``apiKeyId`` once an API key was accepted.
    usage_identifier_key : str or None
        The authorizer's ``usageIdentifierKey`` (the API key when the key source is AUTHORIZER).
    authorizer_invoked : bool
        The authorizer ran for this request (no cached result): what API Gateway derives from it is re-read.
    usage_plan : Any
        The usage plan of the accepted API key (``local.gateway.api_keys.UsagePlanLimits``), for throttling.
    """

    request: IncomingRequest
    route: RouteMatch
    request_id: str
    received_at_s: float
    authorizer: dict[str, Any] | None = None
    api_key: str | None = None
    api_key_id: str | None = None
    usage_identifier_key: str | None = None
    authorizer_invoked: bool = False
    usage_plan: Any = None


def integration_authorizer(
    principal_id: str, context: Mapping[str, str | int | float | bool] | None, *, latency_ms: int = 0
) -> dict[str, Any]:
    """``requestContext.authorizer`` as a REST API passes a Lambda authorizer's answer to the integration.

    ``principalId``, then each ``context`` key at the top level with its value as a string (booleans as
    ``true``/``false``, numbers in JSON form), then ``integrationLatency`` (milliseconds the authorizer took, a
    number). AWS: "Output from an API Gateway Lambda authorizer"
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html) and
    the Lambda proxy input format
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
    """
    flattened = {key: value if isinstance(value, str) else json.dumps(value) for key, value in (context or {}).items()}
    return {"principalId": principal_id, **flattened, "integrationLatency": latency_ms}


def build_proxy_event(
    context: RequestContext, *, stage: str, rest_api_id: str, account_id: str, binary_media_types: Iterable[str]
) -> dict[str, Any]:
    """Build the Lambda proxy integration event (payload 1.0) API Gateway sends for a REST API.

    Parameters
    ----------
    context : RequestContext
    stage, rest_api_id, account_id : str
        Values of ``requestContext.stage``, ``apiId`` and ``accountId``.
    binary_media_types : Iterable[str]
        A body whose ``Content-Type`` matches one of these arrives base64-encoded.

    Returns
    -------
    dict
        The event; empty maps are ``None``, as API Gateway sends them.

    Notes
    -----
    https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
    (input format). ``headers``/``queryStringParameters`` hold the last value of a repeated name, the
    ``multiValue*`` maps hold all of them; ``path`` carries no stage prefix, ``requestContext.path`` does.
    """
    request = context.request
    headers = _with_forwarded_headers(request)
    received_at_ms = int(context.received_at_s * 1000)
    method = context.route.method
    binary_body = is_binary(request.header("content-type"), binary_media_types)
    if not request.body:
        body = None
    elif binary_body:
        body = base64.b64encode(request.body).decode("ascii")
    else:
        body = request.body.decode("utf-8", errors="replace")
    identity: dict[str, Any] = {
        "accessKey": None,
        "accountId": None,
        "caller": None,
        "cognitoAuthenticationProvider": None,
        "cognitoAuthenticationType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "principalOrgId": None,
        "sourceIp": request.source_ip,
        "user": None,
        "userAgent": request.header("user-agent"),
        "userArn": None,
        "clientCert": None,
    }
    if context.api_key is not None:
        identity |= {"apiKey": context.api_key, "apiKeyId": context.api_key_id}
    request_context: dict[str, Any] = {
        "accountId": account_id,
        "apiId": rest_api_id,
        "domainName": request.header("host") or "localhost",
        "domainPrefix": (request.header("host") or "localhost").split(".", 1)[0],
        "extendedRequestId": context.request_id,
        "httpMethod": request.method,
        "identity": identity,
        "path": f"/{stage}{request.raw_path}",
        "protocol": "HTTP/1.1",
        "requestId": context.request_id,
        "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(context.received_at_s)),
        "requestTimeEpoch": received_at_ms,
        "resourceId": method.resource_path,
        "resourcePath": method.resource_path,
        "stage": stage,
    }
    if context.authorizer is not None:
        request_context["authorizer"] = context.authorizer
    return {
        "resource": method.resource_path,
        "path": request.raw_path,
        "httpMethod": request.method,
        "headers": {name: values[-1] for name, values in headers.items()} or None,
        "multiValueHeaders": headers or None,
        "queryStringParameters": {name: values[-1] for name, values in _grouped(request.query).items()} or None,
        "multiValueQueryStringParameters": _grouped(request.query) or None,
        "pathParameters": context.route.path_parameters or None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": body,
        "isBase64Encoded": binary_body and body is not None,
    }


def _with_forwarded_headers(request: IncomingRequest) -> dict[str, list[str]]:
    # API Gateway sets these itself, appending the caller's address to any X-Forwarded-For chain it received.
    chain = request.header("x-forwarded-for")
    kept = [(name, value) for name, value in request.headers if name.lower() not in _FORWARDED_HEADERS]
    forwarded = [
        ("X-Forwarded-For", f"{chain}, {request.source_ip}" if chain else request.source_ip),
        ("X-Forwarded-Port", str(request.port)),
        ("X-Forwarded-Proto", request.scheme),
    ]
    return _grouped(kept + forwarded)


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped
