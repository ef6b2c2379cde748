"""The Descope adapter: the :class:`~identity_stack.domain.ports.IdentityProvider` port over the descope SDK.

One SDK call per method; faults become problems in :mod:`.faults`, replies are read by the models of :mod:`.models`.
The rules built on these calls live in ``identity_stack.domain``. The SDK costs ~0.3 s to import, so it is imported
on the first management call, never at module import.
"""

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

from identity_stack.adapters.descope.faults import access_key_not_found, tenant_exists, translate_sdk_faults
from identity_stack.adapters.descope.models import (
    AccessKeyReply,
    AccessKeysReply,
    CreatedAccessKeyReply,
    RolesReply,
    TenantsReply,
    UserReply,
    UsersReply,
    read_reply,
)
from identity_stack.config import DescopeSettings, Settings, get_settings
from identity_stack.domain.models import AccessKeyRecord, RoleDefinition, Tenant, User
from identity_stack.errors import NotFoundError, UpstreamError

if TYPE_CHECKING:
    from descope import DescopeClientAsync

# Descope's SDK default is 60 s per phase; a Lambda behind API Gateway (29 s) must give up much sooner.
DESCOPE_TIMEOUT_S = 5.0
MANAGEMENT_KEY_MAX_AGE_S = 300
# One page is enough where it is used (the owners of one tenant); more than this many owners would be a finding.
USER_SEARCH_PAGE_SIZE = 100


def read_management_key(descope: DescopeSettings) -> str | None:
    """The management key: ``DESCOPE_MANAGEMENT_KEY`` locally, else the Secrets Manager secret (cached 5 min).

    Raises
    ------
    aws_lambda_powertools.utilities.parameters.exceptions.GetParameterError
        The secret cannot be read.
    """
    if descope.management_key is not None:
        return descope.management_key.get_secret_value()
    if descope.management_key_secret_arn:
        from aws_lambda_powertools.utilities import parameters

        secret = parameters.get_secret(descope.management_key_secret_arn, max_age=MANAGEMENT_KEY_MAX_AGE_S)
        return secret if isinstance(secret, str) else secret.decode()
    return None


class IdentityProviderClient:
    """The Descope management calls the domain makes, each returning domain data or raising a problem.

    Parameters
    ----------
    settings : Settings
        Its :meth:`~identity_stack.config.Settings.descope` group (``Requirement.DESCOPE``: ``DESCOPE_PROJECT_ID``
        and a management key source, ``DESCOPE_BASE_URL``), read on first use.

    Notes
    -----
    Uses ``DescopeClientAsync``: its one pooled ``httpx.AsyncClient`` lives on Mangum's event loop, so warm calls
    skip the TCP/TLS set-up the sync client pays per call. Built (and the management key read) on first use.
    Faults of every method: NotFoundError, ConflictError, UpstreamError, UpstreamUnavailableError as
    :func:`~identity_stack.adapters.descope.faults.translate_sdk_faults` says; a reply of the wrong shape is an
    UpstreamError (502).
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._sdk: DescopeClientAsync | None = None

    def _client(self) -> "DescopeClientAsync":
        if self._sdk is None:
            from descope import DescopeClientAsync

            descope = self._settings.descope()
            # Everything explicit: the SDK would otherwise fall back to its own env variables (DESCOPE_BASE_URI).
            self._sdk = DescopeClientAsync(
                descope.project_id,
                management_key=read_management_key(descope),
                timeout_seconds=DESCOPE_TIMEOUT_S,
                base_url=descope.base_url,
            )
        return self._sdk

    # --- users --------------------------------------------------------------------------------------------------

    async def logout_user(self, user_id: str) -> None:
        """Revoke every session (refresh token) of a user (``POST /v1/mgmt/user/logout``)."""
        client = self._client()
        async with translate_sdk_faults("logout user"):
            await client.mgmt.user.logout_user_by_user_id(user_id)

    async def load_user(self, user_id: str) -> User:
        """One user by user id (``GET /v1/mgmt/user?userId=``); NotFoundError when Descope has none."""
        client = self._client()
        async with translate_sdk_faults("load user"):
            reply = await client.mgmt.user.load_by_user_id(user_id)
        return read_reply(UserReply, reply, "load user").user.to_user()

    async def find_user_by_login_id(self, login_id: str) -> User | None:
        """The user who signs in with ``login_id`` (``GET /v1/mgmt/user?loginId=``), or None."""
        client = self._client()
        try:
            async with translate_sdk_faults("load user by login id"):
                reply = await client.mgmt.user.load(login_id)
        except NotFoundError:
            return None
        return read_reply(UserReply, reply, "load user by login id").user.to_user()

    async def search_tenant_members(self, tenant_id: str, *, page: int, limit: int) -> tuple[list[User], int]:
        """One page of the users of ``tenant_id`` (``POST /v2/mgmt/user/search``; 0-based ``page``, ``limit`` ≤ 100).

        Returns the page, users of other tenants filtered out again, and the provider's total (the page's length
        when the reply has none).
        """
        client = self._client()
        async with translate_sdk_faults("search users"):
            reply = await client.mgmt.user.search_all(tenant_ids=[tenant_id], limit=limit, page=page)
        found = read_reply(UsersReply, reply, "search users")
        users = [user for user in (item.to_user() for item in found.users) if tenant_id in user.tenant_roles]
        return users, found.total if found.total is not None else len(users)

    async def search_tenant_users(self, tenant_id: str, *, role: str, statuses: Sequence[str] = ()) -> list[User]:
        """Users holding ``role`` in ``tenant_id``, optionally of ``statuses`` (one ``/v2/mgmt/user/search`` page).

        Descope documents ``tenantRoleNames``; callers that must not be misled (the last-owner rule) check the
        answer again.
        """
        client = self._client()
        async with translate_sdk_faults("search users"):
            reply = await client.mgmt.user.search_all(
                tenant_ids=[tenant_id],
                tenant_role_names={tenant_id: {"values": [role], "and": False}},
                statuses=list(statuses) or None,
                limit=USER_SEARCH_PAGE_SIZE,
            )
        return [item.to_user() for item in read_reply(UsersReply, reply, "search users").users]

    async def invite_user(self, email: str, *, tenant_id: str, roles: Sequence[str]) -> User:
        """Create an invited user with ``email`` as login id (``POST /v1/mgmt/user/create``, ``invite``).

        Whether a message is sent follows the project's settings. ConflictError when the login id exists.
        """
        from descope import AssociatedTenant

        client = self._client()
        async with translate_sdk_faults("invite user"):
            reply = await client.mgmt.user.invite(
                email, email=email, user_tenants=[AssociatedTenant(tenant_id, list(roles))]
            )
        return read_reply(UserReply, reply, "invite user").user.to_user()

    async def add_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        """Add tenant roles (``POST /v2/mgmt/user/update/role/add``, keyed by login id); the user afterwards."""
        client = self._client()
        async with translate_sdk_faults("add tenant roles"):
            reply = await client.mgmt.user.add_tenant_roles(_login_id(user), tenant_id, list(roles))
        return read_reply(UserReply, reply, "add tenant roles").user.to_user()

    async def remove_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        """Remove tenant roles (``POST /v1/mgmt/user/update/role/remove``, keyed by login id); the user afterwards."""
        client = self._client()
        async with translate_sdk_faults("remove tenant roles"):
            reply = await client.mgmt.user.remove_tenant_roles(_login_id(user), tenant_id, list(roles))
        return read_reply(UserReply, reply, "remove tenant roles").user.to_user()

    async def remove_user_from_tenant(self, user: User, tenant_id: str) -> User:
        """End the membership of ``tenant_id`` only (``POST /v1/mgmt/user/update/tenant/remove``); the user after."""
        client = self._client()
        async with translate_sdk_faults("remove user from tenant"):
            reply = await client.mgmt.user.remove_tenant(_login_id(user), tenant_id)
        return read_reply(UserReply, reply, "remove user from tenant").user.to_user()

    async def update_user_custom_attribute(self, user: User, key: str, value: str | int | bool) -> User:
        """Set one custom attribute, sent with its JSON type (``POST /v1/mgmt/user/update/customAttribute``)."""
        client = self._client()
        async with translate_sdk_faults("update user attribute"):
            reply = await client.mgmt.user.update_custom_attribute(_login_id(user), key, value)
        return read_reply(UserReply, reply, "update user attribute").user.to_user()

    # --- tenants ------------------------------------------------------------------------------------------------

    async def create_tenant(
        self,
        tenant_id: str,
        name: str,
        *,
        self_provisioning_domains: Sequence[str],
        custom_attributes: Mapping[str, object],
    ) -> None:
        """Create a tenant with a caller-chosen id (``POST /v1/mgmt/tenant/create``); 409 when it exists."""
        client = self._client()
        async with translate_sdk_faults("create tenant", refine=tenant_exists):
            await client.mgmt.tenant.create(
                name,
                id=tenant_id,
                self_provisioning_domains=list(self_provisioning_domains),
                custom_attributes=dict(custom_attributes),
            )

    async def delete_tenant(self, tenant_id: str) -> None:
        """Delete a tenant, not its users (``POST /v1/mgmt/tenant/delete``, ``cascade=false``)."""
        client = self._client()
        async with translate_sdk_faults("delete tenant"):
            await client.mgmt.tenant.delete(tenant_id, cascade=False)

    async def list_tenants(self) -> list[Tenant]:
        """Every tenant of the project (``GET /v1/mgmt/tenant/all``)."""
        client = self._client()
        async with translate_sdk_faults("list tenants"):
            reply = await client.mgmt.tenant.load_all()
        return [item.to_tenant() for item in read_reply(TenantsReply, reply, "list tenants").tenants]

    async def search_tenants(self, *, ids: Sequence[str]) -> list[Tenant]:
        """Tenants with any of ``ids``, in one call (``POST /v1/mgmt/tenant/search``).

        Raises
        ------
        ValueError
            ``ids`` is empty: Descope would return every tenant of the project.
        """
        if not ids:
            raise ValueError("search_tenants needs ids")
        client = self._client()
        async with translate_sdk_faults("search tenants"):
            reply = await client.mgmt.tenant.search_all(ids=list(ids))
        return [item.to_tenant() for item in read_reply(TenantsReply, reply, "search tenants").tenants]

    async def set_tenant_custom_attributes(self, tenant_id: str, custom_attributes: Mapping[str, object]) -> None:
        """Write the tenant's custom attributes (``PATCH /v1/mgmt/tenant/patch``); the object may be replaced whole."""
        client = self._client()
        async with translate_sdk_faults("patch tenant"):
            await client.mgmt.tenant.patch_tenant(tenant_id, custom_attributes=dict(custom_attributes))

    # --- roles --------------------------------------------------------------------------------------------------

    async def list_role_definitions(self) -> list[RoleDefinition]:
        """The project's roles (``GET /v1/mgmt/role/all``); roles scoped to one tenant are left out."""
        client = self._client()
        async with translate_sdk_faults("load roles"):
            reply = await client.mgmt.role.load_all()
        roles = read_reply(RolesReply, reply, "load roles").roles
        return [role.to_definition() for role in roles if not role.tenant_id]

    # --- access keys --------------------------------------------------------------------------------------------

    async def create_access_key(
        self, name: str, *, tenant_id: str, role_names: Sequence[str], expire_time: int, description: str
    ) -> tuple[AccessKeyRecord, str]:
        """Create a key bound to ``tenant_id`` with ``role_names`` there (``POST /v1/mgmt/accesskey/create``).

        The tenant goes in ``keyTenants``: a key created with a bare ``tenantId`` is bound to no tenant at all. No
        project-level roles are given. ``expire_time`` is Unix seconds, 0 for never. Returns the key and its
        cleartext secret, which the provider returns only here.
        """
        from descope import AssociatedTenant

        client = self._client()
        async with translate_sdk_faults("create access key"):
            reply = await client.mgmt.access_key.create(
                name,
                expire_time=expire_time,
                key_tenants=[AssociatedTenant(tenant_id, list(role_names))],
                description=description,
            )
        created = read_reply(CreatedAccessKeyReply, reply, "create access key")
        return created.key.to_record(), created.cleartext

    async def load_access_key(self, key_id: str) -> AccessKeyRecord:
        """One access key by id (``GET /v1/mgmt/accesskey?id=``): consistent, unlike the search index."""
        client = self._client()
        async with translate_sdk_faults("load access key", refine=access_key_not_found):
            reply = await client.mgmt.access_key.load(key_id)
        return read_reply(AccessKeyReply, reply, "load access key").key.to_record()

    async def search_access_keys(self, tenant_id: str) -> list[AccessKeyRecord]:
        """Access keys bound to ``tenant_id`` (``POST /v1/mgmt/accesskey/search``), keys of others filtered out again.

        The search is an index that trails writes by about a second; callers that must see their own writes load
        those keys by id (:class:`~identity_stack.domain.access_keys.TenantAccessKeys`).
        """
        client = self._client()
        async with translate_sdk_faults("search access keys"):
            reply = await client.mgmt.access_key.search_all_access_keys(tenant_ids=[tenant_id])
        keys = [item.to_record() for item in read_reply(AccessKeysReply, reply, "search access keys").keys]
        return [key for key in keys if tenant_id in key.key_tenants]

    async def activate_access_key(self, key_id: str) -> None:
        """Let a key be exchanged for tokens again (``POST /v1/mgmt/accesskey/activate``)."""
        client = self._client()
        async with translate_sdk_faults("activate access key", refine=access_key_not_found):
            await client.mgmt.access_key.activate(key_id)

    async def deactivate_access_key(self, key_id: str) -> None:
        """Stop a key being exchanged (``POST /v1/mgmt/accesskey/deactivate``); tokens issued stay valid till expiry."""
        client = self._client()
        async with translate_sdk_faults("deactivate access key", refine=access_key_not_found):
            await client.mgmt.access_key.deactivate(key_id)

    async def delete_access_key(self, key_id: str) -> None:
        """Delete a key (``POST /v1/mgmt/accesskey/delete``)."""
        client = self._client()
        async with translate_sdk_faults("delete access key", refine=access_key_not_found):
            await client.mgmt.access_key.delete(key_id)


def _login_id(user: User) -> str:
    # Descope's user mutations are keyed by login id, tokens carry the user id; a user without one cannot be changed.
    if user.login_id is None:
        raise UpstreamError("The identity provider returned a user without a login id.")
    return user.login_id


@cache
def get_identity_provider() -> IdentityProviderClient:
    """The container's :class:`IdentityProviderClient` (a FastAPI dependency; ``cache_clear()`` in tests)."""
    return IdentityProviderClient(get_settings())
