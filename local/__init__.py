"""Offline local stack: identity provider, API Gateway emulator and AWS (moto) start-up; never deployed."""

from pathlib import Path

# Here rather than in local.gateway.config, so `python -m local invoke` can start without importing the gateway.
REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TEMPLATE = REPOSITORY_ROOT / "template.yaml"
