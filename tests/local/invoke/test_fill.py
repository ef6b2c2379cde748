"""``python -m local.invoke.fill``: a sample event filled with a token and the authorizer context it gives."""

import io
import json
from contextlib import redirect_stdout
from typing import Any

import pytest

from identity_stack.auth.context import decode_context
from identity_stack.auth.principal import Principal
from local.invoke.fill import main
from tests.builders import FUNCTIONS_PATH, SigningKey, id_token_claims, make_token, user_claims

ISSUER = "http://127.0.0.1:8400/P2LocalDevProject00000000000"
AUDIENCE = "P2LocalDevProject00000000000"


def fill(*argv: str) -> dict[str, Any]:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


def test_fill_puts_the_token_and_its_authorizer_context_into_the_event() -> None:
    claims = user_claims(ISSUER, AUDIENCE)
    token = make_token(SigningKey.rsa("fill"), claims)

    event = fill(str(FUNCTIONS_PATH / "auth" / "events" / "me_ok.json"), "--token", token)

    assert event["headers"]["Authorization"] == f"Bearer {token}"
    authorizer = event["requestContext"]["authorizer"]
    assert authorizer["principalId"] == claims["sub"]
    assert decode_context(authorizer, leeway_s=0) == Principal.from_claims(claims)


def test_fill_id_token_event_gets_the_id_token_and_its_context() -> None:
    key = SigningKey.rsa("fill")
    access, id_token = (
        make_token(key, user_claims(ISSUER, AUDIENCE)),
        make_token(key, id_token_claims(ISSUER, AUDIENCE)),
    )
    event_file = str(FUNCTIONS_PATH / "auth" / "events" / "validate_id_token_ok.json")

    event = fill(event_file, "--token", access, "--id-token", id_token)

    assert event["headers"]["Authorization"] == f"Bearer {id_token}"
    assert event["requestContext"]["authorizer"]["kind"] == "id_token"


def test_fill_without_token_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as exited:
        main([str(FUNCTIONS_PATH / "auth" / "events" / "me_ok.json")])

    assert exited.value.code == 2
