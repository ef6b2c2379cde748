"""The ``SMOKE_*`` interface: which target a run points at, and the variables that must come together."""

import pytest

from tests.smoke.target import SmokeConfigError, target_from_environment

DEPLOYED = {
    "SMOKE_API_URL": "https://abc.execute-api.us-east-1.amazonaws.com/dev/",
    "SMOKE_ISSUER": "https://api.descope.com/P2dev/",
    "SMOKE_CLIENT_ID": "K2key",
    "SMOKE_CLIENT_SECRET": "secret",
    "SMOKE_ALLOWED_ORIGIN": "https://dev.app.example.com",
    "SMOKE_TENANT_ID": "T2tenant",
}


def test_target_without_api_url_is_the_local_stack() -> None:
    assert target_from_environment({"SMOKE_ISSUER": "ignored"}) is None


def test_target_with_api_url_reads_every_variable_without_trailing_slashes() -> None:
    target = target_from_environment({**DEPLOYED, "SMOKE_GAPS": "ministack", "SMOKE_API_KEY": "usage-key"})

    assert target is not None
    assert target.api_url == "https://abc.execute-api.us-east-1.amazonaws.com/dev"
    assert target.issuer == "https://api.descope.com/P2dev"
    assert target.has_ministack_gaps
    assert target.api_key == "usage-key"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"SMOKE_TENANT_ID": ""}, "SMOKE_TENANT_ID"),
        ({"SMOKE_GAPS": "localstack"}, "unknown SMOKE_GAPS"),
        ({"SMOKE_GAPS": "ministack"}, "needs SMOKE_API_KEY"),
    ],
    ids=["missing-variable", "unknown-gap", "ministack-without-key"],
)
def test_target_incomplete_or_unknown_configuration_is_refused(changes: dict[str, str], message: str) -> None:
    with pytest.raises(SmokeConfigError, match=message):
        target_from_environment({**DEPLOYED, **changes})


def test_target_ignores_an_api_key_without_the_ministack_gap() -> None:
    target = target_from_environment({**DEPLOYED, "SMOKE_API_KEY": "usage-key"})

    assert target is not None
    assert target.api_key is None
