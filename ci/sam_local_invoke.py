"""Invoke every function's sample events with ``sam local invoke`` and check each answer against the event's name.

The workflow local-invoke.yml runs it after ``sam build``, with the local stack (``python -m local dev``) up::

    python -m ci.sam_local_invoke [--invoker ".venv-tools/bin/sam local invoke"] [--idp-port 8400]
                                  [--function AuthFunction ...]

``--invoker "python -m local invoke"`` runs the same events without Docker (both CLIs take ``<LogicalId> -e -``).
Events, their order, how ``${ACCESS_TOKEN}``/``${ID_TOKEN}``/``${RESOURCE_ID}`` are filled and what each name
promises are :mod:`local.invoke.sample_events` and :mod:`local.invoke.expectations`, as for ``make test``; the
tokens come from ``python -m local.idp token`` against the running provider. Prints one line per event and exits 1
if any answer broke its promise.
"""

import argparse
import shlex
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ci.changed_functions import DEFAULT_TEMPLATE, REPOSITORY_ROOT, read_template
from local.invoke.expectations import UnclearEventNameError, UnreadableAnswerError, answer_status
from local.invoke.sample_events import (
    Answer,
    PlaceholderSource,
    SampleEvent,
    groups,
    invoke_command,
    run_group,
    sample_events,
    token_placeholders,
)

DEFAULT_INVOKER = "sam local invoke"
INVOKE_TIMEOUT_S = 180.0


@dataclass(frozen=True)
class Outcome:
    """One event's invocation: what was promised and what came back.

    Attributes
    ----------
    event : SampleEvent
    status : int | None
        The answer's status, ``None`` when the answer could not be read (``detail`` says why).
    detail : str
    """

    event: SampleEvent
    status: int | None
    detail: str = ""

    @property
    def expected(self) -> range:
        """Statuses the event's name promises."""
        return self.event.expectation.statuses

    @property
    def passed(self) -> bool:
        """Whether the answer kept the promise."""
        return self.status in self.expected


def judge(event: SampleEvent, answer: Answer) -> Outcome:
    """Read an answer's status (:func:`local.invoke.expectations.answer_status`); an unreadable one keeps the log."""
    try:
        return Outcome(event, answer_status(answer.payload))
    except UnreadableAnswerError as exc:
        return Outcome(event, None, f"{exc}; exited {answer.exit_status}: {answer.stderr.strip()[-2000:]}")


def local_idp_placeholders(idp_port: int) -> PlaceholderSource:
    """A persona's token placeholders from ``python -m local.idp token`` on ``idp_port``, fetched once per persona.

    Raises
    ------
    subprocess.CalledProcessError
        The sign-in was refused or nothing answered.
    """

    def token(login_id: str, field: str) -> str:
        command = [sys.executable, "-m", "local.idp", "token", login_id, "--port", str(idp_port), "--field", field]
        done = subprocess.run(command, cwd=REPOSITORY_ROOT, capture_output=True, text=True, check=True)  # noqa: S603
        return done.stdout.strip()

    @cache
    def placeholders(login_id: str) -> dict[str, str]:
        return token_placeholders(token(login_id, "access_token"), token(login_id, "id_token"))

    return placeholders


def template_events(template: Path, functions: Sequence[str] = ()) -> list[SampleEvent]:
    """The sample events of every function of ``template`` with a ``CodeUri``, or of ``functions`` only."""
    code_uris = read_template(template, template.parent).functions
    return sample_events(
        {
            logical_id: template.parent / code
            for logical_id, code in code_uris.items()
            if code is not None and (not functions or logical_id in functions)
        }
    )


def describe(outcome: Outcome) -> str:
    """One report line: ``PASS|FAIL <function> <event>: expected <statuses>, got <status>``."""
    expected = f"{outcome.expected.start}" if len(outcome.expected) == 1 else f"{outcome.expected.start // 100}xx"
    path = outcome.event.path
    event = path.relative_to(REPOSITORY_ROOT) if path.is_relative_to(REPOSITORY_ROOT) else path
    verdict = "PASS" if outcome.passed else "FAIL"
    line = f"{verdict} {outcome.event.logical_id} {event}: expected {expected}, got {outcome.status}"
    return f"{line} ({outcome.detail})" if outcome.detail else line


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns 0 when every answer kept its promise, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m ci.sam_local_invoke", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--invoker", default=DEFAULT_INVOKER, help="invoke command, shell-quoted (default: %(default)s)"
    )
    parser.add_argument("--idp-port", type=int, default=8400, help="local identity provider port (default %(default)s)")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="source template (events and ids)")
    parser.add_argument("--function", action="append", default=[], help="only this logical id (repeatable)")
    args = parser.parse_args(argv)
    events = template_events(args.template, args.function)
    # Every name is checked before the first (slow) invocation.
    unclear = []
    for event in events:
        try:
            _ = event.expectation
        except UnclearEventNameError as exc:
            unclear.append(str(exc))
    if unclear or not events:
        print("\n".join(unclear) or "sam_local_invoke: no sample events", file=sys.stderr)
        return 1
    placeholders = local_idp_placeholders(args.idp_port)
    invoker = shlex.split(args.invoker)

    def invoke(event: SampleEvent, event_text: str) -> Answer:
        # `sam local invoke` takes the template, parameters, env vars and network from samconfig.toml's
        # local_invoke section (as `python -m local invoke` does), so it runs in the repository root.
        return invoke_command(invoker, event, event_text, cwd=REPOSITORY_ROOT, timeout_s=INVOKE_TIMEOUT_S)

    outcomes = []
    try:
        for group in groups(events):
            for event, answer in run_group(group, placeholders, invoke):
                outcomes.append(judge(event, answer))
                print(describe(outcomes[-1]), flush=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        print(f"sam_local_invoke: {exc} {getattr(exc, 'stderr', None) or ''}".strip(), file=sys.stderr)
        return 1
    failed = [outcome for outcome in outcomes if not outcome.passed]
    print(f"sam local invoke: {len(outcomes)} events, {len(failed)} answered against their name")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
