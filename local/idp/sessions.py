"""Refresh-token sessions: creation, rotation with reuse detection, inactivity, and revocation."""

import time
import uuid
from typing import Any

from local.idp.errors import OAuthError
from local.idp.ids import new_id
from local.idp.store import State
from local.idp.terraform import SessionSettings


def create_session(state: State, *, subject: str, client_id: str, tenant: str | None, scope: str) -> dict[str, Any]:
    """Start a session for a user; its first refresh token carries ``refreshJti``."""
    now = int(time.time())
    session = {
        "sid": new_id("S"),
        "subject": subject,
        "clientId": client_id,
        "tenant": tenant,
        "scope": scope,
        "refreshJti": uuid.uuid4().hex,
        "revoked": False,
        "createdTime": now,
        "lastUsedTime": now,
    }
    state["sessions"][session["sid"]] = session
    return session


def rotate_session(state: State, claims: dict[str, Any], settings: SessionSettings) -> dict[str, Any]:
    """Accept a presented refresh token once and move the session to a new refresh token id.

    A refresh token presented a second time revokes the whole session (OAuth 2.0 Security BCP, RFC 9700
    §4.14.2): either the client or an attacker holds a stolen copy.

    Raises
    ------
    OAuthError
        ``invalid_grant`` when the session is unknown, revoked, idle longer than the inactivity time, or the
        token was already used.
    """
    session: dict[str, Any] | None = state["sessions"].get(claims.get("sid", ""))
    if session is None or session["revoked"]:
        raise OAuthError("invalid_grant", "refresh token is revoked")
    if session["refreshJti"] != claims.get("jti"):
        session["revoked"] = True
        raise OAuthError("invalid_grant", "refresh token was already used")
    now = int(time.time())
    if settings.inactivity_s is not None and now - session["lastUsedTime"] > settings.inactivity_s:
        session["revoked"] = True
        raise OAuthError("invalid_grant", "session ended after inactivity")
    session["lastUsedTime"] = now
    if settings.refresh_rotation:
        session["refreshJti"] = uuid.uuid4().hex
    return session


def find_live_session(state: State, claims: dict[str, Any]) -> dict[str, Any] | None:
    """The session a refresh token belongs to, if neither revoked nor superseded by rotation."""
    session: dict[str, Any] | None = state["sessions"].get(claims.get("sid", ""))
    if session is None or session["revoked"] or session["refreshJti"] != claims.get("jti"):
        return None
    return session


def revoke_session(state: State, sid: str) -> None:
    """End one session; its refresh tokens stop working. Unknown ids are ignored (RFC 7009 §2.2)."""
    if sid in state["sessions"]:
        state["sessions"][sid]["revoked"] = True


def revoke_subject_sessions(state: State, subject: str) -> int:
    """End every session of a user (management ``logout``, auth ``logoutall``); returns how many were live."""
    live = [s for s in state["sessions"].values() if s["subject"] == subject and not s["revoked"]]
    for session in live:
        session["revoked"] = True
    return len(live)


def prune_sessions(state: State, settings: SessionSettings) -> None:
    """Forget sessions that are revoked or whose last refresh token has expired, so the state stays small."""
    horizon = int(time.time()) - settings.refresh_ttl_s
    for sid, session in list(state["sessions"].items()):
        if session["revoked"] or session["lastUsedTime"] < horizon:
            del state["sessions"][sid]
