"""The caller's identity: principal, claims, ID-token check and logout."""

from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

from identity_stack import AuthenticationError, InvalidRequestError, Principal, make_handler
from identity_stack.auth.bearer import bearer_token
from identity_stack.config import Requirement
from identity_stack.web.services import CurrentPrincipal, IdpDep, ValidatedClaims


class LogoutResult(BaseModel):
    status: Literal["logged_out", "nothing_to_revoke"]
    sessions_revoked: bool
    detail: str


router = APIRouter(prefix="/api", tags=["auth"])


@router.get("/me")
async def read_me(principal: CurrentPrincipal) -> Principal:
    """The authenticated principal: identity, tenants, active tenant, grants and claims."""
    return principal


@router.get("/claims")
async def read_claims(claims: ValidatedClaims) -> dict[str, Any]:
    """The validated claims of the bearer access token, as the authorizer verified them."""
    return claims


@router.post("/validate-id-token")
async def check_id_token(request: Request) -> dict[str, Any]:
    """Validate the ID token sent as the bearer credential; its claims when valid.

    The one route that validates a token itself: the authorizer lets an ID token reach only this route, and its
    claims are what the SPA asks to have checked. py-identity-model is imported on the first call, so no other
    route of this function pays for it.
    """
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise AuthenticationError(token_presented=False)
    token = bearer_token(authorization)
    if token is None:
        raise InvalidRequestError("The Authorization header must be 'Bearer <ID token>'.")
    from identity_stack.auth.tokens import validate_id_token

    return await validate_id_token(token)


@router.post("/auth/logout")
async def logout(principal: CurrentPrincipal, idp: IdpDep) -> LogoutResult:
    """Revoke every session of the calling user; access-key tokens have none."""
    if principal.kind == "access_key":
        return LogoutResult(
            status="nothing_to_revoke", sessions_revoked=False, detail="Access-key tokens have no sessions."
        )
    await idp.logout_user(principal.user_id)
    return LogoutResult(
        status="logged_out", sessions_revoked=True, detail="Sessions revoked; issued access tokens expire on time."
    )


app = FastAPI(title="auth", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(router)
handler = make_handler(
    app,
    requires=(Requirement.OIDC, Requirement.ID_TOKENS, Requirement.DESCOPE),
    snapshot_preload=("descope",),  # imported on the first call: under SnapStart, before the snapshot
)
