"""Member rules on the fakes: invite limits and grants, tenant-scoped suspension, removal, the last owner, undo."""

from dataclasses import dataclass

import pytest

from identity_stack.domain.members import TenantMembers
from identity_stack.domain.models import Tenant, User
from identity_stack.domain.tenants import MEMBER_NOT_FOUND_DETAIL
from identity_stack.errors import (
    ConflictError,
    LastOwnerError,
    MemberLimitError,
    NotFoundError,
    RoleChangeDeniedError,
    UpstreamError,
    UpstreamUnavailableError,
)
from tests.domain.principals import acting_user
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

    @property
    def members(self) -> TenantMembers:
        return TenantMembers(self.tenant.id, self.idp, self.suspensions)


@pytest.fixture
def acme() -> Acme:
    idp = FakeIdentityProvider()
    tenant, other = idp.add_tenant("Acme", max_members=5), idp.add_tenant("Globex")
    return Acme(
        idp=idp,
        suspensions=FakeSuspendedMembers(),
        tenant=tenant,
        other=other,
        owner=idp.add_user("owner@acme.example", {tenant.id: ["owner"]}),
        admin=idp.add_user("admin@acme.example", {tenant.id: ["admin"]}),
        member=idp.add_user("member@acme.example", {tenant.id: ["member"]}),
    )


# --- invite -------------------------------------------------------------------------------------------------------


async def test_invite_new_address_creates_invited_member_with_lowercased_login(acme: Acme) -> None:
    invited = await acme.members.invite(
        "New@Example.com", roles=["member"], actor=acting_user(acme.admin, acme.tenant.id)
    )

    assert invited.status == "invited"
    assert invited.roles == ["member"]
    assert acme.idp.users[invited.user_id].login_id == "new@example.com"


async def test_invite_role_above_caller_is_refused_before_any_change(acme: Acme) -> None:
    with pytest.raises(RoleChangeDeniedError):
        await acme.members.invite("new@example.com", roles=["owner"], actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.idp.mutations() == []


async def test_invite_demoted_caller_grants_only_what_provider_still_holds(acme: Acme) -> None:
    stale = acting_user(acme.admin, acme.tenant.id, "admin")
    acme.idp.users[acme.admin.user_id] = acme.admin.model_copy(update={"tenant_roles": {acme.tenant.id: ["member"]}})

    with pytest.raises(RoleChangeDeniedError):
        await acme.members.invite("new@example.com", roles=["admin"], actor=stale)


async def test_invite_existing_member_is_a_conflict(acme: Acme) -> None:
    with pytest.raises(ConflictError, match="already a member"):
        await acme.members.invite(acme.member.email, roles=["viewer"], actor=acting_user(acme.owner, acme.tenant.id))

    assert acme.idp.mutations() == []


async def test_invite_user_of_other_tenant_adds_them_and_drops_stale_suspension(acme: Acme) -> None:
    elsewhere = acme.idp.add_user("someone@globex.example", {acme.other.id: ["owner"]})
    await acme.suspensions.suspend(elsewhere.user_id, roles=("admin",), suspended_by="U2earlier")

    added = await acme.members.invite(elsewhere.email, roles=["viewer"], actor=acting_user(acme.admin, acme.tenant.id))

    assert added.user_id == elsewhere.user_id
    assert acme.idp.users[elsewhere.user_id].tenant_roles == {acme.other.id: ["owner"], acme.tenant.id: ["viewer"]}
    assert await acme.suspensions.get(elsewhere.user_id) is None


async def test_invite_at_member_limit_counts_invited_and_changes_nothing(acme: Acme) -> None:
    acme.idp.add_user("pending@acme.example", {acme.tenant.id: ["viewer"]}, status="invited")
    acme.idp.add_user("off@acme.example", {acme.tenant.id: ["viewer"]}, status="disabled")  # 5 of 5

    with pytest.raises(MemberLimitError) as caught:
        await acme.members.invite("sixth@example.com", roles=["viewer"], actor=acting_user(acme.owner, acme.tenant.id))

    assert caught.value.to_problem()["max_members"] == 5
    assert acme.idp.mutations() == []


async def test_invite_below_member_limit_and_without_limit_passes(acme: Acme) -> None:
    acme.idp.add_user("fourth@acme.example", {acme.tenant.id: ["viewer"]})  # 4 of 5
    actor = acting_user(acme.owner, acme.tenant.id)

    await acme.members.invite("fifth@example.com", roles=["viewer"], actor=actor)
    acme.idp.tenants[acme.tenant.id] = acme.tenant.model_copy(update={"custom_attributes": {}})
    await acme.members.invite("sixth@example.com", roles=["viewer"], actor=actor)

    assert len([user for user in acme.idp.users.values() if acme.tenant.id in user.tenant_roles]) == 6


async def test_invite_race_with_creation_treats_new_user_as_existing(
    acme: Acme, monkeypatch: pytest.MonkeyPatch
) -> None:
    racer = acme.idp.add_user("racer@example.com", {acme.other.id: ["member"]})
    acme.idp.fail("invite_user", ConflictError("The user already exists."))
    real_find = acme.idp.find_user_by_login_id
    answers = iter([None])

    async def created_meanwhile(login_id: str) -> User | None:
        return next(answers, await real_find(login_id))

    monkeypatch.setattr(acme.idp, "find_user_by_login_id", created_meanwhile)  # absent at the first lookup

    added = await acme.members.invite(racer.email, roles=["viewer"], actor=acting_user(acme.admin, acme.tenant.id))

    assert added.user_id == racer.user_id
    assert acme.idp.users[racer.user_id].tenant_roles[acme.tenant.id] == ["viewer"]


# --- suspend and reinstate ----------------------------------------------------------------------------------------


async def test_suspend_takes_roles_here_remembers_them_and_revokes_sessions(acme: Acme) -> None:
    suspended = await acme.members.suspend(acme.member.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert suspended.status == "suspended"
    assert acme.idp.users[acme.member.user_id].tenant_roles == {acme.tenant.id: []}
    assert acme.suspensions.suspensions[acme.member.user_id].roles == ("member",)
    assert acme.idp.logged_out == [acme.member.user_id]


async def test_suspend_member_of_another_tenant_keeps_their_sessions(acme: Acme) -> None:
    both = acme.idp.add_user("both@example.com", {acme.tenant.id: ["viewer"], acme.other.id: ["owner"]})

    await acme.members.suspend(both.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.idp.logged_out == []
    assert acme.idp.users[both.user_id].tenant_roles[acme.other.id] == ["owner"]


async def test_suspend_twice_is_a_conflict(acme: Acme) -> None:
    actor = acting_user(acme.admin, acme.tenant.id)
    await acme.members.suspend(acme.member.user_id, actor=actor)

    with pytest.raises(ConflictError, match="already suspended"):
        await acme.members.suspend(acme.member.user_id, actor=actor)


async def test_suspend_owner_by_admin_is_refused(acme: Acme) -> None:
    with pytest.raises(RoleChangeDeniedError):
        await acme.members.suspend(acme.owner.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.idp.mutations() == []
    assert acme.suspensions.suspensions == {}


async def test_suspend_self_as_last_owner_is_refused(acme: Acme) -> None:
    acme.idp.add_user("pending-owner@acme.example", {acme.tenant.id: ["owner"]}, status="invited")

    with pytest.raises(LastOwnerError):
        await acme.members.suspend(acme.owner.user_id, actor=acting_user(acme.owner, acme.tenant.id))

    assert acme.suspensions.suspensions == {}


async def test_suspend_owner_with_another_enabled_owner_passes(acme: Acme) -> None:
    second = acme.idp.add_user("second@acme.example", {acme.tenant.id: ["owner"]})

    await acme.members.suspend(acme.owner.user_id, actor=acting_user(second, acme.tenant.id))

    assert acme.owner.user_id in acme.suspensions.suspensions


async def test_suspend_role_removal_fails_forgets_suspension(acme: Acme) -> None:
    acme.idp.fail("remove_tenant_roles", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamUnavailableError):
        await acme.members.suspend(acme.member.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.suspensions.suspensions == {}
    assert acme.idp.users[acme.member.user_id].tenant_roles == {acme.tenant.id: ["member"]}


async def test_suspend_logout_fails_gives_roles_back(acme: Acme) -> None:
    acme.idp.fail("logout_user", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamUnavailableError):
        await acme.members.suspend(acme.member.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.suspensions.suspensions == {}
    assert acme.idp.users[acme.member.user_id].tenant_roles == {acme.tenant.id: ["member"]}


async def test_suspend_undo_fails_says_state_unknown(acme: Acme) -> None:
    acme.idp.fail("logout_user", UpstreamUnavailableError("down"))
    acme.idp.fail("add_tenant_roles", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamError) as caught:
        await acme.members.suspend(acme.member.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert caught.value.to_problem()["member_state"] == "unknown"


async def test_reinstate_gives_roles_back_and_forgets(acme: Acme) -> None:
    actor = acting_user(acme.admin, acme.tenant.id)
    await acme.members.suspend(acme.member.user_id, actor=actor)

    reinstated = await acme.members.reinstate(acme.member.user_id, actor=actor)

    assert reinstated.status == "active"
    assert reinstated.roles == ["member"]
    assert acme.suspensions.suspensions == {}


async def test_reinstate_not_suspended_is_a_conflict(acme: Acme) -> None:
    with pytest.raises(ConflictError, match="not suspended"):
        await acme.members.reinstate(acme.member.user_id, actor=acting_user(acme.admin, acme.tenant.id))


async def test_reinstate_suspended_owner_by_admin_is_refused(acme: Acme) -> None:
    second = acme.idp.add_user("second@acme.example", {acme.tenant.id: ["owner"]})
    await acme.members.suspend(acme.owner.user_id, actor=acting_user(second, acme.tenant.id))

    # The suspended owner holds no role here now, but is judged by the roles they would get back.
    with pytest.raises(RoleChangeDeniedError):
        await acme.members.reinstate(acme.owner.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.owner.user_id in acme.suspensions.suspensions


async def test_reinstate_forget_fails_takes_roles_again(acme: Acme) -> None:
    actor = acting_user(acme.admin, acme.tenant.id)
    await acme.members.suspend(acme.member.user_id, actor=actor)
    acme.suspensions.fail("forget", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamUnavailableError):
        await acme.members.reinstate(acme.member.user_id, actor=actor)

    assert acme.idp.users[acme.member.user_id].tenant_roles == {acme.tenant.id: []}
    assert acme.member.user_id in acme.suspensions.suspensions


# --- remove -------------------------------------------------------------------------------------------------------


async def test_remove_ends_this_membership_only(acme: Acme) -> None:
    both = acme.idp.add_user("both@example.com", {acme.tenant.id: ["viewer"], acme.other.id: ["admin"]})

    await acme.members.remove(both.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    assert acme.idp.users[both.user_id].tenant_roles == {acme.other.id: ["admin"]}


async def test_remove_last_owner_is_refused(acme: Acme) -> None:
    with pytest.raises(LastOwnerError):
        await acme.members.remove(acme.owner.user_id, actor=acting_user(acme.owner, acme.tenant.id))

    assert acme.idp.mutations() == []


async def test_remove_suspended_member_fails_restores_suspension(acme: Acme) -> None:
    actor = acting_user(acme.admin, acme.tenant.id)
    await acme.members.suspend(acme.member.user_id, actor=actor)
    acme.idp.fail("remove_user_from_tenant", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamUnavailableError):
        await acme.members.remove(acme.member.user_id, actor=actor)

    assert acme.suspensions.suspensions[acme.member.user_id].roles == ("member",)


async def test_remove_by_viewer_of_member_is_refused(acme: Acme) -> None:
    viewer = acme.idp.add_user("viewer@acme.example", {acme.tenant.id: ["viewer"]})

    with pytest.raises(RoleChangeDeniedError):
        await acme.members.remove(acme.member.user_id, actor=acting_user(viewer, acme.tenant.id))


@pytest.mark.parametrize("user_id", ["U2nobody", "not an id", "../etc"])
async def test_unknown_or_malformed_user_is_the_same_404_as_member_elsewhere(acme: Acme, user_id: str) -> None:
    outsider = acme.idp.add_user("outsider@globex.example", {acme.other.id: ["viewer"]})
    actor = acting_user(acme.owner, acme.tenant.id)

    with pytest.raises(NotFoundError) as elsewhere:
        await acme.members.suspend(outsider.user_id, actor=actor)
    with pytest.raises(NotFoundError) as unknown:
        await acme.members.remove(user_id, actor=actor)

    assert elsewhere.value.detail == unknown.value.detail == MEMBER_NOT_FOUND_DETAIL


# --- list ---------------------------------------------------------------------------------------------------------


async def test_list_page_shows_status_here_and_pages_on(acme: Acme) -> None:
    acme.idp.add_user("pending@acme.example", {acme.tenant.id: ["viewer"]}, status="invited")
    await acme.members.suspend(acme.member.user_id, actor=acting_user(acme.admin, acme.tenant.id))

    first = await acme.members.list_page(limit=2)
    second = await acme.members.list_page(limit=2, cursor=first.next_cursor)

    statuses = {item.email: item.status for item in [*first.items, *second.items]}
    assert statuses == {
        "owner@acme.example": "active",
        "admin@acme.example": "active",
        "member@acme.example": "suspended",
        "pending@acme.example": "invited",
    }
    assert second.next_cursor is None
