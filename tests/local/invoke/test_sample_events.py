"""Every shipped sample event, through ``python -m local invoke`` as a subprocess, answers what its name promises.

The module starts its own identity provider and moto on free ports (nothing else in the session shares their
state), fills each event's ``${ACCESS_TOKEN}``/``${ID_TOKEN}`` with a token of the persona its name picks
(:mod:`local.invoke.expectations`), and invokes the function the template attaches to the event's route folder,
with the local gateway's parameters and environment (local/env/gateway.json re-pointed at this stack) given as
``--parameter-overrides`` and an ``--env-vars`` file, as a developer would against ``make dev``.

Events of different groups touch disjoint state (roles change viewer@acme.test, members change member@acme.test),
so groups run concurrently; within a group, events run in the order :mod:`local.invoke.sample_events` gives (create
first, delete last), and the resource the tenants group creates is the ``${RESOURCE_ID}`` of the others.
"""

import json
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from local.gateway.api import load_functions
from local.gateway.config import DEFAULT_TEMPLATE, REPOSITORY_ROOT, GatewayConfig
from local.gateway.template import LocalTemplate, load_template
from local.invoke.expectations import SUCCESS, answer_status
from local.invoke.samconfig import format_parameter_overrides
from local.invoke.sample_events import (
    Answer,
    SampleEvent,
    groups,
    invoke_command,
    run_group,
    sample_events,
    token_placeholders,
)
from tests.builders import FUNCTIONS_PATH
from tests.fixtures.aws import MotoProcess, free_port
from tests.fixtures.gateway import stack_config
from tests.fixtures.idp import LocalIdp, start_local_idp

# Two cores: a third process keeps one busy while another waits on the provider or moto.
PARALLEL_INVOCATIONS = 3
INVOKE_TIMEOUT_S = 60
LOCAL_INVOKE = [sys.executable, "-m", "local", "invoke"]


def _template() -> LocalTemplate:
    # The template needs values for its parameters without defaults; the local gateway's are the local ones.
    return load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file().parameter_overrides)


EVENTS = sample_events({spec.logical_id: spec.code_dir for spec in load_functions(_template()).values()})


def _key(event: SampleEvent) -> str:
    return f"{event.group}/{event.name}"


class InvokeStack:
    """The provider and moto of this module, and ``python -m local invoke`` pointed at them."""

    def __init__(self, idp: LocalIdp, moto: MotoProcess, work_dir: Path) -> None:
        self.idp = idp
        config = stack_config(idp, moto)
        env_vars = work_dir / "env-vars.json"
        env_vars.write_text(json.dumps({"Parameters": dict(config.environment)}))
        overrides = format_parameter_overrides(config.parameter_overrides)
        self._arguments = ["--env-vars", str(env_vars), "--parameter-overrides", *overrides]
        self._tokens: dict[str, dict[str, str]] = {}

    def placeholders(self, persona: str) -> dict[str, str]:
        """``ACCESS_TOKEN`` and ``ID_TOKEN`` of a persona (signed in once, through the PKCE flow)."""
        if persona not in self._tokens:
            tokens = self.idp.token_for(persona)
            self._tokens[persona] = token_placeholders(tokens.access_token, tokens.id_token)
        return self._tokens[persona]

    def invoke(self, event: SampleEvent, event_text: str) -> Answer:
        """Run ``python -m local invoke <logical id> -e -`` with the event on stdin."""
        return invoke_command(
            LOCAL_INVOKE,
            event,
            event_text,
            arguments=self._arguments,
            cwd=REPOSITORY_ROOT,
            env={**os.environ, "NO_PROXY": "127.0.0.1,localhost"},
            timeout_s=INVOKE_TIMEOUT_S,
        )

    def run_group(self, group: list[SampleEvent]) -> dict[str, Answer]:
        """Invoke a group's events one after the other, in their order."""
        return {_key(event): answer for event, answer in run_group(group, self.placeholders, self.invoke)}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Answer]]:
    """Every event's answer, invoked once for the module against its own provider and moto."""
    work_dir = tmp_path_factory.mktemp("invoke")
    moto = MotoProcess(free_port(), work_dir / "moto.log")
    server, idp = start_local_idp(work_dir / "idp-state")
    try:
        moto.wait_ready()
        stack = InvokeStack(idp, moto, work_dir)
        for event in EVENTS:
            # Every persona signs in here, before the groups' threads share the provider's client.
            stack.placeholders(event.expectation.persona)
        results: dict[str, Answer] = {}
        with ThreadPoolExecutor(max_workers=PARALLEL_INVOCATIONS) as pool:
            for group_outcomes in pool.map(stack.run_group, groups(EVENTS)):
                results |= group_outcomes
        yield results
    finally:
        idp.close()
        server.stop()
        moto.stop()


def _diagnosis(outcome: Answer) -> str:
    return f"exit {outcome.exit_status}, payload {outcome.payload}\nstderr:\n{outcome.stderr[-3000:]}"


HTTP_EVENTS = [event for event in EVENTS if not event.is_authorizer_event]
AUTHORIZER_EVENTS = [event for event in EVENTS if event.is_authorizer_event]


def test_every_function_with_events_is_invoked() -> None:
    # Each function of the template ships events (the gateway's routes and the authorizer alike).
    by_logical_id = {spec.logical_id for spec in load_functions(_template()).values()}

    assert {event.logical_id for event in EVENTS} == by_logical_id
    assert {event.path for event in EVENTS} == set(FUNCTIONS_PATH.glob("*/events/*.json"))
    assert AUTHORIZER_EVENTS


@pytest.mark.parametrize("event", HTTP_EVENTS, ids=_key)
def test_sample_event_answers_the_status_its_name_promises(outcomes: dict[str, Answer], event: SampleEvent) -> None:
    outcome = outcomes[_key(event)]

    assert outcome.exit_status == 0, _diagnosis(outcome)
    assert answer_status(outcome.payload) in event.expectation.statuses, _diagnosis(outcome)
    assert outcome.payload["headers"]["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("event", AUTHORIZER_EVENTS, ids=_key)
def test_authorizer_event_allows_or_refuses_as_its_name_promises(
    outcomes: dict[str, Answer], event: SampleEvent
) -> None:
    outcome = outcomes[_key(event)]

    assert answer_status(outcome.payload) in event.expectation.statuses, _diagnosis(outcome)
    if event.expectation.statuses == SUCCESS:
        assert outcome.exit_status == 0, _diagnosis(outcome)
        assert outcome.payload["usageIdentifierKey"]
    else:
        # Lambda's error object for the authorizer's documented 401: an error whose message is "Unauthorized".
        assert outcome.exit_status == 1, _diagnosis(outcome)
