"""Users: creation, lookup, search, status, tenant membership, roles and custom attributes."""

import time
from collections.abc import Callable
from typing import Any

from local.idp.errors import MissingArgumentError, UserExistsError, UserNotFoundError, ValidationFailedError
from local.idp.ids import new_id
from local.idp.rbac import permissions_for, require_roles_exist
from local.idp.store import State
from local.idp.tenants import get_tenant

USER_STATUSES = ("enabled", "disabled", "invited", "expired")
# Descope's page size when a search sends limit 0 (docs: search-users).
DEFAULT_SEARCH_LIMIT = 100


def find_user(state: State, *, login_id: str | None = None, user_id: str | None = None) -> dict[str, Any]:
    """The user with this login id (any of ``loginIds``) or user id.

    Raises
    ------
    MissingArgumentError
        Neither id given.
    UserNotFoundError
        No such user.
    """
    user: dict[str, Any] | None
    if user_id:
        user = state["users"].get(user_id)
    elif login_id:
        user = next((u for u in state["users"].values() if login_id in u["loginIds"]), None)
    else:
        raise MissingArgumentError("loginId or userId is required")
    if user is None:
        raise UserNotFoundError("user not found")
    return user


def is_login_id_taken(state: State, login_id: str) -> bool:
    """Whether any user already signs in with ``login_id``."""
    return any(login_id in user["loginIds"] for user in state["users"].values())


def user_view(state: State, user: dict[str, Any]) -> dict[str, Any]:
    """A user as the management API returns it (``userTenants`` with names and derived permissions)."""
    return {
        "userId": user["userId"],
        "loginIds": list(user["loginIds"]),
        "name": user["name"],
        "givenName": user["givenName"],
        "middleName": user["middleName"],
        "familyName": user["familyName"],
        "email": user["email"],
        "verifiedEmail": user["verifiedEmail"],
        "phone": user["phone"],
        "verifiedPhone": user["verifiedPhone"],
        "picture": user["picture"],
        "roleNames": list(user["roleNames"]),
        "permissions": permissions_for(state, user["roleNames"]),
        "userTenants": [
            {
                "tenantId": tenant_id,
                "tenantName": state["tenants"].get(tenant_id, {}).get("name", ""),
                "roleNames": list(roles),
                "permissions": permissions_for(state, roles),
            }
            for tenant_id, roles in user["tenants"].items()
        ],
        "status": user["status"],
        "test": user["test"],
        "customAttributes": dict(user["customAttributes"]),
        "createdTime": user["createdTime"],
        "ssoAppIds": [],
        "externalIds": list(user["loginIds"]),
        "editable": True,
        "TOTP": False,
        "SAML": False,
        "SCIM": False,
        "OIDC": False,
        "webauthn": False,
        "password": False,
        "push": False,
        "OAuth": {},
    }


def _tenant_roles(state: State, user_tenants: list[dict[str, Any]]) -> dict[str, list[str]]:
    memberships: dict[str, list[str]] = {}
    for entry in user_tenants:
        tenant = get_tenant(state, entry.get("tenantId"))
        roles = list(entry.get("roleNames") or [])
        require_roles_exist(state, roles)
        memberships[tenant["id"]] = roles
    return memberships


def create_user(state: State, fields: dict[str, Any]) -> dict[str, Any]:
    """Add a user from the common create/invite body (camelCase keys, nulls already dropped).

    New users are ``invited`` unless the body sets a status (Descope e2e behaviour); an email-like login id
    fills ``email`` and marks it verified; ``displayName`` becomes ``name``.

    Raises
    ------
    MissingArgumentError, UserExistsError, ValidationFailedError, TenantNotFoundError
        No login id; login id taken; bad status or unknown role; unknown tenant.
    """
    login_id = fields.get("loginId")
    if not login_id:
        raise MissingArgumentError("loginId is required")
    if is_login_id_taken(state, login_id):
        raise UserExistsError(f"user {login_id!r} already exists")
    status = fields.get("status") or "invited"
    if status not in USER_STATUSES:
        raise ValidationFailedError(f"unknown status {status!r}")
    role_names = list(fields.get("roleNames") or [])
    require_roles_exist(state, role_names)
    email = fields.get("email") or (login_id if "@" in login_id else "")
    user = {
        "userId": new_id("U"),
        "loginIds": [login_id, *(fields.get("additionalLoginIds") or [])],
        "name": fields.get("displayName") or "",
        "givenName": fields.get("givenName") or "",
        "middleName": fields.get("middleName") or "",
        "familyName": fields.get("familyName") or "",
        "email": email,
        "verifiedEmail": bool(fields.get("verifiedEmail", bool(email))),
        "phone": fields.get("phone") or "",
        "verifiedPhone": bool(fields.get("verifiedPhone", False)),
        "picture": fields.get("picture") or "",
        "roleNames": role_names,
        "tenants": _tenant_roles(state, fields.get("userTenants") or []),
        "status": status,
        "test": bool(fields.get("test", False)),
        "customAttributes": dict(fields.get("customAttributes") or {}),
        "createdTime": int(time.time()),
    }
    state["users"][user["userId"]] = user
    return user


def set_status(user: dict[str, Any], status: str | None) -> None:
    """Set ``enabled``/``disabled``/…; a disabled user can neither sign in nor refresh.

    Raises
    ------
    ValidationFailedError
        Not one of Descope's four statuses.
    """
    if status not in USER_STATUSES:
        raise ValidationFailedError(f"unknown status {status!r}")
    user["status"] = status


def add_tenant(state: State, user: dict[str, Any], tenant_id: str | None) -> None:
    """Make the user a member of a tenant (no roles) if not already one."""
    tenant = get_tenant(state, tenant_id)
    user["tenants"].setdefault(tenant["id"], [])


def remove_tenant(state: State, user: dict[str, Any], tenant_id: str | None) -> None:
    """End the user's membership of a tenant; removing a non-membership is a no-op, as in Descope."""
    tenant = get_tenant(state, tenant_id)
    user["tenants"].pop(tenant["id"], None)


def change_roles(state: State, user: dict[str, Any], tenant_id: str | None, roles: list[str], mode: str) -> None:
    """Set, add or remove roles, of a tenant when ``tenant_id`` is given, else project-level roles.

    Adding tenant roles makes the user a member of that tenant (Descope does the same).

    Raises
    ------
    ValidationFailedError, TenantNotFoundError, MissingArgumentError
        Unknown role or tenant; empty role list.
    """
    if not roles:
        raise MissingArgumentError("roleNames is required")
    if mode != "remove":
        require_roles_exist(state, roles)
    if tenant_id:
        tenant = get_tenant(state, tenant_id)
        current = user["tenants"].get(tenant["id"])
        if current is None and mode == "remove":
            return
        user["tenants"][tenant["id"]] = _changed(current or [], roles, mode)
    else:
        user["roleNames"] = _changed(user["roleNames"], roles, mode)


def _changed(current: list[str], roles: list[str], mode: str) -> list[str]:
    if mode == "set":
        return list(dict.fromkeys(roles))
    if mode == "add":
        return list(dict.fromkeys([*current, *roles]))
    return [role for role in current if role not in roles]


def search_users(state: State, query: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """Users matching a ``/v2/mgmt/user/search`` body; each list filter matches any of its values.

    Returns
    -------
    tuple of (list of dict, int)
        The requested page of user views and the total number of matches.

    Raises
    ------
    ValidationFailedError
        Negative limit or page.
    """
    limit = query.get("limit") or DEFAULT_SEARCH_LIMIT
    page = query.get("page") or 0
    if limit < 0 or page < 0:
        raise ValidationFailedError("limit and page must not be negative")
    matches = [user for user in state["users"].values() if _matches(user, query)]
    window = matches[page * limit : (page + 1) * limit]
    return [user_view(state, user) for user in window], len(matches)


def _matches(user: dict[str, Any], query: dict[str, Any]) -> bool:
    if query.get("testUsersOnly") and not user["test"]:
        return False
    if user["test"] and not (query.get("withTestUser") or query.get("testUsersOnly")):
        return False
    all_roles = set(user["roleNames"]).union(*user["tenants"].values())
    searchable = " ".join([user["name"], user["email"], *user["loginIds"]]).lower()
    checks: dict[str, Callable[[Any], bool]] = {
        "tenantIds": lambda values: bool(set(values) & set(user["tenants"])),
        "roleNames": lambda values: bool(set(values) & all_roles),
        "userIds": lambda values: user["userId"] in values,
        "loginIds": lambda values: bool(set(values) & set(user["loginIds"])),
        "emails": lambda values: user["email"] in values,
        "statuses": lambda values: user["status"] in values,
        "customAttributes": lambda values: all(user["customAttributes"].get(k) == v for k, v in values.items()),
        "text": lambda text: text.lower() in searchable,
        "tenantRoleNames": lambda values: all(
            set(spec.get("values") or []) & set(user["tenants"].get(tenant_id, []))
            for tenant_id, spec in values.items()
        ),
    }
    return all(check(query[key]) for key, check in checks.items() if query.get(key))
