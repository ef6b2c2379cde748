"""Role rules on the fakes: rank, the target's rank, the caller's current roles, the last owner, suspended members."""

from dataclasses import dataclass

import pytest

from identity_stack.auth.principal import Principal
from identity_stack.auth.rbac import Role
from identity_stack.domain.models import Tenant, User
from identity_stack.domain.roles import (
    RoleChange,
    change_tenant_roles,
    read_current_roles,
    read_granter_roles,
    require_another_owner,
)
from identity_stack.domain.tenants import MEMBER_NOT_FOUND_DETAIL
from identity_stack.errors import LastOwnerError, MemberSuspendedError, NotFoundError, RoleChangeDeniedError
from tests.domain.principals import acting_key, acting_user
from tests.fakes.identity_provider import FakeIdentityProvider
from tests.fakes.stores import FakeSuspendedMembers


@dataclass
class Acme:
    idp: FakeIdentityProvider
    suspensions: FakeSuspendedMembers
    tenant: Tenant
    other: Tenant
    owner: User
    admin: User
    member: User

    async def change(self, actor: Principal, user_id: str, roles: list[Role], change: RoleChange) -> User:
        return await change_tenant_roles(
            self.idp, self.suspensions, actor, self.tenant.id, user_id, roles, change=change
        )


@pytest.fixture
def acme() -> Acme:
    idp = FakeIdentityProvider()
    tenant, other = idp.add_tenant("Acme"), idp.add_tenant("Globex")
    return Acme(
        idp=idp,
        suspensions=FakeSuspendedMembers(),
        tenant=tenant,
        other=other,
        owner=idp.add_user("owner@acme.example", {tenant.id: ["owner"]}),
        admin=idp.add_user("admin@acme.example", {tenant.id: ["admin"]}),
        member=idp.add_user("member@acme.example", {tenant.id: ["member"]}),
    )


async def test_admin_assigns_and_removes_roles_up_to_admin(acme: Acme) -> None:
    actor = acting_user(acme.admin, acme.tenant.id)

    promoted = await acme.change(actor, acme.member.user_id, [Role.ADMIN], "assign")
    demoted = await acme.change(actor, acme.member.user_id, [Role.MEMBER], "remove")

    assert promoted.tenant_roles[acme.tenant.id] == ["member", "admin"]
    assert demoted.tenant_roles[acme.tenant.id] == ["admin"]


async def test_admin_cannot_grant_owner(acme: Acme) -> None:
    with pytest.raises(RoleChangeDeniedError):
        await acme.change(acting_user(acme.admin, acme.tenant.id), acme.member.user_id, [Role.OWNER], "assign")

    assert acme.idp.mutations() == []


async def test_admin_cannot_change_roles_of_an_owner(acme: Acme) -> None:
    with pytest.raises(RoleChangeDeniedError, match="outranks"):
        await acme.change(acting_user(acme.admin, acme.tenant.id), acme.owner.user_id, [Role.VIEWER], "assign")


async def test_demoted_caller_is_judged_by_current_roles(acme: Acme) -> None:
    stale = acting_user(acme.admin, acme.tenant.id, "admin")
    acme.idp.users[acme.admin.user_id] = acme.admin.model_copy(update={"tenant_roles": {acme.tenant.id: ["viewer"]}})

    with pytest.raises(RoleChangeDeniedError):
        await acme.change(stale, acme.member.user_id, [Role.VIEWER], "assign")


async def test_promoted_caller_needs_a_fresh_token(acme: Acme) -> None:
    stale = acting_user(acme.member, acme.tenant.id, "member")
    acme.idp.users[acme.member.user_id] = acme.member.model_copy(
        update={"tenant_roles": {acme.tenant.id: ["member", "owner"]}}
    )

    assert await read_granter_roles(acme.idp, stale, acme.tenant.id) == ("member",)


async def test_read_current_roles_of_deleted_user_is_empty(acme: Acme) -> None:
    principal = acting_user(acme.member, acme.tenant.id)
    del acme.idp.users[acme.member.user_id]

    assert await read_current_roles(acme.idp, principal, acme.tenant.id) == ()


async def test_access_key_grants_with_its_token_roles_without_a_user_lookup(acme: Acme) -> None:
    assert await read_granter_roles(acme.idp, acting_key(acme.tenant.id, "admin"), acme.tenant.id) == ("admin",)
    assert "load_user" not in acme.idp.calls


async def test_member_of_other_tenant_is_not_found(acme: Acme) -> None:
    outsider = acme.idp.add_user("outsider@globex.example", {acme.other.id: ["viewer"]})

    with pytest.raises(NotFoundError, match=MEMBER_NOT_FOUND_DETAIL):
        await acme.change(acting_user(acme.owner, acme.tenant.id), outsider.user_id, [Role.VIEWER], "assign")

    assert acme.idp.users[outsider.user_id].tenant_roles == {acme.other.id: ["viewer"]}


@pytest.mark.parametrize("change", ["assign", "remove"])
async def test_suspended_member_roles_do_not_change(acme: Acme, change: RoleChange) -> None:
    await acme.suspensions.suspend(acme.member.user_id, roles=("member",), suspended_by=acme.owner.user_id)

    with pytest.raises(MemberSuspendedError):
        await acme.change(acting_user(acme.owner, acme.tenant.id), acme.member.user_id, [Role.MEMBER], change)

    assert acme.idp.mutations() == []


async def test_removing_last_enabled_owner_is_refused(acme: Acme) -> None:
    acme.idp.add_user("invited-owner@acme.example", {acme.tenant.id: ["owner"]}, status="invited")
    acme.idp.add_user("disabled-owner@acme.example", {acme.tenant.id: ["owner"]}, status="disabled")

    with pytest.raises(LastOwnerError):
        await acme.change(acting_user(acme.owner, acme.tenant.id), acme.owner.user_id, [Role.OWNER], "remove")

    assert acme.idp.users[acme.owner.user_id].tenant_roles[acme.tenant.id] == ["owner"]


async def test_removing_an_owner_when_another_is_enabled_passes(acme: Acme) -> None:
    second = acme.idp.add_user("second@acme.example", {acme.tenant.id: ["owner", "admin"]})

    after = await acme.change(acting_user(acme.owner, acme.tenant.id), second.user_id, [Role.OWNER], "remove")

    assert after.tenant_roles[acme.tenant.id] == ["admin"]


async def test_owner_of_another_tenant_in_a_loose_answer_does_not_count(
    acme: Acme, monkeypatch: pytest.MonkeyPatch
) -> None:
    acme.idp.add_user("owner@globex.example", {acme.other.id: ["owner"]})
    acme.idp.add_user("pending@acme.example", {acme.tenant.id: ["owner"]}, status="invited")

    async def ignores_filters(tenant_id: str, *, role: str, statuses: tuple[str, ...] = ()) -> list[User]:
        return list(acme.idp.users.values())  # a provider that applied none of the filters

    monkeypatch.setattr(acme.idp, "search_tenant_users", ignores_filters)

    with pytest.raises(LastOwnerError):
        await require_another_owner(acme.idp, acme.tenant.id, acme.owner)
