"""Descope management API: users (``client.mgmt.user``)."""

from typing import Any

from fastapi import APIRouter
from pydantic import Field

from local.idp.errors import MissingArgumentError
from local.idp.routes.deps import AssociatedTenant, ManagementAuth, RuntimeDep, WireModel
from local.idp.sessions import revoke_subject_sessions
from local.idp.store import State
from local.idp.users import (
    add_tenant,
    change_roles,
    create_user,
    find_user,
    remove_tenant,
    search_users,
    set_status,
    user_view,
)

router = APIRouter(tags=["users"], dependencies=ManagementAuth)


class UserCreate(WireModel):
    login_id: str | None = None
    email: str | None = None
    phone: str | None = None
    display_name: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None
    role_names: list[str] | None = None
    user_tenants: list[AssociatedTenant] | None = None
    test: bool | None = None
    picture: str | None = None
    custom_attributes: dict[str, Any] | None = None
    additional_login_ids: list[str] | None = None
    verified_email: bool | None = None
    verified_phone: bool | None = None
    status: str | None = None


class UserRef(WireModel):
    login_id: str | None = None
    user_id: str | None = None


class UserStatus(UserRef):
    status: str | None = None


class UserTenant(UserRef):
    tenant_id: str | None = None


class UserRoles(UserTenant):
    role_names: list[str] | None = None


class UserCustomAttribute(UserRef):
    attribute_key: str | None = None
    attribute_value: str | bool | int | float | None = None


class RoleValues(WireModel):
    values: list[str] | None = None


class UserSearch(WireModel):
    tenant_ids: list[str] | None = None
    role_names: list[str] | None = None
    limit: int = 0
    page: int = 0
    test_users_only: bool = False
    with_test_user: bool = False
    statuses: list[str] | None = None
    emails: list[str] | None = None
    login_ids: list[str] | None = None
    user_ids: list[str] | None = None
    text: str | None = None
    custom_attributes: dict[str, Any] | None = None
    tenant_role_names: dict[str, RoleValues] | None = None


class UsersLoad(WireModel):
    user_ids: list[str] = Field(default_factory=list)


def _user_response(state: State, user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user_view(state, user)}


@router.post("/v1/mgmt/user/create")
async def create(body: UserCreate, runtime: RuntimeDep) -> dict[str, Any]:
    """Create or invite a user (``invite`` only decides whether a message is sent; none is, locally)."""
    with runtime.store.write() as state:
        return _user_response(state, create_user(state, body.wire()))


@router.get("/v1/mgmt/user")
async def load(runtime: RuntimeDep, loginId: str | None = None, userId: str | None = None) -> dict[str, Any]:  # noqa: N803 (wire names)
    """Load a user by login id or user id."""
    with runtime.store.read() as state:
        return _user_response(state, find_user(state, login_id=loginId, user_id=userId))


@router.post("/v1/mgmt/users/load")
async def load_users(body: UsersLoad, runtime: RuntimeDep) -> dict[str, Any]:
    """Load several users by user id; unknown ids are skipped."""
    with runtime.store.read() as state:
        users = [user_view(state, state["users"][uid]) for uid in body.user_ids if uid in state["users"]]
    return {"users": users, "total": len(users)}


@router.post("/v2/mgmt/user/search")
async def search(body: UserSearch, runtime: RuntimeDep) -> dict[str, Any]:
    """Search users by tenants, roles, ids, statuses, text and custom attributes (0-based pages)."""
    with runtime.store.read() as state:
        users, total = search_users(state, body.wire())
    return {"users": users, "total": total}


@router.post("/v1/mgmt/user/update/status")
async def update_status(body: UserStatus, runtime: RuntimeDep) -> dict[str, Any]:
    """Enable or disable a user; disabling also ends the user's sessions."""
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        set_status(user, body.status)
        if user["status"] != "enabled":
            revoke_subject_sessions(state, user["userId"])
        return _user_response(state, user)


@router.post("/v1/mgmt/user/update/tenant/add")
async def add_user_tenant(body: UserTenant, runtime: RuntimeDep) -> dict[str, Any]:
    """Make the user a member of a tenant."""
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        add_tenant(state, user, body.tenant_id)
        return _user_response(state, user)


@router.post("/v1/mgmt/user/update/tenant/remove")
async def remove_user_tenant(body: UserTenant, runtime: RuntimeDep) -> dict[str, Any]:
    """End the user's membership of a tenant."""
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        remove_tenant(state, user, body.tenant_id)
        return _user_response(state, user)


async def _change_roles(body: UserRoles, runtime: RuntimeDep, mode: str) -> dict[str, Any]:
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        change_roles(state, user, body.tenant_id, body.role_names or [], mode)
        return _user_response(state, user)


@router.post("/v1/mgmt/user/update/role/set")
async def set_roles(body: UserRoles, runtime: RuntimeDep) -> dict[str, Any]:
    """Replace the user's roles in a tenant (or project roles without ``tenantId``)."""
    return await _change_roles(body, runtime, "set")


@router.post("/v2/mgmt/user/update/role/add")
async def add_roles(body: UserRoles, runtime: RuntimeDep) -> dict[str, Any]:
    """Add roles in a tenant (or project roles without ``tenantId``)."""
    return await _change_roles(body, runtime, "add")


@router.post("/v1/mgmt/user/update/role/remove")
async def remove_roles(body: UserRoles, runtime: RuntimeDep) -> dict[str, Any]:
    """Remove roles in a tenant (or project roles without ``tenantId``)."""
    return await _change_roles(body, runtime, "remove")


@router.post("/v1/mgmt/user/update/customAttribute")
async def update_custom_attribute(body: UserCustomAttribute, runtime: RuntimeDep) -> dict[str, Any]:
    """Set one custom attribute of the user (JSON type preserved)."""
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        if not body.attribute_key:
            raise MissingArgumentError("attributeKey is required")
        user["customAttributes"][body.attribute_key] = body.attribute_value
        return _user_response(state, user)


@router.post("/v1/mgmt/user/logout")
async def logout_user(body: UserRef, runtime: RuntimeDep) -> dict[str, Any]:
    """End every session of the user: their refresh tokens stop working."""
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        revoke_subject_sessions(state, user["userId"])
    return {}


@router.post("/v1/mgmt/user/delete")
async def delete(body: UserRef, runtime: RuntimeDep) -> dict[str, Any]:
    """Delete a user and end their sessions."""
    with runtime.store.write() as state:
        user = find_user(state, login_id=body.login_id, user_id=body.user_id)
        revoke_subject_sessions(state, user["userId"])
        del state["users"][user["userId"]]
    return {}
