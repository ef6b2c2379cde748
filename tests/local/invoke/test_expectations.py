"""The rule that reads a sample event's name: the status it promises and whose token it carries."""

import json
from pathlib import Path
from typing import Any

import pytest

from local.idp.config import DEFAULT_USERS_SEED
from local.invoke.expectations import (
    DEFAULT_PERSONA,
    PERSONAS,
    UnclearEventNameError,
    UnreadableAnswerError,
    answer_status,
    expectation_for,
)
from tests.builders import FUNCTIONS_PATH

SHIPPED = sorted(FUNCTIONS_PATH.glob("*/events/*.json"))
SEEDED_USERS = {user["loginId"]: user for user in json.loads(DEFAULT_USERS_SEED.read_text())["users"]}


@pytest.mark.parametrize(
    ("name", "statuses"),
    [
        ("me_ok.json", range(200, 300)),
        ("validate_id_token_basic_scheme_bad_request", range(400, 401)),
        ("me_missing_token", range(401, 402)),
        ("me_expired_token", range(401, 402)),
        ("authorize_basic_scheme_unauthorized", range(401, 402)),
        ("list_resources_other_tenant_forbidden", range(403, 404)),
        ("read_key_not_found", range(404, 405)),
        ("health_method_not_allowed", range(405, 406)),
        ("invite_member_conflict", range(409, 410)),
        ("invite_member_invalid_email", range(422, 423)),
        ("assign_roles_unknown_role", range(422, 423)),
        ("create_key_empty_name", range(422, 423)),
    ],
)
def test_expectation_for_name_suffix_gives_status(name: str, statuses: range) -> None:
    assert expectation_for(name).statuses == statuses


@pytest.mark.parametrize(
    ("name", "persona"),
    [
        ("list_keys_ok", DEFAULT_PERSONA),
        ("list_keys_as_viewer_forbidden", "viewer@acme.test"),
        ("create_tenant_as_platform_ok", "platform@identity-stack.test"),
        ("create_key_owner_role_as_admin_forbidden", "admin@acme.test"),
    ],
)
def test_expectation_for_as_segment_picks_persona(name: str, persona: str) -> None:
    assert expectation_for(name).persona == persona


@pytest.mark.parametrize("name", ["health_wrong_method", "list_resources_other_tenant", "me", "me_ok_later"])
def test_expectation_for_name_without_outcome_is_refused(name: str) -> None:
    with pytest.raises(UnclearEventNameError):
        expectation_for(name)


def test_expectation_for_unknown_persona_is_refused() -> None:
    with pytest.raises(UnclearEventNameError, match="no seeded persona 'ceo'"):
        expectation_for("list_keys_as_ceo_forbidden")


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
def test_answer_status_is_what_api_gateway_would_send(answer: dict[str, Any], status: int) -> None:
    assert answer_status(answer) == status


@pytest.mark.parametrize("answer", [{"errorMessage": "boom", "errorType": "KeyError"}, None, [], {"statusCode": "200"}])
def test_answer_status_of_any_other_answer_is_refused(answer: object) -> None:
    with pytest.raises(UnreadableAnswerError):
        answer_status(answer)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: f"{Path(path).parent.parent.name}/{Path(path).stem}")
def test_every_shipped_event_name_promises_an_outcome(path: Path) -> None:
    assert expectation_for(path.name).statuses
