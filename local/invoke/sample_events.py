"""Running the shipped sample events: which function each is for, the order they run in, what fills them.

Used by every runner of the events (tests/local/invoke with ``python -m local invoke``, ci/sam_local_invoke.py with
``sam local invoke`` or either CLI), so the rules live here once:

* an event is ``<CodeUri>/events/<name>.json`` of a function; its name promises the answer
  (:mod:`local.invoke.expectations`);
* events of one function (a *group*) touch state other groups do not, and run one after the other in phase order
  (:data:`PHASE_BY_VERB`: what a later event needs is made earlier — create first, delete last);
* ``${ACCESS_TOKEN}``/``${ID_TOKEN}`` are the tokens of the persona the name picks, and ``${RESOURCE_ID}`` is the
  id of the resource ``create_resource_ok`` created earlier in the same group;
* ``${AUTHORIZER_<KEY>}`` (``${ID_AUTHORIZER_<KEY>}`` for the ID token) are the values of
  ``requestContext.authorizer`` that API Gateway would pass after the authorizer allowed that token: the functions
  trust that context, not the token (docs/ARCHITECTURE.md, "Trust boundary"), so an event invoked without the
  gateway carries it filled in (:func:`authorizer_placeholders`).

An invocation is ``<invoke command> <LogicalId> -e -`` with the filled event on stdin, the flags both CLIs share
(``sam local invoke --help``); the answer is the last line of stdout.
"""

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

from local.gateway.events import integration_authorizer
from local.invoke.expectations import Expectation, expectation_for

EVENTS_FOLDER = "events"
# Position of an event in its group by the first word of its name; any other verb reads (phase 1).
PHASE_BY_VERB = {"create": 0, "invite": 0, "assign": 0, "deactivate": 2, "suspend": 2, "activate": 3}
PHASE_BY_VERB |= {"reinstate": 3, "remove": 4, "delete": 4}
READ_PHASE = 1
RESOURCE_CREATING_EVENT = "create_resource_ok"
RESOURCE_ID = "RESOURCE_ID"
STDIN_EVENT = ["-e", "-"]
LAYER_DIR = Path(__file__).resolve().parents[2] / "layers" / "shared"
ACCESS_TOKEN_CONTEXT = "AUTHORIZER_"
ID_TOKEN_CONTEXT = "ID_AUTHORIZER_"

# Persona login id → placeholder name → value (``ACCESS_TOKEN``, ``ID_TOKEN``).
PlaceholderSource = Callable[[str], Mapping[str, str]]


@dataclass(frozen=True)
class SampleEvent:
    """One shipped event file and the function it is for.

    Attributes
    ----------
    logical_id : str
        The function's logical id in the template.
    path : Path
        ``<CodeUri>/events/<name>.json``.
    """

    logical_id: str
    path: Path

    @property
    def name(self) -> str:
        """The file name without ``.json``."""
        return self.path.stem

    @property
    def group(self) -> str:
        """The function's code folder name (``tenants``)."""
        return self.path.parent.parent.name

    @property
    def expectation(self) -> Expectation:
        """What the name promises; raises :class:`~local.invoke.expectations.UnclearEventNameError` if nothing."""
        return expectation_for(self.path.name)

    @property
    def is_authorizer_event(self) -> bool:
        """Whether the event is a REQUEST authorizer's (it carries the method ARN; a proxy event does not)."""
        return "methodArn" in json.loads(self.path.read_text())


@dataclass(frozen=True)
class Answer:
    """What one invocation printed.

    Attributes
    ----------
    exit_status : int
        0, 1 when the function failed (its error object is the payload), other values when it could not start.
    payload : Any
        The last stdout line as JSON; ``None`` when there is none or it is not JSON.
    stderr : str
        The function's logs and the CLI's report.
    duration_s : float
        Wall time of the command.
    """

    exit_status: int
    payload: Any
    stderr: str
    duration_s: float


def sample_events(code_dirs: Mapping[str, Path]) -> list[SampleEvent]:
    """Every shipped event of the functions, sorted by group then name.

    Parameters
    ----------
    code_dirs : Mapping[str, Path]
        Logical id → the function's ``CodeUri`` folder.
    """
    events = [
        SampleEvent(logical_id, path)
        for logical_id, code_dir in code_dirs.items()
        for path in (code_dir / EVENTS_FOLDER).glob("*.json")
    ]
    return sorted(events, key=lambda event: (event.group, event.name))


def groups(events: Iterable[SampleEvent]) -> list[list[SampleEvent]]:
    """The events split by group (their function's folder), each group in the order it must run."""
    by_group: dict[str, list[SampleEvent]] = {}
    for event in events:
        by_group.setdefault(event.group, []).append(event)
    return [sorted(group, key=lambda event: (_phase(event), event.name)) for group in by_group.values()]


def token_placeholders(access_token: str, id_token: str) -> dict[str, str]:
    """The placeholder values a persona's tokens give: the tokens and the authorizer context of each.

    JWTs are base64url, so they go into JSON strings as they are; context values are escaped for a JSON string.
    """
    return {
        "ACCESS_TOKEN": access_token,
        "ID_TOKEN": id_token,
        **authorizer_placeholders(_unverified_claims(access_token), prefix=ACCESS_TOKEN_CONTEXT),
        **authorizer_placeholders(_unverified_claims(id_token), prefix=ID_TOKEN_CONTEXT, kind="id_token"),
    }


def authorizer_placeholders(claims: Mapping[str, Any], *, prefix: str, kind: str | None = None) -> dict[str, str]:
    """``<prefix><KEY>`` → the value of ``requestContext.authorizer[key]`` for these claims, escaped for JSON.

    Built by the layer's encoder (what functions/authorizer returns) and flattened as API Gateway flattens it
    (:func:`local.gateway.events.integration_authorizer`); ``principalId`` becomes ``<prefix>PRINCIPALID``.
    ``integrationLatency`` is a number the event files hold themselves.
    """
    if str(LAYER_DIR) not in sys.path:
        sys.path.insert(0, str(LAYER_DIR))
    from identity_stack.auth.context import encode_context
    from identity_stack.auth.principal import Principal

    principal = Principal.from_claims(claims)
    authorizer = integration_authorizer(principal.sub, encode_context(principal, kind=kind))
    return {
        f"{prefix}{key.upper()}": json.dumps(value)[1:-1] for key, value in authorizer.items() if isinstance(value, str)
    }


def _unverified_claims(token: str) -> dict[str, Any]:
    # The tokens come straight from the local identity provider's token endpoint, which the caller just used; the
    # placeholder stands for what the authorizer verifies, and an event whose context is wrong answers 401.
    import jwt

    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def run_group(
    group: Sequence[SampleEvent], placeholders: PlaceholderSource, invoke: Callable[[SampleEvent, str], Answer]
) -> Iterator[tuple[SampleEvent, Answer]]:
    """Invoke one group's events in order, each filled with its persona's tokens and what earlier events made.

    Parameters
    ----------
    group : Sequence[SampleEvent]
        One entry of :func:`groups`.
    placeholders : Callable[[str], Mapping[str, str]]
        A persona's placeholder values (:func:`token_placeholders`).
    invoke : Callable[[SampleEvent, str], Answer]
        Runs the event's function with the filled event text (:func:`invoke_command`).

    Yields
    ------
    tuple[SampleEvent, Answer]
        As each invocation ends. A placeholder with no value stays as it is, and the answer shows it.
    """
    found: dict[str, str] = {}
    for event in group:
        values = {**placeholders(event.expectation.persona), **found}
        answer = invoke(event, Template(event.path.read_text()).safe_substitute(values))
        if event.name == RESOURCE_CREATING_EVENT and (created := _created_id(answer)):
            found[RESOURCE_ID] = created
        yield event, answer


def invoke_command(
    command: Sequence[str],
    event: SampleEvent,
    event_text: str,
    *,
    arguments: Sequence[str] = (),
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout_s: float,
) -> Answer:
    """Run ``<command> <LogicalId> -e - <arguments>`` with ``event_text`` on stdin and read its answer.

    Parameters
    ----------
    command : Sequence[str]
        ``[sam, "local", "invoke"]`` or ``[python, "-m", "local", "invoke"]``, with any flags of its own.
    arguments : Sequence[str]
        Flags after the event (``--parameter-overrides`` takes every value up to the next flag, so it goes here).
    env : Mapping[str, str], optional
        The command's whole environment; the caller's when omitted.

    Raises
    ------
    subprocess.TimeoutExpired
        The command ran past ``timeout_s``.
    """
    started_s = time.monotonic()
    completed = subprocess.run(  # noqa: S603 - the caller's command, no shell
        [*command, event.logical_id, *STDIN_EVENT, *arguments],
        input=event_text,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=dict(env) if env is not None else None,
        timeout=timeout_s,
        check=False,
    )
    duration_s = time.monotonic() - started_s
    lines = completed.stdout.strip().splitlines()
    try:
        payload = json.loads(lines[-1]) if lines else None
    except ValueError:
        payload = None
    return Answer(completed.returncode, payload, completed.stderr, duration_s)


def _created_id(answer: Answer) -> str | None:
    # A 2xx proxy response whose JSON body names the new resource; anything else leaves ${RESOURCE_ID} unfilled.
    payload = answer.payload
    if answer.exit_status != 0 or not isinstance(payload, dict) or payload.get("statusCode") not in range(200, 300):
        return None
    try:
        created = json.loads(payload.get("body") or "null")
    except ValueError:
        return None
    return str(created["id"]) if isinstance(created, dict) and "id" in created else None


def _phase(event: SampleEvent) -> int:
    return PHASE_BY_VERB.get(event.name.split("_", 1)[0], READ_PHASE)
