"""Dependencies shared by the routes: the runtime, management-key and bearer-secret checks, JSON bodies."""

import hmac
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from local.idp.errors import UnauthorizedError
from local.idp.runtime import IdpRuntime


class WireModel(BaseModel):
    """Request body in Descope's camelCase; unknown fields are ignored and ``null`` means absent."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    def wire(self) -> dict[str, Any]:
        """The body as camelCase keys without nulls."""
        return self.model_dump(by_alias=True, exclude_none=True)


class AssociatedTenant(WireModel):
    """``{tenantId, roleNames}``: a tenant membership in user and access-key bodies."""

    tenant_id: str
    role_names: list[str] | None = None


async def get_runtime(request: Request) -> IdpRuntime:
    """The provider the app was built for."""
    runtime: IdpRuntime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[IdpRuntime, Depends(get_runtime)]


def _bearer_parts(request: Request) -> list[str]:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        raise UnauthorizedError("missing bearer credentials")
    return credentials.split(":", 1)


async def require_management_key(request: Request, runtime: RuntimeDep) -> None:
    """Accept only ``Authorization: Bearer <project id>:<management key>`` (Descope SDK wire format).

    Raises
    ------
    UnauthorizedError
        Missing header, other project, or wrong key (compared in constant time).
    """
    parts = _bearer_parts(request)
    config = runtime.config
    if len(parts) != 2 or parts[0] != config.project_id:
        raise UnauthorizedError("invalid project or management key")
    if not hmac.compare_digest(parts[1].encode(), config.management_key.encode()):
        raise UnauthorizedError("invalid project or management key")


async def bearer_secret(request: Request, runtime: RuntimeDep) -> str:
    """The secret of an auth call: ``Bearer <project id>:<secret>[:<auth management key>]``.

    Raises
    ------
    UnauthorizedError
        Missing header, other project, or no secret.
    """
    parts = _bearer_parts(request)
    if parts[0] != runtime.config.project_id or len(parts) != 2:
        raise UnauthorizedError("invalid project or credentials")
    secret = parts[1].split(":", 1)[0]
    if not secret:
        raise UnauthorizedError("invalid project or credentials")
    return secret


ManagementAuth = [Depends(require_management_key)]
BearerSecret = Annotated[str, Depends(bearer_secret)]
