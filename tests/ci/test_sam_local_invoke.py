"""ci/sam_local_invoke.py: the run over a template's sample events, and how answers are judged and reported.

What a name promises and how an answer is read are tested with their rules (tests/local/invoke). Here ``sam`` is
replaced with a script that answers from a table and records what it was given, and tokens are real ones from the
local identity provider (the ``idp`` fixture); local-invoke.yml runs the real ``sam``.
"""

import json
import sys
from pathlib import Path
from typing import Any

import jwt
import pytest

from ci.sam_local_invoke import main
from local.idp.config import DEFAULT_USERS_SEED
from tests.fixtures.idp import LocalIdp

SEEDED_USERS = {user["loginId"]: user for user in json.loads(DEFAULT_USERS_SEED.read_text())["users"]}


# The run over a template, with a fake sam.

# Answers by the event's "name" field (each event names itself, since stdin carries no file name).
FAKE_SAM = """\
import json, os, sys
event = json.load(sys.stdin)
with open(os.environ["FAKE_SAM_LOG"], "a") as log:
    log.write(json.dumps({"argv": sys.argv[1:], "event": event}) + "\\n")
print("START RequestId: 1 Version: $LATEST", file=sys.stderr)
print(json.load(open(os.environ["FAKE_SAM_ANSWERS"]))[event["name"]])
"""
TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  AuthFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/auth/
      Handler: app.handler
  KeysFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/keys/
      Handler: app.handler
  TenantsFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: functions/tenants/
      Handler: app.handler
"""


def event(name: str, authorization: str | None, body: str | None = None, path: str = "/") -> str:
    headers = {"Authorization": authorization} if authorization else {}
    return json.dumps({"name": name, "path": path, "headers": headers, "body": body})


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A template with two functions and their events, and a fake ``sam`` that answers from answers.json."""
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    events = {
        "auth/me_ok.json": ("Bearer ${ACCESS_TOKEN}", None, "/"),
        "auth/me_missing_token.json": (None, None, "/"),
        "auth/validate_id_token_ok.json": ("Bearer ${ACCESS_TOKEN}", '{"id_token": "${ID_TOKEN}"}', "/"),
        "keys/list_keys_as_viewer_forbidden.json": ("Bearer ${ACCESS_TOKEN}", None, "/"),
        "tenants/read_resource_ok.json": ("Bearer ${ACCESS_TOKEN}", None, "/resources/${RESOURCE_ID}"),
        "tenants/create_resource_ok.json": ("Bearer ${ACCESS_TOKEN}", '{"name": "r"}', "/resources"),
    }
    for relative, (authorization, body, path) in events.items():
        group, name = relative.split("/")
        file = tmp_path / "functions" / group / "events" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(event(name, authorization, body, path))
    sam = tmp_path / "sam"
    sam.write_text(f"#!{sys.executable}\n{FAKE_SAM}")
    sam.chmod(0o755)
    monkeypatch.setenv("FAKE_SAM_LOG", str(tmp_path / "log.jsonl"))
    monkeypatch.setenv("FAKE_SAM_ANSWERS", str(tmp_path / "answers.json"))
    return tmp_path


# The tenants group's answers: create names the resource the read then asks for.
TENANTS_ANSWERS = {
    "create_resource_ok.json": json.dumps({"statusCode": 201, "body": json.dumps({"id": "R2created"})}),
    "read_resource_ok.json": 200,
}


def answer(project: Path, statuses: dict[str, int | str]) -> None:
    """What the fake sam prints for each event file: a proxy response, or the raw text given."""
    answers = {
        name: status if isinstance(status, str) else json.dumps({"statusCode": status})
        for name, status in statuses.items()
    }
    (project / "answers.json").write_text(json.dumps(answers))


def invocations(project: Path) -> dict[str, dict[str, Any]]:
    """Event file name → what the fake sam was given, in the order of the invocations."""
    log = project / "log.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {record["event"]["name"]: record for record in records}


def run(project: Path, idp: LocalIdp, *args: str) -> int:
    port = idp.base_url.rsplit(":", 1)[1]
    invoker = f"{project / 'sam'} local invoke"
    return main(["--invoker", invoker, "--idp-port", port, "--template", str(project / "template.yaml"), *args])


def subject(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["sub"]


def test_every_event_is_invoked_with_its_personas_tokens_and_passes(
    project: Path, idp: LocalIdp, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(
        project,
        {
            "me_ok.json": 200,
            "me_missing_token.json": 401,
            "validate_id_token_ok.json": 200,
            "list_keys_as_viewer_forbidden.json": 403,
            **TENANTS_ANSWERS,
        },
    )

    code = run(project, idp)

    assert code == 0, capsys.readouterr()
    calls = invocations(project)
    assert calls["me_ok.json"]["argv"] == ["local", "invoke", "AuthFunction", "-e", "-"]
    assert calls["list_keys_as_viewer_forbidden.json"]["argv"][:3] == ["local", "invoke", "KeysFunction"]
    owner = SEEDED_USERS["owner@acme.test"]["userId"]
    access_token = calls["me_ok.json"]["event"]["headers"]["Authorization"].removeprefix("Bearer ")
    assert subject(access_token) == owner
    id_token = json.loads(calls["validate_id_token_ok.json"]["event"]["body"])["id_token"]
    assert subject(id_token) == owner
    assert jwt.get_unverified_header(id_token)  # a JWT, not the placeholder
    viewer_token = calls["list_keys_as_viewer_forbidden.json"]["event"]["headers"]["Authorization"].removeprefix(
        "Bearer "
    )
    assert subject(viewer_token) == SEEDED_USERS["viewer@acme.test"]["userId"]
    assert calls["me_missing_token.json"]["event"]["headers"] == {}
    assert "6 events, 0 answered against their name" in capsys.readouterr().out


def test_the_resource_read_runs_after_its_creation_and_names_the_created_id(project: Path, idp: LocalIdp) -> None:
    answer(project, TENANTS_ANSWERS)

    assert run(project, idp, "--function", "TenantsFunction") == 0
    calls = invocations(project)
    assert list(calls) == ["create_resource_ok.json", "read_resource_ok.json"]
    assert calls["read_resource_ok.json"]["event"]["path"] == "/resources/R2created"


def test_an_answer_against_the_name_fails_the_run_and_names_the_event(
    project: Path, idp: LocalIdp, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(
        project,
        {
            "me_ok.json": 200,
            "me_missing_token.json": 200,
            "validate_id_token_ok.json": 200,
            "list_keys_as_viewer_forbidden.json": "not json",
            **TENANTS_ANSWERS,
        },
    )

    code = run(project, idp)

    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL AuthFunction functions/auth/events/me_missing_token.json: expected 401, got 200" in out.replace(
        str(project) + "/", ""
    )
    assert "START RequestId" in next(line for line in out.splitlines() if "list_keys_as_viewer_forbidden" in line)
    assert "PASS AuthFunction" in out
    assert "6 events, 2 answered against their name" in out


def test_function_filter_invokes_only_that_functions_events(project: Path, idp: LocalIdp) -> None:
    answer(project, {"list_keys_as_viewer_forbidden.json": 403})

    assert run(project, idp, "--function", "KeysFunction") == 0
    assert list(invocations(project)) == ["list_keys_as_viewer_forbidden.json"]


def test_an_unclear_event_name_stops_the_run_before_any_invocation(
    project: Path, idp: LocalIdp, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "functions/auth/events/me_wrong_method.json").write_text(event("me_wrong_method.json", None))

    assert run(project, idp) == 1
    assert "me_wrong_method.json: the name ends in no known outcome" in capsys.readouterr().err
    assert invocations(project) == {}
