"""An in-memory :class:`~identity_stack.domain.ports.IdentityProvider`: users, tenants, roles and access keys.

It keeps the behaviours the domain rules depend on: unknown ids are ``NotFoundError``, an existing login id or tenant
id is ``ConflictError``, a user without a login id cannot be changed (``UpstreamError``), statuses filter searches,
and the access-key search can be frozen to trail writes as Descope's index does. Any method can be made to fail
(:meth:`FakeIdentityProvider.fail`), and every call is recorded in :attr:`FakeIdentityProvider.calls`.
"""

from collections.abc import Mapping, Sequence
from itertools import count

from identity_stack.domain.models import AccessKeyRecord, RoleDefinition, Tenant, User
from identity_stack.errors import ConflictError, NotFoundError, ProblemError, UpstreamError

_ids = count(1)


def _new_id(prefix: str) -> str:
    return f"{prefix}2fake{next(_ids):06d}"


class FakeIdentityProvider:
    """The identity provider as dictionaries; seeded with :meth:`add_user`, :meth:`add_tenant`, :meth:`add_key`."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.tenants: dict[str, Tenant] = {}
        self.keys: dict[str, AccessKeyRecord] = {}
        self.roles: list[RoleDefinition] = []
        self.logged_out: list[str] = []
        self.calls: list[str] = []
        self._failures: dict[str, list[ProblemError]] = {}
        self._frozen_key_index: list[AccessKeyRecord] | None = None

    # --- seeding and inspection ---------------------------------------------------------------------------------

    def add_user(
        self,
        login_id: str,
        tenants: Mapping[str, Sequence[str]] | None = None,
        *,
        status: str = "enabled",
        user_id: str | None = None,
        has_login_id: bool = True,
    ) -> User:
        """A user with ``tenants`` (tenant id -> role names)."""
        user = User(
            user_id=user_id or _new_id("U"),
            login_id=login_id if has_login_id else None,
            email=login_id,
            name=login_id.split("@")[0],
            status=status,
            tenant_roles={tenant_id: list(roles) for tenant_id, roles in (tenants or {}).items()},
        )
        self.users[user.user_id] = user
        return user

    def add_tenant(self, name: str, *, domains: Sequence[str] = (), **custom_attributes: object) -> Tenant:
        """A tenant with a generated id."""
        tenant = Tenant(
            id=_new_id("T"), name=name, self_provisioning_domains=list(domains), custom_attributes=custom_attributes
        )
        self.tenants[tenant.id] = tenant
        return tenant

    def add_key(self, tenants: Mapping[str, Sequence[str]], *, name: str = "key", status: str = "active") -> str:
        """An access key bound to ``tenants`` (tenant id -> role names); its id."""
        record = AccessKeyRecord(
            id=_new_id("K"),
            name=name,
            status=status,
            created_time=len(self.keys) + 1,
            key_tenants={tenant_id: list(roles) for tenant_id, roles in tenants.items()},
        )
        self.keys[record.id] = record
        return record.id

    def fail(self, method: str, error: ProblemError, *, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` raise ``error`` (before changing anything)."""
        self._failures.setdefault(method, []).extend([error] * times)

    def freeze_key_index(self) -> None:
        """From now on :meth:`search_access_keys` answers from the keys as they are now (a lagging index)."""
        self._frozen_key_index = list(self.keys.values())

    def mutations(self) -> list[str]:
        """The calls made that change something, in order."""
        return [call for call in self.calls if not call.startswith(("load_", "find_", "search_", "list_"))]

    def _enter(self, method: str) -> None:
        self.calls.append(method)
        pending = self._failures.get(method)
        if pending:
            raise pending.pop(0)

    def _user(self, user_id: str) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise NotFoundError("The user does not exist.")
        return user

    def _changeable(self, user: User) -> User:
        if user.login_id is None:
            raise UpstreamError("The identity provider returned a user without a login id.")
        return self._user(user.user_id)

    def _store(self, user: User, tenant_roles: dict[str, list[str]]) -> User:
        updated = user.model_copy(update={"tenant_roles": tenant_roles})
        self.users[user.user_id] = updated
        return updated

    def _key(self, key_id: str) -> AccessKeyRecord:
        record = self.keys.get(key_id)
        if record is None:
            raise NotFoundError("No such access key.")
        return record

    # --- the port -----------------------------------------------------------------------------------------------

    async def logout_user(self, user_id: str) -> None:
        self._enter("logout_user")
        self._user(user_id)
        self.logged_out.append(user_id)

    async def create_tenant(
        self,
        tenant_id: str,
        name: str,
        *,
        self_provisioning_domains: Sequence[str],
        custom_attributes: Mapping[str, object],
    ) -> None:
        self._enter("create_tenant")
        if tenant_id in self.tenants or any(tenant.name == name for tenant in self.tenants.values()):
            raise ConflictError("A tenant with this name already exists.")
        self.tenants[tenant_id] = Tenant(
            id=tenant_id,
            name=name,
            self_provisioning_domains=list(self_provisioning_domains),
            custom_attributes=dict(custom_attributes),
        )

    async def delete_tenant(self, tenant_id: str) -> None:
        self._enter("delete_tenant")
        self.tenants.pop(tenant_id, None)

    async def list_tenants(self) -> list[Tenant]:
        self._enter("list_tenants")
        return list(self.tenants.values())

    async def search_tenants(self, *, ids: Sequence[str]) -> list[Tenant]:
        self._enter("search_tenants")
        if not ids:
            raise ValueError("search_tenants needs ids")
        return [self.tenants[tenant_id] for tenant_id in ids if tenant_id in self.tenants]

    async def set_tenant_custom_attributes(self, tenant_id: str, custom_attributes: Mapping[str, object]) -> None:
        self._enter("set_tenant_custom_attributes")
        tenant = self.tenants[tenant_id]
        # Replaces the whole object, as the local provider's patch does.
        self.tenants[tenant_id] = tenant.model_copy(update={"custom_attributes": dict(custom_attributes)})

    async def load_user(self, user_id: str) -> User:
        self._enter("load_user")
        return self._user(user_id)

    async def find_user_by_login_id(self, login_id: str) -> User | None:
        self._enter("find_user_by_login_id")
        return next((user for user in self.users.values() if user.login_id == login_id), None)

    async def search_tenant_members(self, tenant_id: str, *, page: int, limit: int) -> tuple[list[User], int]:
        self._enter("search_tenant_members")
        members = [user for user in self.users.values() if tenant_id in user.tenant_roles]
        return members[page * limit : (page + 1) * limit], len(members)

    async def search_tenant_users(self, tenant_id: str, *, role: str, statuses: Sequence[str] = ()) -> list[User]:
        self._enter("search_tenant_users")
        return [
            user
            for user in self.users.values()
            if role in user.tenant_roles.get(tenant_id, ()) and (not statuses or user.status in statuses)
        ]

    async def invite_user(self, email: str, *, tenant_id: str, roles: Sequence[str]) -> User:
        self._enter("invite_user")
        if any(user.login_id == email for user in self.users.values()):
            raise ConflictError("The user already exists.")
        return self.add_user(email, {tenant_id: roles}, status="invited")

    async def add_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        self._enter("add_tenant_roles")
        current = self._changeable(user)
        tenant_roles = {key: list(value) for key, value in current.tenant_roles.items()}
        held = tenant_roles.setdefault(tenant_id, [])
        held.extend(role for role in roles if role not in held)
        return self._store(current, tenant_roles)

    async def remove_tenant_roles(self, user: User, tenant_id: str, roles: Sequence[str]) -> User:
        self._enter("remove_tenant_roles")
        current = self._changeable(user)
        tenant_roles = {key: list(value) for key, value in current.tenant_roles.items()}
        if tenant_id in tenant_roles:
            tenant_roles[tenant_id] = [role for role in tenant_roles[tenant_id] if role not in roles]
        return self._store(current, tenant_roles)

    async def remove_user_from_tenant(self, user: User, tenant_id: str) -> User:
        self._enter("remove_user_from_tenant")
        current = self._changeable(user)
        remaining = {key: list(value) for key, value in current.tenant_roles.items() if key != tenant_id}
        return self._store(current, remaining)

    async def update_user_custom_attribute(self, user: User, key: str, value: str | int | bool) -> User:
        self._enter("update_user_custom_attribute")
        current = self._changeable(user)
        updated = current.model_copy(update={"custom_attributes": {**current.custom_attributes, key: value}})
        self.users[current.user_id] = updated
        return updated

    async def list_role_definitions(self) -> list[RoleDefinition]:
        self._enter("list_role_definitions")
        return list(self.roles)

    async def create_access_key(
        self, name: str, *, tenant_id: str, role_names: Sequence[str], expire_time: int, description: str
    ) -> tuple[AccessKeyRecord, str]:
        self._enter("create_access_key")
        key_id = self.add_key({tenant_id: role_names}, name=name)
        record = self.keys[key_id].model_copy(update={"expire_time": expire_time, "description": description})
        self.keys[key_id] = record
        return record, f"secret-of-{key_id}"

    async def load_access_key(self, key_id: str) -> AccessKeyRecord:
        self._enter("load_access_key")
        return self._key(key_id)

    async def search_access_keys(self, tenant_id: str) -> list[AccessKeyRecord]:
        self._enter("search_access_keys")
        index = self._frozen_key_index if self._frozen_key_index is not None else list(self.keys.values())
        return [record for record in index if tenant_id in record.key_tenants]

    async def activate_access_key(self, key_id: str) -> None:
        self._enter("activate_access_key")
        self.keys[key_id] = self._key(key_id).model_copy(update={"status": "active"})

    async def deactivate_access_key(self, key_id: str) -> None:
        self._enter("deactivate_access_key")
        self.keys[key_id] = self._key(key_id).model_copy(update={"status": "inactive"})

    async def delete_access_key(self, key_id: str) -> None:
        self._enter("delete_access_key")
        self._key(key_id)
        del self.keys[key_id]
