"""The authenticated caller, built from validated token claims (no I/O)."""

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

PrincipalKind = Literal["user", "access_key"]
# Authentication method reference of access-key tokens (compared case-insensitively).
ACCESS_KEY_AMR = "accesskey"


class TenantGrant(BaseModel):
    """Roles and permissions the caller holds in one tenant (Descope ``tenants`` claim entry)."""

    model_config = ConfigDict(frozen=True)

    roles: tuple[str, ...] = ()
    permissions: tuple[str, ...] = ()


class Principal(BaseModel):
    """Who is calling, with what grants, in which tenant.

    Attributes
    ----------
    sub : str
        Descope user id, or the access key id for access-key tokens.
    issuer : str
        The token's ``iss``.
    kind : {"user", "access_key"}
        See :func:`token_kind`.
    tenants : dict[str, TenantGrant]
        Every tenant the token names, keyed by opaque tenant id.
    active_tenant_id : str or None
        ``dct`` when the token grants a role in that tenant; else the one tenant it grants a role in, if exactly
        one; else None (see :func:`_active_tenant_id`).
    project_roles, project_permissions : tuple[str, ...]
        Project-level (top-level ``roles``/``permissions``) grants.
    claims : dict
        All validated claims, nested objects kept as objects.
    """

    model_config = ConfigDict(frozen=True)

    sub: str
    issuer: str
    kind: PrincipalKind
    tenants: dict[str, TenantGrant] = Field(default_factory=dict)
    active_tenant_id: str | None = None
    project_roles: tuple[str, ...] = ()
    project_permissions: tuple[str, ...] = ()
    claims: dict[str, Any] = Field(default_factory=dict)

    @property
    def user_id(self) -> str:
        """Descope user id: ``dsub`` when a JWT template moved it out of ``sub``, else ``sub`` (Descope JWT docs)."""
        dsub = self.claims.get("dsub")
        return dsub if isinstance(dsub, str) and dsub else self.sub

    @property
    def active_grant(self) -> TenantGrant:
        """Grants in the active tenant; empty when there is none."""
        if self.active_tenant_id is None:
            return TenantGrant()
        return self.tenants.get(self.active_tenant_id, TenantGrant())

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Self:
        """Build the principal from validated claims.

        Malformed grant claims (``tenants`` not an object, roles not a list of strings) count as no grants rather
        than errors: the signature is valid, so the token is simply granted nothing there.

        Parameters
        ----------
        claims : Mapping
            Output of :func:`identity_stack.auth.tokens.validate_access_token`; ``sub`` and ``iss`` are present.

        Returns
        -------
        Principal
        """
        tenants = _tenant_grants(claims.get("tenants"))
        return cls(
            sub=claims["sub"],
            issuer=claims["iss"],
            kind=token_kind(claims),
            tenants=tenants,
            active_tenant_id=_active_tenant_id(claims.get("dct"), tenants),
            project_roles=_strings(claims.get("roles")),
            project_permissions=_strings(claims.get("permissions")),
            claims=dict(claims),
        )


def token_kind(claims: Mapping[str, Any]) -> PrincipalKind:
    """Tell an access-key token from a user's token.

    An access-key token is one whose ``amr`` names the access-key method (``accesskey``, compared
    case-insensitively), or a client-credentials token: ``sub`` is the client itself, as ``client_id`` or ``azp``
    say (RFC 9068 §2.2: with no resource owner, ``sub`` names the client), and it carries no user ``email``.
    Anything else is a user's token, whether or not it has ``aud``: Descope's default session token has none
    (Descope "Session token" JWT docs list no ``aud``), so a missing ``aud`` says nothing about the caller.

    Source and uncertainty: Descope documents no ``amr`` value for access-key tokens; ``accesskey`` is what the
    local identity provider issues on both access-key paths. A real key token without it is classified as a user,
    the safe side: the provider has no user with the key's id, so such a token grants nothing that is judged by
    the provider's records (see :func:`~identity_stack.domain.roles.read_granter_roles`).

    Parameters
    ----------
    claims : Mapping
        Validated claims.

    Returns
    -------
    {"user", "access_key"}
    """
    if names_access_key_method(claims.get("amr")):
        return "access_key"
    client = claims.get("client_id") or claims.get("azp")
    if client and client == claims.get("sub") and "email" not in claims:
        return "access_key"
    return "user"


def names_access_key_method(amr: object) -> bool:
    """Whether an ``amr`` claim (RFC 8176 §1: a list of method names) names the access-key method, in any case."""
    return isinstance(amr, list) and ACCESS_KEY_AMR in (str(method).lower() for method in amr)


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))


def _tenant_grants(value: object) -> dict[str, TenantGrant]:
    if not isinstance(value, dict):
        return {}
    grants: dict[str, TenantGrant] = {}
    for tenant_id, entry in value.items():
        if isinstance(tenant_id, str) and tenant_id:
            entry = entry if isinstance(entry, dict) else {}
            grants[tenant_id] = TenantGrant(
                roles=_strings(entry.get("roles")), permissions=_strings(entry.get("permissions"))
            )
    return grants


def _active_tenant_id(dct: object, tenants: Mapping[str, TenantGrant]) -> str | None:
    """The tenant the caller acts in: one the token grants a role in, never a ``dct`` on its own.

    ``dct`` counts only when ``tenants`` grants a role there: a ``dct`` outside ``tenants`` (a sign-in that selected
    any tenant) or naming a tenant where the caller holds nothing (a member suspended there keeps the membership
    without roles) selects no tenant, and tenant routes answer 403 ``active-tenant-required``.
    """
    granted = [tenant_id for tenant_id, grant in tenants.items() if grant.roles or grant.permissions]
    if isinstance(dct, str) and dct:
        return dct if dct in granted else None
    if len(granted) == 1:
        # Descope sets `dct` itself only for users with one tenant; access-key tokens never carry it.
        return granted[0]
    return None
