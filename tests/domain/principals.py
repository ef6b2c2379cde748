"""Principals for the domain tests: a user or an access key holding roles in one tenant, as its token says."""

from identity_stack.auth.principal import Principal
from identity_stack.domain.models import User


def acting_user(user: User, tenant_id: str, *roles: str) -> Principal:
    """``user`` calling with a token that grants ``roles`` in ``tenant_id`` (default: what the provider holds)."""
    held = list(roles) if roles else user.tenant_roles.get(tenant_id, [])
    return Principal.from_claims(
        {
            "sub": user.user_id,
            "iss": "https://issuer.test",
            "email": user.email,
            "dct": tenant_id,
            "tenants": {tenant_id: {"roles": held, "permissions": []}},
        }
    )


def acting_key(tenant_id: str, *roles: str) -> Principal:
    """An access key calling with ``roles`` in ``tenant_id``."""
    return Principal.from_claims(
        {
            "sub": "K2caller",
            "iss": "https://issuer.test",
            "amr": ["accesskey"],
            "tenants": {tenant_id: {"roles": list(roles), "permissions": []}},
        }
    )
