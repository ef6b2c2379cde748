"""Principal.from_claims: kinds, active tenant inference, malformed grant claims."""

from typing import Any

import pytest

from identity_stack.auth.principal import Principal, TenantGrant, names_access_key_method, token_kind

ISSUER = "https://api.descope.com/P2Project"
ACME = {"roles": ["admin"], "permissions": ["members.invite"]}


def claims(**overrides: Any) -> dict[str, Any]:
    base = {"iss": ISSUER, "sub": "U2user", "aud": "P2Project", "iat": 1, "exp": 2}
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


@pytest.mark.parametrize(
    ("overrides", "kind"),
    [
        ({}, "user"),
        ({"aud": None, "drn": "DS", "sub": "K2key", "amr": ["accesskey"]}, "access_key"),
        ({"sub": "K2key", "client_id": "K2key"}, "access_key"),
        ({"sub": "K2key", "amr": ["accessKey"]}, "access_key"),
        ({"sub": "K2key", "azp": "K2key"}, "access_key"),
        ({"azp": "P2Project"}, "user"),
        ({"sub": "U2user", "client_id": "U2user", "email": "a@b.test"}, "user"),
    ],
    ids=[
        "oidc-user",
        "access-key-exchange-session",
        "client-credentials-client-id",
        "client-credentials-amr",
        "client-credentials-azp",
        "user-with-azp-of-spa",
        "subject-equals-client-but-has-email",
    ],
)
def test_token_kind_matrix(overrides: dict[str, Any], kind: str) -> None:
    assert token_kind(claims(**overrides)) == kind


@pytest.mark.parametrize(
    "overrides",
    [{"aud": None, "drn": "DS"}, {"aud": None, "drn": "DS", "amr": ["email"]}],
    ids=["no-amr", "email-amr"],
)
def test_token_kind_user_session_token_without_aud_is_user(overrides: dict[str, Any]) -> None:
    # Descope's session token has no `aud` unless the project sets one; a user's must not pass for a key's, or
    # the token's roles would be trusted without the provider's (read_granter_roles skips access keys).
    assert token_kind(claims(**overrides)) == "user"


@pytest.mark.parametrize(
    ("overrides", "active"),
    [
        ({"dct": "T-acme", "tenants": {"T-acme": ACME, "T-globex": ACME}}, "T-acme"),
        ({"tenants": {"T-acme": ACME}}, "T-acme"),
        ({"tenants": {"T-acme": ACME, "T-globex": ACME}}, None),
        ({}, None),
        ({"dct": "", "tenants": {"T-acme": ACME}}, "T-acme"),
    ],
    ids=["dct-wins", "single-tenant-inferred", "two-tenants-no-dct", "no-tenants", "empty-dct-inferred"],
)
def test_from_claims_active_tenant(overrides: dict[str, Any], active: str | None) -> None:
    assert Principal.from_claims(claims(**overrides)).active_tenant_id == active


@pytest.mark.parametrize(
    "overrides",
    [
        {"dct": "T-other", "tenants": {"T-acme": ACME}},
        {"dct": "T-acme", "tenants": {}},
        {"dct": "T-acme"},
        {"dct": "T-acme", "tenants": {"T-acme": {"roles": [], "permissions": []}, "T-globex": ACME}},
    ],
    ids=["dct-outside-tenants", "dct-with-empty-tenants", "dct-without-tenants-claim", "dct-names-roleless-tenant"],
)
def test_from_claims_dct_not_granted_in_tenants_gives_no_active_tenant(overrides: dict[str, Any]) -> None:
    principal = Principal.from_claims(claims(**overrides))

    assert principal.active_tenant_id is None
    assert principal.active_grant == TenantGrant()


def test_from_claims_roleless_tenant_is_not_inferred_as_active() -> None:
    # A member suspended in T-acme keeps the membership without roles; their only tenant with a role is T-globex.
    principal = Principal.from_claims(claims(tenants={"T-acme": {"roles": []}, "T-globex": ACME}))

    assert principal.active_tenant_id == "T-globex"
    assert set(principal.tenants) == {"T-acme", "T-globex"}


def test_from_claims_keeps_grants_and_claims() -> None:
    principal = Principal.from_claims(
        claims(tenants={"T-acme": ACME}, roles=["platform"], permissions=["projects.create"], custom={"a": [1]})
    )

    assert principal.tenants == {"T-acme": TenantGrant(roles=("admin",), permissions=("members.invite",))}
    assert principal.project_roles == ("platform",)
    assert principal.project_permissions == ("projects.create",)
    assert principal.active_grant.permissions == ("members.invite",)
    assert principal.claims["custom"] == {"a": [1]}
    assert principal.issuer == ISSUER


@pytest.mark.parametrize(
    "tenants",
    [["T-acme"], "T-acme", {"T-acme": "admin"}, {"T-acme": {"roles": "admin", "permissions": [1, None]}}],
    ids=["list", "string", "entry-not-object", "roles-not-lists"],
)
def test_from_claims_malformed_grants_grant_nothing(tenants: object) -> None:
    principal = Principal.from_claims(claims(tenants=tenants, dct="T-acme"))

    assert principal.active_grant.permissions == ()
    assert principal.active_grant.roles == ()


def test_user_id_prefers_dsub_moved_by_jwt_template() -> None:
    assert Principal.from_claims(claims(sub="admin@acme.test", dsub="U2real")).user_id == "U2real"
    assert Principal.from_claims(claims()).user_id == "U2user"


def test_principal_is_frozen() -> None:
    principal = Principal.from_claims(claims())

    with pytest.raises(ValueError, match="frozen"):
        principal.sub = "someone-else"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("amr", "named"),
    [(["accesskey"], True), (["pwd", "AccessKey"], True), (["pwd"], False), ("accesskey", False), (None, False)],
    ids=["access-key", "any-case-among-others", "password", "not-a-list", "absent"],
)
def test_names_access_key_method_is_the_one_amr_check(amr: object, named: bool) -> None:
    # One home for the rule: token_kind (access-key principal) and the ID-token check both ask it.
    assert names_access_key_method(amr) is named
