"""Tenants: creation, lookup, search, update and deletion over the state document."""

import time
from typing import Any

from local.idp.errors import MissingArgumentError, TenantExistsError, TenantNotFoundError
from local.idp.ids import new_id
from local.idp.store import State


def get_tenant(state: State, tenant_id: str | None) -> dict[str, Any]:
    """The tenant record with this id.

    Raises
    ------
    MissingArgumentError
        ``tenant_id`` is empty.
    TenantNotFoundError
        No such tenant.
    """
    if not tenant_id:
        raise MissingArgumentError("tenant id is required")
    tenant: dict[str, Any] | None = state["tenants"].get(tenant_id)
    if tenant is None:
        raise TenantNotFoundError(f"tenant {tenant_id!r} not found")
    return tenant


def tenant_view(tenant: dict[str, Any]) -> dict[str, Any]:
    """A tenant as the management API returns it (flat object, ``createdTime`` in seconds)."""
    return {
        "id": tenant["id"],
        "name": tenant["name"],
        "selfProvisioningDomains": list(tenant["selfProvisioningDomains"]),
        "customAttributes": dict(tenant["customAttributes"]),
        "domains": [],
        "authType": "none",
        "disabled": tenant["disabled"],
        "enforceSSO": tenant["enforceSSO"],
        "createdTime": tenant["createdTime"],
    }


def _require_unique(state: State, *, tenant_id: str, name: str) -> None:
    for other in state["tenants"].values():
        if other["id"] != tenant_id and other["name"] == name:
            raise TenantExistsError(f"a tenant named {name!r} already exists")


def create_tenant(
    state: State,
    *,
    name: str | None,
    tenant_id: str | None,
    self_provisioning_domains: list[str],
    custom_attributes: dict[str, Any],
    enforce_sso: bool,
    disabled: bool,
) -> str:
    """Add a tenant; names and ids are unique per project (Descope SDK ``tenant.create`` docstring).

    Returns
    -------
    str
        The given id, or a new ``T2…`` id.

    Raises
    ------
    MissingArgumentError
        No name.
    TenantExistsError
        The id or the name is taken.
    """
    if not name:
        raise MissingArgumentError("tenant name is required")
    tenant_id = tenant_id or new_id("T")
    if tenant_id in state["tenants"]:
        raise TenantExistsError(f"tenant {tenant_id!r} already exists")
    _require_unique(state, tenant_id=tenant_id, name=name)
    state["tenants"][tenant_id] = {
        "id": tenant_id,
        "name": name,
        "selfProvisioningDomains": list(self_provisioning_domains),
        "customAttributes": dict(custom_attributes),
        "enforceSSO": enforce_sso,
        "disabled": disabled,
        "createdTime": int(time.time()),
    }
    return tenant_id


def update_tenant(state: State, tenant_id: str | None, changes: dict[str, Any]) -> None:
    """Apply already-normalised field changes (``name``, ``selfProvisioningDomains``, ``customAttributes``,
    ``enforceSSO``, ``disabled``) to a tenant.

    Raises
    ------
    TenantNotFoundError, MissingArgumentError, TenantExistsError
        Unknown tenant, empty name, or a name another tenant has.
    """
    tenant = get_tenant(state, tenant_id)
    if "name" in changes:
        if not changes["name"]:
            raise MissingArgumentError("tenant name is required")
        _require_unique(state, tenant_id=tenant["id"], name=changes["name"])
    tenant.update(changes)


def search_tenants(
    state: State,
    *,
    tenant_ids: list[str] | None,
    names: list[str] | None,
    custom_attributes: dict[str, Any] | None,
    self_provisioning_domains: list[str] | None,
) -> list[dict[str, Any]]:
    """Tenants matching every given filter (each list filter matches any of its values)."""
    found = []
    for tenant in state["tenants"].values():
        if tenant_ids and tenant["id"] not in tenant_ids:
            continue
        if names and tenant["name"] not in names:
            continue
        if custom_attributes and any(tenant["customAttributes"].get(k) != v for k, v in custom_attributes.items()):
            continue
        if self_provisioning_domains and not set(self_provisioning_domains) & set(tenant["selfProvisioningDomains"]):
            continue
        found.append(tenant_view(tenant))
    return found


def delete_tenant(state: State, tenant_id: str | None, *, cascade: bool) -> None:
    """Remove a tenant and detach it from users and access keys.

    With ``cascade``, users and keys that belonged only to this tenant are deleted as well (Descope SDK README,
    ``tenant.delete``).

    Raises
    ------
    TenantNotFoundError, MissingArgumentError
        Unknown or empty id.
    """
    tenant = get_tenant(state, tenant_id)
    del state["tenants"][tenant["id"]]
    for collection, field in (("users", "tenants"), ("accessKeys", "keyTenants")):
        for record_id, record in list(state[collection].items()):
            if tenant["id"] not in record[field]:
                continue
            del record[field][tenant["id"]]
            if cascade and not record[field]:
                del state[collection][record_id]
