"""Token minting in Descope's shape, and verification of the tokens this provider issued.

Claims follow the Descope session token (docs: session-overview, JWT templates; ``drn`` DS/DSR, ``dct``,
``tenants`` = {tenant id: {roles, permissions}}, top-level ``roles``/``permissions`` for project-level grants)
with the URL-form issuer of the project's JWT templates (infra/descope_project.tf, ``conformance_issuer``).
"""

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from joserfc.errors import JoseError
from joserfc.jwt import JWTClaimsRegistry

from local.idp.rbac import permissions_for
from local.idp.signing import InvalidSignedTokenError, SigningKeys
from local.idp.store import State
from local.idp.terraform import SessionSettings

SESSION_TOKEN_DRN = "DS"
REFRESH_TOKEN_DRN = "DSR"
# Claims a key's customClaims may not override (Descope filters system claims the same way).
RESERVED_CLAIMS = frozenset(
    {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "drn", "amr", "dct", "tenants", "roles", "permissions", "nsec"}
)


class InvalidTokenError(Exception):
    """A presented token is not a live token of the expected kind from this provider."""


def at_hash(access_token: str) -> str:
    """``at_hash`` of an access token for RS256: base64url of the left half of its SHA-256 (OIDC Core §3.1.3.6)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode("ascii")


def authorization_claims(state: State, *, role_names: list[str], tenant_roles: dict[str, list[str]]) -> dict[str, Any]:
    """``tenants``, ``roles`` and ``permissions`` claims, permissions derived from the current role definitions."""
    return {
        "tenants": {
            tenant_id: {"roles": list(roles), "permissions": permissions_for(state, roles)}
            for tenant_id, roles in tenant_roles.items()
        },
        "roles": list(role_names),
        "permissions": permissions_for(state, role_names),
    }


@dataclass(frozen=True)
class TokenIssuer:
    """Mints and verifies this provider's JWTs.

    Attributes
    ----------
    issuer : str
        ``iss`` of every token: ``<base url>/<project id>``.
    project_id : str
        ``aud`` of OIDC access tokens and refresh tokens.
    session : SessionSettings
        Lifetimes from the Terraform.
    keys : SigningKeys
        Current signing key and JWKS.
    """

    issuer: str
    project_id: str
    session: SessionSettings
    keys: SigningKeys

    def _base(self, subject: str, ttl_s: int, now: int) -> dict[str, Any]:
        return {"iss": self.issuer, "sub": subject, "iat": now, "nbf": now, "exp": now + ttl_s}

    def user_access_token(self, state: State, user: dict[str, Any], *, tenant: str | None, now: int) -> str:
        """OIDC access token of a user: ``aud`` = project id, ``dct`` when a tenant is active."""
        claims = self._base(user["userId"], self.session.session_ttl_s, now)
        claims |= {"aud": self.project_id, "drn": SESSION_TOKEN_DRN, "amr": ["email"]}
        claims |= authorization_claims(state, role_names=user["roleNames"], tenant_roles=user["tenants"])
        if tenant is not None:
            claims["dct"] = tenant
        return self.keys.sign(claims)

    def id_token(
        self,
        user: dict[str, Any],
        *,
        client_id: str,
        nonce: str | None,
        sid: str,
        access_token: str,
        auth_time: int,
        now: int,
    ) -> str:
        """OIDC ID token (OIDC Core §2): ``aud`` = client id, profile and email claims, ``nonce`` echoed.

        ``auth_time`` is when the user signed in, also in ID tokens from a refresh (OIDC Core §12.2), which relying
        parties such as oidc-client-ts compare with the original.
        """
        claims = self._base(user["userId"], self.session.session_ttl_s, now)
        claims |= {
            "aud": client_id,
            "auth_time": auth_time,
            "sid": sid,
            "at_hash": at_hash(access_token),
            "email": user["email"],
            "email_verified": user["verifiedEmail"],
            "name": user["name"],
        }
        if nonce:
            claims["nonce"] = nonce
        return self.keys.sign(claims)

    def refresh_token(self, session: dict[str, Any], *, now: int) -> str:
        """Refresh JWT (``drn`` DSR) naming its session and the one refresh id that may be used next."""
        claims = self._base(session["subject"], self.session.refresh_ttl_s, now)
        claims |= {"aud": self.project_id, "drn": REFRESH_TOKEN_DRN}
        claims |= {"sid": session["sid"], "jti": session["refreshJti"]}
        return self.keys.sign(claims)

    def access_key_token(
        self,
        state: State,
        key: dict[str, Any],
        *,
        audience: str | None,
        selected_tenant: str | None,
        login_claims: dict[str, Any] | None,
        now: int,
    ) -> tuple[str, int]:
        """Session JWT of an access key: ``sub`` = key id, grants from the key (or its bound user).

        The access-key exchange passes ``audience=None`` (Descope's session form has no ``aud``); the
        client-credentials grant passes the project id.

        Returns
        -------
        tuple of (str, int)
            The JWT and its ``exp`` (bounded by the key's ``expireTime``), epoch seconds.
        """
        claims = self._base(key["id"], self.session.access_key_session_ttl_s, now)
        if key["expireTime"]:
            claims["exp"] = min(claims["exp"], key["expireTime"])
        bound_user = state["users"].get(key["boundUserId"]) if key["boundUserId"] else None
        grants = bound_user or {"roleNames": key["roleNames"], "tenants": key["keyTenants"]}
        claims |= {k: v for k, v in key["customClaims"].items() if k not in RESERVED_CLAIMS}
        claims |= {"drn": SESSION_TOKEN_DRN, "amr": ["accesskey"]}
        claims |= authorization_claims(state, role_names=grants["roleNames"], tenant_roles=grants["tenants"])
        if audience is not None:
            claims["aud"] = audience
        if selected_tenant is not None:
            claims["dct"] = selected_tenant
        if login_claims:
            claims["nsec"] = dict(login_claims)
        return self.keys.sign(claims), claims["exp"]

    def verify(self, token: str, *, drn: str) -> dict[str, Any]:
        """Claims of a token this provider issued, if its signature, ``iss``, ``drn`` and ``exp`` hold.

        Raises
        ------
        InvalidTokenError
            Anything wrong with the token; the message is safe to show.
        """
        try:
            claims = self.keys.verify(token)
            JWTClaimsRegistry(
                iss={"essential": True, "value": self.issuer},
                drn={"essential": True, "value": drn},
                exp={"essential": True},
            ).validate(claims)
        except (InvalidSignedTokenError, JoseError) as exc:
            raise InvalidTokenError("token is invalid or expired") from exc
        return claims
