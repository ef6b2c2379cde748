"""Access keys owned by one tenant: created bound to it alone, visible and changeable only from it.

Rules:

* a key gets known roles only, none ranked above the creator's own (an admin cannot mint an owner key), and only
  someone who could have granted every role a key holds may deactivate, activate or delete it (an admin cannot
  switch off or revive an owner key): :func:`~identity_stack.auth.rbac.require_grantable`;
* a key not bound to the tenant is "not found" (404), never "forbidden", so its existence does not leak;
* a key bound to several tenants is read-only from each of them: changing it would change the others (409);
* the secret is returned by :meth:`TenantAccessKeys.create` once, and exists nowhere else in this code.

Descope's key search is an index that trails writes by about a second. The keys this tenant changed in the last
minute are remembered in DynamoDB (:class:`~identity_stack.adapters.dynamodb.recent_keys.RecentAccessKeys`) and
loaded by id when listing, so a client sees its own writes: a new key is listed at once, a deleted one is gone at once.
"""

import asyncio
import logging
from collections.abc import Iterable

from identity_stack.auth.principal import Principal
from identity_stack.auth.rbac import require_grantable
from identity_stack.domain.models import AccessKey, AccessKeyList, AccessKeyRecord, CreatedAccessKey
from identity_stack.domain.ports import IdentityProvider, RecentKeyStore
from identity_stack.domain.roles import read_granter_roles
from identity_stack.domain.validators import is_opaque_id
from identity_stack.errors import ConflictError, NotFoundError, UpstreamError

__all__ = ["KEY_NOT_FOUND_DETAIL", "TenantAccessKeys"]

KEY_NOT_FOUND_DETAIL = "No access key of this tenant has this id."

logger = logging.getLogger(__name__)


class SharedAccessKeyError(ConflictError):
    """Raised when a key bound to several tenants would be changed from one of them."""

    code = "shared-access-key"
    title = "Access key shared with other tenants"


class TenantAccessKeys:
    """The access keys of one tenant.

    Parameters
    ----------
    tenant_id : str
        The caller's active tenant; every key read or changed here must be bound to it.
    idp : IdentityProvider
    recent : RecentKeyStore
        This tenant's read-your-writes memory.
    """

    def __init__(self, tenant_id: str, idp: IdentityProvider, recent: RecentKeyStore) -> None:
        self.tenant_id = tenant_id
        self._idp = idp
        self._recent = recent

    async def create(
        self,
        *,
        name: str,
        description: str,
        expire_time: int | None,
        role_names: Iterable[str],
        actor: Principal,
    ) -> CreatedAccessKey:
        """Create a key bound to this tenant only.

        Parameters
        ----------
        name, description : str
            Already length-checked by the caller's schema.
        expire_time : int or None
            Future Unix seconds, or None for a key that never expires.
        role_names : Iterable[str]
            The key's roles in this tenant, known role names (checked by the caller's schema).
        actor : Principal
            The caller; what they may grant is judged by :func:`~identity_stack.domain.roles.read_granter_roles`.

        Returns
        -------
        CreatedAccessKey
            The key and its secret; the secret is never returned again.

        Raises
        ------
        RoleChangeDeniedError
            A role ranks above the caller's own (403); nothing was created.
        UpstreamError, UpstreamUnavailableError
            The provider failed (502/503); nothing was created.
        """
        roles = list(dict.fromkeys(role_names))
        await self._require_grantable(roles, actor)
        record, cleartext = await self._idp.create_access_key(
            name, tenant_id=self.tenant_id, role_names=roles, expire_time=expire_time or 0, description=description
        )
        await self._remember(record.id, deleted=False)
        return CreatedAccessKey(key=self._view(record), cleartext=cleartext)

    async def list_keys(self) -> AccessKeyList:
        """The tenant's keys, oldest first, including changes of the last minute the search has not caught up with.

        Raises
        ------
        UpstreamError, UpstreamUnavailableError
            The provider failed (502/503).
        """
        found, recent = await asyncio.gather(self._idp.search_access_keys(self.tenant_id), self._recent_changes())
        keys = {key.id: key for key in found if not recent.get(key.id, False)}
        changed = [key_id for key_id, deleted in recent.items() if not deleted]
        for key_id, loaded in zip(changed, await asyncio.gather(*map(self._load_if_present, changed)), strict=True):
            keys.pop(key_id, None)
            if loaded is not None and self.tenant_id in loaded.key_tenants:
                keys[key_id] = loaded
        ordered = sorted(keys.values(), key=lambda key: (key.created_time, key.id))
        return AccessKeyList(keys=[self._view(key) for key in ordered])

    async def get(self, key_id: str) -> AccessKey:
        """One key of the tenant.

        Raises
        ------
        NotFoundError
            No key with this id is bound to this tenant (404), whether or not it exists elsewhere.
        UpstreamError, UpstreamUnavailableError
            The provider failed (502/503).
        """
        return self._view(await self._load_own(key_id))

    async def set_active(self, key_id: str, *, active: bool, actor: Principal) -> AccessKey:
        """Activate or deactivate a key of this tenant alone; a deactivated key can no longer be exchanged.

        Parameters
        ----------
        key_id : str
        active : bool
        actor : Principal
            The caller; must be able to grant every role the key holds here (as for :meth:`create`).

        Raises
        ------
        NotFoundError
            No key with this id is bound to this tenant (404).
        SharedAccessKeyError
            The key is bound to other tenants too (409); nothing was changed.
        RoleChangeDeniedError
            The key holds a role ranked above the caller's own (403); nothing was changed.
        UpstreamError, UpstreamUnavailableError
            The provider failed (502/503); nothing was changed.
        """
        record = await self._load_changeable(key_id, actor)
        if active:
            await self._idp.activate_access_key(record.id)
        else:
            await self._idp.deactivate_access_key(record.id)
        await self._remember(record.id, deleted=False)
        return self._view(record.model_copy(update={"status": "active" if active else "inactive"}))

    async def delete(self, key_id: str, *, actor: Principal) -> None:
        """Delete a key of this tenant alone.

        Parameters
        ----------
        key_id : str
        actor : Principal
            The caller; must be able to grant every role the key holds here (as for :meth:`create`).

        Raises
        ------
        NotFoundError
            No key with this id is bound to this tenant (404).
        SharedAccessKeyError
            The key is bound to other tenants too (409); nothing was deleted.
        RoleChangeDeniedError
            The key holds a role ranked above the caller's own (403); nothing was deleted.
        UpstreamError, UpstreamUnavailableError
            The provider failed (502/503); nothing was deleted.
        """
        record = await self._load_changeable(key_id, actor)
        await self._idp.delete_access_key(record.id)
        await self._remember(record.id, deleted=True)

    async def _load_own(self, key_id: str) -> AccessKeyRecord:
        if not is_opaque_id(key_id):
            raise NotFoundError(KEY_NOT_FOUND_DETAIL)
        try:
            record = await self._idp.load_access_key(key_id)
        except NotFoundError:
            raise NotFoundError(KEY_NOT_FOUND_DETAIL) from None
        if self.tenant_id not in record.key_tenants:
            raise NotFoundError(KEY_NOT_FOUND_DETAIL)
        return record

    async def _load_changeable(self, key_id: str, actor: Principal) -> AccessKeyRecord:
        """The key, if it is this tenant's alone and ``actor`` could have granted every role it holds here."""
        record = await self._load_own(key_id)
        if len(record.key_tenants) > 1:
            raise SharedAccessKeyError(
                "The key is bound to other tenants as well; changing it here would change it for them."
            )
        await self._require_grantable(record.key_tenants[self.tenant_id], actor)
        return record

    async def _require_grantable(self, roles: Iterable[str], actor: Principal) -> None:
        # The rank rule of grants, with the caller's roles as both token and provider hold them.
        require_grantable(await read_granter_roles(self._idp, actor, self.tenant_id), roles)

    async def _load_if_present(self, key_id: str) -> AccessKeyRecord | None:
        try:
            return await self._idp.load_access_key(key_id)
        except NotFoundError:
            return None

    async def _remember(self, key_id: str, *, deleted: bool) -> None:
        # Best effort: the provider change is done and must be reported; without this entry the list merely lags.
        try:
            await self._recent.remember(key_id, deleted=deleted)
        except UpstreamError:
            logger.warning("could not remember access key change for read-your-writes", exc_info=True)

    async def _recent_changes(self) -> dict[str, bool]:
        try:
            return await self._recent.recent()
        except UpstreamError:
            logger.warning("could not read recent access key changes; the list may lag", exc_info=True)
            return {}

    def _view(self, record: AccessKeyRecord) -> AccessKey:
        return AccessKey(
            id=record.id,
            name=record.name,
            description=record.description,
            status=record.status,
            role_names=list(record.key_tenants.get(self.tenant_id, [])),
            created_time=record.created_time,
            expire_time=record.expire_time or None,
            client_id=record.client_id or record.id,
            shared=len(record.key_tenants) > 1,
        )
