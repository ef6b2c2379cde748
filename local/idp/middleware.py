"""ASGI middleware in front of every route: request counting, fault injection, and the per-project budget."""

import asyncio

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from local.idp.errors import DescopeApiError, RateLimitedError
from local.idp.faults import Fault, FaultKind
from local.idp.runtime import IdpRuntime

# Descope API paths (management and auth); OIDC endpoints are not rate limited.
RATE_LIMITED_PREFIXES = ("/v1/", "/v2/")
MALFORMED_BODY = b'{"this is": not json'


class _InjectedFaultError(DescopeApiError):
    code = "E000500"
    description = "Injected fault"


def descope_error_response(error: DescopeApiError, status: int | None = None) -> JSONResponse:
    """A Descope error body with its status (and ``Retry-After`` for rate limits)."""
    headers = {"Retry-After": str(error.retry_after_s)} if isinstance(error, RateLimitedError) else None
    return JSONResponse(error.to_body(), status_code=status or error.status, headers=headers)


def project_id_of(headers: Headers) -> str:
    """Project id of a Descope API call: the bearer up to its first ``:``, else ``x-descope-project-id``."""
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials:
        return credentials.split(":", 1)[0]
    return headers.get("x-descope-project-id", "")


async def _fault_response(fault: Fault) -> Response:
    if fault.kind is FaultKind.TIMEOUT:
        await asyncio.sleep(fault.delay_s)
        return descope_error_response(_InjectedFaultError("injected timeout"), status=504)
    if fault.kind is FaultKind.RATE_LIMIT:
        return descope_error_response(RateLimitedError(fault.retry_after_s))
    if fault.kind is FaultKind.MALFORMED:
        return Response(MALFORMED_BODY, media_type="application/json")
    return descope_error_response(_InjectedFaultError("injected fault"), status=fault.status)


class TrafficMiddleware:
    """Count the request, answer an armed fault if one matches, enforce the budget, else pass through."""

    def __init__(self, app: ASGIApp, runtime: IdpRuntime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        self.runtime.requests.record(path)
        fault = self.runtime.faults.take(path)
        if fault is not None:
            response = await _fault_response(fault)
            await response(scope, receive, send)
            return
        if path.startswith(RATE_LIMITED_PREFIXES):
            retry_after_s = self.runtime.limiter.check(project_id_of(Headers(scope=scope)))
            if retry_after_s is not None:
                await descope_error_response(RateLimitedError(retry_after_s))(scope, receive, send)
                return
        await self.app(scope, receive, send)
