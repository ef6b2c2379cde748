"""Tenant rules on the fake provider: unique names and domains, the creator as owner, all or nothing, attributes."""

import re
from typing import Any

import pytest

from identity_stack.domain.models import Tenant
from identity_stack.domain.tenants import (
    MEMBER_NOT_FOUND_DETAIL,
    TENANT_ID_PATTERN,
    create_tenant,
    load_tenant,
    load_tenant_member,
    new_tenant_id,
    update_tenant_custom_attributes,
)
from identity_stack.errors import ConflictError, NotFoundError, UpstreamError, UpstreamUnavailableError
from tests.fakes.identity_provider import FakeIdentityProvider


@pytest.fixture
def idp() -> FakeIdentityProvider:
    return FakeIdentityProvider()


async def create(idp: FakeIdentityProvider, name: str, *domains: str, owner: str | None = None) -> Tenant:
    creator = owner or idp.add_user("creator@example.com").user_id
    return await create_tenant(
        idp,
        name,
        self_provisioning_domains=list(domains),
        custom_attributes={"plan_tier": "free"},
        owner_user_id=creator,
        owner_roles=["owner"],
    )


async def test_create_tenant_makes_creator_owner_with_minted_id(idp: FakeIdentityProvider) -> None:
    creator = idp.add_user("creator@example.com")

    tenant = await create(idp, "Initech", "initech.example", owner=creator.user_id)

    assert re.fullmatch(TENANT_ID_PATTERN, tenant.id)
    assert idp.tenants[tenant.id] == tenant
    assert tenant.custom_attributes == {"plan_tier": "free"}
    assert idp.users[creator.user_id].tenant_roles == {tenant.id: ["owner"]}


def test_new_tenant_id_is_opaque_and_unique() -> None:
    ids = {new_tenant_id() for _ in range(200)}

    assert len(ids) == 200
    assert all(re.fullmatch(TENANT_ID_PATTERN, tenant_id) for tenant_id in ids)


@pytest.mark.parametrize("name", ["Acme", "acme", "ACME", "Acme\u00a0"])
async def test_create_tenant_name_taken_ignoring_case_and_spacing_creates_nothing(
    idp: FakeIdentityProvider, name: str
) -> None:
    idp.add_tenant("Acme")
    before = dict(idp.tenants)

    with pytest.raises(ConflictError, match="name already exists"):
        await create(idp, name)

    assert idp.tenants == before
    assert idp.mutations() == []


async def test_create_tenant_fullwidth_name_counts_as_taken(idp: FakeIdentityProvider) -> None:
    idp.add_tenant("Acme Corp")

    with pytest.raises(ConflictError):
        await create(idp, "\uff21\uff43\uff4d\uff45   corp")  # NFKC folds full-width letters; spacing collapses


async def test_create_tenant_domain_claimed_by_another_tenant_names_it(idp: FakeIdentityProvider) -> None:
    idp.add_tenant("Acme", domains=["acme.example"])

    with pytest.raises(ConflictError) as caught:
        await create(idp, "Initech", "initech.example", "ACME.example")

    assert caught.value.to_problem()["claimed_domains"] == ["acme.example"]
    assert idp.mutations() == []


async def test_create_tenant_unknown_creator_creates_nothing(idp: FakeIdentityProvider) -> None:
    with pytest.raises(NotFoundError):
        await create(idp, "Initech", owner="U2nobody")

    assert idp.tenants == {}


async def test_create_tenant_owner_step_fails_removes_tenant(idp: FakeIdentityProvider) -> None:
    idp.fail("add_tenant_roles", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamUnavailableError):
        await create(idp, "Initech")

    assert idp.tenants == {}
    assert idp.mutations() == ["create_tenant", "add_tenant_roles", "delete_tenant"]


async def test_create_tenant_creator_without_login_id_leaves_nothing(idp: FakeIdentityProvider) -> None:
    creator = idp.add_user("creator@example.com", has_login_id=False)

    with pytest.raises(UpstreamError):
        await create(idp, "Initech", owner=creator.user_id)

    assert idp.tenants == {}


async def test_create_tenant_outcome_unknown_and_tenant_made_removes_it(
    idp: FakeIdentityProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = idp.create_tenant

    async def times_out_after_creating(tenant_id: str, name: str, **kwargs: Any) -> None:
        await made(tenant_id, name, **kwargs)
        raise UpstreamUnavailableError("timed out")

    monkeypatch.setattr(idp, "create_tenant", times_out_after_creating)

    with pytest.raises(UpstreamUnavailableError):
        await create(idp, "Initech")

    assert idp.tenants == {}
    assert "delete_tenant" in idp.calls


async def test_create_tenant_refused_create_deletes_nothing(idp: FakeIdentityProvider) -> None:
    idp.fail("create_tenant", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamUnavailableError):
        await create(idp, "Initech")

    assert "search_tenants" in idp.calls  # the outcome was looked up, and nothing was found to undo
    assert "delete_tenant" not in idp.calls


async def test_create_tenant_undo_fails_reports_what_is_left(idp: FakeIdentityProvider) -> None:
    idp.fail("add_tenant_roles", UpstreamUnavailableError("down"))
    idp.fail("delete_tenant", UpstreamUnavailableError("down"))

    with pytest.raises(UpstreamError) as caught:
        await create(idp, "Initech")

    problem = caught.value.to_problem()
    assert problem["tenant_state"] == "created_without_owner"
    assert problem["tenant_id"] in idp.tenants
    assert caught.value.status_code == 502


async def test_create_tenant_duplicate_refused_by_provider_is_not_undone(idp: FakeIdentityProvider) -> None:
    idp.fail("create_tenant", ConflictError("A tenant with this name already exists."))

    with pytest.raises(ConflictError):
        await create(idp, "Initech")

    assert "delete_tenant" not in idp.calls


async def test_update_tenant_custom_attributes_merges_with_current(idp: FakeIdentityProvider) -> None:
    tenant = idp.add_tenant("Acme", plan_tier="free", max_members=10)

    updated = await update_tenant_custom_attributes(idp, tenant.id, {"max_members": 25})

    assert updated.custom_attributes == {"plan_tier": "free", "max_members": 25}
    assert idp.tenants[tenant.id].custom_attributes == {"plan_tier": "free", "max_members": 25}


async def test_update_tenant_custom_attributes_unknown_tenant_writes_nothing(idp: FakeIdentityProvider) -> None:
    with pytest.raises(NotFoundError):
        await update_tenant_custom_attributes(idp, "T2missing", {"max_members": 25})

    assert idp.mutations() == []


async def test_load_tenant_ignores_other_ids_in_the_answer(idp: FakeIdentityProvider) -> None:
    tenant = idp.add_tenant("Acme")

    assert await load_tenant(idp, tenant.id) == tenant
    with pytest.raises(NotFoundError):
        await load_tenant(idp, "T2missing")


async def test_load_tenant_member_other_tenant_and_unknown_user_answer_alike(idp: FakeIdentityProvider) -> None:
    acme, globex = idp.add_tenant("Acme"), idp.add_tenant("Globex")
    outsider = idp.add_user("outsider@globex.example", {globex.id: ["owner"]})
    member = idp.add_user("member@acme.example", {acme.id: ["member"]})

    with pytest.raises(NotFoundError) as elsewhere:
        await load_tenant_member(idp, outsider.user_id, acme.id)
    with pytest.raises(NotFoundError) as unknown:
        await load_tenant_member(idp, "U2nobody", acme.id)

    assert elsewhere.value.to_problem() | {"correlation_id": None} == unknown.value.to_problem() | {
        "correlation_id": None
    }
    assert elsewhere.value.detail == MEMBER_NOT_FOUND_DETAIL
    assert await load_tenant_member(idp, member.user_id, acme.id) == member
