"""Settings: names from docs/ARCHITECTURE.md, list parsing, required-settings errors, py-identity-model HTTP env."""

import os

import pytest
from fastapi import FastAPI

from identity_stack.config import (
    IDENTITY_MODEL_HTTP_ENV,
    MissingSettingError,
    Requirement,
    Settings,
    configure_identity_model_http,
    get_settings,
)
from identity_stack.web.handler import make_handler
from tests.fixtures.lambda_runtime import LambdaRuntime


def test_settings_comma_separated_lists_are_split(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OIDC_ALLOWED_ISSUERS", "https://a.example/P2 , https://a.example/v1/apps/P2,")
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "http://localhost:3000")

    settings = Settings()

    assert settings.oidc_allowed_issuers == ["https://a.example/P2", "https://a.example/v1/apps/P2"]
    assert settings.cors_allowed_origins == ["http://localhost:3000"]


def test_settings_management_key_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DESCOPE_MANAGEMENT_KEY", "K-very-secret")

    settings = Settings()

    assert "K-very-secret" not in repr(settings)
    assert settings.descope_management_key is not None
    assert settings.descope_management_key.get_secret_value() == "K-very-secret"


def test_settings_require_for_id_tokens_names_the_spa_client_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OIDC_DISCOVERY_URL", raising=False)
    monkeypatch.delenv("SPA_CLIENT_ID", raising=False)
    monkeypatch.setenv("OIDC_AUDIENCE", "P2")
    monkeypatch.setenv("OIDC_ALLOWED_ISSUERS", "https://idp.example/P2")

    with pytest.raises(MissingSettingError, match=r"OIDC_DISCOVERY_URL \(OIDC\), SPA_CLIENT_ID \(ID tokens\)$"):
        Settings().require_for(Requirement.OIDC, Requirement.ID_TOKENS)


@pytest.mark.parametrize(
    ("environment", "production"),
    [("production", True), ("prod", True), ("PROD", True), ("dev", False), ("local", False)],
    ids=["production", "prod", "upper-case", "dev", "local"],
)
def test_settings_is_production(monkeypatch: pytest.MonkeyPatch, environment: str, production: bool) -> None:
    monkeypatch.setenv("ENVIRONMENT", environment)

    assert Settings().is_production is production


def test_settings_leeway_out_of_range_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OIDC_LEEWAY_S", "-1")

    with pytest.raises(ValueError, match="oidc_leeway_s"):
        Settings()


def test_configure_identity_model_http_sets_short_defaults_without_overriding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in IDENTITY_MODEL_HTTP_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_TIMEOUT", "2")

    configure_identity_model_http()

    assert os.environ["HTTP_TIMEOUT"] == "2"
    assert os.environ["HTTP_RETRY_MAX_ATTEMPTS"] == "1"
    assert os.environ["HTTP_RETRY_BASE_DELAY"] == "0.2"


GROUP_VARIABLES = (
    "OIDC_DISCOVERY_URL",
    "OIDC_AUDIENCE",
    "OIDC_ALLOWED_ISSUERS",
    "SPA_CLIENT_ID",
    "DESCOPE_PROJECT_ID",
    "DESCOPE_MANAGEMENT_KEY",
    "DESCOPE_MANAGEMENT_KEY_SECRET_ARN",
    "TABLE_NAME",
    "USAGE_PLAN_NAMES",
    "DEFAULT_API_KEY_VALUE",
)


@pytest.fixture
def bare_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No variable of any settings group set."""
    for name in GROUP_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_require_for_names_every_missing_variable_and_its_concern(
    bare_environment: pytest.MonkeyPatch,
) -> None:
    bare_environment.setenv("OIDC_AUDIENCE", "P2")
    bare_environment.setenv("DESCOPE_PROJECT_ID", "P2")

    with pytest.raises(MissingSettingError) as raised:
        Settings().require_for(Requirement.OIDC, Requirement.DESCOPE, Requirement.TABLE)

    assert str(raised.value) == (
        "required environment variables are not set: OIDC_DISCOVERY_URL (OIDC), OIDC_ALLOWED_ISSUERS (OIDC), "
        "DESCOPE_MANAGEMENT_KEY or DESCOPE_MANAGEMENT_KEY_SECRET_ARN (Descope), TABLE_NAME (table)"
    )


@pytest.mark.parametrize(
    ("requirement", "variables"),
    [
        (Requirement.OIDC, {"OIDC_DISCOVERY_URL": "https://a/d", "OIDC_AUDIENCE": "P2", "OIDC_ALLOWED_ISSUERS": "x"}),
        (Requirement.ID_TOKENS, {"SPA_CLIENT_ID": "P2"}),
        (Requirement.DESCOPE, {"DESCOPE_PROJECT_ID": "P2", "DESCOPE_MANAGEMENT_KEY_SECRET_ARN": "arn:secret"}),
        (Requirement.DESCOPE, {"DESCOPE_PROJECT_ID": "P2", "DESCOPE_MANAGEMENT_KEY": "K"}),
        (Requirement.TABLE, {"TABLE_NAME": "t"}),
        (Requirement.USAGE_PLANS, {"USAGE_PLAN_NAMES": '{"free": "plan-free"}'}),
        (Requirement.DEFAULT_API_KEY, {"DEFAULT_API_KEY_VALUE": "shared"}),
    ],
    ids=["oidc", "id-tokens", "descope-secret-arn", "descope-key", "table", "usage-plans", "default-api-key"],
)
def test_settings_require_for_passes_when_the_concern_is_set(
    bare_environment: pytest.MonkeyPatch, requirement: Requirement, variables: dict[str, str]
) -> None:
    for name, value in variables.items():
        bare_environment.setenv(name, value)
    settings = Settings()

    settings.require_for(requirement)
    others = [other for other in Requirement if other is not requirement]
    with pytest.raises(MissingSettingError):
        settings.require_for(*others)


def test_settings_group_accessors_return_the_set_values(bare_environment: pytest.MonkeyPatch) -> None:
    for name, value in {
        "OIDC_DISCOVERY_URL": "https://idp.example/P2/.well-known/openid-configuration",
        "OIDC_AUDIENCE": "P2",
        "OIDC_ALLOWED_ISSUERS": "https://idp.example/P2,https://idp.example/v1/apps/P2",
        "DESCOPE_PROJECT_ID": "P2",
        "DESCOPE_MANAGEMENT_KEY_SECRET_ARN": "arn:secret",
        "TABLE_NAME": "tenant-data",
        "CORS_ALLOWED_ORIGINS": "http://localhost:3000",
    }.items():
        bare_environment.setenv(name, value)
    settings = Settings()

    oidc = settings.oidc()
    assert (oidc.audience, oidc.allowed_issuers) == ("P2", ("https://idp.example/P2", "https://idp.example/v1/apps/P2"))
    assert (settings.descope().project_id, settings.descope().management_key) == ("P2", None)
    assert settings.table_name_required() == "tenant-data"
    with pytest.raises(MissingSettingError, match=r"DEFAULT_API_KEY_VALUE \(default API key\)"):
        settings.default_api_key_required()
    assert settings.rate_limits.default_api_key_value is None
    assert settings.web.cors_allowed_origins == ("http://localhost:3000",)


def test_settings_group_accessor_raises_when_its_concern_is_unset(bare_environment: pytest.MonkeyPatch) -> None:
    with pytest.raises(MissingSettingError, match=r"TABLE_NAME \(table\)"):
        Settings().table_name_required()
    with pytest.raises(MissingSettingError, match=r"DESCOPE_PROJECT_ID \(Descope\)"):
        Settings().descope()


def test_make_handler_fails_at_init_naming_what_the_function_requires(
    lambda_runtime: LambdaRuntime, bare_environment: pytest.MonkeyPatch
) -> None:
    get_settings.cache_clear()
    try:
        with pytest.raises(MissingSettingError, match=r"TABLE_NAME \(table\)"):
            make_handler(FastAPI(), requires=(Requirement.TABLE,))
        bare_environment.setenv("TABLE_NAME", "tenant-data")
        get_settings.cache_clear()
        assert callable(make_handler(FastAPI(), requires=(Requirement.TABLE,)))
    finally:
        get_settings.cache_clear()
