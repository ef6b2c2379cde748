"""Configuration of the shared layer: the one place that names environment variables."""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# py-identity-model reads these itself (HTTP client creation and every retry). Its defaults (30 s timeout, 3 retries
# with 1 s exponential backoff) can hold a Lambda for ~127 s, far past API Gateway's 29 s limit; these bound a stalled
# discovery/JWKS fetch to ~6 s. Values set in the Lambda configuration win.
IDENTITY_MODEL_HTTP_ENV: dict[str, str] = {
    "HTTP_TIMEOUT": "3",
    "HTTP_RETRY_MAX_ATTEMPTS": "1",
    "HTTP_RETRY_BASE_DELAY": "0.2",
}

PRODUCTION_ENVIRONMENTS = frozenset({"prod", "production"})


class MissingSettingError(RuntimeError):
    """Raised when a feature is used whose environment variables are not set."""


class Requirement(StrEnum):
    """A concern a function must have configured; :meth:`Settings.require_for` checks them at init."""

    OIDC = "OIDC"
    # On top of OIDC where ID tokens are validated (the authorizer, /api/validate-id-token): their audience.
    ID_TOKENS = "ID tokens"
    DESCOPE = "Descope"
    TABLE = "table"
    # Rate limits: the usage plans API keys are attached to, and the shared key of keyless callers (authorizer).
    USAGE_PLANS = "usage plans"
    DEFAULT_API_KEY = "default API key"


# The Settings fields each requirement needs set; a tuple means "one of these".
REQUIRED_FIELDS: dict[Requirement, tuple[str | tuple[str, ...], ...]] = {
    Requirement.OIDC: ("oidc_discovery_url", "oidc_audience", "oidc_allowed_issuers"),
    Requirement.ID_TOKENS: ("spa_client_id",),
    Requirement.DESCOPE: ("descope_project_id", ("descope_management_key", "descope_management_key_secret_arn")),
    Requirement.TABLE: ("table_name",),
    Requirement.USAGE_PLANS: ("usage_plan_names",),
    Requirement.DEFAULT_API_KEY: ("default_api_key_value",),
}


@dataclass(frozen=True)
class OidcSettings:
    """Access-token validation: discovery document, audience, accepted issuers, clock leeway (seconds)."""

    discovery_url: str
    audience: str
    allowed_issuers: tuple[str, ...]
    leeway_s: float
    allow_insecure_http: bool
    # The audience of ID tokens: set where ``Requirement.ID_TOKENS`` is met.
    spa_client_id: str | None


@dataclass(frozen=True)
class DescopeSettings:
    """The Descope project and where its management key comes from (the key itself, or a Secrets Manager ARN)."""

    project_id: str
    base_url: str | None
    management_key: SecretStr | None
    management_key_secret_arn: str | None


@dataclass(frozen=True)
class RateLimitSettings:
    """Usage plan name by tier, and the shared API key of callers without a tenant key (either may be unset)."""

    usage_plan_names: Mapping[str, str]
    default_api_key_value: str | None


@dataclass(frozen=True)
class WebSettings:
    """Response headers and what /api/health reports: all have defaults."""

    environment: str
    is_production: bool
    csp_policy: str | None
    cors_allowed_origins: tuple[str, ...]
    app_version: str


def _split_commas(value: object) -> object:
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    return value


class Settings(BaseSettings):
    """Every value the layer reads from the environment (names in docs/ARCHITECTURE.md).

    Fields that only some functions need default to ``None``. A function names what it needs with
    :meth:`require_for` at init (``make_handler(app, requires=...)``), so a function that never validates tokens
    (health) starts without OIDC settings while a misconfigured one fails at init, naming the variables. The
    grouped accessors (:meth:`oidc`, :meth:`descope`, :meth:`table_name_required`, :attr:`rate_limits`,
    :attr:`web`) return each concern with its required values typed as set.

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
    # Powertools Tracer (the X-Ray SDK): a handler subsegment and subsegments for boto3/httpx calls. Off by default:
    # importing the SDK costs ~150-250 ms of every cold start (bench/README.md), and `Tracing: Active` already records
    # each invocation's segment without it. Restored SnapStart copies do not pay the import.
    xray_sdk_tracing: bool = False

    _split_lists = field_validator("oidc_allowed_issuers", "cors_allowed_origins", mode="before")(_split_commas)

    @property
    def is_production(self) -> bool:
        """Whether ``ENVIRONMENT`` names production (``prod`` or ``production``)."""
        return self.environment.lower() in PRODUCTION_ENVIRONMENTS

    def require_for(self, *requirements: Requirement) -> None:
        """Fail unless everything the named concerns need is set (call it at init).

        Raises
        ------
        MissingSettingError
            Naming every unset variable and the concern that needs it, e.g. ``TABLE_NAME (table)``; a choice reads
            ``DESCOPE_MANAGEMENT_KEY or DESCOPE_MANAGEMENT_KEY_SECRET_ARN (Descope)``.
        """
        missing = [
            f"{' or '.join(name.upper() for name in choice)} ({requirement})"
            for requirement in requirements
            for field in REQUIRED_FIELDS[requirement]
            for choice in [field if isinstance(field, tuple) else (field,)]
            if not any(getattr(self, name) for name in choice)
        ]
        if missing:
            raise MissingSettingError(f"required environment variables are not set: {', '.join(missing)}")

    def oidc(self) -> OidcSettings:
        """The OIDC settings; raises :class:`MissingSettingError` unless ``Requirement.OIDC`` is met."""
        self.require_for(Requirement.OIDC)
        return OidcSettings(
            discovery_url=self.oidc_discovery_url or "",  # set: checked just above
            audience=self.oidc_audience or "",
            allowed_issuers=tuple(self.oidc_allowed_issuers),
            leeway_s=self.oidc_leeway_s,
            allow_insecure_http=self.oidc_allow_insecure_http,
            spa_client_id=self.spa_client_id,
        )

    def descope(self) -> DescopeSettings:
        """The Descope settings; raises :class:`MissingSettingError` unless ``Requirement.DESCOPE`` is met."""
        self.require_for(Requirement.DESCOPE)
        return DescopeSettings(
            project_id=self.descope_project_id or "",  # set: checked just above
            base_url=self.descope_base_url,
            management_key=self.descope_management_key,
            management_key_secret_arn=self.descope_management_key_secret_arn,
        )

    def table_name_required(self) -> str:
        """``TABLE_NAME``; raises :class:`MissingSettingError` when unset."""
        self.require_for(Requirement.TABLE)
        return self.table_name or ""  # set: checked just above

    def default_api_key_required(self) -> str:
        """``DEFAULT_API_KEY_VALUE``; raises :class:`MissingSettingError` when unset."""
        self.require_for(Requirement.DEFAULT_API_KEY)
        return self.default_api_key_value or ""  # set: checked just above

    @property
    def rate_limits(self) -> RateLimitSettings:
        """Usage plan names and the default API key, as set (check them with :meth:`require_for`)."""
        return RateLimitSettings(
            usage_plan_names=dict(self.usage_plan_names), default_api_key_value=self.default_api_key_value
        )

    @property
    def web(self) -> WebSettings:
        """The settings of the response middlewares and /api/health."""
        return WebSettings(
            environment=self.environment,
            is_production=self.is_production,
            csp_policy=self.csp_policy,
            cors_allowed_origins=tuple(self.cors_allowed_origins),
            app_version=self.app_version,
        )


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
