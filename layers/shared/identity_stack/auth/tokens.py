"""Bearer token validation over py-identity-model's async API (one discovery/JWKS cache per container)."""

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import jwt
from py_identity_model import (
    ClaimsValidationError,
    ConfigurationException,
    DiscoveryPolicy,
    NetworkException,
    PyIdentityModelException,
    TokenValidationConfig,
    TokenValidationException,
)
from py_identity_model.aio import validate_id_token as _validate_id_token
from py_identity_model.aio import validate_token as _validate_token

from identity_stack.auth.principal import names_access_key_method
from identity_stack.config import OidcSettings, Requirement, configure_identity_model_http, get_settings
from identity_stack.errors import (
    IDP_RETRY_AFTER_S,
    IDP_UNAVAILABLE_DETAIL,
    AuthenticationError,
    ProblemError,
    UpstreamUnavailableError,
)

# RFC 8725 §3.1: an explicit allow-list; `none` and HMAC (alg confusion with a public key) are never accepted.
ALLOWED_ALGORITHMS = ["RS256", "ES256"]
# RFC 7519 §4.1: PyJWT accepts tokens without `exp` unless told otherwise.
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss"]
# Descope session tokens (access-key exchange) carry `drn: "DS"` and no `aud` (Descope JWT docs, "drn").
SESSION_TOKEN_DRN = "DS"  # noqa: S105 (a claim value, not a secret)
# OIDC Core §2: claims only an ID token carries; one presented as an access token is refused (RFC 9068 has no `typ`
# check in py-identity-model 4.1.1, and locally the SPA client id equals the API audience).
ID_TOKEN_ONLY_CLAIMS = ("nonce", "at_hash", "c_hash")

logger = logging.getLogger(__name__)
# The library logs every rejected token at ERROR/WARNING (attacker-amplifiable noise); we log failures at INFO.
logging.getLogger("py_identity_model").setLevel(logging.CRITICAL)


def check_issuer(claims: Mapping[str, Any], allowed_issuers: list[str]) -> None:
    """Accept only an ``iss`` from the configured list (RFC 7519 §4.1.1; both Descope issuer forms).

    Raises
    ------
    ClaimsValidationError
        ``iss`` missing or not allowed.
    """
    if claims.get("iss") not in allowed_issuers:
        raise ClaimsValidationError("issuer not allowed", claim="iss")


def check_audience(claims: Mapping[str, Any], audience: str) -> None:
    """Require ``audience`` in ``aud`` when present; without ``aud`` accept only a Descope session token.

    RFC 7519 §4.1.3 (``aud`` is a string or a list); Descope session tokens from the access-key exchange have no
    ``aud`` and carry ``drn: "DS"`` (refresh tokens carry ``"DSR"`` and are refused).

    Raises
    ------
    ClaimsValidationError
        ``aud`` present without ``audience``, or absent on a token that is not a session token.
    """
    if "aud" not in claims:
        if claims.get("drn") != SESSION_TOKEN_DRN:
            raise ClaimsValidationError("token without aud is not a session token", claim="aud")
        return
    aud = claims["aud"]
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if audience not in audiences:
        raise ClaimsValidationError("audience not accepted", claim="aud")


def check_not_id_token(claims: Mapping[str, Any]) -> None:
    """Refuse an ID token presented as an access token (OIDC Core §2: ``nonce``, ``at_hash``, ``c_hash``).

    Raises
    ------
    ClaimsValidationError
        The token carries ``nonce``, ``at_hash`` or ``c_hash``.
    """
    for claim in ID_TOKEN_ONLY_CLAIMS:
        if claim in claims:
            raise ClaimsValidationError("ID token presented as access token", claim=claim)


def check_not_refresh_token(claims: Mapping[str, Any]) -> None:
    """Refuse a Descope refresh token (``drn`` = ``DSR``, which carries ``aud`` too) presented as an access token.

    Any ``drn`` other than the session value counts: only session tokens authorise API calls (Descope JWT docs).

    Raises
    ------
    ClaimsValidationError
        ``drn`` is present and is not ``DS``.
    """
    if "drn" in claims and claims["drn"] != SESSION_TOKEN_DRN:
        raise ClaimsValidationError("not a session token", claim="drn")


def check_not_session_token(claims: Mapping[str, Any]) -> None:
    """Refuse a Descope session, refresh or access-key token presented as an ID token.

    The audience check alone cannot tell them apart: the SPA's client id is the project id, which is also the
    ``aud`` of access and refresh tokens. Descope marks its session tokens with ``drn`` = ``DS`` and refresh tokens
    with ``DSR`` (Descope JWT docs, "drn") and OIDC ID tokens carry no ``drn`` (OIDC Core §2; the local identity
    provider's ID tokens neither); an access key's token names the ``accesskey`` method in ``amr``.

    Raises
    ------
    ClaimsValidationError
        ``drn`` is present, or ``amr`` contains ``accesskey``.
    """
    if "drn" in claims:
        raise ClaimsValidationError("session or refresh token presented as ID token", claim="drn")
    if names_access_key_method(claims.get("amr")):
        raise ClaimsValidationError("access-key token presented as ID token", claim="amr")


def _discovery_policy(oidc: OidcSettings) -> DiscoveryPolicy:
    # http is allowed on loopback by default; a non-loopback host (sam local) needs the explicit local-only flag.
    return DiscoveryPolicy(require_https=not oidc.allow_insecure_http)


def _access_token_config(oidc: OidcSettings) -> TokenValidationConfig:
    audience = oidc.audience
    allowed_issuers = list(oidc.allowed_issuers)

    def check_access_token_claims(claims: dict[str, Any]) -> None:
        check_issuer(claims, allowed_issuers)
        check_audience(claims, audience)
        check_not_id_token(claims)
        check_not_refresh_token(claims)

    return TokenValidationConfig(
        perform_disco=True,
        algorithms=ALLOWED_ALGORITHMS,
        # Pins the discovery document's issuer; the token's own `iss`/`aud` are checked by the claims validator,
        # because PyJWT accepts only the discovery issuer and one `aud` rule, and Descope has two of each.
        allowed_issuers=allowed_issuers,
        leeway=oidc.leeway_s,
        options={"require": REQUIRED_CLAIMS, "verify_iss": False, "verify_aud": False},
        claims_validator=check_access_token_claims,
        discovery_policy=_discovery_policy(oidc),
    )


def _id_token_config(oidc: OidcSettings) -> TokenValidationConfig:
    return TokenValidationConfig(
        perform_disco=True,
        audience=oidc.spa_client_id,
        algorithms=ALLOWED_ALGORITHMS,
        allowed_issuers=list(oidc.allowed_issuers),
        leeway=oidc.leeway_s,
        options={"require": REQUIRED_CLAIMS},
        claims_validator=check_not_session_token,
        discovery_policy=_discovery_policy(oidc),
    )


def _is_idp_failure(exc: PyIdentityModelException) -> bool:
    # py-identity-model 4.1.1 reports an unreachable IdP, a 5xx or an unusable discovery/JWKS document as a *plain*
    # TokenValidationException with no token_part and no details; every token fault is a subclass or carries one
    # (read from py-identity-model 4.1.1's exception hierarchy).
    return isinstance(exc, NetworkException) or (
        type(exc) is TokenValidationException and exc.token_part is None and not exc.details
    )


def _to_problem(exc: Exception, kind: str) -> ProblemError:
    if isinstance(exc, jwt.PyJWTError):
        # 4.1.1 lets PyJWT's DecodeError escape for malformed tokens.
        logger.info("%s rejected: malformed token", kind)
        return AuthenticationError()
    if isinstance(exc, ConfigurationException):
        logger.error("%s validation misconfigured: %s", kind, exc)
        return ProblemError()
    if isinstance(exc, PyIdentityModelException) and _is_idp_failure(exc):
        # Misconfiguration (wrong discovery URL, https required) lands here too, hence ERROR and not WARNING.
        logger.error("identity provider unavailable while validating %s: %s", kind, exc)
        return UpstreamUnavailableError(IDP_UNAVAILABLE_DETAIL, retry_after_s=IDP_RETRY_AFTER_S)
    logger.info("%s rejected: %s", kind, exc)
    return AuthenticationError()


def _oidc_settings(*extra: Requirement) -> OidcSettings:
    """The OIDC settings (and the ``extra`` concerns) checked, and py-identity-model's HTTP limits applied."""
    settings = get_settings()
    settings.require_for(Requirement.OIDC, *extra)  # one error naming everything that is missing
    configure_identity_model_http()
    return settings.oidc()


async def validate_access_token(token: str) -> dict[str, Any]:
    """Validate a bearer access token against the configured issuer.

    Signature (RS256/ES256 from the cached JWKS; one rate-limited refetch on an unknown ``kid``), ``exp``/``nbf``/
    ``iat`` with ``OIDC_LEEWAY_S`` on every call (decoded tokens are never cached), required ``exp``, ``iat``,
    ``sub``, ``iss``; ``iss`` in ``OIDC_ALLOWED_ISSUERS``; ``aud`` = ``OIDC_AUDIENCE`` when present, absent only
    on a Descope session token (``drn`` = ``DS``).

    Parameters
    ----------
    token : str
        Compact JWS from ``Authorization: Bearer`` (RFC 6750 §2.1).

    Returns
    -------
    dict
        Verified claims; ``exp``/``iat`` in epoch seconds.

    Raises
    ------
    AuthenticationError
        Malformed, badly signed, expired or not meant for this API (RFC 7519 §7.2).
    UpstreamUnavailableError
        Discovery or JWKS unreachable or unusable (503, ``Retry-After``).
    MissingSettingError
        ``OIDC_DISCOVERY_URL``, ``OIDC_ALLOWED_ISSUERS`` or ``OIDC_AUDIENCE`` unset.
    """
    oidc = _oidc_settings()
    try:
        return await _validate_token(token, _access_token_config(oidc), disco_doc_address=oidc.discovery_url)
    except (jwt.PyJWTError, PyIdentityModelException) as exc:
        raise _to_problem(exc, "access token") from exc


async def validate_id_token(token: str) -> dict[str, Any]:
    """Validate an OIDC ID token issued to the SPA (OpenID Connect Core §3.1.3.7).

    Parameters
    ----------
    token : str
        Compact JWS; ``aud`` must contain ``SPA_CLIENT_ID``, ``iss`` must be the discovery issuer.

    Returns
    -------
    dict
        Verified claims.

    Raises
    ------
    AuthenticationError
        Malformed, badly signed, expired, wrong issuer or audience, an ``azp`` mismatch, or a Descope session,
        refresh or access-key token rather than an ID token (:func:`check_not_session_token`).
    UpstreamUnavailableError
        Discovery or JWKS unreachable or unusable.
    MissingSettingError
        ``OIDC_DISCOVERY_URL``, ``OIDC_ALLOWED_ISSUERS``, ``OIDC_AUDIENCE`` or ``SPA_CLIENT_ID`` unset.
    """
    oidc = _oidc_settings(Requirement.ID_TOKENS)
    try:
        return await _validate_id_token(token, _id_token_config(oidc), disco_doc_address=oidc.discovery_url)
    except (jwt.PyJWTError, PyIdentityModelException) as exc:
        raise _to_problem(exc, "ID token") from exc


# An unsigned token with no `kid`: validating it fetches discovery and JWKS, then fails before any kid-miss refresh
# or cooldown is stamped, so a real unknown-kid token later still gets its one refetch.
_PRIMING_TOKEN = jwt.encode({}, key="", algorithm="none")  # "none" takes no key; PyJWT reads "" as None


def prime_token_validation() -> None:
    """Fetch discovery and JWKS into py-identity-model's cache during Lambda init.

    Runs on the current thread's event loop, the one Mangum reuses for every invocation (``asyncio.run`` would bind
    the library's HTTP client to a loop that is then closed). Never raises for a token or IdP problem: with the IdP
    down the container still starts and requests answer 503 until it is back.

    Raises
    ------
    MissingSettingError
        The OIDC settings are unset: a deployment error, reported at init rather than on every request.
    """
    _oidc_settings()
    try:
        asyncio.get_event_loop().run_until_complete(validate_access_token(_PRIMING_TOKEN))
    except UpstreamUnavailableError:
        logger.warning("token validation not primed: identity provider unavailable")
    except AuthenticationError:
        pass  # expected: discovery and JWKS are now cached
