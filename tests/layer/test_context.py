"""identity_stack.auth.context: the authorizer's verified claims, through API Gateway's context and back."""

import json
import time
from typing import Any

import pytest

from identity_stack import AuthenticationError
from identity_stack.auth.bearer import bearer_token
from identity_stack.auth.context import CONTEXT_KEYS, decode_context, encode_context
from identity_stack.auth.principal import Principal
from identity_stack.auth.rbac import Permission
from tests.builders import SigningKey, access_key_claims, authorizer_context, make_token, user_claims

ISSUER = "https://api.descope.com/P2TestProject000000000000000"
AUDIENCE = "P2TestProject000000000000000"
LEEWAY_S = 30.0
# Tenant id of Descope's form (T2 + 26 characters), as long as real ones.
TENANT_ID_LENGTH = 28


def decode(context: Any, *, now_s: float | None = None) -> Principal:
    return decode_context(context, leeway_s=LEEWAY_S, now_s=now_s)


@pytest.mark.parametrize(
    "claims",
    [
        user_claims(ISSUER, AUDIENCE),
        user_claims(ISSUER, AUDIENCE, aud=None, dsub="U2descopeUser", email="a@acme.test", custom={"plan": "pro"}),
        user_claims(ISSUER, AUDIENCE, tenants=None, roles=None, permissions=None, amr=None, dct=None),
        user_claims(ISSUER, AUDIENCE, tenants=["T-acme"], dct="T-acme"),
        access_key_claims(ISSUER),
    ],
    ids=["user", "extra-claims", "no-grant-claims", "tenants-not-an-object", "access-key"],
)
def test_context_round_trip_gives_the_principal_of_the_claims(claims: dict[str, Any]) -> None:
    principal = decode(authorizer_context(claims))

    assert principal == Principal.from_claims(claims)
    assert principal.claims == claims


def test_encoded_context_is_flat_and_carries_each_claim_once() -> None:
    claims = user_claims(ISSUER, AUDIENCE)

    context = encode_context(Principal.from_claims(claims))

    assert tuple(context) == CONTEXT_KEYS
    assert all(isinstance(value, str | int | float) for value in context.values())
    assert (context["sub"], context["iss"], context["kind"], context["tenant"]) == (
        "U2userAcmeAdmin",
        ISSUER,
        "user",
        "T-acme",
    )
    assert context["exp"] == claims["exp"]
    assert json.loads(str(context["tenants"])) == claims["tenants"]
    assert json.loads(str(context["amr"])) == ["pwd"]
    assert (
        not {"sub", "iss", "exp", "tenants", "roles", "permissions", "amr"} & json.loads(str(context["claims"])).keys()
    )


def test_numbers_are_read_back_from_the_authorizer_output_or_the_integration_strings() -> None:
    claims = user_claims(ISSUER, AUDIENCE)
    raw = encode_context(Principal.from_claims(claims))

    assert decode(raw) == decode(authorizer_context(claims)) == Principal.from_claims(claims)


@pytest.mark.parametrize("context", [None, "sub=U2", ["U2"]], ids=["absent", "a-string", "a-list"])
def test_missing_context_is_401_without_error_code(context: Any) -> None:
    with pytest.raises(AuthenticationError) as raised:
        decode(context)

    assert raised.value.headers == {"WWW-Authenticate": "Bearer"}


def _valid() -> dict[str, Any]:
    return authorizer_context(user_claims(ISSUER, AUDIENCE))


MALFORMED: dict[str, dict[str, Any]] = {
    "empty": {},
    "only-principal-id": {"principalId": "U2userAcmeAdmin", "integrationLatency": 0},
    **{f"no-{key}": {name: value for name, value in _valid().items() if name != key} for key in CONTEXT_KEYS},
    "sub-empty": {**_valid(), "sub": ""},
    "sub-not-a-string": {**_valid(), "sub": 7},
    "iss-empty": {**_valid(), "iss": ""},
    "kind-unknown": {**_valid(), "kind": "admin"},
    "kind-id-token": {**_valid(), "kind": "id_token"},
    "kind-not-the-claims": {**_valid(), "kind": "access_key"},
    "tenant-not-the-claims": {**_valid(), "tenant": "T-globex"},
    "tenant-dropped": {**_valid(), "tenant": ""},
    "tenant-not-a-string": {**_valid(), "tenant": None},
    "exp-not-a-number": {**_valid(), "exp": "soon"},
    "exp-boolean": {**_valid(), "exp": "true"},
    "exp-infinite": {**_valid(), "exp": "Infinity"},
    "exp-object": {**_valid(), "exp": {"at": 1}},
    "tenants-not-json": {**_valid(), "tenants": "{T-acme"},
    "tenants-not-a-string": {**_valid(), "tenants": {"T-acme": {}}},
    "roles-not-json": {**_valid(), "roles": "[admin"},
    "permissions-not-json": {**_valid(), "permissions": "perm"},
    "amr-not-json": {**_valid(), "amr": "pwd"},
    "claims-not-json": {**_valid(), "claims": "{"},
    "claims-not-an-object": {**_valid(), "claims": "[]"},
    # JSON that Python's parser gives up on (RecursionError) or a number beyond a float (OverflowError), not a 500.
    "claims-nested-too-deep": {**_valid(), "claims": "[" * 100_000 + "]" * 100_000},
    "tenants-nested-too-deep": {**_valid(), "tenants": "[" * 100_000 + "]" * 100_000},
    "exp-beyond-a-float": {**_valid(), "exp": "9" * 400},
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_context_is_401_invalid_token(case: str) -> None:
    with pytest.raises(AuthenticationError) as raised:
        decode(MALFORMED[case])

    assert raised.value.headers == {"WWW-Authenticate": 'Bearer error="invalid_token"'}


def test_exp_is_checked_against_the_clock_with_the_leeway() -> None:
    exp = int(time.time()) + 60
    context = authorizer_context(user_claims(ISSUER, AUDIENCE, exp=exp))

    within_leeway = decode(context, now_s=exp + LEEWAY_S - 1)
    with pytest.raises(AuthenticationError):
        decode(context, now_s=exp + LEEWAY_S)

    assert within_leeway.sub == "U2userAcmeAdmin"


def many_tenants_claims(tenants: int, roles: int, permissions: int) -> dict[str, Any]:
    """A member of ``tenants`` tenants with ``roles`` roles and ``permissions`` permissions in each."""
    names = [permission.value for permission in Permission]
    grants = {
        f"T2{index:0{TENANT_ID_LENGTH - 2}d}": {
            "roles": [f"role-{role}" for role in range(roles)],
            "permissions": [names[(index + offset) % len(names)] for offset in range(permissions)],
        }
        for index in range(tenants)
    }
    return user_claims(ISSUER, AUDIENCE, tenants=grants, dct=next(iter(grants)))


def test_context_of_a_member_of_50_tenants_is_no_larger_than_the_token_that_carried_it() -> None:
    # API Gateway bounds the request line and headers of a REST API to 10,240 bytes, so the token is the bound of
    # the context built from it (docs/ARCHITECTURE.md, "Trust boundary"); the measured sizes are reported there.
    claims = many_tenants_claims(50, 3, 10)
    token = make_token(SigningKey.rsa("size"), claims)
    payload = json.dumps(claims, separators=(",", ":"))

    context = authorizer_context(claims)
    context_bytes = len(json.dumps(context, separators=(",", ":")).encode())

    print(f"50x3x10: claims {len(payload)} B, token {len(token)} B, integration context {context_bytes} B")
    assert decode(context).tenants == Principal.from_claims(claims).tenants
    assert len(payload) < context_bytes < len(token)
    assert len(token) > 10_240  # such a member's token is already refused by API Gateway's header limit


@pytest.mark.parametrize(
    ("authorization", "token"),
    [
        ("Bearer abc.def.ghi", "abc.def.ghi"),
        ("bearer abc", "abc"),
        ("BEARER abc", "abc"),
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer ", None),
        ("Basic dXNlcjpwYXNz", None),
        ("Bearerabc", None),
    ],
    ids=["bearer", "lower-case", "upper-case", "absent", "empty", "no-token", "blank-token", "basic", "no-space"],
)
def test_bearer_token_reads_the_rfc_6750_header(authorization: str | None, token: str | None) -> None:
    assert bearer_token(authorization) == token
