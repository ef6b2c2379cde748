"""Role-based access control by permission: the permission and role names of infra/rbac.tf and the grant rules."""

from collections.abc import Iterable
from enum import StrEnum
from typing import Literal

from identity_stack.errors import RoleChangeDeniedError


class Permission(StrEnum):
    """Every permission defined in infra/rbac.tf (a test keeps the two equal)."""

    PROJECTS_CREATE = "projects.create"
    PROJECTS_READ = "projects.read"
    PROJECTS_UPDATE = "projects.update"
    PROJECTS_DELETE = "projects.delete"
    MEMBERS_INVITE = "members.invite"
    MEMBERS_REMOVE = "members.remove"
    MEMBERS_UPDATE_ROLE = "members.update_role"
    DOCUMENTS_READ = "documents.read"
    DOCUMENTS_WRITE = "documents.write"
    DOCUMENTS_DELETE = "documents.delete"
    SETTINGS_MANAGE = "settings.manage"
    BILLING_MANAGE = "billing.manage"
    KEYS_MANAGE = "keys.manage"


class Role(StrEnum):
    """Tenant roles defined in infra/rbac.tf."""

    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"


# The one place that orders roles, for "who may grant what"; access checks never compare roles, only permissions.
ROLE_RANK: dict[Role, int] = {Role.OWNER: 4, Role.ADMIN: 3, Role.MEMBER: 2, Role.VIEWER: 1}

Match = Literal["any", "all"]


def has_permissions(held: Iterable[str], required: Iterable[Permission], *, match: Match = "any") -> bool:
    """Whether ``held`` satisfies ``required`` (any-of or all-of).

    Raises
    ------
    ValueError
        ``required`` is empty: a guard that requires nothing is a bug, not an open door.
    """
    wanted = set(required)
    if not wanted:
        raise ValueError("at least one permission is required")
    granted = wanted & set(held)
    return bool(granted) if match == "any" else granted == wanted


def can_grant(granter_roles: Iterable[str], role: str) -> bool:
    """Whether someone holding ``granter_roles`` may grant (or revoke) ``role``.

    A role may be granted only by someone whose highest role ranks at least as high, so only an owner makes an
    owner (upstream rule: "Only owners can assign the owner role"). Unknown role names rank nowhere.

    Parameters
    ----------
    granter_roles : iterable of str
        The granter's roles in the tenant concerned.
    role : str
        The role to grant.

    Returns
    -------
    bool
    """
    wanted = _rank(role)
    ranks = [rank for rank in map(_rank, granter_roles) if rank is not None]
    return wanted is not None and bool(ranks) and max(ranks) >= wanted


def highest_rank(roles: Iterable[str]) -> int:
    """Rank of the highest known role in ``roles`` (see :data:`ROLE_RANK`); 0 when none is known."""
    return max((rank for rank in map(_rank, roles) if rank is not None), default=0)


def require_grantable(granter_roles: Iterable[str], roles: Iterable[str]) -> None:
    """Check that someone holding ``granter_roles`` may grant (or revoke) every one of ``roles`` (:func:`can_grant`).

    The one grant check of role changes, invitations and access keys (a key's roles are granted to it).

    Raises
    ------
    RoleChangeDeniedError
        A role ranks above the granter's own (403).
    """
    granter_roles = tuple(granter_roles)
    if not all(can_grant(granter_roles, role) for role in roles):
        raise RoleChangeDeniedError("You cannot grant or remove a role ranked above your own.")


def authorize_role_change(granter_roles: Iterable[str], target_roles: Iterable[str], roles: Iterable[str]) -> None:
    """Check that someone holding ``granter_roles`` may grant or remove ``roles`` on a user holding ``target_roles``.

    Two rules, so that no one can raise their own or anyone's power above their own rank (privilege escalation):

    * every role changed must be one the granter may grant (:func:`require_grantable`): nobody grants or removes a
      role ranked above their own, so only an owner grants or removes ``owner``;
    * the target must not outrank the granter: an admin can neither demote an owner nor change an owner's roles.

    Parameters
    ----------
    granter_roles : iterable of str
        The caller's roles in the tenant (as held now, not only as the token says).
    target_roles : iterable of str
        The target user's current roles in the same tenant.
    roles : iterable of str
        Roles to grant or to remove.

    Raises
    ------
    RoleChangeDeniedError
        Either rule is broken (403); the detail names the rule, not the role that would have been needed.
    """
    granter_roles = tuple(granter_roles)
    require_grantable(granter_roles, roles)
    if highest_rank(target_roles) > highest_rank(granter_roles):
        raise RoleChangeDeniedError("You cannot change the roles of a user who outranks you.")


def _rank(role: str) -> int | None:
    return ROLE_RANK[Role(role)] if role in Role else None
