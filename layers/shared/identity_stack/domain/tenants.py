"""Tenants: creation with unique names and domain claims (all or nothing), lookup, custom attributes, membership.

Tenants and their self-provisioning domains: https://docs.descope.com/manage/tenants/. Descope refuses only an exact
duplicate tenant name; names unique up to case and spacing, and one tenant per self-provisioning domain (so a user
signing up lands in one tenant), are this project's rules, kept here.
"""

import logging
import secrets
import string
from collections.abc import Mapping, Sequence

from identity_stack.domain.models import Tenant, User
from identity_stack.domain.ports import IdentityProvider
from identity_stack.domain.validators import name_key
from identity_stack.errors import ConflictError, NotFoundError, ProblemError, UpstreamError

__all__ = [
    "MEMBER_NOT_FOUND_DETAIL",
    "TENANT_ID_PATTERN",
    "create_tenant",
    "load_tenant",
    "load_tenant_member",
    "new_tenant_id",
    "update_tenant_custom_attributes",
]

TENANT_ID_PREFIX = "T"
TENANT_ID_RANDOM_CHARS = 27
_TENANT_ID_ALPHABET = string.ascii_letters + string.digits
TENANT_ID_PATTERN = rf"{TENANT_ID_PREFIX}[A-Za-z0-9]{{{TENANT_ID_RANDOM_CHARS}}}"
MEMBER_NOT_FOUND_DETAIL = "No member of this tenant has this user id."

logger = logging.getLogger(__name__)


def new_tenant_id() -> str:
    """A Descope-style opaque tenant id: ``T`` + 27 letters or digits (~160 random bits)."""
    return TENANT_ID_PREFIX + "".join(secrets.choice(_TENANT_ID_ALPHABET) for _ in range(TENANT_ID_RANDOM_CHARS))


async def create_tenant(
    idp: IdentityProvider,
    name: str,
    *,
    self_provisioning_domains: Sequence[str],
    custom_attributes: Mapping[str, object],
    owner_user_id: str,
    owner_roles: Sequence[str],
) -> Tenant:
    """Create a tenant and give its creator ``owner_roles`` there, all or nothing.

    Names are unique as :func:`~identity_stack.domain.validators.name_key` compares them, and a self-provisioning
    domain belongs to one tenant at most: a user signing up with that domain must land in one tenant, not whichever
    the provider picks. Both are checked against one listing of every tenant before anything is written; two
    creations racing with the same name can still both pass.

    The tenant id is minted here (Descope accepts custom ids), so a step that fails after the create, or a create
    whose outcome is unknown (timeout), is undone by deleting that id: the caller never gets a silent half state.

    Parameters
    ----------
    idp : IdentityProvider
    name : str
        Display name; unique per project.
    self_provisioning_domains : Sequence[str]
        Email domains whose users join the tenant on sign-up.
    custom_attributes : Mapping[str, object]
        Initial tenant custom attributes (defined in the Descope project).
    owner_user_id : str
        User id of the creator.
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
        The creator is not a user of the provider (404); nothing was created.
    UpstreamError, UpstreamUnavailableError
        A step failed and the tenant was removed again, or never made (the original 502/503). If removing it
        failed too, an ``UpstreamError`` (502) whose ``tenant_state`` says what is left and ``tenant_id`` names it.
    """
    _require_unclaimed(name, self_provisioning_domains, await idp.list_tenants())
    owner = await idp.load_user(owner_user_id)
    tenant = Tenant(
        id=new_tenant_id(),
        name=name,
        self_provisioning_domains=list(self_provisioning_domains),
        custom_attributes=dict(custom_attributes),
    )
    created = False
    try:
        await idp.create_tenant(
            tenant.id,
            tenant.name,
            self_provisioning_domains=tenant.self_provisioning_domains,
            custom_attributes=tenant.custom_attributes,
        )
        created = True
        await idp.add_tenant_roles(owner, tenant.id, list(owner_roles))
    except ConflictError:
        raise
    except ProblemError as exc:
        await _undo_creation(idp, tenant.id, known_created=created, cause=exc)
        raise
    return tenant


async def load_tenant(idp: IdentityProvider, tenant_id: str) -> Tenant:
    """One tenant by id, found by search so a missing tenant is an empty result, not an unpublished error code.

    Raises
    ------
    NotFoundError
        The provider has no such tenant (404).
    UpstreamError, UpstreamUnavailableError
        The provider failed (502/503).
    """
    found = [tenant for tenant in await idp.search_tenants(ids=[tenant_id]) if tenant.id == tenant_id]
    if not found:
        raise NotFoundError("The tenant does not exist.")
    return found[0]


async def update_tenant_custom_attributes(
    idp: IdentityProvider, tenant_id: str, changes: Mapping[str, object]
) -> Tenant:
    """Set some custom attributes of a tenant and keep the others.

    Descope's tenant patch sets each field it is given and does not say that ``customAttributes`` is merged key by
    key (https://docs.descope.com/management/tenant-management/patch-tenant); the local provider replaces it whole.
    So the current attributes are read and merged first. Two concurrent updates of different keys can still lose
    one: the API has no compare-and-set.

    Returns
    -------
    Tenant
        The tenant with the merged attributes.

    Raises
    ------
    NotFoundError
        The provider has no such tenant (404); nothing was changed.
    UpstreamError, UpstreamUnavailableError
        The provider failed (502/503).
    """
    tenant = await load_tenant(idp, tenant_id)
    merged = {**tenant.custom_attributes, **changes}
    await idp.set_tenant_custom_attributes(tenant_id, merged)
    return tenant.model_copy(update={"custom_attributes": merged})


async def load_tenant_member(idp: IdentityProvider, user_id: str, tenant_id: str) -> User:
    """A user who is a member of ``tenant_id``.

    Raises
    ------
    NotFoundError
        No such user, or a user who is not a member of the tenant: one answer (same detail, same single call) for
        both, so a tenant admin learns nothing about the users of other tenants (404).
    UpstreamError, UpstreamUnavailableError
        The provider failed (502/503).
    """
    try:
        user = await idp.load_user(user_id)
    except NotFoundError:
        raise NotFoundError(MEMBER_NOT_FOUND_DETAIL) from None
    if tenant_id not in user.tenant_roles:
        raise NotFoundError(MEMBER_NOT_FOUND_DETAIL)
    return user


def _require_unclaimed(name: str, self_provisioning_domains: Sequence[str], tenants: Sequence[Tenant]) -> None:
    key = name_key(name)
    if any(name_key(tenant.name) == key for tenant in tenants):
        raise ConflictError("A tenant with this name already exists.")
    claimed = {domain.lower() for tenant in tenants for domain in tenant.self_provisioning_domains}
    taken = sorted({domain.lower() for domain in self_provisioning_domains} & claimed)
    if taken:
        raise ConflictError(
            "Another tenant already claims a self-provisioning domain of this tenant.", claimed_domains=taken
        )


async def _undo_creation(idp: IdentityProvider, tenant_id: str, *, known_created: bool, cause: ProblemError) -> None:
    """Delete the half-made tenant; if that fails too, tell the caller what may be left."""
    try:
        if known_created or await idp.search_tenants(ids=[tenant_id]):
            await idp.delete_tenant(tenant_id)
    except ProblemError as exc:
        logger.error("undoing tenant %s failed after %s", tenant_id, type(cause).__name__)
        state = "created_without_owner" if known_created else "unknown"
        raise UpstreamError(
            "Creating the tenant failed part-way and removing it failed too; "
            + ("it exists without an owner." if known_created else "it may exist without an owner."),
            tenant_id=tenant_id,
            tenant_state=state,
        ) from exc
