"""Access-key rules on the fakes: bound to one tenant, grantable roles only, shared keys read-only, own writes seen."""

from dataclasses import dataclass

import pytest

from identity_stack.auth.principal import Principal
from identity_stack.domain.access_keys import KEY_NOT_FOUND_DETAIL, SharedAccessKeyError, TenantAccessKeys
from identity_stack.domain.models import Tenant, User
from identity_stack.errors import NotFoundError, RoleChangeDeniedError, UpstreamUnavailableError
from tests.domain.principals import acting_key, acting_user
from tests.fakes.identity_provider import FakeIdentityProvider
from tests.fakes.stores import FakeRecentAccessKeys


@dataclass
class Acme:
    idp: FakeIdentityProvider
    recent: FakeRecentAccessKeys
    tenant: Tenant
    other: Tenant
    owner: User
    admin: User

    @property
    def keys(self) -> TenantAccessKeys:
        return TenantAccessKeys(self.tenant.id, self.idp, self.recent)


@pytest.fixture
def acme() -> Acme:
    idp = FakeIdentityProvider()
    tenant, other = idp.add_tenant("Acme"), idp.add_tenant("Globex")
    return Acme(
        idp=idp,
        recent=FakeRecentAccessKeys(),
        tenant=tenant,
        other=other,
        owner=idp.add_user("owner@acme.example", {tenant.id: ["owner"]}),
        admin=idp.add_user("admin@acme.example", {tenant.id: ["admin"]}),
    )


async def test_create_binds_key_to_this_tenant_alone_and_returns_secret_once(acme: Acme) -> None:
    created = await acme.keys.create(
        name="ci",
        description="",
        expire_time=None,
        role_names=["viewer", "viewer"],
        actor=acting_user(acme.admin, acme.tenant.id),
    )

    assert acme.idp.keys[created.key.id].key_tenants == {acme.tenant.id: ["viewer"]}
    assert created.cleartext
    assert created.key.expire_time is None
    assert acme.recent.entries == {created.key.id: False}


async def test_create_role_above_caller_creates_nothing(acme: Acme) -> None:
    with pytest.raises(RoleChangeDeniedError):
        await acme.keys.create(
            name="ci",
            description="",
            expire_time=None,
            role_names=["owner"],
            actor=acting_user(acme.admin, acme.tenant.id),
        )

    assert acme.idp.keys == {}


async def test_create_by_access_key_grants_up_to_its_token_roles(acme: Acme) -> None:
    caller = acting_key(acme.tenant.id, "admin")

    await acme.keys.create(name="a", description="", expire_time=None, role_names=["admin"], actor=caller)
    with pytest.raises(RoleChangeDeniedError):
        await acme.keys.create(name="o", description="", expire_time=None, role_names=["owner"], actor=caller)


async def test_create_still_answers_when_read_your_writes_memory_fails(acme: Acme) -> None:
    acme.recent.fail("remember", UpstreamUnavailableError("down"))

    created = await acme.keys.create(
        name="ci",
        description="",
        expire_time=None,
        role_names=["viewer"],
        actor=acting_user(acme.owner, acme.tenant.id),
    )

    assert created.key.id in acme.idp.keys


async def test_list_keys_reads_own_writes_over_a_lagging_index(acme: Acme) -> None:
    actor = acting_user(acme.owner, acme.tenant.id)
    old = acme.idp.add_key({acme.tenant.id: ["viewer"]}, name="old")
    doomed = acme.idp.add_key({acme.tenant.id: ["viewer"]}, name="doomed")
    acme.idp.freeze_key_index()

    created = await acme.keys.create(name="new", description="", expire_time=None, role_names=["viewer"], actor=actor)
    await acme.keys.set_active(old, active=False, actor=actor)
    await acme.keys.delete(doomed, actor=actor)
    listed = {key.id: key for key in (await acme.keys.list_keys()).keys}

    assert set(listed) == {old, created.key.id}
    assert listed[old].status == "inactive"  # the frozen index still says active


async def test_list_keys_leaves_out_other_tenants_keys_even_if_remembered(acme: Acme) -> None:
    theirs = acme.idp.add_key({acme.other.id: ["owner"]})
    acme.recent.entries[theirs] = False

    listed = {key.id for key in (await acme.keys.list_keys()).keys}

    assert theirs not in listed


async def test_other_tenants_key_is_the_same_404_as_no_key(acme: Acme) -> None:
    theirs = acme.idp.add_key({acme.other.id: ["viewer"]})

    with pytest.raises(NotFoundError) as elsewhere:
        await acme.keys.get(theirs)
    with pytest.raises(NotFoundError) as unknown:
        await acme.keys.delete("K2nothing", actor=acting_user(acme.owner, acme.tenant.id))
    with pytest.raises(NotFoundError) as malformed:
        await acme.keys.get("not/an/id")

    assert elsewhere.value.detail == unknown.value.detail == malformed.value.detail == KEY_NOT_FOUND_DETAIL
    assert theirs in acme.idp.keys


async def test_shared_key_is_readable_but_not_changeable(acme: Acme) -> None:
    shared = acme.idp.add_key({acme.tenant.id: ["viewer"], acme.other.id: ["viewer"]})
    actor = acting_user(acme.owner, acme.tenant.id)

    seen = await acme.keys.get(shared)
    with pytest.raises(SharedAccessKeyError):
        await acme.keys.set_active(shared, active=False, actor=actor)
    with pytest.raises(SharedAccessKeyError):
        await acme.keys.delete(shared, actor=actor)

    assert seen.shared is True
    assert acme.idp.keys[shared].status == "active"
    assert acme.idp.mutations() == []


async def change_key(keys: TenantAccessKeys, change: str, key_id: str, actor: Principal) -> None:
    if change == "delete":
        await keys.delete(key_id, actor=actor)
    else:
        await keys.set_active(key_id, active=change == "activate", actor=actor)


@pytest.mark.parametrize("change", ["deactivate", "activate", "delete"])
async def test_key_holding_role_above_caller_is_not_changeable(acme: Acme, change: str) -> None:
    owner_key = acme.idp.add_key({acme.tenant.id: ["owner"]}, status="inactive" if change == "activate" else "active")

    with pytest.raises(RoleChangeDeniedError):
        await change_key(acme.keys, change, owner_key, acting_user(acme.admin, acme.tenant.id))

    assert acme.idp.mutations() == []


async def test_set_active_switches_status_both_ways(acme: Acme) -> None:
    key_id = acme.idp.add_key({acme.tenant.id: ["member"]})
    actor = acting_user(acme.admin, acme.tenant.id)

    off = await acme.keys.set_active(key_id, active=False, actor=actor)
    assert acme.idp.keys[key_id].status == "inactive"
    on = await acme.keys.set_active(key_id, active=True, actor=actor)

    assert (off.status, on.status) == ("inactive", "active")
    assert acme.idp.keys[key_id].status == "active"
