"""Lambda (REQUEST) authorizers as API Gateway REST APIs run them: identity sources, result cache, IAM policy.

Behaviour reproduced (AWS "Use API Gateway Lambda authorizers",
https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html, and its pages
"Input to an API Gateway Lambda authorizer" and "Output from an API Gateway Lambda authorizer"):

* an identity source missing from the request → 401 ``UNAUTHORIZED`` without invoking the authorizer;
* the authorizer failing with the message ``Unauthorized`` → 401; any other failure or malformed output → 500
  (``AUTHORIZER_FAILURE`` / ``AUTHORIZER_CONFIGURATION_ERROR``); failures are not cached;
* the output is cached per authorizer and identity-source values for ``authorizerResultTtlInSeconds`` and its
  policy evaluated against each request's method ARN: an explicit Deny or no matching Allow → 403 ``ACCESS_DENIED``;
* ``context`` values reach the integration as strings, next to ``principalId``; a context value that is an object or
  an array is a configuration error (500); ``usageIdentifierKey`` is kept for the API-key check.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from local.gateway.api import ApiDefinition, FunctionSpec, lambda_function_arn
from local.gateway.errors import FunctionInvocationError, FunctionLoadError, GatewayRejection, TemplateError
from local.gateway.events import CONTEXT_VALUE_TYPES, RequestContext, build_proxy_event, integration_authorizer
from local.gateway.template import LOCAL_ACCOUNT_ID, LOCAL_REGION

AUTHORIZER_EXTENSION = "x-amazon-apigateway-authorizer"
# The Lambda error message API Gateway turns into a 401 instead of a 500.
UNAUTHORIZED_MESSAGE = "Unauthorized"
_INVOKE_ACTIONS = {"execute-api:Invoke", "execute-api:*", "*"}
_IDENTITY_SOURCE = re.compile(r"^method\.request\.(?P<where>header|querystring)\.(?P<name>[^\s,]+)$")

Invoke = Callable[[FunctionSpec, dict[str, Any]], Any]


@dataclass(frozen=True)
class LambdaAuthorizer:
    """One REQUEST authorizer of the API.

    Attributes
    ----------
    name : str
        Security scheme name (``TokenAuthorizer``).
    function : FunctionSpec
    identity_sources : tuple[tuple[str, str], ...]
        ``("header" | "querystring", name)`` pairs; all must be present.
    ttl_s : int
        Result cache TTL in seconds; 0 disables the cache.
    """

    name: str
    function: FunctionSpec
    identity_sources: tuple[tuple[str, str], ...]
    ttl_s: int


@dataclass(frozen=True)
class _CachedResult:
    expires_at_s: float
    output: Mapping[str, Any]


def load_authorizers(api: ApiDefinition) -> dict[str, LambdaAuthorizer]:
    """Read the Lambda authorizers from the API's security schemes.

    Raises
    ------
    TemplateError
        A TOKEN authorizer, an identity source other than a header or query string, or a URI that does not name a
        function of the template.
    """
    authorizers = {}
    for name, scheme in api.security_schemes.items():
        settings = scheme.get(AUTHORIZER_EXTENSION)
        if settings is None:
            continue
        if str(settings.get("type", "")).lower() != "request":
            raise TemplateError(f"authorizer {name}: only REQUEST authorizers are emulated")
        arn = lambda_function_arn(str(settings.get("authorizerUri", "")))
        if arn is None or arn not in api.functions:
            raise TemplateError(f"authorizer {name}: authorizerUri does not name a function of this template")
        sources = []
        for source in str(settings.get("identitySource", "")).split(","):
            match = _IDENTITY_SOURCE.match(source.strip())
            if match is None:
                raise TemplateError(f"authorizer {name}: identity source {source.strip()!r} is not emulated")
            sources.append((match["where"], match["name"]))
        authorizers[name] = LambdaAuthorizer(
            name=name,
            function=api.functions[arn],
            identity_sources=tuple(sources),
            ttl_s=int(settings.get("authorizerResultTtlInSeconds", 300)),
        )
    return authorizers


class AuthorizerCheck:
    """Request check that runs the method's Lambda authorizer (``RequestCheck`` of ``local.gateway.gateway``).

    Parameters
    ----------
    api : ApiDefinition
    invoke : Callable[[FunctionSpec, dict], Any]
        Runs a function (``FunctionRuntime.invoke``).
    """

    def __init__(self, api: ApiDefinition, invoke: Invoke) -> None:
        self._api = api
        self._invoke = invoke
        self._authorizers = load_authorizers(api)
        self._cache: dict[tuple[str, tuple[str, ...]], _CachedResult] = {}

    def __call__(self, context: RequestContext) -> None:
        """Authorize one request, or raise ``GatewayRejection``."""
        authorizer = self._authorizer_of(context)
        if authorizer is None:
            return
        identity: list[str] = []
        for where, name in authorizer.identity_sources:
            value = _identity_value(context, where, name)
            if not value:
                raise GatewayRejection("UNAUTHORIZED", UNAUTHORIZED_MESSAGE)
            identity.append(value)
        cache_key = (authorizer.name, tuple(identity))
        now_s = context.received_at_s
        cached = self._cache.get(cache_key)
        if cached is not None and cached.expires_at_s > now_s:
            output = cached.output
        else:
            output = self._run(authorizer, context)
            context.authorizer_invoked = True
            if authorizer.ttl_s > 0:
                self._cache[cache_key] = _CachedResult(now_s + authorizer.ttl_s, output)
        _enforce_policy(output["policyDocument"], _method_arn(self._api, context))
        context.authorizer = integration_authorizer(str(output["principalId"]), output.get("context"))
        key = output.get("usageIdentifierKey")
        context.usage_identifier_key = str(key) if key else None

    def _authorizer_of(self, context: RequestContext) -> LambdaAuthorizer | None:
        for requirement in context.route.method.security:
            for name in requirement:
                if name in self._authorizers:
                    return self._authorizers[name]
        return None

    def _run(self, authorizer: LambdaAuthorizer, context: RequestContext) -> Mapping[str, Any]:
        event = build_proxy_event(
            context,
            stage=self._api.stage,
            rest_api_id=self._api.rest_api_id,
            account_id=LOCAL_ACCOUNT_ID,
            binary_media_types=(),
        )
        for integration_only in ("body", "isBase64Encoded"):
            event.pop(integration_only)
        event = {"type": "REQUEST", "methodArn": _method_arn(self._api, context), **event}
        try:
            output: Mapping[str, Any] = self._invoke(authorizer.function, event)
        except FunctionInvocationError as exc:
            if str(exc.__cause__) == UNAUTHORIZED_MESSAGE:
                raise GatewayRejection("UNAUTHORIZED", UNAUTHORIZED_MESSAGE) from exc
            raise GatewayRejection("AUTHORIZER_FAILURE", "Internal server error") from exc
        except FunctionLoadError as exc:
            raise GatewayRejection("AUTHORIZER_CONFIGURATION_ERROR", "Internal server error") from exc
        if not _is_valid_output(output):
            raise GatewayRejection("AUTHORIZER_CONFIGURATION_ERROR", "Internal server error")
        return output


def _identity_value(context: RequestContext, where: str, name: str) -> str | None:
    if where == "header":
        return context.request.header(name) or None
    values = [value for key, value in context.request.query if key == name and value]
    return values[-1] if values else None


def _method_arn(api: ApiDefinition, context: RequestContext) -> str:
    request = context.request
    return (
        f"arn:aws:execute-api:{LOCAL_REGION}:{LOCAL_ACCOUNT_ID}:{api.rest_api_id}/{api.stage}/"
        f"{request.method}{request.raw_path}"
    )


def _is_valid_output(output: Any) -> bool:
    if not isinstance(output, Mapping) or "principalId" not in output:
        return False
    policy = output.get("policyDocument")
    context = output.get("context") or {}
    return (
        isinstance(policy, Mapping)
        and isinstance(policy.get("Statement"), list)
        and isinstance(context, Mapping)
        and all(isinstance(value, CONTEXT_VALUE_TYPES) for value in context.values())
    )


def _enforce_policy(policy: Mapping[str, Any], method_arn: str) -> None:
    """IAM evaluation of the returned policy for ``execute-api:Invoke`` on this method: explicit Deny wins."""
    allowed = False
    for statement in policy["Statement"]:
        actions = _as_list(statement.get("Action"))
        resources = _as_list(statement.get("Resource"))
        if not _INVOKE_ACTIONS & set(actions) or not any(_arn_matches(pattern, method_arn) for pattern in resources):
            continue
        if statement.get("Effect") == "Deny":
            raise GatewayRejection(
                "ACCESS_DENIED", "User is not authorized to access this resource with an explicit deny"
            )
        allowed = allowed or statement.get("Effect") == "Allow"
    if not allowed:
        raise GatewayRejection("ACCESS_DENIED", "User is not authorized to access this resource")


def _arn_matches(pattern: str, arn: str) -> bool:
    # IAM resource wildcards: "*" matches any run of characters (slashes included), "?" exactly one.
    expression = "".join(".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern)
    return re.fullmatch(expression, arn) is not None


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, list) else []
