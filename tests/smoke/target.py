"""Where the smoke suite points: a deployed stage named by ``SMOKE_*`` variables, or a local stack it starts itself.

Environment variables
---------------------
SMOKE_API_URL
    Base URL of the stage (routes under ``/api``); unset: the local stack (identity provider, moto, local gateway on
    free loopback ports) with the seeded ``acme-api`` access key.
SMOKE_ISSUER, SMOKE_CLIENT_ID, SMOKE_CLIENT_SECRET, SMOKE_ALLOWED_ORIGIN, SMOKE_TENANT_ID
    The OIDC issuer (its discovery names the token endpoint), a Descope access key used with the OAuth
    client-credentials grant (RFC 6749 §4.4), the SPA origin CORS allows, and the tenant the key belongs to.
SMOKE_GAPS
    Comma list of known gaps of the target, each relaxing only the checks docs list for it (``ministack``:
    docs/deploy-rehearsal.md, see :data:`KNOWN_GAPS`).
SMOKE_API_KEY
    Only with the ``ministack`` gap: the usage-plan key sent as ``x-api-key`` (MiniStack ignores the authorizer's
    ``usageIdentifierKey``).
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

MINISTACK = "ministack"
KNOWN_GAPS = frozenset({MINISTACK})
REQUIRED_WITH_URL = (
    "SMOKE_ISSUER",
    "SMOKE_CLIENT_ID",
    "SMOKE_CLIENT_SECRET",
    "SMOKE_ALLOWED_ORIGIN",
    "SMOKE_TENANT_ID",
)


class SmokeConfigError(ValueError):
    """Raised when ``SMOKE_API_URL`` is set without the variables that must come with it, or a gap is unknown."""


@dataclass(frozen=True)
class SmokeTarget:
    """One stage to smoke-test.

    Attributes
    ----------
    api_url, issuer : str
        Without trailing slash.
    client_id, client_secret : str
        The access key (key id, key secret).
    allowed_origin, tenant_id : str
    gaps : frozenset[str]
        Known gaps of the target (subset of :data:`KNOWN_GAPS`).
    api_key : str, optional
        ``x-api-key`` for targets with the ``ministack`` gap; always ``None`` without it.
    """

    api_url: str
    issuer: str
    client_id: str
    client_secret: str
    allowed_origin: str
    tenant_id: str
    gaps: frozenset[str] = frozenset()
    api_key: str | None = None

    @property
    def has_ministack_gaps(self) -> bool:
        """Whether the target is MiniStack, with the gaps docs/deploy-rehearsal.md lists."""
        return MINISTACK in self.gaps


def target_from_environment(environ: Mapping[str, str] = os.environ) -> SmokeTarget | None:
    """The deployed target the ``SMOKE_*`` variables name, or None without ``SMOKE_API_URL`` (local stack).

    Raises
    ------
    SmokeConfigError
        A required variable is missing, a gap is unknown, or ``ministack`` comes without ``SMOKE_API_KEY``.
    """
    api_url = environ.get("SMOKE_API_URL", "").rstrip("/")
    if not api_url:
        return None
    missing = [name for name in REQUIRED_WITH_URL if not environ.get(name)]
    if missing:
        raise SmokeConfigError(f"SMOKE_API_URL is set but {', '.join(missing)} are not")
    gaps = frozenset(gap.strip() for gap in environ.get("SMOKE_GAPS", "").split(",") if gap.strip())
    if gaps - KNOWN_GAPS:
        raise SmokeConfigError(f"unknown SMOKE_GAPS {sorted(gaps - KNOWN_GAPS)}; known: {sorted(KNOWN_GAPS)}")
    # Only the ministack gap sends a usage key itself; elsewhere the authorizer names it and a stray one is ignored.
    api_key = (environ.get("SMOKE_API_KEY") or None) if MINISTACK in gaps else None
    if MINISTACK in gaps and api_key is None:
        raise SmokeConfigError("SMOKE_GAPS=ministack needs SMOKE_API_KEY (MiniStack reads only x-api-key)")
    return SmokeTarget(
        api_url=api_url,
        issuer=environ["SMOKE_ISSUER"].rstrip("/"),
        client_id=environ["SMOKE_CLIENT_ID"],
        client_secret=environ["SMOKE_CLIENT_SECRET"],
        allowed_origin=environ["SMOKE_ALLOWED_ORIGIN"],
        tenant_id=environ["SMOKE_TENANT_ID"],
        gaps=gaps,
        api_key=api_key,
    )


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def trusted_token_endpoint(issuer: str, endpoint: str) -> str:
    """``endpoint`` if the key's secret may be sent there: the issuer's own host, over HTTPS (HTTP only on loopback).

    A discovery document that named another host would otherwise receive the smoke key's secret.
    """
    issuer_url, endpoint_url = httpx.URL(issuer), httpx.URL(endpoint)
    assert endpoint_url.host == issuer_url.host, f"token endpoint {endpoint} is not on the issuer's host"
    assert endpoint_url.scheme == "https" or endpoint_url.host in LOOPBACK_HOSTS, (
        f"token endpoint {endpoint} is not HTTPS"
    )
    return endpoint
