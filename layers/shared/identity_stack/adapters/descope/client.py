"""Facade over the Descope management API: the SDK calls the functions use, with SDK faults as problems.

The SDK costs ~0.3 s to import, so it is imported on first use, never at module import. Methods are grouped by
resource; later functions add theirs (tenants, users, access keys) next to :meth:`IdentityProviderClient.logout_user`.
"""

import json
import logging
import secrets
import string
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING

import httpx
from pydantic import ValidationError

from identity_stack.config import Settings, get_settings
from identity_stack.domain.models import AccessKeyRecord, RoleDefinition, Tenant, User
from identity_stack.domain.validators import name_key
from identity_stack.errors import ConflictError, NotFoundError, ProblemError, UpstreamError, UpstreamUnavailableError

if TYPE_CHECKING:
    from descope import DescopeClientAsync

# Descope's SDK default is 60 s per phase; a Lambda behind API Gateway (29 s) must give up much sooner.
DESCOPE_TIMEOUT_S = 5.0
MANAGEMENT_KEY_MAX_AGE_S = 300
DEFAULT_RETRY_AFTER_S = 5
# Descope error codes (descope-wire-contract §5; Go/Node SDK error tables).
USER_NOT_FOUND_CODES = frozenset({"E112102", "E062108"})
ALREADY_EXISTS_CODES = frozenset({"E062107"})

logger = logging.getLogger(__name__)


def _error_code(error_message: str | None) -> str | None:
    # AuthException carries the raw response text; Descope bodies are {"errorCode", "errorDescription", ...}.
    try:
        body = json.loads(error_message or "")
    except ValueError:
        return None
    return body.get("errorCode") if isinstance(body, dict) else None


def _retry_after_s(rate_limit_parameters: dict[str, object]) -> int:
    value = rate_limit_parameters.get("Retry-After")
    return value if isinstance(value, int) and value > 0 else DEFAULT_RETRY_AFTER_S


@asynccontextmanager
async def translate_sdk_faults(operation: str) -> AsyncIterator[None]:
    """Turn descope SDK and transport faults into problems; upstream text is logged by code only, never returned.

    Parameters
    ----------
    operation : str
        What was attempted, for the log line (e.g. ``"logout user"``).

    Raises
    ------
    UpstreamUnavailableError
        Rate limited (``Retry-After`` from Descope), 5xx, timeout or network failure (503).
    NotFoundError
        Descope says the user does not exist (404).
    ConflictError
        Descope says the user already exists (409).
    UpstreamError
        Any other Descope 4xx, or a 2xx whose body is not JSON (502).
    ProblemError
        The SDK refused locally for lack of configuration, e.g. no management key (500).
    """
    from descope import AuthException, RateLimitException

    try:
        yield
    except RateLimitException as exc:
        logger.warning("descope %s rate limited", operation)
        raise UpstreamUnavailableError(
            "The identity provider is busy.", retry_after_s=_retry_after_s(exc.rate_limit_parameters)
        ) from exc
    except AuthException as exc:
        code = _error_code(exc.error_message)
        logger.warning("descope %s failed: status=%s code=%s", operation, exc.status_code, code)
        if exc.status_code is None:
            raise ProblemError() from exc
        if code in USER_NOT_FOUND_CODES:
            raise NotFoundError("The user does not exist.") from exc
        if code in ALREADY_EXISTS_CODES:
            raise ConflictError("The user already exists.") from exc
        if exc.status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            raise UpstreamUnavailableError("The identity provider is unavailable.") from exc
        raise UpstreamError("The identity provider rejected the request.") from exc
    except httpx.HTTPError as exc:
        logger.warning("descope %s unreachable: %s", operation, type(exc).__name__)
        raise UpstreamUnavailableError("The identity provider is unavailable.") from exc
    except json.JSONDecodeError as exc:
        logger.warning("descope %s returned an unreadable body", operation)
        raise UpstreamError("The identity provider sent an unreadable answer.") from exc


def read_management_key(settings: Settings) -> str | None:
    """The management key: ``DESCOPE_MANAGEMENT_KEY`` locally, else the Secrets Manager secret (cached 5 min).

    Raises
    ------
    aws_lambda_powertools.utilities.parameters.exceptions.GetParameterError
        The secret cannot be read.
    """
    if settings.descope_management_key is not None:
        return settings.descope_management_key.get_secret_value()
    if settings.descope_management_key_secret_arn:
        from aws_lambda_powertools.utilities import parameters

        return parameters.get_secret(settings.descope_management_key_secret_arn, max_age=MANAGEMENT_KEY_MAX_AGE_S)
    return None


class IdentityProviderClient:
    """The Descope management calls the functions make, each returning plain data or raising a problem.

    Parameters
    ----------
    settings : Settings
        ``DESCOPE_PROJECT_ID`` (required), ``DESCOPE_BASE_URL`` and the management key source.

    Notes
    -----
    Uses ``DescopeClientAsync``: its one pooled ``httpx.AsyncClient`` lives on Mangum's event loop, so warm calls
    skip the TCP/TLS set-up the sync client pays per call. Built on first use.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._sdk: DescopeClientAsync | None = None

    def _client(self) -> "DescopeClientAsync":
        if self._sdk is None:
            from descope import DescopeClientAsync

            settings = self._settings
            settings.require("descope_project_id")
            # Everything explicit: no reliance on the SDK's own env fallbacks (DESCOPE_BASE_URI, wire contract §1.2).
            self._sdk = DescopeClientAsync(
                settings.descope_project_id or "",
                management_key=read_management_key(settings),
                timeout_seconds=DESCOPE_TIMEOUT_S,
                base_url=settings.descope_base_url,
            )
        return self._sdk

    async def logout_user(self, user_id: str) -> None:
        """Revoke every session (refresh token) of a user on every device.

        Access tokens already issued stay valid until they expire; revocation stops them being refreshed.

        Parameters
        ----------
        user_id : str
            Descope user id.

        Raises
        ------
        NotFoundError, UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with translate_sdk_faults("logout user"):
            await client.mgmt.user.logout_user_by_user_id(user_id)

    # --- tenants (functions/tenants) ----------------------------------------------------------------------------

    async def create_tenant(
        self,
        name: str,
        *,
        self_provisioning_domains: Sequence[str],
        custom_attributes: Mapping[str, object],
        owner_user_id: str,
        owner_roles: Sequence[str],
    ) -> Tenant:
        """Create a tenant and give its creator ``owner_roles`` there, all or nothing.

        Names are unique as :func:`~identity_stack.domain.validators.name_key` compares them (Descope only refuses an
        exact duplicate), and a self-provisioning domain belongs to one tenant at most: a user signing up with that
        domain must land in one tenant, not whichever Descope picks. Both are checked against one listing of every
        tenant before anything is written; two creations racing with the same name can still both pass.

        The tenant id is minted here (Descope accepts custom ids), so a step that fails after the create, or a
        create whose outcome is unknown (timeout), is undone by deleting that id: the caller never gets a silent
        half state.

        Parameters
        ----------
        name : str
            Unique per project (Descope ``tenant.create``).
        self_provisioning_domains : Sequence[str]
            Email domains whose users join the tenant on sign-up.
        custom_attributes : Mapping[str, object]
            Initial tenant custom attributes (defined in the Descope project).
        owner_user_id : str
            Descope user id of the creator.
        owner_roles : Sequence[str]
            Tenant roles the creator receives.

        Returns
        -------
        Tenant

        Raises
        ------
        ConflictError
            A tenant with this name exists, or another tenant claims one of the domains (409, the domains in
            ``claimed_domains``); nothing was created.
        NotFoundError
            The creator is not a Descope user (404); nothing was created.
        UpstreamError, UpstreamUnavailableError
            A step failed and the tenant was removed again, or never made (the original 502/503). If removing it
            failed too, an ``UpstreamError`` (502) whose ``tenant_state`` says what is left and ``tenant_id`` names it.
        """
        await self._require_unclaimed(name, self_provisioning_domains)
        login_id = await self._login_id(owner_user_id)
        tenant_id = _new_tenant_id()
        client = self._client()
        created = False
        try:
            async with _translate_tenant_faults("create tenant"):
                await client.mgmt.tenant.create(
                    name,
                    id=tenant_id,
                    self_provisioning_domains=list(self_provisioning_domains),
                    custom_attributes=dict(custom_attributes),
                )
            created = True
            async with translate_sdk_faults("add tenant owner"):
                await client.mgmt.user.add_tenant_roles(login_id, tenant_id, list(owner_roles))
        except ConflictError:
            raise
        except ProblemError as exc:
            await self._undo_tenant_creation(tenant_id, known_created=created, cause=exc)
            raise
        return Tenant(
            id=tenant_id,
            name=name,
            self_provisioning_domains=list(self_provisioning_domains),
            custom_attributes=dict(custom_attributes),
        )

    async def search_tenants(self, *, ids: Sequence[str]) -> list[Tenant]:
        """Tenants with any of ``ids``, in one call (``POST /v1/mgmt/tenant/search``).

        Raises
        ------
        ValueError
            ``ids`` is empty: Descope would return every tenant of the project.
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a tenant list (502).
        """
        if not ids:
            raise ValueError("search_tenants needs ids")
        client = self._client()
        async with translate_sdk_faults("search tenants"):
            reply = await client.mgmt.tenant.search_all(ids=list(ids))
        return _tenants_from(reply)

    async def load_tenant(self, tenant_id: str) -> Tenant:
        """One tenant by id, found by search so a missing tenant is an empty result, not an unpublished error code.

        Raises
        ------
        NotFoundError
            Descope has no such tenant (404).
        UpstreamError, UpstreamUnavailableError
            See :meth:`search_tenants`.
        """
        found = [tenant for tenant in await self.search_tenants(ids=[tenant_id]) if tenant.id == tenant_id]
        if not found:
            raise NotFoundError("The tenant does not exist.")
        return found[0]

    async def _require_unclaimed(self, name: str, self_provisioning_domains: Sequence[str]) -> None:
        client = self._client()
        async with translate_sdk_faults("list tenants"):
            reply = await client.mgmt.tenant.load_all()
        tenants = _tenants_from(reply)
        key = name_key(name)
        if any(name_key(tenant.name) == key for tenant in tenants):
            raise ConflictError("A tenant with this name already exists.")
        claimed = {domain.lower() for tenant in tenants for domain in tenant.self_provisioning_domains}
        taken = sorted({domain.lower() for domain in self_provisioning_domains} & claimed)
        if taken:
            raise ConflictError(
                "Another tenant already claims a self-provisioning domain of this tenant.", claimed_domains=taken
            )

    async def _login_id(self, user_id: str) -> str:
        # Descope's user mutations are keyed by login id (wire contract §3.2), tokens carry the user id.
        client = self._client()
        async with translate_sdk_faults("load user"):
            reply = await client.mgmt.user.load_by_user_id(user_id)
        login_ids = reply.get("user", {}).get("loginIds") if isinstance(reply, dict) else None
        if not login_ids or not isinstance(login_ids[0], str):
            raise UpstreamError("The identity provider returned a user without a login id.")
        return login_ids[0]

    async def _undo_tenant_creation(self, tenant_id: str, *, known_created: bool, cause: ProblemError) -> None:
        client = self._client()
        try:
            if known_created or await self.search_tenants(ids=[tenant_id]):
                async with translate_sdk_faults("delete tenant"):
                    await client.mgmt.tenant.delete(tenant_id, cascade=False)
        except ProblemError as exc:
            logger.error("undoing tenant %s failed after %s", tenant_id, type(cause).__name__)
            state = "created_without_owner" if known_created else "unknown"
            raise UpstreamError(
                "Creating the tenant failed part-way and removing it failed too; "
                + ("it exists without an owner." if known_created else "it may exist without an owner."),
                tenant_id=tenant_id,
                tenant_state=state,
            ) from exc

    # --- users and roles (functions/roles, functions/attributes) ------------------------------------------------

    async def load_user(self, user_id: str) -> User:
        """One user by user id (``GET /v1/mgmt/user?userId=``).

        Raises
        ------
        NotFoundError
            Descope has no such user (404).
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a user (502).
        """
        client = self._client()
        async with translate_sdk_faults("load user"):
            reply = await client.mgmt.user.load_by_user_id(user_id)
        return _user_from(reply)

    async def load_tenant_member(self, user_id: str, tenant_id: str) -> User:
        """A user who is a member of ``tenant_id``.

        Raises
        ------
        NotFoundError
            No such user, or a user who is not a member of the tenant: one answer (same detail, same single call)
            for both, so a tenant admin learns nothing about users of other tenants (upstream-behaviour §7.1 item 6).
        UpstreamError, UpstreamUnavailableError
            See :meth:`load_user`.
        """
        try:
            user = await self.load_user(user_id)
        except NotFoundError:
            raise NotFoundError(MEMBER_NOT_FOUND_DETAIL) from None
        if tenant_id not in user.tenant_roles:
            raise NotFoundError(MEMBER_NOT_FOUND_DETAIL)
        return user

    async def search_tenant_users(self, tenant_id: str, *, role: str, statuses: Sequence[str] = ()) -> list[User]:
        """Users holding ``role`` in ``tenant_id`` (one ``POST /v2/mgmt/user/search`` page, at most 100 users).

        The provider's filters are applied again here: Descope documents ``tenantRoleNames`` but the wire contract
        does not verify it, and a wrong answer must never count someone as an owner.

        Parameters
        ----------
        tenant_id : str
        role : str
            Tenant role name.
        statuses : Sequence[str], optional
            Keep only users with one of these statuses (``enabled``, ``disabled``, ``invited``, ``expired``).

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a user list (502).
        """
        client = self._client()
        async with translate_sdk_faults("search users"):
            reply = await client.mgmt.user.search_all(
                tenant_ids=[tenant_id],
                tenant_role_names={tenant_id: {"values": [role], "and": False}},
                statuses=list(statuses) or None,
                limit=USER_SEARCH_PAGE_SIZE,
            )
        return [
            user
            for user in _users_from(reply)
            if role in user.tenant_roles.get(tenant_id, ()) and (not statuses or user.status in statuses)
        ]

    async def add_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        """Add tenant roles to ``user`` (``POST /v2/mgmt/user/update/role/add``, keyed by login id).

        Returns
        -------
        User
            The user as the provider holds it afterwards.

        Raises
        ------
        UpstreamError
            ``user`` has no login id, or the provider refused (502).
        NotFoundError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with translate_sdk_faults("add tenant roles"):
            reply = await client.mgmt.user.add_tenant_roles(_require_login_id(user), tenant_id, list(roles))
        return _user_from(reply)

    async def remove_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        """Remove tenant roles from ``user`` (``POST /v1/mgmt/user/update/role/remove``, keyed by login id).

        Returns
        -------
        User
            The user as the provider holds it afterwards.

        Raises
        ------
        UpstreamError
            ``user`` has no login id, or the provider refused (502).
        NotFoundError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with translate_sdk_faults("remove tenant roles"):
            reply = await client.mgmt.user.remove_tenant_roles(_require_login_id(user), tenant_id, list(roles))
        return _user_from(reply)

    async def list_role_definitions(self) -> list[RoleDefinition]:
        """The project's roles (``GET /v1/mgmt/role/all``); roles scoped to one tenant are left out.

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a role list (502).
        """
        client = self._client()
        async with translate_sdk_faults("load roles"):
            reply = await client.mgmt.role.load_all()
        return _project_roles_from(reply)

    async def update_user_custom_attribute(self, user_id: str, key: str, value: str | int | bool) -> User:
        """Set one custom attribute of a user (``POST /v1/mgmt/user/update/customAttribute``, keyed by login id).

        Parameters
        ----------
        user_id : str
            Descope user id; resolved to the login id first.
        key : str
            Attribute name, defined in the Descope project (infra/).
        value : str, int or bool
            Sent with its JSON type.

        Returns
        -------
        User
            The user as the provider holds it afterwards.

        Raises
        ------
        NotFoundError
            Descope has no such user (404).
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        user = await self.load_user(user_id)
        client = self._client()
        async with translate_sdk_faults("update user attribute"):
            reply = await client.mgmt.user.update_custom_attribute(_require_login_id(user), key, value)
        return _user_from(reply)

    async def update_tenant_custom_attributes(self, tenant_id: str, changes: Mapping[str, object]) -> Tenant:
        """Set some custom attributes of a tenant and keep the others (``PATCH /v1/mgmt/tenant/patch``).

        A patch's ``customAttributes`` may replace the whole object (the local provider does; Descope's docs do not
        say), so the current attributes are read and merged first. Two concurrent updates of different keys can
        still lose one: the API has no compare-and-set.

        Returns
        -------
        Tenant
            The tenant with the merged attributes.

        Raises
        ------
        NotFoundError
            Descope has no such tenant (404); nothing was changed.
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        tenant = await self.load_tenant(tenant_id)
        merged = {**tenant.custom_attributes, **changes}
        client = self._client()
        async with translate_sdk_faults("patch tenant"):
            await client.mgmt.tenant.patch_tenant(tenant_id, custom_attributes=merged)
        return tenant.model_copy(update={"custom_attributes": merged})

    # --- access keys and members (functions/keys, functions/members) --------------------------------------------

    async def create_access_key(
        self,
        name: str,
        *,
        tenant_id: str,
        role_names: Sequence[str],
        expire_time: int,
        description: str,
    ) -> tuple[AccessKeyRecord, str]:
        """Create an access key bound to one tenant with ``role_names`` there (``POST /v1/mgmt/accesskey/create``).

        The tenant goes in ``keyTenants``: a key created with a bare ``tenantId`` is bound to no tenant at all
        (upstream-behaviour §2.7). No project-level roles are given.

        Parameters
        ----------
        name : str
        tenant_id : str
        role_names : Sequence[str]
            Tenant roles of the key.
        expire_time : int
            Unix seconds; 0 = never.
        description : str

        Returns
        -------
        tuple of (AccessKeyRecord, str)
            The key and its cleartext secret, which the provider returns only here.

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply without the key or its secret (502).
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
        cleartext = reply.get("cleartext") if isinstance(reply, dict) else None
        if not isinstance(cleartext, str) or not cleartext:
            raise UpstreamError(_UNREADABLE_ANSWER)
        return _access_key_from(reply), cleartext

    async def load_access_key(self, key_id: str) -> AccessKeyRecord:
        """One access key by id (``GET /v1/mgmt/accesskey?id=``): consistent, unlike the search index.

        Raises
        ------
        NotFoundError
            Descope has no such key (404).
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a key (502).
        """
        client = self._client()
        async with _translate_access_key_faults("load access key"):
            reply = await client.mgmt.access_key.load(key_id)
        return _access_key_from(reply)

    async def search_access_keys(self, tenant_id: str) -> list[AccessKeyRecord]:
        """Access keys bound to ``tenant_id`` (``POST /v1/mgmt/accesskey/search``).

        The search is an index that trails writes by about a second (upstream-behaviour §2.7); callers that must
        see their own writes load those keys by id
        (see :class:`~identity_stack.adapters.dynamodb.store.RecentAccessKeys`).

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a key list (502).
        """
        client = self._client()
        async with translate_sdk_faults("search access keys"):
            reply = await client.mgmt.access_key.search_all_access_keys(tenant_ids=[tenant_id])
        try:
            keys = [_access_key_from_object(item) for item in reply["keys"]]
        except (KeyError, TypeError, AttributeError, ValidationError) as exc:
            raise UpstreamError(_UNREADABLE_ANSWER) from exc
        return [key for key in keys if tenant_id in key.key_tenants]

    async def set_access_key_active(self, key_id: str, *, active: bool) -> None:
        """Activate or deactivate a key (``POST /v1/mgmt/accesskey/activate|deactivate``).

        A deactivated key can no longer be exchanged for a token; tokens already issued stay valid until they
        expire.

        Raises
        ------
        NotFoundError
            Descope has no such key (404).
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with _translate_access_key_faults("change access key status"):
            if active:
                await client.mgmt.access_key.activate(key_id)
            else:
                await client.mgmt.access_key.deactivate(key_id)

    async def delete_access_key(self, key_id: str) -> None:
        """Delete a key (``POST /v1/mgmt/accesskey/delete``).

        Raises
        ------
        NotFoundError
            Descope has no such key (404).
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with _translate_access_key_faults("delete access key"):
            await client.mgmt.access_key.delete(key_id)

    async def search_tenant_members(self, tenant_id: str, *, page: int, limit: int) -> tuple[list[User], int]:
        """One page of the members of ``tenant_id`` (``POST /v2/mgmt/user/search``, 0-based pages).

        Parameters
        ----------
        tenant_id : str
        page : int
            0-based; the provider's offset is ``page * limit``.
        limit : int
            1 to 100.

        Returns
        -------
        tuple of (list of User, int)
            The page (users of other tenants filtered out again) and the provider's total.

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`; also a reply that is not a user list (502).
        """
        client = self._client()
        async with translate_sdk_faults("search users"):
            reply = await client.mgmt.user.search_all(tenant_ids=[tenant_id], limit=limit, page=page)
        total = reply.get("total") if isinstance(reply, dict) else None
        users = [user for user in _users_from(reply) if tenant_id in user.tenant_roles]
        return users, total if isinstance(total, int) else len(users)

    async def find_user_by_login_id(self, login_id: str) -> User | None:
        """The user who signs in with ``login_id`` (``GET /v1/mgmt/user?loginId=``), or None.

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        try:
            async with translate_sdk_faults("load user by login id"):
                reply = await client.mgmt.user.load(login_id)
        except NotFoundError:
            return None
        return _user_from(reply)

    async def invite_user(self, email: str, *, tenant_id: str, roles: Sequence[str]) -> User:
        """Create a user who is invited to ``tenant_id`` with ``roles`` (``POST /v1/mgmt/user/create``, invite).

        The email is the login id; whether a message is sent follows the project's settings.

        Returns
        -------
        User
            The new user (status ``invited``).

        Raises
        ------
        ConflictError
            A user with this login id exists (409); nothing was created.
        UpstreamError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        from descope import AssociatedTenant

        client = self._client()
        async with translate_sdk_faults("invite user"):
            reply = await client.mgmt.user.invite(
                email, email=email, user_tenants=[AssociatedTenant(tenant_id, list(roles))]
            )
        return _user_from(reply)

    async def remove_user_from_tenant(self, user: User, tenant_id: str) -> User:
        """End ``user``'s membership of ``tenant_id`` only (``POST /v1/mgmt/user/update/tenant/remove``).

        Returns
        -------
        User
            The user as the provider holds it afterwards.

        Raises
        ------
        UpstreamError
            ``user`` has no login id, or the provider refused (502).
        NotFoundError, UpstreamUnavailableError
            See :func:`translate_sdk_faults`.
        """
        client = self._client()
        async with translate_sdk_faults("remove user from tenant"):
            reply = await client.mgmt.user.remove_tenant(_require_login_id(user), tenant_id)
        return _user_from(reply)


# --- tenants (functions/tenants) --------------------------------------------------------------------------------

TENANT_ID_PREFIX = "T"
TENANT_ID_RANDOM_CHARS = 27
_TENANT_ID_ALPHABET = string.ascii_letters + string.digits
# Descope publishes no code for "tenant exists" (wire contract §5); this is the local provider's. Real Descope's
# duplicate is caught earlier by the name search in create_tenant, or ends as a 502.
TENANT_EXISTS_CODES = frozenset({"E114107"})


def _new_tenant_id() -> str:
    """A Descope-style opaque tenant id (``T`` + 27 letters or digits, ~160 random bits)."""
    return TENANT_ID_PREFIX + "".join(secrets.choice(_TENANT_ID_ALPHABET) for _ in range(TENANT_ID_RANDOM_CHARS))


def _tenants_from(reply: object) -> list[Tenant]:
    try:
        return [
            Tenant(
                id=item["id"],
                name=item["name"],
                self_provisioning_domains=item.get("selfProvisioningDomains") or [],
                custom_attributes=item.get("customAttributes") or {},
            )
            for item in reply["tenants"]  # type: ignore[index]
        ]
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise UpstreamError("The identity provider sent an unreadable answer.") from exc


@asynccontextmanager
async def _translate_tenant_faults(operation: str) -> AsyncIterator[None]:
    from descope import AuthException

    async with translate_sdk_faults(operation):
        try:
            yield
        except AuthException as exc:
            if _error_code(exc.error_message) in TENANT_EXISTS_CODES:
                raise ConflictError("A tenant with this name already exists.") from exc
            raise


# --- users and roles (functions/roles, functions/attributes) -----------------------------------------------------

MEMBER_NOT_FOUND_DETAIL = "No member of this tenant has this user id."
# One page is enough where it is used (the owners of one tenant); more than this many owners would be a finding.
USER_SEARCH_PAGE_SIZE = 100
_UNREADABLE_ANSWER = "The identity provider sent an unreadable answer."


def _user_from_object(user: Mapping[str, object]) -> User:
    login_ids = user.get("loginIds") or []
    return User(
        user_id=user["userId"],
        login_id=login_ids[0] if login_ids else None,  # type: ignore[index]
        name=user.get("name") or "",
        email=user.get("email") or "",
        status=user.get("status") or "",
        custom_attributes=user.get("customAttributes") or {},
        tenant_roles={
            entry["tenantId"]: list(entry.get("roleNames") or [])
            for entry in user.get("userTenants") or []  # type: ignore[attr-defined]
        },
    )


def _user_from(reply: object) -> User:
    try:
        return _user_from_object(reply["user"])  # type: ignore[index]
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise UpstreamError(_UNREADABLE_ANSWER) from exc


def _users_from(reply: object) -> list[User]:
    try:
        return [_user_from_object(item) for item in reply["users"]]  # type: ignore[index]
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise UpstreamError(_UNREADABLE_ANSWER) from exc


def _project_roles_from(reply: object) -> list[RoleDefinition]:
    try:
        return [
            RoleDefinition(
                name=item["name"],
                description=item.get("description") or "",
                permissions=item.get("permissionNames") or [],
            )
            for item in reply["roles"]  # type: ignore[index]
            if not item.get("tenantId")
        ]
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise UpstreamError(_UNREADABLE_ANSWER) from exc


def _require_login_id(user: User) -> str:
    # Descope's user mutations are keyed by login id (wire contract §3.2); a user without one cannot be changed.
    if user.login_id is None:
        raise UpstreamError("The identity provider returned a user without a login id.")
    return user.login_id


# --- access keys and members (functions/keys, functions/members) -------------------------------------------------

# Descope publishes no "access key not found" code (wire contract §5, §10); this is the local provider's.
ACCESS_KEY_NOT_FOUND_CODES = frozenset({"E115102"})


def _access_key_from_object(key: Mapping[str, object]) -> AccessKeyRecord:
    return AccessKeyRecord(
        id=key["id"],
        name=key["name"],
        description=key.get("description") or "",
        status=key["status"],
        created_time=key.get("createdTime") or 0,
        expire_time=key.get("expireTime") or 0,
        client_id=key.get("clientId") or "",
        key_tenants={
            entry["tenantId"]: list(entry.get("roleNames") or [])
            for entry in key.get("keyTenants") or []  # type: ignore[attr-defined]
        },
    )


def _access_key_from(reply: object) -> AccessKeyRecord:
    try:
        return _access_key_from_object(reply["key"])  # type: ignore[index]
    except (KeyError, TypeError, AttributeError, ValidationError) as exc:
        raise UpstreamError(_UNREADABLE_ANSWER) from exc


@asynccontextmanager
async def _translate_access_key_faults(operation: str) -> AsyncIterator[None]:
    from descope import AuthException

    async with translate_sdk_faults(operation):
        try:
            yield
        except AuthException as exc:
            if exc.status_code == HTTPStatus.NOT_FOUND or _error_code(exc.error_message) in ACCESS_KEY_NOT_FOUND_CODES:
                raise NotFoundError("No such access key.") from exc
            raise


@cache
def get_identity_provider() -> IdentityProviderClient:
    """The container's :class:`IdentityProviderClient` (a FastAPI dependency; ``cache_clear()`` in tests)."""
    return IdentityProviderClient(get_settings())
