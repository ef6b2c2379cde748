"""Configuration of the shared layer: the one place that names environment variables."""

import os
from functools import cache
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# py-identity-model reads these itself (HTTP client creation and every retry). Its defaults (30 s timeout, 3 retries
# with 1 s exponential backoff) can hold a Lambda for ~127 s, far past API Gateway's 29 s limit; these bound a stalled
# discovery/JWKS fetch to ~6 s (token-validation reference §8). Values set in the Lambda configuration win.
IDENTITY_MODEL_HTTP_ENV: dict[str, str] = {
    "HTTP_TIMEOUT": "3",
    "HTTP_RETRY_MAX_ATTEMPTS": "1",
    "HTTP_RETRY_BASE_DELAY": "0.2",
}

PRODUCTION_ENVIRONMENTS = frozenset({"prod", "production"})


class MissingSettingError(RuntimeError):
    """Raised when a feature is used whose environment variables are not set."""


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Every value the layer reads from the environment (names in docs/ARCHITECTURE.md).

    Fields that only some functions need default to ``None``; the code that needs them calls :meth:`require`, so
    a function that never validates tokens (health) starts without OIDC settings while a misconfigured one fails
    loudly on first use.

    Environment variables
    ---------------------
    OIDC_DISCOVERY_URL, OIDC_AUDIENCE, OIDC_ALLOWED_ISSUERS (comma-separated), OIDC_LEEWAY_S,
    OIDC_ALLOW_INSECURE_HTTP, SPA_CLIENT_ID, DESCOPE_PROJECT_ID, DESCOPE_BASE_URL, DESCOPE_MANAGEMENT_KEY,
    DESCOPE_MANAGEMENT_KEY_SECRET_ARN, TABLE_NAME, USAGE_PLAN_NAMES (JSON object: tier -> usage plan name),
    DEFAULT_API_KEY_VALUE, ENVIRONMENT, CSP_POLICY, CORS_ALLOWED_ORIGINS (comma-separated), APP_VERSION.
    """

    model_config = SettingsConfigDict(case_sensitive=False, extra="ignore", frozen=True)

    oidc_discovery_url: str | None = None
    oidc_audience: str | None = None
    oidc_allowed_issuers: Annotated[list[str], NoDecode] = Field(default_factory=list)
    oidc_leeway_s: float = Field(default=30.0, ge=0, le=300)
    oidc_allow_insecure_http: bool = False
    spa_client_id: str | None = None

    descope_project_id: str | None = None
    descope_base_url: str | None = None
    descope_management_key: SecretStr | None = None
    descope_management_key_secret_arn: str | None = None

    table_name: str | None = None
    # Rate limits (identity_stack.adapters.rate_limits): usage plan name by tier, and the shared key of keyless callers.
    usage_plan_names: dict[str, str] = Field(default_factory=dict)
    default_api_key_value: str | None = None
    environment: str = "local"
    csp_policy: str | None = None
    cors_allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    app_version: str = "0.0.0"

    _split_lists = field_validator("oidc_allowed_issuers", "cors_allowed_origins", mode="before")(_split_commas)

    @property
    def is_production(self) -> bool:
        """Whether ``ENVIRONMENT`` names production (``prod`` or ``production``)."""
        return self.environment.lower() in PRODUCTION_ENVIRONMENTS

    def require(self, *fields: str) -> None:
        """Fail unless every named field is set.

        Parameters
        ----------
        *fields : str
            Field names, e.g. ``"oidc_discovery_url"``.

        Raises
        ------
        MissingSettingError
            Naming the environment variables that are unset or empty.
        """
        missing = [name.upper() for name in fields if not getattr(self, name)]
        if missing:
            raise MissingSettingError(f"required environment variables are not set: {', '.join(missing)}")


def configure_identity_model_http() -> None:
    """Give py-identity-model short HTTP timeouts unless the environment already sets them.

    Must run before the library creates its HTTP client (first discovery fetch): the timeout is read then.
    """
    for name, value in IDENTITY_MODEL_HTTP_ENV.items():
        os.environ.setdefault(name, value)


@cache
def get_settings() -> Settings:
    """Return the process-wide settings, read from the environment once.

    Returns
    -------
    Settings
        Cached; tests call ``get_settings.cache_clear()`` after changing the environment.

    Raises
    ------
    pydantic.ValidationError
        A variable holds a value of the wrong type (e.g. ``OIDC_LEEWAY_S=abc``).
    """
    return Settings()
