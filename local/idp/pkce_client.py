"""A scripted OIDC client: the authorization code + PKCE flow over HTTP, signing a persona in with login_hint."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt

# Registered in infra (dev.tfvars spa_extra_redirect_urls); nothing needs to listen there because the redirect is not
# followed.
DEFAULT_REDIRECT_URI = "http://127.0.0.1:3000"
DEFAULT_SCOPE = "openid profile email"


class SignInError(Exception):
    """The provider refused the sign-in; ``error`` is the OAuth error code."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description


@dataclass(frozen=True)
class TokenSet:
    """Tokens of one sign-in; ``id_token`` is present because the flow asks for ``openid``."""

    access_token: str
    id_token: str
    refresh_token: str
    expires_in: int

    @property
    def claims(self) -> dict[str, Any]:
        """The access token's claims, **not verified** (for assertions and debugging only)."""
        return jwt.decode(self.access_token, options={"verify_signature": False})


def make_pkce_pair() -> tuple[str, str]:
    """A fresh ``(code_verifier, S256 code_challenge)`` pair (RFC 7636 §4.1-4.2)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_in(
    client: httpx.Client,
    base_url: str,
    client_id: str,
    login_id: str,
    *,
    tenant: str | None = None,
    redirect_uri: str = DEFAULT_REDIRECT_URI,
) -> TokenSet:
    """Run the authorization code + PKCE flow for a persona and return its tokens.

    Parameters
    ----------
    client : httpx.Client
        Used for both requests; must not follow redirects.
    base_url, client_id : str
        Provider origin and the SPA's client id (the project id).
    login_id : str
        Seeded login id, sent as ``login_hint`` so no page is shown.
    tenant : str, optional
        Tenant id to make active (``dct``).

    Raises
    ------
    SignInError
        The provider answered with an OAuth error (unknown or disabled user, tenant not allowed, ...).
    httpx.HTTPError
        The provider is unreachable.
    """
    verifier, challenge = make_pkce_pair()
    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": DEFAULT_SCOPE,
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "login_hint": login_id,
    }
    if tenant is not None:
        params["tenant"] = tenant
    answer = client.get(f"{base_url}/oauth2/v1/authorize", params=params)
    if answer.status_code != 302:
        raise SignInError("invalid_request", f"authorization endpoint answered {answer.status_code}")
    query = {key: values[0] for key, values in parse_qs(urlsplit(answer.headers["location"]).query).items()}
    if "error" in query:
        raise SignInError(query["error"], query.get("error_description", ""))
    if query.get("state") != state:
        raise SignInError("invalid_request", "state was not echoed")
    form = {
        "grant_type": "authorization_code",
        "code": query["code"],
        "redirect_uri": redirect_uri,
        "client_id": client_id,
        "code_verifier": verifier,
    }
    tokens = client.post(f"{base_url}/oauth2/v1/token", data=form)
    if tokens.status_code != 200:
        body = tokens.json()
        raise SignInError(body.get("error", "server_error"), body.get("error_description", ""))
    body = tokens.json()
    return TokenSet(body["access_token"], body["id_token"], body["refresh_token"], body["expires_in"])
