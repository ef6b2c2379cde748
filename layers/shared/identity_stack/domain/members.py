"""Members of one tenant: list, invite, suspend and reinstate here only, remove from here only.

Rules:

* every user addressed must be a member of the active tenant, else "not found" (404) with one answer for "no such
  user" and "member elsewhere" (:func:`~identity_stack.domain.tenants.load_tenant_member`);
* a caller grants only known roles up to their own rank, and acts only on members who do not outrank them, so only
  an owner suspends, reinstates or removes an owner (:mod:`identity_stack.auth.rbac`);
* the tenant's last enabled owner is never suspended or removed (409,
  :func:`~identity_stack.domain.roles.require_another_owner`);
* an invite never takes the tenant past its ``max_members`` custom attribute, counting members of every status
  (409 ``member-limit-reached``); a tenant without the attribute has no limit;
* suspension is scoped to the tenant: Descope's user status is project-wide, so instead the member's roles here are
  taken away and remembered (:class:`~identity_stack.adapters.dynamodb.suspensions.SuspendedMembers`);
  reinstatement gives them back.
  Other tenants never notice, so sessions are revoked only when the member belongs to no other tenant: Descope's
  revocation is project-wide too (``logout_user``), and otherwise one tenant's admin could sign a user out of
  every other tenant, again and again by suspending and reinstating.

Known window: a member suspended while they also belong to another tenant keeps the access token they hold until
it expires (the session token lifetime, 10 minutes in infra/): routes that trust the token's permissions alone
(documents, settings) still answer it for that long. The next token their session issues carries no role here, so
this tenant is then no active tenant for it, and routes that consult the provider (role grants, member and key
changes, :func:`~identity_stack.domain.roles.read_granter_roles`) refuse at once. docs/ARCHITECTURE.md, "Known
limits".

Each change is all or nothing: a step that fails undoes the steps before it, and the caller gets the 502/503.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from functools import partial

from identity_stack.auth.principal import Principal
from identity_stack.auth.rbac import Role, authorize_role_change, require_grantable
from identity_stack.domain.models import Member, MemberPage, User
from identity_stack.domain.pagination import decode_cursor, encode_cursor
from identity_stack.domain.ports import IdentityProvider, Suspension, SuspensionStore
from identity_stack.domain.roles import read_granter_roles, require_another_owner
from identity_stack.domain.tenants import MEMBER_NOT_FOUND_DETAIL, load_tenant, load_tenant_member
from identity_stack.domain.validators import is_opaque_id
from identity_stack.errors import (
    ConflictError,
    MemberLimitError,
    NotFoundError,
    ProblemError,
    UpstreamError,
)

__all__ = ["TenantMembers"]

INVALID_MEMBER_CURSOR_DETAIL = (
    "cursor is not valid for this limit; use next_cursor from the previous page with the same limit."
)
# The tenant custom attribute that caps its members (set at creation, changed through functions/attributes).
MAX_MEMBERS_ATTRIBUTE = "max_members"

logger = logging.getLogger(__name__)


class TenantMembers:
    """The members of one tenant.

    Parameters
    ----------
    tenant_id : str
        The caller's active tenant.
    idp : IdentityProvider
    suspensions : SuspensionStore
        This tenant's suspended members.
    """

    def __init__(self, tenant_id: str, idp: IdentityProvider, suspensions: SuspensionStore) -> None:
        self.tenant_id = tenant_id
        self._idp = idp
        self._suspensions = suspensions

    async def list_page(self, *, limit: int, cursor: str | None = None) -> MemberPage:
        """One page of members with their roles and status in this tenant.

        Parameters
        ----------
        limit : int
            Page size, 1 to 100 (checked by the caller).
        cursor : str, optional
            ``next_cursor`` of the previous page, issued for the same ``limit``.

        Raises
        ------
        InvalidRequestError
            ``cursor`` is not one this API issued for this ``limit`` (422).
        UpstreamError, UpstreamUnavailableError
            The provider or DynamoDB failed (502/503).
        """
        page = _decode_cursor(cursor, limit) if cursor is not None else 0
        (users, total), suspended = await asyncio.gather(
            self._idp.search_tenant_members(self.tenant_id, page=page, limit=limit),
            self._suspensions.suspended_user_ids(),
        )
        has_more = (page + 1) * limit < total
        return MemberPage(
            items=[self._view(user, suspended=user.user_id in suspended) for user in users],
            next_cursor=_encode_cursor(page + 1, limit) if has_more else None,
        )

    async def invite(self, email: str, *, roles: Iterable[str], actor: Principal) -> Member:
        """Invite ``email`` with ``roles``: a new user is created invited, an existing user is added to the tenant.

        Parameters
        ----------
        email : str
            A valid address; used lower-cased as the login id so that case variants never make two accounts.
        roles : Iterable[str]
            Known role names (checked by the caller's schema).
        actor : Principal
            The caller; what they may grant is judged by :func:`~identity_stack.domain.roles.read_granter_roles`.

        Raises
        ------
        RoleChangeDeniedError
            A role ranks above the caller's own (403); nothing was changed.
        ConflictError
            The user is already a member of this tenant (409).
        MemberLimitError
            The tenant already has ``max_members`` members (409); nothing was changed.
        UpstreamError, UpstreamUnavailableError
            The provider failed (502/503); nothing was changed.
        """
        roles = list(dict.fromkeys(roles))
        require_grantable(await read_granter_roles(self._idp, actor, self.tenant_id), roles)
        login_id = email.lower()
        existing = await self._idp.find_user_by_login_id(login_id)
        if existing is not None:
            self._require_not_member(existing)
        await self._require_room_for_one_more()
        if existing is None:
            try:
                return self._view(await self._idp.invite_user(login_id, tenant_id=self.tenant_id, roles=roles))
            except ConflictError:
                # Created between the lookup and the invite: treat it as the existing user it now is.
                existing = await self._idp.find_user_by_login_id(login_id)
                if existing is None:
                    raise
                self._require_not_member(existing)
        # A suspension left from an earlier membership must not hand its old roles back on a later reinstate.
        await self._suspensions.forget(existing.user_id)
        return self._view(await self._idp.add_tenant_roles(existing, self.tenant_id, roles))

    async def suspend(self, user_id: str, *, actor: Principal) -> Member:
        """Suspend a member in this tenant only: take their roles here and remember them.

        The member's sessions are revoked only when they belong to no other tenant (see the module docstring).

        Raises
        ------
        NotFoundError
            Not a member of this tenant (404).
        RoleChangeDeniedError
            The member outranks the caller, as the caller's roles are now (403).
        ConflictError
            Already suspended here (409).
        LastOwnerError
            The member is the tenant's last enabled owner (409).
        UpstreamError, UpstreamUnavailableError
            The provider or DynamoDB failed (502/503); nothing was changed.
        """
        user, suspension = await self._load_member(user_id)
        roles = tuple(user.tenant_roles[self.tenant_id])
        await self._authorize(actor, user, suspension)
        if suspension is not None:
            raise ConflictError("The member is already suspended in this tenant.")
        if Role.OWNER in roles:
            await require_another_owner(self._idp, self.tenant_id, user)
        await self._suspensions.suspend(user.user_id, roles=roles, suspended_by=actor.sub)
        try:
            if roles:
                user = await self._idp.remove_tenant_roles(user, self.tenant_id, roles)
            if not self._belongs_elsewhere(user):
                await self._idp.logout_user(user.user_id)
        except ProblemError as exc:
            await self._undo(
                exc,
                "suspension",
                partial(self._restore_roles, user, roles),
                partial(self._suspensions.forget, user.user_id),
            )
            raise
        return self._view(user, suspended=True)

    async def reinstate(self, user_id: str, *, actor: Principal) -> Member:
        """Give a suspended member their roles in this tenant back.

        Raises
        ------
        NotFoundError
            Not a member of this tenant (404).
        RoleChangeDeniedError
            The member's roles outrank the caller (403).
        ConflictError
            The member is not suspended here (409).
        UpstreamError, UpstreamUnavailableError
            The provider or DynamoDB failed (502/503); nothing was changed.
        """
        user, suspension = await self._load_member(user_id)
        await self._authorize(actor, user, suspension)
        if suspension is None:
            raise ConflictError("The member is not suspended in this tenant.")
        if suspension.roles:
            user = await self._idp.add_tenant_roles(user, self.tenant_id, suspension.roles)
        try:
            await self._suspensions.forget(user.user_id)
        except ProblemError as exc:
            await self._undo(exc, "reinstatement", partial(self._take_roles, user, suspension.roles))
            raise
        return self._view(user)

    async def remove(self, user_id: str, *, actor: Principal) -> None:
        """Remove a member from this tenant only; their other memberships stay.

        Raises
        ------
        NotFoundError
            Not a member of this tenant (404).
        RoleChangeDeniedError
            The member outranks the caller, as the caller's roles are now (403).
        LastOwnerError
            The member is the tenant's last enabled owner (409).
        UpstreamError, UpstreamUnavailableError
            The provider or DynamoDB failed (502/503); nothing was changed.
        """
        user, suspension = await self._load_member(user_id)
        await self._authorize(actor, user, suspension)
        if Role.OWNER in user.tenant_roles[self.tenant_id]:
            await require_another_owner(self._idp, self.tenant_id, user)
        if suspension is not None:
            await self._suspensions.forget(user.user_id)
        try:
            await self._idp.remove_user_from_tenant(user, self.tenant_id)
        except ProblemError as exc:
            if suspension is not None:
                await self._undo(exc, "removal", partial(self._suspensions.restore, suspension))
            raise

    async def _load_member(self, user_id: str) -> tuple[User, Suspension | None]:
        if not is_opaque_id(user_id):
            raise NotFoundError(MEMBER_NOT_FOUND_DETAIL)
        return await asyncio.gather(
            load_tenant_member(self._idp, user_id, self.tenant_id), self._suspensions.get(user_id)
        )

    async def _authorize(self, actor: Principal, user: User, suspension: Suspension | None) -> None:
        # A suspended member is judged by the roles they would get back, so a suspended owner stays an owner here;
        # the caller by the roles both their token and the provider hold now (a removed owner's live token is void).
        held = {*user.tenant_roles[self.tenant_id], *(suspension.roles if suspension else ())}
        authorize_role_change(await read_granter_roles(self._idp, actor, self.tenant_id), held, held)

    def _require_not_member(self, user: User) -> None:
        if self.tenant_id in user.tenant_roles:
            raise ConflictError("The user is already a member of this tenant.")

    async def _require_room_for_one_more(self) -> None:
        """Refuse an invite that would take the tenant past its ``max_members`` (suspended and invited count too)."""
        tenant, (_, members) = await asyncio.gather(
            load_tenant(self._idp, self.tenant_id),
            self._idp.search_tenant_members(self.tenant_id, page=0, limit=1),
        )
        limit = tenant.custom_attributes.get(MAX_MEMBERS_ATTRIBUTE)
        if isinstance(limit, int) and not isinstance(limit, bool) and members + 1 > limit:
            raise MemberLimitError(
                "The tenant has reached its member limit; remove a member or raise max_members first.",
                max_members=limit,
            )

    def _belongs_elsewhere(self, user: User) -> bool:
        return any(tenant_id != self.tenant_id for tenant_id in user.tenant_roles)

    async def _restore_roles(self, user: User, roles: tuple[str, ...]) -> None:
        if roles:
            await self._idp.add_tenant_roles(user, self.tenant_id, roles)

    async def _take_roles(self, user: User, roles: tuple[str, ...]) -> None:
        if roles:
            await self._idp.remove_tenant_roles(user, self.tenant_id, roles)

    async def _undo(self, cause: ProblemError, operation: str, *steps: Callable[[], Awaitable[object]]) -> None:
        """Run the compensating ``steps`` in order; if one fails, the caller learns the state is unknown."""
        try:
            for step in steps:
                await step()
        except ProblemError as exc:
            logger.error("undoing %s in tenant %s failed after %s", operation, self.tenant_id, type(cause).__name__)
            raise UpstreamError(
                f"The {operation} failed part-way and undoing it failed too; check the member and retry.",
                member_state="unknown",
            ) from exc

    def _view(self, user: User, *, suspended: bool = False) -> Member:
        if suspended:
            status = "suspended"
        elif user.status == "invited":
            status = "invited"
        elif user.status in {"disabled", "expired"}:
            status = "disabled"
        else:
            status = "active"
        return Member(
            user_id=user.user_id,
            email=user.email,
            name=user.name,
            roles=list(user.tenant_roles.get(self.tenant_id, [])),
            status=status,
        )


def _encode_cursor(page: int, limit: int) -> str:
    return encode_cursor({"page": page, "limit": limit})


def _decode_cursor(cursor: str, limit: int) -> int:
    """The page a cursor points at; only cursors this API issued for the same ``limit`` pass."""

    def page_for_limit(position: Mapping[str, object]) -> int:
        page = position["page"]
        if not isinstance(page, int) or page <= 0 or position["limit"] != limit:
            raise ValueError("not a cursor of this limit")
        return page

    return decode_cursor(cursor, page_for_limit, detail=INVALID_MEMBER_CURSOR_DETAIL)
