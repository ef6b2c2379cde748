"""Authorization codes (RFC 6749 §4.1.2): single use, short-lived, bound to client, redirect URI and PKCE
challenge. Kept in memory only: a restart simply invalidates codes in flight."""

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from local.idp.config import AUTHORIZATION_CODE_TTL_S


@dataclass
class AuthorizationGrant:
    """What a code stands for; ``sid`` is set once the code has been redeemed."""

    user_id: str
    client_id: str
    redirect_uri: str
    code_challenge: str
    scope: str
    nonce: str | None
    tenant: str | None
    expires_at: float
    sid: str | None = None


class AuthorizationCodes:
    """Issued codes by value; redeemed codes are remembered until they expire so a replay can be detected.

    Parameters
    ----------
    ttl_s : float
        Lifetime of a code; RFC 6749 §4.1.2 recommends at most 10 minutes, Descope uses about one.
    clock : Callable[[], float]
        Monotonic clock in seconds, injectable for tests.
    """

    def __init__(self, ttl_s: float = AUTHORIZATION_CODE_TTL_S, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._grants: dict[str, AuthorizationGrant] = {}

    def issue(
        self,
        *,
        user_id: str,
        client_id: str,
        redirect_uri: str,
        code_challenge: str,
        scope: str,
        nonce: str | None,
        tenant: str | None,
    ) -> str:
        """Store a grant and return its new code (256 random bits)."""
        code = secrets.token_urlsafe(32)
        now = self._clock()
        grant = AuthorizationGrant(
            user_id, client_id, redirect_uri, code_challenge, scope, nonce, tenant, expires_at=now + self._ttl_s
        )
        with self._lock:
            self._grants = {c: g for c, g in self._grants.items() if g.expires_at > now}
            self._grants[code] = grant
        return code

    def get(self, code: str) -> AuthorizationGrant | None:
        """The unexpired grant of ``code`` (redeemed or not)."""
        with self._lock:
            grant = self._grants.get(code)
        return grant if grant is not None and grant.expires_at > self._clock() else None

    def clear(self) -> None:
        """Forget every code."""
        with self._lock:
            self._grants.clear()
