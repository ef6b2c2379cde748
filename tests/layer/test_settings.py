"""Settings: names from docs/ARCHITECTURE.md, list parsing, required-settings errors, py-identity-model HTTP env."""

import os

import pytest

from identity_stack.config import (
    IDENTITY_MODEL_HTTP_ENV,
    MissingSettingError,
    Settings,
    configure_identity_model_http,
)


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


def test_settings_require_names_missing_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OIDC_DISCOVERY_URL", raising=False)
    monkeypatch.delenv("SPA_CLIENT_ID", raising=False)
    monkeypatch.setenv("OIDC_AUDIENCE", "P2")

    with pytest.raises(MissingSettingError, match="OIDC_DISCOVERY_URL, SPA_CLIENT_ID"):
        Settings().require("oidc_discovery_url", "oidc_audience", "spa_client_id")


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
