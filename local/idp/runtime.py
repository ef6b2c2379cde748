"""Everything one running provider holds: configuration, seed, state, keys, codes, faults and counters."""

import threading
from collections import Counter
from dataclasses import dataclass, field

from local.idp.codes import AuthorizationCodes
from local.idp.config import IdpConfig
from local.idp.faults import FaultInjector
from local.idp.ratelimit import RateLimiter
from local.idp.seed import Seed, load_seed
from local.idp.signing import SigningKeys
from local.idp.store import Store
from local.idp.tokens import TokenIssuer


class RequestCounter:
    """Requests served per path (e.g. to assert that a JWKS was fetched exactly once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()

    def record(self, path: str) -> None:
        """Count one request to ``path``."""
        with self._lock:
            self._counts[path] += 1

    def count(self, path: str) -> int:
        """Requests to ``path`` so far."""
        with self._lock:
            return self._counts[path]

    def clear(self) -> None:
        """Start counting from zero."""
        with self._lock:
            self._counts.clear()


@dataclass
class IdpRuntime:
    """The provider's live objects, shared by the ASGI app and the Python API (tests, CLI)."""

    config: IdpConfig
    seed: Seed
    store: Store
    keys: SigningKeys
    tokens: TokenIssuer
    redirect_uris: frozenset[str]
    codes: AuthorizationCodes = field(default_factory=AuthorizationCodes)
    faults: FaultInjector = field(default_factory=FaultInjector)
    requests: RequestCounter = field(default_factory=RequestCounter)
    limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = RateLimiter(self.config.rate_limit_requests, self.config.rate_limit_window_s)

    @classmethod
    def from_config(cls, config: IdpConfig) -> "IdpRuntime":
        """Load the seed, the state folder (created and seeded on first use) and the signing keys."""
        seed = load_seed(config.infra_dir, config.tfvars, config.users_seed)
        store = Store(config.state_dir, seed.initial_state)
        keys = SigningKeys(config.state_dir)
        tokens = TokenIssuer(
            issuer=config.issuer, project_id=config.project_id, session=seed.terraform.session, keys=keys
        )
        redirect_uris = frozenset(seed.terraform.redirect_urls) | frozenset(config.extra_redirect_uris)
        return cls(config=config, seed=seed, store=store, keys=keys, tokens=tokens, redirect_uris=redirect_uris)

    def reset(self) -> None:
        """Re-seed the state, forget codes, faults and counters, restore the configured rate limit."""
        self.store.reset()
        self.codes.clear()
        self.faults.clear()
        self.requests.clear()
        self.limiter.configure(self.config.rate_limit_requests, self.config.rate_limit_window_s)
