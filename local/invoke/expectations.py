"""What a sample event's file name promises: the status of the answer, and the persona whose token it carries.

Every function ships ``functions/<group>/events/<name>.json``; the name ends in the outcome it demonstrates, so a
developer knows what ``sam local invoke`` (or ``python -m local invoke``) should print, and tests check exactly that:

| name ends in | answer |
|---|---|
| ``_ok`` | 2xx |
| ``_bad_request`` | 400 (a request the route cannot parse, RFC 6750 §3.1 ``invalid_request``) |
| ``_missing_token``, ``_expired_token``, ``_malformed_token``, ``_unauthorized`` | 401 |
| ``_forbidden`` | 403 |
| ``_not_found`` | 404 |
| ``_method_not_allowed`` | 405 |
| ``_conflict`` | 409 |
| ``_invalid_<what>``, ``_unknown_<what>``, ``_empty_<what>`` | 422 (the body fails validation) |

``_as_<persona>_`` in the name picks whose token fills ``${ACCESS_TOKEN}``/``${ID_TOKEN}`` (a seeded persona of
local/idp/README.md: ``owner``, ``admin``, ``member``, ``viewer`` of Acme, or ``platform``); without it, Acme's owner.

A Lambda authorizer answers with a policy or the error ``Unauthorized`` instead of a status; API Gateway turns them
into the request going on (2xx here), a 403 or a 401 (AWS "Lambda authorizer output" and "return 401 Unauthorized"):
:func:`answer_status` reads an answer as that status.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

SUCCESS = range(200, 300)
# (pattern on the name without .json, statuses) — first match wins; every name must match one.
STATUS_RULES: tuple[tuple[re.Pattern[str], range], ...] = (
    (re.compile(r"_ok$"), SUCCESS),
    (re.compile(r"_bad_request$"), range(400, 401)),
    (re.compile(r"_(missing_token|expired_token|malformed_token|unauthorized)$"), range(401, 402)),
    (re.compile(r"_forbidden$"), range(403, 404)),
    (re.compile(r"_not_found$"), range(404, 405)),
    (re.compile(r"_method_not_allowed$"), range(405, 406)),
    (re.compile(r"_conflict$"), range(409, 410)),
    (re.compile(r"_(invalid|unknown|empty)_[a-z]+$"), range(422, 423)),
)
PERSONAS = {
    "owner": "owner@acme.test",
    "admin": "admin@acme.test",
    "member": "member@acme.test",
    "viewer": "viewer@acme.test",
    "platform": "platform@identity-stack.test",
}
DEFAULT_PERSONA = PERSONAS["owner"]
_PERSONA_SEGMENT = re.compile(r"_as_([a-z]+)_")
AUTHORIZER_ALLOW = "Allow"
AUTHORIZER_UNAUTHORIZED = "Unauthorized"


class UnclearEventNameError(ValueError):
    """Raised when an event name promises no status, or names a persona that is not seeded."""


class UnreadableAnswerError(ValueError):
    """Raised when an answer is neither a proxy response nor a Lambda authorizer's."""


@dataclass(frozen=True)
class Expectation:
    """What one sample event promises.

    Attributes
    ----------
    statuses : range
        The HTTP statuses the answer may have (``range(200, 300)`` for ``_ok``).
    persona : str
        Login id whose tokens fill the event's placeholders.
    """

    statuses: range
    persona: str


def expectation_for(event_name: str) -> Expectation:
    """Read what an event file's name promises.

    Parameters
    ----------
    event_name : str
        File name with or without ``.json`` (``list_keys_as_viewer_forbidden.json``).

    Raises
    ------
    UnclearEventNameError
        No rule of ``STATUS_RULES`` matches, or ``_as_<persona>_`` names no seeded persona.
    """
    stem = event_name.removesuffix(".json")
    statuses = next((statuses for pattern, statuses in STATUS_RULES if pattern.search(stem)), None)
    if statuses is None:
        raise UnclearEventNameError(f"{event_name}: the name ends in no known outcome (_ok, _forbidden, ...)")
    persona = DEFAULT_PERSONA
    if match := _PERSONA_SEGMENT.search(stem):
        if match[1] not in PERSONAS:
            raise UnclearEventNameError(f"{event_name}: no seeded persona {match[1]!r} (one of {sorted(PERSONAS)})")
        persona = PERSONAS[match[1]]
    return Expectation(statuses=statuses, persona=persona)


def answer_status(answer: Any) -> int:
    """The HTTP status a function's answer stands for, to compare with :attr:`Expectation.statuses`.

    A proxy integration's answer carries ``statusCode``. A Lambda authorizer answers with a policy or fails with
    ``Unauthorized``; API Gateway lets the request go on after an Allow (200 here), answers a Deny with 403 and
    ``Unauthorized`` with 401 (AWS API Gateway developer guide, "Output from an API Gateway Lambda authorizer").

    Raises
    ------
    UnreadableAnswerError
        Any other answer, e.g. an unhandled exception's error object.
    """
    if isinstance(answer, dict):
        status = answer.get("statusCode")
        if isinstance(status, int):
            return status
        statements = (answer.get("policyDocument") or {}).get("Statement")
        if statements:
            return 200 if all(statement.get("Effect") == AUTHORIZER_ALLOW for statement in statements) else 403
        if answer.get("errorMessage") == AUTHORIZER_UNAUTHORIZED:
            return 401
    raise UnreadableAnswerError(f"not a proxy response nor an authorizer answer: {json.dumps(answer)[:300]}")
