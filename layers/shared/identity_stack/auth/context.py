"""The authorizer's verified claims as API Gateway carries them to the functions (``requestContext.authorizer``).

The authorizer validates the token once (API Gateway then caches its answer per token) and returns the claims in
its ``context``; the functions rebuild the :class:`~identity_stack.auth.principal.Principal` from it and do no
signature work. API Gateway accepts only string, number and boolean context values ("Output from an API Gateway
Lambda authorizer", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html)
and hands them to a REST proxy integration as strings next to ``principalId``, so objects and lists travel as compact
JSON strings and numbers are read back from either form.

Context keys (every one always present):

| key | value |
|---|---|
| ``sub``, ``iss`` | the token's ``sub`` and ``iss`` |
| ``kind`` | ``user``, ``access_key`` or ``id_token`` (the authorizer's classification) |
| ``exp`` | the token's ``exp``, epoch seconds |
| ``tenant`` | the active tenant id, ``""`` when there is none |
| ``tenants``, ``roles``, ``permissions``, ``amr`` | those claims as compact JSON, ``null`` when the token has none |
| ``claims`` | every other claim, as one compact JSON object (nothing travels twice) |

Decoding fails closed: a missing or malformed key, a ``kind`` or ``tenant`` that the claims do not give, an
``id_token`` kind, or an ``exp`` in the past (beyond ``OIDC_LEEWAY_S``) is a 401. ``exp`` is checked on every
request because the authorizer's answer is cached for ``ReauthorizeEvery`` seconds, which can outlive the token.
"""

import json
import logging
import math
import time
from collections.abc import Mapping
from typing import Any

from identity_stack.auth.principal import Principal
from identity_stack.errors import AuthenticationError

ID_TOKEN_KIND = "id_token"  # noqa: S105 (a token kind, not a secret)
# Claims carried under their own key; `claims` holds the rest.
GRANT_CLAIMS = ("tenants", "roles", "permissions", "amr")
_IDENTITY_CLAIMS = ("sub", "iss", "exp")
CONTEXT_KEYS = ("sub", "iss", "kind", "exp", "tenant", *GRANT_CLAIMS, "claims")

ContextValue = str | int | float

logger = logging.getLogger(__name__)


def encode_context(principal: Principal, *, kind: str | None = None) -> dict[str, ContextValue]:
    """The authorizer ``context`` of a principal built from validated claims.

    Parameters
    ----------
    principal : Principal
        From :meth:`Principal.from_claims`; its ``claims`` hold a numeric ``exp`` (validated tokens always do).
    kind : str, optional
        Overrides ``principal.kind`` (``"id_token"`` for an ID token, which no function route accepts).

    Returns
    -------
    dict
        Flat string/number map with the keys of :data:`CONTEXT_KEYS`.
    """
    claims = principal.claims
    rest = {name: value for name, value in claims.items() if name not in GRANT_CLAIMS + _IDENTITY_CLAIMS}
    context: dict[str, ContextValue] = {
        "sub": principal.sub,
        "iss": principal.issuer,
        "kind": kind or principal.kind,
        "exp": claims["exp"],
        "tenant": principal.active_tenant_id or "",
    }
    context |= {name: _compact(claims.get(name)) for name in GRANT_CLAIMS}
    context["claims"] = _compact(rest)
    return context


def decode_context(context: Mapping[str, Any] | None, *, leeway_s: float, now_s: float | None = None) -> Principal:
    """Rebuild the principal from ``requestContext.authorizer`` and check that it has not expired.

    Parameters
    ----------
    context : Mapping or None
        ``requestContext.authorizer`` of a REST proxy event (values as strings, or as the authorizer returned them).
    leeway_s : float
        Clock skew allowed on ``exp`` (``OIDC_LEEWAY_S``, as the authorizer's own validation allows; RFC 7519
        §4.1.4).
    now_s : float, optional
        Epoch seconds; the system clock by default.

    Returns
    -------
    Principal
        With ``claims`` equal to the validated claims the authorizer saw.

    Raises
    ------
    AuthenticationError
        No context (a route without the authorizer, or an invocation that did not come through API Gateway: 401
        ``Bearer``), or a malformed one, an ID token's, or ``exp`` + ``leeway_s`` not after ``now_s`` (401
        ``invalid_token``).
    """
    if not isinstance(context, Mapping):
        # A route without the authorizer, or a direct invocation: a deployment fault, not a caller's.
        logger.warning("request without an authorizer context rejected")
        # RFC 6750 §3.1: a request without authentication information gets a challenge without an error code.
        raise AuthenticationError(token_presented=False)
    if not all(key in context for key in CONTEXT_KEYS):
        raise _malformed("missing keys")
    sub, issuer, kind, tenant = (context[key] for key in ("sub", "iss", "kind", "tenant"))
    if not all(isinstance(value, str) for value in (sub, issuer, kind, tenant)) or not sub or not issuer:
        raise _malformed("sub, iss, kind or tenant")
    exp = _number(context["exp"])
    if exp + leeway_s <= (time.time() if now_s is None else now_s):
        logger.info("authorizer context rejected: token expired since it was authorized")
        raise AuthenticationError()
    claims = _json(context["claims"], "claims")
    if not isinstance(claims, dict):
        raise _malformed("claims")
    claims |= {"sub": sub, "iss": issuer, "exp": exp}
    for name in GRANT_CLAIMS:
        value = _json(context[name], name)
        if value is not None:
            claims[name] = value
    principal = Principal.from_claims(claims)
    if kind == ID_TOKEN_KIND or kind != principal.kind or tenant != (principal.active_tenant_id or ""):
        raise _malformed("kind or tenant")
    return principal


def _malformed(what: str) -> AuthenticationError:
    logger.warning("malformed authorizer context rejected: %s", what)
    return AuthenticationError()


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _json(value: Any, key: str) -> Any:
    if not isinstance(value, str):
        raise _malformed(key)
    try:
        return json.loads(value)
    except (ValueError, RecursionError) as exc:  # RecursionError: nesting deeper than the parser's stack
        raise _malformed(key) from exc


def _number(value: Any) -> int | float:
    # REST APIs hand numbers to the integration as strings; the authorizer's own output keeps them numbers.
    number = _json(value, "exp") if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise _malformed("exp")
    try:
        finite = math.isfinite(number)  # an int beyond a float's range overflows here rather than in the clock check
    except OverflowError:
        finite = False
    if not finite:
        raise _malformed("exp")
    return number
