"""Every shipped sample event, through ``python -m local invoke`` as a subprocess, answers what its name promises.

The module starts its own identity provider and moto on free ports (nothing else in the session shares their
state), fills each event's ``${ACCESS_TOKEN}``/``${ID_TOKEN}`` with a token of the persona its name picks
(:mod:`local.invoke.expectations`), and invokes the function the template attaches to the event's route folder,
with the local gateway's parameters and environment (local/env/gateway.json re-pointed at this stack) given as
``--parameter-overrides`` and an ``--env-vars`` file, as a developer would against ``make dev``.

Events of different groups touch disjoint state (roles change viewer@acme.test, members change member@acme.test),
so groups run concurrently; within a group, events run in an order that lets every mutation find what it needs
(create first, delete last), and the resource the tenants group creates is the ``${RESOURCE_ID}`` of the others.
"""

import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Any

import pytest

from local.gateway.api import load_functions
from local.gateway.config import DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig
from local.gateway.template import LocalTemplate, load_template
from local.invoke.expectations import AUTHORIZER_ALLOW, AUTHORIZER_UNAUTHORIZED, expectation_for
from tests.builders import FUNCTIONS_PATH
from tests.fixtures.aws import MotoProcess, free_port
from tests.fixtures.gateway import stack_config
from tests.fixtures.idp import LocalIdp, start_local_idp

# Two cores: a third process keeps one busy while another waits on the provider or moto.
PARALLEL_INVOCATIONS = 3
INVOKE_TIMEOUT_S = 60
# Position of an event in its group by the first word of its name: what a later event needs is made earlier.
PHASE_BY_VERB = {"create": 0, "invite": 0, "assign": 0, "deactivate": 2, "suspend": 2, "activate": 3}
PHASE_BY_VERB |= {"reinstate": 3, "remove": 4, "delete": 4}
READ_PHASE = 1
RESOURCE_CREATING_EVENT = "create_resource_ok"


@dataclass(frozen=True)
class SampleEvent:
    """One shipped event file and the function it is for."""

    group: str
    path: Path
    logical_id: str

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def is_authorizer_event(self) -> bool:
        # A REQUEST authorizer's event carries the method ARN; a proxy event does not.
        return "methodArn" in json.loads(self.path.read_text())


@dataclass(frozen=True)
class Outcome:
    """What ``python -m local invoke`` did for one event."""

    exit_status: int
    payload: Any
    stderr: str
    duration_s: float


def shipped_events() -> list[SampleEvent]:
    """Every ``functions/<group>/events/*.json``, with the logical id of the function whose code is that group."""
    by_folder = {spec.code_dir.name: spec.logical_id for spec in load_functions(_template()).values()}
    return [
        SampleEvent(group.name, path, by_folder[group.name])
        for group in sorted(FUNCTIONS_PATH.iterdir())
        for path in sorted((group / "events").glob("*.json"))
    ]


def _template() -> LocalTemplate:
    # The template needs values for its parameters without defaults; the local gateway's are the local ones.
    return load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file().parameter_overrides)


def _phase(event: SampleEvent) -> int:
    return PHASE_BY_VERB.get(event.name.split("_", 1)[0], READ_PHASE)


EVENTS = shipped_events()


class InvokeStack:
    """The provider and moto of this module, and ``python -m local invoke`` pointed at them."""

    def __init__(self, idp: LocalIdp, moto: MotoProcess, work_dir: Path) -> None:
        self.idp = idp
        config = stack_config(idp, moto)
        # Quoted as on a shell line: SAM splits --parameter-overrides at spaces (the CSP has some).
        self._overrides = [f"{key}={shlex.quote(value)}" for key, value in config.parameter_overrides.items()]
        self._env_vars = work_dir / "env-vars.json"
        self._env_vars.write_text(json.dumps({"Parameters": dict(config.environment)}))
        self._tokens: dict[str, dict[str, str]] = {}

    def placeholders(self, persona: str) -> dict[str, str]:
        """``ACCESS_TOKEN`` and ``ID_TOKEN`` of a persona (signed in once, through the PKCE flow)."""
        if persona not in self._tokens:
            tokens = self.idp.token_for(persona)
            self._tokens[persona] = {"ACCESS_TOKEN": tokens.access_token, "ID_TOKEN": tokens.id_token}
        return self._tokens[persona]

    def invoke(self, logical_id: str, event_text: str) -> Outcome:
        """Run ``python -m local invoke <logical_id> -e -`` with the event on stdin."""
        command = [sys.executable, "-m", "local", "invoke", logical_id, "-e", "-", "--env-vars", str(self._env_vars)]
        command += ["--parameter-overrides", *self._overrides]
        started_s = time.monotonic()
        completed = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
            command,
            input=event_text,
            capture_output=True,
            text=True,
            cwd=REPOSITORY_ROOT,
            env={**os.environ, "NO_PROXY": "127.0.0.1,localhost"},
            timeout=INVOKE_TIMEOUT_S,
            check=False,
        )
        duration_s = time.monotonic() - started_s
        lines = completed.stdout.strip().splitlines()
        payload = json.loads(lines[-1]) if lines else None
        return Outcome(completed.returncode, payload, completed.stderr, duration_s)

    def run_group(self, events: list[SampleEvent]) -> dict[str, Outcome]:
        """Invoke a group's events one after the other, in phase order."""
        outcomes: dict[str, Outcome] = {}
        found: dict[str, str] = {}
        for event in sorted(events, key=lambda event: (_phase(event), event.name)):
            values = {**self.placeholders(expectation_for(event.name).persona), **found}
            text = Template(event.path.read_text()).safe_substitute(values)
            outcome = self.invoke(event.logical_id, text)
            outcomes[f"{event.group}/{event.name}"] = outcome
            if event.name == RESOURCE_CREATING_EVENT and outcome.exit_status == 0:
                found["RESOURCE_ID"] = json.loads(outcome.payload["body"])["id"]
        return outcomes


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outcome]]:
    """Every event's outcome, invoked once for the module against its own provider and moto."""
    work_dir = tmp_path_factory.mktemp("invoke")
    moto = MotoProcess(free_port(), work_dir / "moto.log")
    server, idp = start_local_idp(work_dir / "idp-state")
    try:
        moto.wait_ready()
        stack = InvokeStack(idp, moto, work_dir)
        groups: dict[str, list[SampleEvent]] = {}
        for event in EVENTS:
            groups.setdefault(event.group, []).append(event)
            # Every persona signs in here, before the groups' threads share the provider's client.
            stack.placeholders(expectation_for(event.name).persona)
        results: dict[str, Outcome] = {}
        with ThreadPoolExecutor(max_workers=PARALLEL_INVOCATIONS) as pool:
            for group_outcomes in pool.map(stack.run_group, groups.values()):
                results |= group_outcomes
        yield results
    finally:
        idp.close()
        server.stop()
        moto.stop()


def _diagnosis(outcome: Outcome) -> str:
    return f"exit {outcome.exit_status}, payload {outcome.payload}\nstderr:\n{outcome.stderr[-3000:]}"


HTTP_EVENTS = [event for event in EVENTS if not event.is_authorizer_event]
AUTHORIZER_EVENTS = [event for event in EVENTS if event.is_authorizer_event]


def test_every_function_with_events_is_invoked() -> None:
    # Each function of the template ships events (the gateway's routes and the authorizer alike).
    by_logical_id = {spec.logical_id for spec in load_functions(_template()).values()}

    assert {event.logical_id for event in EVENTS} == by_logical_id
    assert AUTHORIZER_EVENTS


@pytest.mark.parametrize("event", HTTP_EVENTS, ids=lambda event: f"{event.group}/{event.name}")
def test_sample_event_answers_the_status_its_name_promises(outcomes: dict[str, Outcome], event: SampleEvent) -> None:
    outcome = outcomes[f"{event.group}/{event.name}"]
    expected = expectation_for(event.name).statuses

    assert outcome.exit_status == 0, _diagnosis(outcome)
    assert outcome.payload["statusCode"] in expected, _diagnosis(outcome)
    assert outcome.payload["headers"]["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("event", AUTHORIZER_EVENTS, ids=lambda event: f"{event.group}/{event.name}")
def test_authorizer_event_allows_or_refuses_as_its_name_promises(
    outcomes: dict[str, Outcome], event: SampleEvent
) -> None:
    outcome = outcomes[f"{event.group}/{event.name}"]

    if expectation_for(event.name).authorizer_outcome == AUTHORIZER_ALLOW:
        assert outcome.exit_status == 0, _diagnosis(outcome)
        assert outcome.payload["policyDocument"]["Statement"][0]["Effect"] == AUTHORIZER_ALLOW
        assert outcome.payload["usageIdentifierKey"]
    else:
        # Lambda's error object for the authorizer's documented 401: an error whose message is "Unauthorized".
        assert outcome.exit_status == 1, _diagnosis(outcome)
        assert outcome.payload["errorMessage"] == AUTHORIZER_UNAUTHORIZED
