"""Roles and permissions: lookups, derivation of permissions from roles, and their API shapes."""

from typing import Any

from local.idp.errors import ValidationFailedError
from local.idp.store import State


def role_id(name: str) -> str:
    """Stable ``ROL…`` id of a project role (Descope's format; roles are keyed by name here)."""
    return f"ROL{name}"


def permissions_for(state: State, role_names: list[str]) -> list[str]:
    """Sorted union of the permissions granted by ``role_names``; unknown roles grant nothing."""
    granted: set[str] = set()
    for name in role_names:
        granted.update(state["roles"].get(name, {}).get("permissionNames", []))
    return sorted(granted)


def require_roles_exist(state: State, role_names: list[str]) -> None:
    """Raise ValidationFailedError naming the first role that is not defined."""
    for name in role_names:
        if name not in state["roles"]:
            raise ValidationFailedError(f"unknown role {name!r}")


def role_view(role: dict[str, Any]) -> dict[str, Any]:
    """A role as the management API returns it."""
    return {
        "id": role_id(role["name"]),
        "name": role["name"],
        "description": role["description"],
        "permissionNames": list(role["permissionNames"]),
        "createdTime": role["createdTime"],
        "tenantId": "",
        "default": False,
        "private": False,
    }


def permission_view(permission: dict[str, Any]) -> dict[str, Any]:
    """A permission as the management API returns it."""
    return {
        "id": f"PERM{permission['name']}",
        "name": permission["name"],
        "description": permission["description"],
        "systemDefault": False,
    }
