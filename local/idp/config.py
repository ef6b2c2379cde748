"""Settings of the local identity provider: ports, project id, management key, files and limits."""

from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8400
DEFAULT_PROJECT_ID = "P2LocalDevProject00000000000"
DEFAULT_MANAGEMENT_KEY = "LocalDevManagementKey"
DEFAULT_STATE_DIR = REPO_ROOT / ".local-state" / "idp"
DEFAULT_INFRA_DIR = REPO_ROOT / "infra"
DEFAULT_TFVARS = DEFAULT_INFRA_DIR / "environments" / "dev.tfvars"
DEFAULT_USERS_SEED = Path(__file__).resolve().parent / "seed_users.json"

# Descope's documented backend-SDK budget: 1000 requests per 10 s per project (docs.descope.com/rate-limiting).
DEFAULT_RATE_LIMIT_REQUESTS = 1000
DEFAULT_RATE_LIMIT_WINDOW_S = 10.0
AUTHORIZATION_CODE_TTL_S = 60


@dataclass(frozen=True)
class IdpConfig:
    """Everything the provider needs to start; every field has a local default.

    Attributes
    ----------
    host, port : str, int
        Listening address; ``port=0`` lets :class:`~local.idp.server.IdpServer` pick a free one.
    project_id : str
        Descope project id: the OIDC client id of the SPA and the ``aud`` of access tokens.
    management_key : str
        Accepted in ``Authorization: Bearer <project id>:<key>`` on ``/v1/mgmt/*``.
    state_dir : Path
        Holds ``state.json`` (tenants, users, keys, sessions) and ``signing-keys.json``.
    infra_dir, tfvars, users_seed : Path
        Seed sources: the Descope Terraform, its variable file, and the demo users.
    faults_enabled : bool
        Mounts the ``/_control/faults`` endpoint (the Python fault API works regardless).
    rate_limit_requests, rate_limit_window_s : int, float
        Management calls allowed per project per window before 429 with ``Retry-After``.
    extra_redirect_uris : tuple of str
        Redirect URIs accepted in addition to the Terraform's ``spa_extra_redirect_urls``.
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    project_id: str = DEFAULT_PROJECT_ID
    management_key: str = DEFAULT_MANAGEMENT_KEY
    state_dir: Path = DEFAULT_STATE_DIR
    infra_dir: Path = DEFAULT_INFRA_DIR
    tfvars: Path | None = DEFAULT_TFVARS
    users_seed: Path = DEFAULT_USERS_SEED
    faults_enabled: bool = False
    rate_limit_requests: int = DEFAULT_RATE_LIMIT_REQUESTS
    rate_limit_window_s: float = DEFAULT_RATE_LIMIT_WINDOW_S
    extra_redirect_uris: tuple[str, ...] = field(default_factory=tuple)

    @property
    def base_url(self) -> str:
        """Origin of every endpoint, e.g. ``http://127.0.0.1:8400``."""
        return f"http://{self.host}:{self.port}"

    @property
    def issuer(self) -> str:
        """OIDC issuer in Descope's URL form: ``<base url>/<project id>``."""
        return f"{self.base_url}/{self.project_id}"

    @property
    def discovery_url(self) -> str:
        """OpenID Provider configuration document (OIDC Discovery 1.0 §4)."""
        return f"{self.issuer}/.well-known/openid-configuration"
