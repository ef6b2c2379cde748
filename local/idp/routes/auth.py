"""Descope auth API subset: public keys, access-key exchange and logout."""

import time
from typing import Any

from fastapi import APIRouter, Request

from local.idp.access_keys import authenticate_access_key
from local.idp.errors import RefreshTokenRejectedError, UnauthorizedError, ValidationFailedError
from local.idp.routes.deps import BearerSecret, RuntimeDep, WireModel
from local.idp.sessions import find_live_session, revoke_session, revoke_subject_sessions
from local.idp.tokens import REFRESH_TOKEN_DRN, InvalidTokenError, TokenIssuer

router = APIRouter(tags=["auth"])


class LoginOptions(WireModel):
    custom_claims: dict[str, Any] | None = None
    selected_tenant: str | None = None


class ExchangeBody(WireModel):
    login_options: LoginOptions | None = None


@router.get("/v2/keys/{project_id}")
async def read_public_keys(project_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """The project's JWKS (the Descope SDK's key path)."""
    if project_id != runtime.config.project_id:
        raise UnauthorizedError("unknown project")
    return runtime.keys.jwks()


@router.post("/v1/auth/accesskey/exchange")
async def exchange_access_key(
    body: ExchangeBody, secret: BearerSecret, request: Request, runtime: RuntimeDep
) -> dict[str, Any]:
    """Exchange an access key for a session JWT (Descope session form: no ``aud``)."""
    options = body.login_options or LoginOptions()
    client_ip = request.client.host if request.client else None
    with runtime.store.read() as state:
        key = authenticate_access_key(state, secret, client_ip)
        if options.selected_tenant is not None and options.selected_tenant not in key["keyTenants"]:
            raise ValidationFailedError("the access key is not associated with the selected tenant")
        jwt, expiration = runtime.tokens.access_key_token(
            state,
            key,
            audience=None,
            selected_tenant=options.selected_tenant,
            login_claims=options.custom_claims,
            now=int(time.time()),
        )
    return {"keyId": key["id"], "sessionJwt": jwt, "expiration": expiration}


def _refresh_claims(tokens: TokenIssuer, refresh_jwt: str) -> dict[str, Any]:
    try:
        return tokens.verify(refresh_jwt, drn=REFRESH_TOKEN_DRN)
    except InvalidTokenError as exc:
        raise RefreshTokenRejectedError() from exc


@router.post("/v1/auth/logout")
async def logout(secret: BearerSecret, runtime: RuntimeDep) -> dict[str, Any]:
    """End the session of the presented refresh JWT."""
    claims = _refresh_claims(runtime.tokens, secret)
    with runtime.store.write() as state:
        if find_live_session(state, claims) is None:
            raise RefreshTokenRejectedError()
        revoke_session(state, claims["sid"])
    return {}


@router.post("/v1/auth/logoutall")
async def logout_all(secret: BearerSecret, runtime: RuntimeDep) -> dict[str, Any]:
    """End every session of the presented refresh JWT's user."""
    claims = _refresh_claims(runtime.tokens, secret)
    with runtime.store.write() as state:
        if find_live_session(state, claims) is None:
            raise RefreshTokenRejectedError()
        revoke_subject_sessions(state, claims["sub"])
    return {}
