"""local.invoke.sample_events: which events a template ships, the order a group runs in, and what fills them."""

import json
import sys
from pathlib import Path

import pytest

from local.invoke.sample_events import Answer, SampleEvent, groups, invoke_command, run_group, sample_events

OWNER_TOKENS = {"ACCESS_TOKEN": "owner-access", "ID_TOKEN": "owner-id"}


def write_events(code_dir: Path, texts: dict[str, str]) -> None:
    (code_dir / "events").mkdir(parents=True)
    for name, text in texts.items():
        (code_dir / "events" / f"{name}.json").write_text(text)


@pytest.fixture
def tenants(tmp_path: Path) -> Path:
    code_dir = tmp_path / "functions" / "tenants"
    write_events(
        code_dir,
        {
            "delete_resource_ok": '{"path": "/resources/${RESOURCE_ID}"}',
            "read_resource_ok": '{"path": "/resources/${RESOURCE_ID}", "token": "${ACCESS_TOKEN}"}',
            "create_resource_ok": '{"token": "${ACCESS_TOKEN}"}',
            "deactivate_resource_ok": "{}",
            "activate_resource_ok": "{}",
            "list_resources_as_viewer_forbidden": '{"token": "${ACCESS_TOKEN}"}',
        },
    )
    return code_dir


def test_sample_events_are_every_code_folders_events_with_their_function(tmp_path: Path, tenants: Path) -> None:
    write_events(tmp_path / "functions" / "health", {"health_ok": "{}"})

    events = sample_events({"TenantsFunction": tenants, "HealthFunction": tmp_path / "functions" / "health"})

    assert [(event.logical_id, event.group, event.name) for event in events][:2] == [
        ("HealthFunction", "health", "health_ok"),
        ("TenantsFunction", "tenants", "activate_resource_ok"),
    ]
    assert len(events) == 7


def test_groups_run_create_then_reads_then_deactivate_activate_and_delete_last(tenants: Path) -> None:
    (group,) = groups(sample_events({"TenantsFunction": tenants}))

    assert [event.name for event in group] == [
        "create_resource_ok",
        "list_resources_as_viewer_forbidden",
        "read_resource_ok",
        "deactivate_resource_ok",
        "activate_resource_ok",
        "delete_resource_ok",
    ]


def test_run_group_fills_persona_tokens_and_the_created_resource_id(tenants: Path) -> None:
    (group,) = groups(sample_events({"TenantsFunction": tenants}))
    sent: dict[str, str] = {}

    def placeholders(persona: str) -> dict[str, str]:
        return OWNER_TOKENS if persona == "owner@acme.test" else {"ACCESS_TOKEN": f"token-of-{persona}"}

    def invoke(event: SampleEvent, text: str) -> Answer:
        sent[event.name] = text
        body = json.dumps({"id": "R2created"}) if event.name == "create_resource_ok" else ""
        return Answer(0, {"statusCode": 201, "body": body}, "", 0.0)

    answers = dict(run_group(group, placeholders, invoke))

    assert json.loads(sent["create_resource_ok"]) == {"token": "owner-access"}
    assert json.loads(sent["read_resource_ok"]) == {"path": "/resources/R2created", "token": "owner-access"}
    assert json.loads(sent["delete_resource_ok"]) == {"path": "/resources/R2created"}
    assert json.loads(sent["list_resources_as_viewer_forbidden"]) == {"token": "token-of-viewer@acme.test"}
    assert set(answers) == set(group)


def test_run_group_leaves_resource_id_unfilled_when_create_failed(tenants: Path) -> None:
    (group,) = groups(sample_events({"TenantsFunction": tenants}))
    sent: dict[str, str] = {}

    def invoke(event: SampleEvent, text: str) -> Answer:
        sent[event.name] = text
        return Answer(0, {"statusCode": 422, "body": json.dumps({"id": "not-created"})}, "", 0.0)

    list(run_group(group, lambda persona: OWNER_TOKENS, invoke))

    assert json.loads(sent["delete_resource_ok"]) == {"path": "/resources/${RESOURCE_ID}"}


def test_invoke_command_sends_the_event_on_stdin_and_reads_the_last_stdout_line(tmp_path: Path, tenants: Path) -> None:
    script = tmp_path / "fake_invoke.py"
    script.write_text(
        "import json, sys\n"
        "print('log line')\n"
        "print('a report', file=sys.stderr)\n"
        "print(json.dumps({'argv': sys.argv[1:], 'event': json.load(sys.stdin)}))\n"
        "sys.exit(1)\n"
    )
    event = SampleEvent("TenantsFunction", tenants / "events" / "create_resource_ok.json")

    answer = invoke_command(
        [sys.executable, str(script), "--flag"], event, '{"a": 1}', arguments=["--after", "x"], timeout_s=30
    )

    assert answer.exit_status == 1
    assert answer.payload == {"argv": ["--flag", "TenantsFunction", "-e", "-", "--after", "x"], "event": {"a": 1}}
    assert answer.stderr.strip() == "a report"
