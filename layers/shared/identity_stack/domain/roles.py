"""Tenant roles of members: what the caller holds now, changing a member's roles without escalation, and the rule that
a tenant keeps an owner."""

import asyncio
from collections.abc import Sequence
from typing import Literal

from identity_stack.auth.principal import Principal, TenantGrant
from identity_stack.auth.rbac import Role, authorize_role_change
from identity_stack.domain.models import User
from identity_stack.domain.ports import IdentityProvider, SuspensionStore
from identity_stack.domain.tenants import load_tenant_member
from identity_stack.errors import LastOwnerError, MemberSuspendedError, NotFoundError

RoleChange = Literal["assign", "remove"]
# An owner who cannot sign in (invited, disabled, expired) cannot run the tenant: only these count as its owners.
USABLE_OWNER_STATUSES = ("enabled",)
LAST_OWNER_DETAIL = "The tenant must keep at least one enabled owner; make another owner first."


async def read_current_roles(idp: IdentityProvider, principal: Principal, tenant_id: str) -> tuple[str, ...]:
    """The roles the provider holds now for the calling user in ``tenant_id`` (the token may be older).

    Parameters
    ----------
    idp : IdentityProvider
    principal : Principal
        A user; an access key has no user record, so this is not asked for one.
    tenant_id : str

    Returns
    -------
    tuple of str
        Empty when the user no longer exists or is no longer a member.

    Raises
    ------
    UpstreamError, UpstreamUnavailableError
        The provider failed (502/503).
    """
    try:
        user = await idp.load_user(principal.user_id)
    except NotFoundError:
        return ()
    return tuple(user.tenant_roles.get(tenant_id, ()))


async def read_granter_roles(idp: IdentityProvider, principal: Principal, tenant_id: str) -> tuple[str, ...]:
    """The caller's roles in ``tenant_id`` for deciding what they may grant: those both the token and the provider hold.

    A user demoted since the token was issued grants only what they hold now; one promoted since must refresh the
    token first. An access key's roles are those of its token (it has no user record to read).

    Raises
    ------
    UpstreamError, UpstreamUnavailableError
        The provider failed (502/503).
    """
    token_roles = principal.tenants.get(tenant_id, TenantGrant()).roles
    if principal.kind != "user":
        return token_roles
    current = await read_current_roles(idp, principal, tenant_id)
    return tuple(role for role in token_roles if role in current)


async def change_tenant_roles(
    idp: IdentityProvider,
    suspensions: SuspensionStore,
    principal: Principal,
    tenant_id: str,
    user_id: str,
    roles: Sequence[Role],
    *,
    change: RoleChange,
) -> User:
    """Grant or remove tenant roles of a member, enforcing every escalation rule before anything changes.

    Checks, in order: the target is a member of the tenant; they are not suspended there (a grant would undo the
    suspension, a removal would leave the roles that come back on reinstatement unchanged); the caller may grant or
    remove each role and does not rank below the target (:func:`~identity_stack.auth.rbac.authorize_role_change`, with
    the caller's roles as :func:`read_granter_roles` sees them); removing ``owner`` leaves another enabled owner.
    Only then is the one provider mutation made, by the target's login id.

    Parameters
    ----------
    idp : IdentityProvider
    suspensions : SuspensionStore
        The suspended members of ``tenant_id``.
    principal : Principal
        The caller; holds ``members.update_role`` in ``tenant_id`` (checked by the route).
    tenant_id : str
        The caller's active tenant.
    user_id : str
        Descope user id of the target.
    roles : Sequence[Role]
        Known role names, at least one.
    change : {"assign", "remove"}

    Returns
    -------
    User
        The target as the provider holds it afterwards.

    Raises
    ------
    NotFoundError
        The target is not a member of the tenant, whether or not the user exists elsewhere (404).
    MemberSuspendedError
        The target is suspended in the tenant (409); reinstate them first (``/api/members/{id}/activate``).
    RoleChangeDeniedError
        The change exceeds the caller's rank (403).
    LastOwnerError
        It would remove the tenant's last enabled owner (409). Two owners demoting each other at the same moment
        can still both pass: the provider offers no transaction to close that window.
    UpstreamError, UpstreamUnavailableError
        The provider or DynamoDB failed (502/503); nothing was changed unless the mutation itself timed out.
    """
    target, suspension = await asyncio.gather(load_tenant_member(idp, user_id, tenant_id), suspensions.get(user_id))
    if suspension is not None:
        raise MemberSuspendedError("The member is suspended in this tenant; reinstate them before changing roles.")
    target_roles = target.tenant_roles[tenant_id]
    granter_roles = await read_granter_roles(idp, principal, tenant_id)
    authorize_role_change(granter_roles, target_roles, roles)
    if change == "remove":
        if Role.OWNER in roles and Role.OWNER in target_roles:
            await require_another_owner(idp, tenant_id, target)
        return await idp.remove_tenant_roles(target, tenant_id, roles)
    return await idp.add_tenant_roles(target, tenant_id, roles)


async def require_another_owner(idp: IdentityProvider, tenant_id: str, user: User) -> None:
    """Check that ``tenant_id`` has an enabled owner other than ``user``, before ``user`` loses ``owner`` there.

    The provider's answer is checked again (role held here, usable status): a wrong answer must never count
    someone as an owner.

    Raises
    ------
    LastOwnerError
        ``user`` is the tenant's last enabled owner (409).
    UpstreamError, UpstreamUnavailableError
        The provider failed (502/503).
    """
    owners = await idp.search_tenant_users(tenant_id, role=Role.OWNER, statuses=USABLE_OWNER_STATUSES)
    if not any(
        owner.user_id != user.user_id
        and Role.OWNER in owner.tenant_roles.get(tenant_id, ())
        and owner.status in USABLE_OWNER_STATUSES
        for owner in owners
    ):
        raise LastOwnerError(LAST_OWNER_DETAIL)
