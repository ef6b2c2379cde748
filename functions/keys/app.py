"""Access keys of the active tenant: create (secret shown once), list, read, activate, deactivate, delete."""

import time
from typing import Annotated

from fastapi import APIRouter, FastAPI, status
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from identity_stack import Permission, Role, make_handler
from identity_stack.config import Requirement
from identity_stack.domain.models import AccessKey, AccessKeyList, CreatedAccessKey
from identity_stack.domain.validators import DisplayName, DisplayText
from identity_stack.web.guards import require_permission
from identity_stack.web.services import AccessKeysDep, CurrentPrincipal

# 9999-12-31T23:59:59Z: a bound that keeps the value a sane Unix time in every client's date type.
MAX_EXPIRE_TIME_S = 253_402_300_799
MAX_KEY_ROLES = len(Role)


def require_future(expire_time: int | None) -> int | None:
    """An expiry must lie in the future: Descope would accept a past one and mint a key that can never be used."""
    if expire_time is not None and expire_time <= time.time():
        raise ValueError("expire_time must be in the future")
    return expire_time


class AccessKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: DisplayName = Field(min_length=1, max_length=100)
    description: DisplayText = Field(default="", max_length=1000)
    expire_time: Annotated[int | None, Field(gt=0, le=MAX_EXPIRE_TIME_S), AfterValidator(require_future)] = Field(
        default=None, description="Future Unix seconds; null for a key that never expires"
    )
    role_names: list[Role] = Field(default_factory=lambda: [Role.VIEWER], min_length=1, max_length=MAX_KEY_ROLES)


router = APIRouter(prefix="/api/keys", tags=["keys"], dependencies=[require_permission(Permission.KEYS_MANAGE)])


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_key(body: AccessKeyCreate, keys: AccessKeysDep, principal: CurrentPrincipal) -> CreatedAccessKey:
    """Create a key bound to the active tenant; the secret is in this response only."""
    return await keys.create(
        name=body.name,
        description=body.description,
        expire_time=body.expire_time,
        role_names=body.role_names,
        actor=principal,
    )


@router.get("")
async def list_keys(keys: AccessKeysDep) -> AccessKeyList:
    """The active tenant's keys, never a secret; a key created a moment ago is already listed."""
    return await keys.list_keys()


@router.get("/{key_id}")
async def read_key(key_id: str, keys: AccessKeysDep) -> AccessKey:
    """One key of the active tenant; 404 for a key of another tenant."""
    return await keys.get(key_id)


@router.post("/{key_id}/deactivate")
async def deactivate_key(key_id: str, keys: AccessKeysDep, principal: CurrentPrincipal) -> AccessKey:
    """Stop the key being exchanged for tokens; 403 if it outranks the caller, 409 if other tenants share it."""
    return await keys.set_active(key_id, active=False, actor=principal)


@router.post("/{key_id}/activate")
async def activate_key(key_id: str, keys: AccessKeysDep, principal: CurrentPrincipal) -> AccessKey:
    """Let the key be exchanged again; 403 if it outranks the caller, 409 if other tenants share it."""
    return await keys.set_active(key_id, active=True, actor=principal)


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_key(key_id: str, keys: AccessKeysDep, principal: CurrentPrincipal) -> None:
    """Delete the key; 403 if it outranks the caller, 409 if other tenants share it."""
    await keys.delete(key_id, actor=principal)


app = FastAPI(title="keys", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(router)
handler = make_handler(app, requires=(Requirement.DESCOPE, Requirement.TABLE), snapshot_preload=("descope", "boto3"))
