"""ci/sam_local_invoke.py: what an event's name promises, how an answer is read, and the run over a template.

The end-to-end cases replace ``sam`` with a script that answers from a table and records what it was given, and take
real tokens from the local identity provider (the ``idp`` fixture); local-invoke.yml runs the real ``sam``.
"""

import json
import sys
from pathlib import Path
from typing import Any

import jwt
import pytest

from ci.sam_local_invoke import (
    PERSONAS,
    AnswerError,
    EventNameError,
    answer_status,
    expected_statuses,
    fill_placeholders,
    main,
    persona_for,
)
from local.idp.config import DEFAULT_USERS_SEED
from tests.fixtures.idp import LocalIdp

SUCCESS = range(200, 300)
SEEDED_USERS = {user["loginId"]: user for user in json.loads(DEFAULT_USERS_SEED.read_text())["users"]}


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("me_ok.json", SUCCESS),
        ("authorize_id_token_ok", SUCCESS),
        ("validate_id_token_basic_scheme_bad_request.json", range(400, 401)),
        ("me_missing_token.json", range(401, 402)),
        ("me_expired_token", range(401, 402)),
        ("me_malformed_token", range(401, 402)),
        ("authorize_basic_scheme_unauthorized", range(401, 402)),
        ("list_keys_as_viewer_forbidden.json", range(403, 404)),
        ("read_key_not_found", range(404, 405)),
        ("health_method_not_allowed", range(405, 406)),
        ("invite_member_conflict", range(409, 410)),
        ("update_profile_unknown_key", range(422, 423)),
        ("create_key_empty_name", range(422, 423)),
        ("create_tenant_as_platform_invalid_body.json", range(422, 423)),
    ],
)
def test_an_event_name_promises_the_status_of_its_outcome(name: str, statuses: range) -> None:
    assert expected_statuses(name) == statuses


@pytest.mark.parametrize("name", ["health_wrong_method.json", "list_resources_other_tenant", "okay", "me_ok_again"])
def test_a_name_without_a_known_outcome_is_refused(name: str) -> None:
    with pytest.raises(EventNameError, match="no known outcome"):
        expected_statuses(name)


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("me_ok.json", "owner"),
        ("list_keys_as_viewer_forbidden.json", "viewer"),
        ("create_tenant_as_platform_ok", "platform"),
    ],
)
def test_the_persona_is_named_by_as_persona_or_is_acmes_owner(name: str, persona: str) -> None:
    assert persona_for(name) == PERSONAS[persona]


def test_an_unknown_persona_is_refused() -> None:
    with pytest.raises(EventNameError, match="no seeded persona 'intruder'"):
        persona_for("list_keys_as_intruder_forbidden.json")


@pytest.mark.parametrize("login_id", sorted(PERSONAS.values()))
def test_every_persona_is_an_active_seeded_user(login_id: str) -> None:
    assert SEEDED_USERS[login_id].get("status", "enabled") != "disabled"


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"statusCode": 204, "headers": {}, "body": ""}, 204),
        (
            {
                "principalId": "U1",
                "policyDocument": {"Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke"}]},
            },
            200,
        ),
        ({"principalId": "U1", "policyDocument": {"Statement": [{"Effect": "Allow"}, {"Effect": "Deny"}]}}, 403),
        ({"errorMessage": "Unauthorized", "errorType": "Exception"}, 401),
    ],
)
def test_an_answer_stands_for_the_status_api_gateway_would_send(answer: dict[str, Any], status: int) -> None:
    assert answer_status(answer) == status


@pytest.mark.parametrize("answer", [{"errorMessage": "boom", "errorType": "KeyError"}, None, [], {"statusCode": "200"}])
def test_any_other_answer_is_refused(answer: object) -> None:
    with pytest.raises(AnswerError):
        answer_status(answer)


def test_fill_placeholders_asks_only_for_the_tokens_the_event_uses() -> None:
    asked: list[tuple[str, str]] = []

    def tokens(login_id: str, field: str) -> str:
        asked.append((login_id, field))
        return f"<{field}>"

    filled = fill_placeholders('{"a": "Bearer ${ACCESS_TOKEN}", "b": "${ACCESS_TOKEN}"}', "x@example.test", tokens)

    assert filled == '{"a": "Bearer <access_token>", "b": "<access_token>"}'
    assert asked == [("x@example.test", "access_token")]
    assert fill_placeholders('{"c": "${ID_TOKEN}"}', "y", tokens) == '{"c": "<id_token>"}'
    assert fill_placeholders('{"d": null}', "z", tokens) == '{"d": null}'
    assert len(asked) == 2


# The run over a template, with a fake sam.

FAKE_SAM = """\
import json, os, sys
event_file = sys.argv[sys.argv.index("--event") + 1]
with open(os.environ["FAKE_SAM_LOG"], "a") as log:
    log.write(json.dumps({"argv": sys.argv[1:], "event": json.load(open(event_file))}) + "\\n")
print("START RequestId: 1 Version: $LATEST", file=sys.stderr)
print(json.load(open(os.environ["FAKE_SAM_ANSWERS"]))[os.path.basename(event_file)])
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
"""


def event(authorization: str | None, body: str | None = None) -> str:
    return json.dumps({"headers": {"Authorization": authorization} if authorization else {}, "body": body})


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A template with two functions and their events, and a fake ``sam`` that answers from answers.json."""
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    events = {
        "functions/auth/events/me_ok.json": event("Bearer ${ACCESS_TOKEN}"),
        "functions/auth/events/me_missing_token.json": event(None),
        "functions/auth/events/validate_id_token_ok.json": event(
            "Bearer ${ACCESS_TOKEN}", '{"id_token": "${ID_TOKEN}"}'
        ),
        "functions/keys/events/list_keys_as_viewer_forbidden.json": event("Bearer ${ACCESS_TOKEN}"),
    }
    for relative, text in events.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    sam = tmp_path / "sam"
    sam.write_text(f"#!{sys.executable}\n{FAKE_SAM}")
    sam.chmod(0o755)
    monkeypatch.setenv("FAKE_SAM_LOG", str(tmp_path / "log.jsonl"))
    monkeypatch.setenv("FAKE_SAM_ANSWERS", str(tmp_path / "answers.json"))
    return tmp_path


def answer(project: Path, statuses: dict[str, int | str]) -> None:
    """What the fake sam prints for each event file: a proxy response, or the raw text given."""
    answers = {
        name: status if isinstance(status, str) else json.dumps({"statusCode": status})
        for name, status in statuses.items()
    }
    (project / "answers.json").write_text(json.dumps(answers))


def invocations(project: Path) -> dict[str, dict[str, Any]]:
    log = project / "log.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return {Path(record["argv"][record["argv"].index("--event") + 1]).name: record for record in records}


def run(project: Path, idp: LocalIdp, *args: str) -> int:
    port = idp.base_url.rsplit(":", 1)[1]
    return main(
        ["--sam", str(project / "sam"), "--idp-port", port, "--template", str(project / "template.yaml"), *args]
    )


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
        },
    )

    code = run(project, idp)

    assert code == 0, capsys.readouterr()
    calls = invocations(project)
    assert calls["me_ok.json"]["argv"][:3] == ["local", "invoke", "AuthFunction"]
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
    assert "4 events, 0 answered against their name" in capsys.readouterr().out


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
    assert "4 events, 2 answered against their name" in out


def test_function_filter_invokes_only_that_functions_events(project: Path, idp: LocalIdp) -> None:
    answer(project, {"list_keys_as_viewer_forbidden.json": 403})

    assert run(project, idp, "--function", "KeysFunction") == 0
    assert list(invocations(project)) == ["list_keys_as_viewer_forbidden.json"]


def test_an_unclear_event_name_stops_the_run_before_any_invocation(
    project: Path, idp: LocalIdp, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "functions/auth/events/me_wrong_method.json").write_text(event(None))

    assert run(project, idp) == 1
    assert "me_wrong_method.json: the name ends in no known outcome" in capsys.readouterr().err
    assert invocations(project) == {}
