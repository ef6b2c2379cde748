"""Invoke every function's sample events with ``sam local invoke`` and check each answer against the event's name.

The workflow local-invoke.yml runs it after ``sam build``, with the local stack (``python -m local dev``) up::

    python -m ci.sam_local_invoke [--sam .venv-tools/bin/sam] [--idp-port 8400] [--function AuthFunction ...]

Events are ``<CodeUri>/events/*.json`` of every function in template.yaml. ``${ACCESS_TOKEN}`` and ``${ID_TOKEN}``
are filled with the tokens of the persona the name asks for (``python -m local.idp token``). The name promises the
answer (:func:`expected_statuses`); a Lambda authorizer's answer is read as API Gateway reads it
(:func:`answer_status`). Prints one line per event and exits 1 if any answer broke its promise.
"""

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ci.changed_functions import DEFAULT_TEMPLATE, REPOSITORY_ROOT, read_template

# ``<name>_<outcome>``: first match wins. 422 is FastAPI's answer to a body that fails validation.
STATUS_RULES: tuple[tuple[re.Pattern[str], range], ...] = (
    (re.compile(r"_ok$"), range(200, 300)),
    (re.compile(r"_bad_request$"), range(400, 401)),
    (re.compile(r"_(missing_token|expired_token|malformed_token|unauthorized)$"), range(401, 402)),
    (re.compile(r"_forbidden$"), range(403, 404)),
    (re.compile(r"_not_found$"), range(404, 405)),
    (re.compile(r"_method_not_allowed$"), range(405, 406)),
    (re.compile(r"_conflict$"), range(409, 410)),
    (re.compile(r"_(invalid|unknown|empty)_[a-z]+$"), range(422, 423)),
)
# ``_as_<persona>_`` in a name: whose tokens fill the placeholders (local/idp/seed_users.json).
PERSONAS = {
    "owner": "owner@acme.test",
    "admin": "admin@acme.test",
    "member": "member@acme.test",
    "viewer": "viewer@acme.test",
    "platform": "platform@identity-stack.test",
}
DEFAULT_PERSONA = "owner"
PERSONA_SEGMENT = re.compile(r"_as_([a-z]+)_")
# Placeholder → the token field of `python -m local.idp token --field`.
PLACEHOLDERS = {"${ACCESS_TOKEN}": "access_token", "${ID_TOKEN}": "id_token"}
INVOKE_TIMEOUT_S = 180.0

TokenSource = Callable[[str, str], str]


class EventNameError(ValueError):
    """Raised when an event's name promises no known outcome or names a persona that is not seeded."""


class AnswerError(ValueError):
    """Raised when an invocation printed something that is neither a proxy response nor an authorizer answer."""


@dataclass(frozen=True)
class Outcome:
    """One event's invocation: what was promised and what came back.

    Attributes
    ----------
    function : str
        Logical id.
    event : Path
    expected : range
        Statuses the name promises.
    status : int | None
        The answer's status, ``None`` when the answer could not be read (``detail`` says why).
    detail : str
    """

    function: str
    event: Path
    expected: range
    status: int | None
    detail: str = ""

    @property
    def passed(self) -> bool:
        """Whether the answer kept the promise."""
        return self.status in self.expected


def expected_statuses(event_name: str) -> range:
    """The HTTP statuses an event file's name promises.

    ``_ok`` → 2xx; ``_bad_request`` → 400; ``_missing_token``, ``_expired_token``, ``_malformed_token``,
    ``_unauthorized`` → 401; ``_forbidden`` → 403; ``_not_found`` → 404; ``_method_not_allowed`` → 405;
    ``_conflict`` → 409; ``_invalid_<what>``, ``_unknown_<what>``, ``_empty_<what>`` → 422.

    Parameters
    ----------
    event_name : str
        File name, with or without ``.json``.

    Raises
    ------
    EventNameError
        The name ends in none of the outcomes above.
    """
    stem = event_name.removesuffix(".json")
    for pattern, statuses in STATUS_RULES:
        if pattern.search(stem):
            return statuses
    raise EventNameError(f"{event_name}: the name ends in no known outcome (_ok, _forbidden, ...)")


def persona_for(event_name: str) -> str:
    """Login id whose tokens fill an event: ``_as_<persona>_`` in the name, else Acme's owner.

    Raises
    ------
    EventNameError
        ``<persona>`` is not one of ``PERSONAS``.
    """
    match = PERSONA_SEGMENT.search(event_name)
    persona = match[1] if match else DEFAULT_PERSONA
    if persona not in PERSONAS:
        raise EventNameError(f"{event_name}: no seeded persona {persona!r} (one of {sorted(PERSONAS)})")
    return PERSONAS[persona]


def answer_status(answer: Any) -> int:
    """The HTTP status a function's answer stands for.

    A proxy integration's answer carries ``statusCode``. A Lambda authorizer answers with a policy or fails with
    ``Unauthorized``; API Gateway turns an Allow into the request going on (200 here), a Deny into 403 and
    ``Unauthorized`` into 401 (AWS API Gateway developer guide, "Output from an API Gateway Lambda authorizer").

    Raises
    ------
    AnswerError
        Any other answer, e.g. an unhandled exception's ``errorMessage``.
    """
    if isinstance(answer, dict):
        if isinstance(answer.get("statusCode"), int):
            return answer["statusCode"]
        statements = (answer.get("policyDocument") or {}).get("Statement")
        if statements:
            return 200 if all(statement.get("Effect") == "Allow" for statement in statements) else 403
        if answer.get("errorMessage") == "Unauthorized":
            return 401
    raise AnswerError(f"not a proxy response nor an authorizer answer: {json.dumps(answer)[:300]}")


def fill_placeholders(event_text: str, login_id: str, tokens: TokenSource) -> str:
    """``event_text`` with each placeholder replaced by the persona's token; ``tokens`` is asked only for those used.

    Tokens are base64url JWTs, so they go into JSON strings as they are.
    """
    for placeholder, field in PLACEHOLDERS.items():
        if placeholder in event_text:
            event_text = event_text.replace(placeholder, tokens(login_id, field))
    return event_text


def local_idp_tokens(idp_port: int) -> TokenSource:
    """Tokens from ``python -m local.idp token`` against the provider on ``idp_port``, one sign-in per persona/field.

    Raises
    ------
    subprocess.CalledProcessError
        The sign-in was refused or nothing answered.
    """
    cache: dict[tuple[str, str], str] = {}

    def token(login_id: str, field: str) -> str:
        if (login_id, field) not in cache:
            command = [sys.executable, "-m", "local.idp", "token", login_id, "--port", str(idp_port), "--field", field]
            done = subprocess.run(command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, check=True)  # noqa: S603
            cache[login_id, field] = done.stdout.strip()
        return cache[login_id, field]

    return token


def invoke(sam: Sequence[str], function: str, event: Path, tokens: TokenSource) -> Outcome:
    """Run ``sam local invoke <function> --event <event, placeholders filled>`` and read its answer from stdout.

    ``sam local invoke`` takes everything else (template, parameters, env vars, network) from samconfig.toml's
    ``local_invoke`` section, so it runs in the repository root.
    """
    expected = expected_statuses(event.name)
    filled = fill_placeholders(event.read_text(), persona_for(event.name), tokens)
    with tempfile.TemporaryDirectory() as folder:
        filled_event = Path(folder) / event.name
        filled_event.write_text(filled)
        command = [*sam, "local", "invoke", function, "--event", str(filled_event)]
        done = subprocess.run(  # noqa: S603 - fixed command, no shell
            command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=INVOKE_TIMEOUT_S, check=False
        )
    try:
        lines = done.stdout.strip().splitlines()
        return Outcome(function, event, expected, answer_status(json.loads(lines[-1] if lines else "null")))
    except (ValueError, AnswerError) as exc:
        detail = f"{exc}; sam exited {done.returncode}: {done.stderr.strip()[-2000:]}"
        return Outcome(function, event, expected, None, detail)


def sample_events(template: Path, functions: Sequence[str] = ()) -> list[tuple[str, Path]]:
    """(logical id, event file) of every shipped event, or of ``functions`` only, sorted."""
    sources = read_template(template, template.parent)
    return [
        (logical_id, event)
        for logical_id, code in sorted(sources.functions.items())
        if code is not None and (not functions or logical_id in functions)
        for event in sorted((template.parent / code / "events").glob("*.json"))
    ]


def describe(outcome: Outcome) -> str:
    """One report line: ``PASS|FAIL <function> <event> expected <statuses> got <status>``."""
    expected = f"{outcome.expected.start}" if len(outcome.expected) == 1 else f"{outcome.expected.start // 100}xx"
    event = (
        outcome.event.relative_to(REPOSITORY_ROOT) if outcome.event.is_relative_to(REPOSITORY_ROOT) else outcome.event
    )
    line = (
        f"{'PASS' if outcome.passed else 'FAIL'} {outcome.function} {event}: expected {expected}, got {outcome.status}"
    )
    return f"{line} ({outcome.detail})" if outcome.detail else line


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns 0 when every answer kept its promise, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m ci.sam_local_invoke", description=__doc__.splitlines()[0])
    parser.add_argument("--sam", default="sam", help="SAM CLI command (default %(default)s)")
    parser.add_argument("--idp-port", type=int, default=8400, help="local identity provider port (default %(default)s)")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="source template (events and ids)")
    parser.add_argument("--function", action="append", default=[], help="only this logical id (repeatable)")
    args = parser.parse_args(argv)
    events = sample_events(args.template, args.function)
    # Every name is checked before the first (slow) invocation.
    unclear = []
    for _, event in events:
        try:
            expected_statuses(event.name)
            persona_for(event.name)
        except EventNameError as exc:
            unclear.append(str(exc))
    if unclear or not events:
        print("\n".join(unclear) or "sam_local_invoke: no sample events", file=sys.stderr)
        return 1
    tokens = local_idp_tokens(args.idp_port)
    outcomes = []
    try:
        for function, event in events:
            outcomes.append(invoke([args.sam], function, event, tokens))
            print(describe(outcomes[-1]), flush=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"sam_local_invoke: {exc} {getattr(exc, 'stderr', None) or ''}".strip(), file=sys.stderr)
        return 1
    failed = [outcome for outcome in outcomes if not outcome.passed]
    print(f"sam local invoke: {len(outcomes)} events, {len(failed)} answered against their name")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
