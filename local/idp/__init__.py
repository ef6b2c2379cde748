"""Descope-compatible local identity provider: OIDC, Descope auth and management APIs, seeded from infra/."""

from local.idp.config import IdpConfig
from local.idp.faults import Fault, FaultInjector, FaultKind
from local.idp.pkce_client import SignInError, TokenSet, sign_in
from local.idp.runtime import IdpRuntime
from local.idp.server import IdpServer

__all__ = [
    "Fault",
    "FaultInjector",
    "FaultKind",
    "IdpConfig",
    "IdpRuntime",
    "IdpServer",
    "SignInError",
    "TokenSet",
    "sign_in",
]
