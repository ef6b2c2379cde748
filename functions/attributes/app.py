"""Custom attributes: the caller's profile and the active tenant's settings, each key with its own value rule."""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StrictInt,
    StrictStr,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from identity_stack import InvalidRequestError, Permission, PermissionDeniedError, make_handler
from identity_stack.adapters.rate_limits import assign_usage_plan
from identity_stack.auth.rbac import has_permissions
from identity_stack.config import Requirement
from identity_stack.domain.plans import PlanTier
from identity_stack.domain.tenants import load_tenant, update_tenant_custom_attributes
from identity_stack.domain.validators import check_display_text, to_https_url
from identity_stack.web.guards import require_permission, require_user
from identity_stack.web.services import ActiveTenant, CurrentPrincipal, IdpDep

MAX_TEXT_CHARS = 100
MAX_URL_CHARS = 2048
MAX_KEY_CHARS = 100
MAX_SETTINGS_PER_UPDATE = 10
Text = Annotated[StrictStr, StringConstraints(max_length=MAX_TEXT_CHARS), AfterValidator(check_display_text)]
HttpsUrl = Annotated[StrictStr, StringConstraints(max_length=MAX_URL_CHARS), AfterValidator(to_https_url)]

# Every attribute a caller may set, with its value rule (attribute definitions in infra/descope_project.tf).
PROFILE_ATTRIBUTES: dict[str, TypeAdapter[Any]] = {
    "department": TypeAdapter(Text),
    "job_title": TypeAdapter(Text),
    "avatar_url": TypeAdapter(HttpsUrl),
}
SETTINGS_ATTRIBUTES: dict[str, TypeAdapter[Any]] = {
    "max_members": TypeAdapter(Annotated[StrictInt, Field(ge=1, le=10_000)]),
    "plan_tier": TypeAdapter(PlanTier),
}
# Settings that need a permission beyond settings.manage.
SETTINGS_EXTRA_PERMISSION: dict[str, Permission] = {"plan_tier": Permission.BILLING_MANAGE}

AttributeKey = Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY_CHARS)]


class Profile(BaseModel):
    user_id: str
    name: str
    email: str
    custom_attributes: dict[str, object]


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: AttributeKey
    value: JsonValue


class TenantSettings(BaseModel):
    tenant_id: str
    name: str
    custom_attributes: dict[str, object]


class SettingsUpdate(BaseModel):
    """``{"custom_attributes": {key: value, ...}}``, applied together; ``{"key", "value"}`` is one such entry."""

    model_config = ConfigDict(extra="forbid")

    custom_attributes: dict[AttributeKey, JsonValue] = Field(min_length=1, max_length=MAX_SETTINGS_PER_UPDATE)

    @model_validator(mode="before")
    @classmethod
    def from_key_value(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.keys() == {"key", "value"}:
            return {"custom_attributes": {data["key"]: data["value"]}}
        return data


def validate_attributes(rules: Mapping[str, TypeAdapter[Any]], values: Mapping[str, JsonValue]) -> dict[str, Any]:
    """Check every key and value against ``rules``; all must pass before anything is written.

    Raises
    ------
    InvalidRequestError
        422 naming the unknown keys (sorted), or listing the values that break their rule.
    """
    unknown = sorted(key for key in values if key not in rules)
    if unknown:
        raise InvalidRequestError(f"Attribute(s) not allowed: {', '.join(unknown)}.", status=422, unknown_keys=unknown)
    validated: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for key, value in values.items():
        try:
            validated[key] = rules[key].validate_python(value)
        except ValidationError as exc:
            errors += [{"loc": [key], "msg": error["msg"], "type": error["type"]} for error in exc.errors()]
    if errors:
        raise InvalidRequestError("Attribute value(s) not valid.", status=422, errors=errors)
    return validated


router = APIRouter(prefix="/api", tags=["attributes"])


@router.get("/profile")
async def read_profile(principal: CurrentPrincipal, idp: IdpDep) -> Profile:
    """The caller's name, email and custom attributes; empty for an access key, which has no user record."""
    if principal.kind != "user":
        return Profile(user_id=principal.user_id, name="", email="", custom_attributes={})
    user = await idp.load_user(principal.user_id)
    return Profile(user_id=user.user_id, name=user.name, email=user.email, custom_attributes=user.custom_attributes)


@router.patch("/profile", dependencies=[require_user()])
async def update_profile(body: ProfileUpdate, principal: CurrentPrincipal, idp: IdpDep) -> Profile:
    """Set one of the caller's attributes: department, job_title (≤ 100 chars) or avatar_url (https, ≤ 2048)."""
    value = validate_attributes(PROFILE_ATTRIBUTES, {body.key: body.value})[body.key]
    user = await idp.update_user_custom_attribute(await idp.load_user(principal.user_id), body.key, value)
    return Profile(user_id=user.user_id, name=user.name, email=user.email, custom_attributes=user.custom_attributes)


@router.get("/tenants/current/settings")
async def read_tenant_settings(tenant_id: ActiveTenant, idp: IdpDep) -> TenantSettings:
    """The active tenant's id, name and custom attributes, for any of its members."""
    tenant = await load_tenant(idp, tenant_id)
    return TenantSettings(tenant_id=tenant.id, name=tenant.name, custom_attributes=tenant.custom_attributes)


@router.patch("/tenants/current/settings", dependencies=[require_permission(Permission.SETTINGS_MANAGE)])
async def update_tenant_settings(
    body: SettingsUpdate, tenant_id: ActiveTenant, principal: CurrentPrincipal, idp: IdpDep
) -> TenantSettings:
    """Set max_members (1-10000) and plan_tier (free, pro, enterprise; also needs billing.manage) together."""
    changes = validate_attributes(SETTINGS_ATTRIBUTES, body.custom_attributes)
    needed = sorted({SETTINGS_EXTRA_PERMISSION[key] for key in changes if key in SETTINGS_EXTRA_PERMISSION})
    if needed and not has_permissions(principal.active_grant.permissions, needed, match="all"):
        raise PermissionDeniedError([permission.value for permission in needed], match="all")
    tenant = await update_tenant_custom_attributes(idp, tenant_id, changes)
    if "plan_tier" in changes:
        # The tenant's API key follows it to the new tier's usage plan; on failure it keeps a working key (logged).
        await assign_usage_plan(tenant_id, changes["plan_tier"])
    return TenantSettings(tenant_id=tenant.id, name=tenant.name, custom_attributes=tenant.custom_attributes)


app = FastAPI(title="attributes", docs_url=None, redoc_url=None, openapi_url=None)
app.include_router(router)
handler = make_handler(
    app,
    requires=(Requirement.DESCOPE, Requirement.TABLE, Requirement.USAGE_PLANS),
    snapshot_preload=("descope",),  # imported on the first call: under SnapStart, before the snapshot
)
