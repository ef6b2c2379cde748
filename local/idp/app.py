"""The ASGI application: routers, error handlers, CORS for the SPA, and the traffic middleware."""

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.middleware.cors import CORSMiddleware

from local.idp.errors import BadRequestError, DescopeApiError, OAuthError, ValidationFailedError
from local.idp.middleware import TrafficMiddleware, descope_error_response
from local.idp.routes import auth, control, mgmt_access_keys, mgmt_rbac, mgmt_tenants, mgmt_users, oidc
from local.idp.runtime import IdpRuntime


async def _on_descope_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DescopeApiError)
    return descope_error_response(exc)


async def _on_oauth_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OAuthError)
    headers = {"Cache-Control": "no-store"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = "Basic"
    return JSONResponse(exc.to_body(), status_code=exc.status, headers=headers)


async def _on_invalid_request(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(error.get("type") == "json_invalid" for error in errors):
        return descope_error_response(BadRequestError("the body is not valid JSON"))
    fields = ", ".join(".".join(str(part) for part in error.get("loc", ())[1:]) for error in errors)
    return descope_error_response(ValidationFailedError(f"invalid fields: {fields}"))


def _origins(redirect_uris: frozenset[str]) -> list[str]:
    return sorted({f"{urlsplit(uri).scheme}://{urlsplit(uri).netloc}" for uri in redirect_uris})


def create_app(runtime: IdpRuntime) -> FastAPI:
    """Build the provider's ASGI app around a runtime.

    The SPA's origins (from the approved redirect URIs) may call the OIDC endpoints from the browser (CORS);
    the fault-control endpoint exists only when ``runtime.config.faults_enabled``.
    """
    app = FastAPI(title="local identity provider", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    for router in (oidc.router, auth.router, mgmt_tenants.router, mgmt_users.router, mgmt_access_keys.router):
        app.include_router(router)
    app.include_router(mgmt_rbac.router)
    if runtime.config.faults_enabled:
        app.include_router(control.router)
    app.add_exception_handler(DescopeApiError, _on_descope_error)
    app.add_exception_handler(OAuthError, _on_oauth_error)
    app.add_exception_handler(RequestValidationError, _on_invalid_request)
    # Middleware added last runs first: CORS answers preflights before faults or limits apply.
    app.add_middleware(TrafficMiddleware, runtime=runtime)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=_origins(runtime.redirect_uris),
        allow_methods=["GET", "POST"],
        allow_headers=["Authorization", "Content-Type"],
    )
    return app
