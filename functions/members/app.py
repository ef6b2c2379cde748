"""Members of the active tenant: list, invite, suspend and reinstate here only, remove from here only."""

from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from fastapi import APIRouter, FastAPI, Query, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from identity_stack import Permission, Role, get_settings, make_handler
from identity_stack.config import Requirement
from identity_stack.domain.models import Member, MemberPage
from identity_stack.web.guards import require_permission
from identity_stack.web.services import CurrentPrincipal, MembersDep

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 100
MAX_CURSOR_CHARS = 512
MAX_EMAIL_CHARS = 254  # RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, two of them the angle brackets


def to_email_address(value: str) -> str:
    """A deliverable-looking address, normalised; the ``.test`` TLD (RFC 6761 §6.2) passes only locally."""
    try:
        checked = validate_email(
            value, check_deliverability=False, test_environment=get_settings().environment == "local"
        )
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {exc}") from exc
    return checked.normalized


class Invitation(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Annotated[str, Field(min_length=3, max_length=MAX_EMAIL_CHARS), AfterValidator(to_email_address)]
    role_names: list[Role] = Field(default_factory=lambda: [Role.MEMBER], min_length=1, max_length=len(Role))


router = APIRouter(prefix="/api/members", tags=["members"])
can_invite = [require_permission(Permission.MEMBERS_INVITE)]
can_remove = [require_permission(Permission.MEMBERS_REMOVE)]


@router.get("", dependencies=can_invite)
async def list_members(
    members: MembersDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    cursor: Annotated[str | None, Query(min_length=1, max_length=MAX_CURSOR_CHARS)] = None,
) -> MemberPage:
    """Members with their roles and status in the active tenant; pass `next_cursor` back as `cursor`."""
    return await members.list_page(limit=limit, cursor=cursor)


@router.post("/invite", status_code=status.HTTP_201_CREATED, dependencies=can_invite)
async def invite_member(body: Invitation, members: MembersDep, principal: CurrentPrincipal) -> Member:
    """Invite by email with roles up to the caller's own; an existing user is added; 409 if already a member."""
    return await members.invite(body.email, roles=body.role_names, actor=principal)


@router.post("/{user_id}/deactivate", dependencies=can_remove)
async def suspend_member(user_id: str, members: MembersDep, principal: CurrentPrincipal) -> Member:
    """Suspend the member in the active tenant only; their other tenants are untouched."""
    return await members.suspend(user_id, actor=principal)


@router.post("/{user_id}/activate", dependencies=can_remove)
async def reinstate_member(user_id: str, members: MembersDep, principal: CurrentPrincipal) -> Member:
    """Give a suspended member their roles in the active tenant back."""
    return await members.reinstate(user_id, actor=principal)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=can_remove)
async def remove_member(user_id: str, members: MembersDep, principal: CurrentPrincipal) -> None:
    """Remove the member from the active tenant only; 409 for the last owner."""
    await members.remove(user_id, actor=principal)


app = FastAPI(title="members", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(router)
handler = make_handler(app, requires=(Requirement.DESCOPE, Requirement.TABLE), snapshot_preload=("descope", "boto3"))
