"""Access keys: management operations and authentication of a presented secret."""

import hmac
import ipaddress
import time
from typing import Any

from local.idp.errors import AccessKeyNotFoundError, AccessKeyRejectedError, MissingArgumentError
from local.idp.ids import new_id, new_secret
from local.idp.rbac import require_roles_exist
from local.idp.seed import hash_secret
from local.idp.store import State
from local.idp.tenants import get_tenant

ACCESS_KEY_STATUSES = ("active", "inactive")


def get_access_key(state: State, key_id: str | None) -> dict[str, Any]:
    """The access key with this id.

    Raises
    ------
    MissingArgumentError, AccessKeyNotFoundError
        Empty or unknown id.
    """
    if not key_id:
        raise MissingArgumentError("id is required")
    key: dict[str, Any] | None = state["accessKeys"].get(key_id)
    if key is None:
        raise AccessKeyNotFoundError(f"access key {key_id!r} not found")
    return key


def access_key_view(state: State, key: dict[str, Any]) -> dict[str, Any]:
    """An access key as the management API returns it (never the secret or its hash)."""
    return {
        "id": key["id"],
        "name": key["name"],
        "roleNames": list(key["roleNames"]),
        "keyTenants": [
            {
                "tenantId": tenant_id,
                "tenantName": state["tenants"].get(tenant_id, {}).get("name", ""),
                "roleNames": list(roles),
            }
            for tenant_id, roles in key["keyTenants"].items()
        ],
        "status": key["status"],
        "createdTime": key["createdTime"],
        "expireTime": key["expireTime"],
        "createdBy": key["createdBy"],
        "clientId": key["id"],
        "boundUserId": key["boundUserId"],
        "customClaims": dict(key["customClaims"]),
        "editable": True,
        "description": key["description"],
        "permittedIps": list(key["permittedIps"]),
        "customAttributes": dict(key["customAttributes"]),
    }


def normalise_key_tenants(state: State, key_tenants: list[dict[str, Any]]) -> dict[str, list[str]]:
    """``[{tenantId, roleNames}]`` → ``{tenantId: roles}`` after checking tenants and roles exist."""
    normalised: dict[str, list[str]] = {}
    for entry in key_tenants:
        tenant = get_tenant(state, entry.get("tenantId"))
        roles = list(entry.get("roleNames") or [])
        require_roles_exist(state, roles)
        normalised[tenant["id"]] = roles
    return normalised


def create_access_key(state: State, fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Add an access key from a ``/v1/mgmt/accesskey/create`` body (nulls dropped).

    Returns
    -------
    tuple of (dict, str)
        The key record and its cleartext secret, which is returned only here and by rotation.

    Raises
    ------
    MissingArgumentError, ValidationFailedError, TenantNotFoundError
        No name; unknown role; unknown tenant.
    """
    if not fields.get("name"):
        raise MissingArgumentError("name is required")
    role_names = list(fields.get("roleNames") or [])
    require_roles_exist(state, role_names)
    secret = new_secret()
    key = {
        "id": new_id("K"),
        "name": fields["name"],
        "description": fields.get("description") or "",
        "roleNames": role_names,
        "keyTenants": normalise_key_tenants(state, fields.get("keyTenants") or []),
        "status": "active",
        "createdTime": int(time.time()),
        "expireTime": int(fields.get("expireTime") or 0),
        "createdBy": "management-key",
        "boundUserId": fields.get("userId") or "",
        "customClaims": dict(fields.get("customClaims") or {}),
        "permittedIps": list(fields.get("permittedIps") or []),
        "customAttributes": dict(fields.get("customAttributes") or {}),
        "secretHash": hash_secret(secret),
    }
    state["accessKeys"][key["id"]] = key
    return key, secret


def rotate_secret(key: dict[str, Any]) -> str:
    """Give the key a new secret; the old one stops working at once."""
    secret = new_secret()
    key["secretHash"] = hash_secret(secret)
    return secret


def search_access_keys(state: State, *, tenant_ids: list[str], bound_user_id: str | None) -> list[dict[str, Any]]:
    """Keys associated with any of ``tenant_ids`` (all keys when empty), optionally bound to a user."""
    return [
        access_key_view(state, key)
        for key in state["accessKeys"].values()
        if (not tenant_ids or set(tenant_ids) & set(key["keyTenants"]))
        and (not bound_user_id or key["boundUserId"] == bound_user_id)
    ]


def authenticate_access_key(state: State, secret: str, client_ip: str | None) -> dict[str, Any]:
    """The active key whose secret is ``secret``, for the exchange and the client-credentials grant.

    Raises
    ------
    AccessKeyRejectedError
        Unknown secret, inactive or expired key, or a client IP outside ``permittedIps``.
    """
    presented = hash_secret(secret)
    key: dict[str, Any] | None = next(
        (k for k in state["accessKeys"].values() if hmac.compare_digest(k["secretHash"], presented)), None
    )
    if key is None or key["status"] != "active":
        raise AccessKeyRejectedError()
    if key["expireTime"] and key["expireTime"] <= time.time():
        raise AccessKeyRejectedError()
    if key["permittedIps"] and not _ip_permitted(client_ip, key["permittedIps"]):
        raise AccessKeyRejectedError()
    return key


def _ip_permitted(client_ip: str | None, permitted: list[str]) -> bool:
    if client_ip is None:
        return False
    address = ipaddress.ip_address(client_ip)
    return any(address in ipaddress.ip_network(entry, strict=False) for entry in permitted)
