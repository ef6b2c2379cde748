"""OpenID Connect provider: discovery, JWKS, authorization code + PKCE, token, userinfo, end-session, revocation.

Rules: RFC 6749 (OAuth 2.0), RFC 7636 (PKCE, S256 only), RFC 7009 (revocation), OIDC Core 1.0 and
Discovery 1.0, RP-Initiated Logout 1.0. Endpoint paths are Descope's (``/oauth2/v1/...``).
"""

import base64
import hashlib
import hmac
import re
import time
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from local.idp.access_keys import authenticate_access_key
from local.idp.errors import AccessKeyRejectedError, OAuthError
from local.idp.routes.deps import RuntimeDep
from local.idp.routes.login_page import render_login_page, render_signed_out_page
from local.idp.runtime import IdpRuntime
from local.idp.sessions import create_session, prune_sessions, revoke_session, rotate_session
from local.idp.signing import InvalidSignedTokenError
from local.idp.store import State
from local.idp.tokens import REFRESH_TOKEN_DRN, SESSION_TOKEN_DRN, InvalidTokenError

router = APIRouter(tags=["oidc"])

AUTHORIZE_PATH = "/oauth2/v1/authorize"
TOKEN_PATH = "/oauth2/v1/token"
USERINFO_PATH = "/oauth2/v1/userinfo"
END_SESSION_PATH = "/oauth2/v1/logout"
REVOCATION_PATH = "/oauth2/v1/revoke"
# RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~]; an S256 challenge is 43 base64url characters.
CODE_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
S256_CHALLENGE = re.compile(r"[A-Za-z0-9\-_]{43}")
CLAIMS_SUPPORTED = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "nbf",
    "auth_time",
    "nonce",
    "at_hash",
    "sid",
    "email",
    "email_verified",
    "name",
    "amr",
    "drn",
    "dct",
    "tenants",
    "roles",
    "permissions",
]
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _single_values(pairs: list[tuple[str, str]]) -> dict[str, str]:
    # RFC 6749 §3.1: parameters must not be repeated.
    params: dict[str, str] = {}
    for key, value in pairs:
        if key in params:
            raise OAuthError("invalid_request", f"parameter {key!r} is repeated")
        params[key] = value
    return params


async def _form(request: Request) -> dict[str, str]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise OAuthError("invalid_request", "body must be application/x-www-form-urlencoded")
    return _single_values(parse_qsl((await request.body()).decode(), keep_blank_values=True))


async def _params(request: Request) -> dict[str, str]:
    if request.method == "POST":
        return await _form(request)
    return _single_values(list(request.query_params.multi_items()))


def _with_query(url: str, params: dict[str, str | None]) -> str:
    parts = urlsplit(url)
    extra = urlencode({k: v for k, v in params.items() if v is not None})
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@router.get("/{project_id}/.well-known/openid-configuration")
async def read_discovery_document(project_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """OpenID Provider metadata (OIDC Discovery 1.0 §3); every endpoint shares the issuer's origin."""
    config = runtime.config
    if project_id != config.project_id:
        raise HTTPException(status_code=404)
    base = config.base_url
    return {
        "issuer": config.issuer,
        "authorization_endpoint": base + AUTHORIZE_PATH,
        "token_endpoint": base + TOKEN_PATH,
        "userinfo_endpoint": base + USERINFO_PATH,
        "jwks_uri": f"{config.issuer}/.well-known/jwks.json",
        "end_session_endpoint": base + END_SESSION_PATH,
        "revocation_endpoint": base + REVOCATION_PATH,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "claims_supported": CLAIMS_SUPPORTED,
    }


@router.get("/{project_id}/.well-known/jwks.json")
async def read_jwks(project_id: str, runtime: RuntimeDep) -> dict[str, Any]:
    """The signing keys (current and previous) as a JWK Set."""
    if project_id != runtime.config.project_id:
        raise HTTPException(status_code=404)
    return runtime.keys.jwks()


@router.api_route(AUTHORIZE_PATH, methods=["GET", "POST"], response_model=None)
async def authorize(request: Request, runtime: RuntimeDep) -> Response:
    """Authorization endpoint: checks the request, then signs in ``login_hint`` or shows the persona page."""
    try:
        params = await _params(request)
    except OAuthError as exc:
        return HTMLResponse(render_signed_out_page(exc.description), status_code=400)
    client_id, redirect_uri = params.get("client_id"), params.get("redirect_uri")
    # RFC 6749 §4.1.2.1: never redirect to an unverified URI; tell the user instead.
    if client_id != runtime.config.project_id:
        return HTMLResponse(render_signed_out_page("Unknown client_id."), status_code=400)
    if redirect_uri not in runtime.redirect_uris:
        return HTMLResponse(render_signed_out_page("redirect_uri is not registered."), status_code=400)
    state = params.get("state")
    try:
        login_id = _check_authorization_request(params)
        if login_id is None:
            return HTMLResponse(render_login_page(runtime, params, AUTHORIZE_PATH), headers=_PAGE_HEADERS)
        code = _issue_code(runtime, params, login_id)
    except OAuthError as exc:
        error = {"error": exc.error, "error_description": exc.description, "state": state}
        return RedirectResponse(_with_query(redirect_uri, error), status_code=302)
    return RedirectResponse(_with_query(redirect_uri, {"code": code, "state": state}), status_code=302)


_PAGE_HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'", **NO_STORE}


def _check_authorization_request(params: dict[str, str]) -> str | None:
    if params.get("response_type") != "code":
        raise OAuthError("unsupported_response_type", "only response_type=code is supported")
    if not params.get("code_challenge"):
        raise OAuthError("invalid_request", "PKCE is required: send code_challenge with S256")
    # RFC 7636 §4.3: a missing method means plain, which this provider refuses.
    if params.get("code_challenge_method") != "S256":
        raise OAuthError("invalid_request", "code_challenge_method must be S256")
    if not S256_CHALLENGE.fullmatch(params["code_challenge"]):
        raise OAuthError("invalid_request", "code_challenge is not a base64url SHA-256 digest")
    return params.get("login_hint") or params.get("login_id") or None


def _issue_code(runtime: IdpRuntime, params: dict[str, str], login_id: str) -> str:
    with runtime.store.read() as state:
        user = next((u for u in state["users"].values() if login_id in u["loginIds"]), None)
        if user is None:
            raise OAuthError("invalid_request", "login_hint does not name a known user")
        if user["status"] != "enabled":
            raise OAuthError("access_denied", "the user is disabled")
        tenant = params.get("tenant") or None
        if tenant is not None and tenant not in user["tenants"]:
            raise OAuthError("access_denied", "the user is not a member of the requested tenant")
        user_id = user["userId"]
    return runtime.codes.issue(
        user_id=user_id,
        client_id=params["client_id"],
        redirect_uri=params["redirect_uri"],
        code_challenge=params["code_challenge"],
        scope=params.get("scope", "openid"),
        nonce=params.get("nonce"),
        tenant=tenant,
    )


def _client_credentials(request: Request, form: dict[str, str]) -> tuple[str | None, str | None, bool]:
    """``(client_id, client_secret, used_basic)`` from HTTP Basic (RFC 6749 §2.3.1) or the form body."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return form.get("client_id"), form.get("client_secret"), False
    try:
        user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except ValueError as exc:
        raise OAuthError("invalid_client", "malformed Basic credentials", status=401) from exc
    return unquote(user), unquote(password), True


def _token_response(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers=NO_STORE)


@router.post(TOKEN_PATH, response_model=None)
async def issue_token(request: Request, runtime: RuntimeDep) -> Response:
    """Token endpoint: authorization_code (PKCE), refresh_token (rotating) and client_credentials grants."""
    form = await _form(request)
    client_id, client_secret, used_basic = _client_credentials(request, form)
    grant_type = form.get("grant_type")
    try:
        if grant_type == "authorization_code":
            return _token_response(_redeem_code(runtime, form, client_id))
        if grant_type == "refresh_token":
            return _token_response(_refresh(runtime, form, client_id))
        if grant_type == "client_credentials":
            return _token_response(_client_credentials_grant(request, runtime, client_id, client_secret))
    except OAuthError as exc:
        if exc.error == "invalid_client" and used_basic:
            raise OAuthError(exc.error, exc.description, status=401) from None
        raise
    raise OAuthError("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")


def _mint_user_tokens(
    runtime: IdpRuntime, state: State, user: dict[str, Any], session: dict[str, Any], nonce: str | None
) -> dict[str, Any]:
    now = int(time.time())
    tenant = session["tenant"] if session["tenant"] in user["tenants"] else None
    if tenant is None and runtime.seed.terraform.auto_tenant_claim and len(user["tenants"]) == 1:
        tenant = next(iter(user["tenants"]))
    access_token = runtime.tokens.user_access_token(state, user, tenant=tenant, now=now)
    response = {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": runtime.tokens.session.session_ttl_s,
        "refresh_token": runtime.tokens.refresh_token(session, now=now),
        "scope": session["scope"],
    }
    if "openid" in session["scope"].split():
        response["id_token"] = runtime.tokens.id_token(
            user,
            client_id=session["clientId"],
            nonce=nonce,
            sid=session["sid"],
            access_token=access_token,
            auth_time=session["createdTime"],
            now=now,
        )
    return response


def _enabled_user(state: State, user_id: str) -> dict[str, Any]:
    user: dict[str, Any] | None = state["users"].get(user_id)
    if user is None or user["status"] != "enabled":
        raise OAuthError("invalid_grant", "the user no longer exists or is disabled")
    return user


def _redeem_code(runtime: IdpRuntime, form: dict[str, str], client_id: str | None) -> dict[str, Any]:
    grant = runtime.codes.get(form.get("code", ""))
    if grant is None:
        raise OAuthError("invalid_grant", "the code is unknown or expired")
    if grant.sid is not None:
        # RFC 6749 §4.1.2: a replayed code revokes the tokens it produced.
        with runtime.store.write() as state:
            revoke_session(state, grant.sid)
        raise OAuthError("invalid_grant", "the code was already used")
    if client_id != grant.client_id:
        raise OAuthError("invalid_grant", "the code was issued to another client")
    if form.get("redirect_uri") != grant.redirect_uri:
        raise OAuthError("invalid_grant", "redirect_uri differs from the authorization request")
    verifier = form.get("code_verifier", "")
    if not CODE_VERIFIER.fullmatch(verifier) or not hmac.compare_digest(_s256(verifier), grant.code_challenge):
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge")
    with runtime.store.write() as state:
        user = _enabled_user(state, grant.user_id)
        prune_sessions(state, runtime.tokens.session)
        session = create_session(
            state, subject=user["userId"], client_id=grant.client_id, tenant=grant.tenant, scope=grant.scope
        )
        grant.sid = session["sid"]
        return _mint_user_tokens(runtime, state, user, session, grant.nonce)


def _refresh(runtime: IdpRuntime, form: dict[str, str], client_id: str | None) -> dict[str, Any]:
    try:
        claims = runtime.tokens.verify(form.get("refresh_token", ""), drn=REFRESH_TOKEN_DRN)
    except InvalidTokenError as exc:
        raise OAuthError("invalid_grant", "the refresh token is invalid or expired") from exc
    rejection: OAuthError | None = None
    with runtime.store.write() as state:
        known = state["sessions"].get(claims.get("sid", ""))
        if known is not None and client_id != known["clientId"]:
            raise OAuthError("invalid_grant", "the refresh token was issued to another client")
        try:
            session = rotate_session(state, claims, runtime.tokens.session)
        except OAuthError as exc:
            # A replay or an idle session revokes it: that change is saved, then the grant fails.
            rejection = exc
        else:
            user = _enabled_user(state, session["subject"])
            return _mint_user_tokens(runtime, state, user, session, nonce=None)
    raise rejection or OAuthError("invalid_grant", "the refresh token was rejected")


def _client_credentials_grant(
    request: Request, runtime: IdpRuntime, client_id: str | None, client_secret: str | None
) -> dict[str, Any]:
    if not client_id or not client_secret:
        raise OAuthError("invalid_client", "client authentication is required")
    client_ip = request.client.host if request.client else None
    now = int(time.time())
    with runtime.store.read() as state:
        try:
            key = authenticate_access_key(state, client_secret, client_ip)
        except AccessKeyRejectedError as exc:
            raise OAuthError("invalid_client", "client authentication failed") from exc
        if not hmac.compare_digest(key["id"], client_id):
            raise OAuthError("invalid_client", "client authentication failed")
        token, expires_at = runtime.tokens.access_key_token(
            state, key, audience=runtime.config.project_id, selected_tenant=None, login_claims=None, now=now
        )
    return {"access_token": token, "token_type": "Bearer", "expires_in": max(0, expires_at - now)}


@router.api_route(USERINFO_PATH, methods=["GET", "POST"], response_model=None)
async def read_userinfo(request: Request, runtime: RuntimeDep) -> Response:
    """UserInfo endpoint (OIDC Core §5.3) for a user's access token."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        if scheme.lower() != "bearer" or not token:
            raise InvalidTokenError("missing bearer token")
        claims = runtime.tokens.verify(token, drn=SESSION_TOKEN_DRN)
        if claims.get("aud") != runtime.config.project_id:
            raise InvalidTokenError("not an access token of this project")
        with runtime.store.read() as state:
            user = state["users"].get(claims["sub"])
            if user is None or user["status"] != "enabled":
                raise InvalidTokenError("the user no longer exists or is disabled")
            body = {
                "sub": user["userId"],
                "email": user["email"],
                "email_verified": user["verifiedEmail"],
                "name": user["name"],
            }
    except InvalidTokenError:
        # RFC 6750 §3.1; the reason is not disclosed.
        error = OAuthError("invalid_token", "the access token is invalid or expired", status=401)
        challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        return JSONResponse(error.to_body(), status_code=401, headers=challenge)
    return JSONResponse(body, headers=NO_STORE)


@router.api_route(END_SESSION_PATH, methods=["GET", "POST"], response_model=None)
async def end_session(request: Request, runtime: RuntimeDep) -> Response:
    """RP-initiated logout: ends the session named by ``id_token_hint`` (even if expired), then redirects."""
    params = await _params(request)
    redirect_uri = params.get("post_logout_redirect_uri")
    if redirect_uri is not None and redirect_uri not in runtime.redirect_uris:
        raise OAuthError("invalid_request", "post_logout_redirect_uri is not registered")
    if params.get("id_token_hint"):
        try:
            claims = runtime.keys.verify(params["id_token_hint"])
        except InvalidSignedTokenError as exc:
            raise OAuthError("invalid_request", "id_token_hint is not a token of this provider") from exc
        if claims.get("iss") == runtime.config.issuer and claims.get("sid"):
            with runtime.store.write() as state:
                revoke_session(state, claims["sid"])
    if redirect_uri is None:
        return HTMLResponse(render_signed_out_page("You are signed out."), headers=_PAGE_HEADERS)
    return RedirectResponse(_with_query(redirect_uri, {"state": params.get("state")}), status_code=302)


@router.post(REVOCATION_PATH)
async def revoke_token(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    """Token revocation (RFC 7009): a refresh token ends its session; other tokens are accepted and ignored
    (access tokens are self-contained and live until ``exp``, as Descope's do)."""
    form = await _form(request)
    if not form.get("token"):
        raise OAuthError("invalid_request", "token is required")
    try:
        claims = runtime.tokens.verify(form["token"], drn=REFRESH_TOKEN_DRN)
    except InvalidTokenError:
        return {}
    with runtime.store.write() as state:
        revoke_session(state, claims["sid"])
    return {}
