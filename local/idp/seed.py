"""The initial state: roles, permissions, tenants and access keys from the Terraform, personas from seed_users.json."""

import copy
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.idp.terraform import TerraformSeed, load_terraform_seed

# Fixed creation time of seeded records (2026-01-01T00:00:00Z) so that a reset state is reproducible.
SEED_CREATED_TIME_S = 1767225600
STATE_VERSION = 1


def hash_secret(secret: str) -> str:
    """SHA-256 hex digest of an access-key secret; state files never hold the cleartext."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class SeededAccessKey:
    """Local credentials of an access key declared in Terraform."""

    resource_name: str
    key_id: str
    secret: str


@dataclass(frozen=True)
class Seed:
    """The Terraform definitions, the local-only access-key credentials, and the state they produce."""

    terraform: TerraformSeed
    tenant_ids: dict[str, str]
    access_keys: dict[str, SeededAccessKey]
    persona_login_ids: tuple[str, ...]
    _state: dict[str, Any]

    def initial_state(self) -> dict[str, Any]:
        """A fresh deep copy of the seeded state (see :mod:`local.idp.store` for its shape)."""
        return copy.deepcopy(self._state)


def _user_record(entry: dict[str, Any], tenant_ids: dict[str, str]) -> dict[str, Any]:
    login_id = entry["loginId"]
    return {
        "userId": entry["userId"],
        "loginIds": [login_id],
        "name": entry.get("name", ""),
        "givenName": "",
        "middleName": "",
        "familyName": "",
        "email": login_id,
        "verifiedEmail": True,
        "phone": "",
        "verifiedPhone": False,
        "picture": "",
        "roleNames": list(entry.get("roleNames", [])),
        "tenants": {tenant_ids[name]: list(roles) for name, roles in entry.get("tenants", {}).items()},
        "status": entry.get("status", "enabled"),
        "test": False,
        "customAttributes": dict(entry.get("customAttributes", {})),
        "createdTime": SEED_CREATED_TIME_S,
    }


@functools.cache
def load_seed(infra_dir: Path, tfvars: Path | None, users_seed: Path) -> Seed:
    """Build the seed once per process (parsing the Terraform takes about 0.1 s).

    Raises
    ------
    KeyError
        ``seed_users.json`` names a tenant or access key that the Terraform does not declare.
    local.idp.terraform.TerraformSeedError
        The Terraform cannot be read.
    """
    terraform = load_terraform_seed(infra_dir, tfvars)
    users_document = json.loads(users_seed.read_text())
    tenant_ids = {tenant.resource_name: tenant.tenant_id for tenant in terraform.tenants}
    access_keys = {
        name: SeededAccessKey(resource_name=name, key_id=entry["id"], secret=entry["secret"])
        for name, entry in users_document["accessKeys"].items()
    }
    state: dict[str, Any] = {
        "version": STATE_VERSION,
        "permissions": {
            permission.name: {"name": permission.name, "description": permission.description}
            for permission in terraform.permissions
        },
        "roles": {
            role.name: {
                "name": role.name,
                "description": role.description,
                "permissionNames": list(role.permission_names),
                "createdTime": SEED_CREATED_TIME_S,
            }
            for role in terraform.roles
        },
        "tenants": {
            tenant.tenant_id: {
                "id": tenant.tenant_id,
                "name": tenant.name,
                "selfProvisioningDomains": [],
                "customAttributes": dict(tenant.custom_attributes),
                "enforceSSO": False,
                "disabled": False,
                "createdTime": SEED_CREATED_TIME_S,
            }
            for tenant in terraform.tenants
        },
        "users": {entry["userId"]: _user_record(entry, tenant_ids) for entry in users_document["users"]},
        "accessKeys": {},
        "sessions": {},
    }
    for definition in terraform.access_keys:
        credentials = access_keys[definition.resource_name]
        state["accessKeys"][credentials.key_id] = {
            "id": credentials.key_id,
            "name": definition.name,
            "description": definition.description,
            "roleNames": list(definition.role_names),
            "keyTenants": {tenant_id: list(roles) for tenant_id, roles in definition.key_tenants.items()},
            "status": "active",
            "createdTime": SEED_CREATED_TIME_S,
            "expireTime": 0,
            "createdBy": "terraform",
            "boundUserId": "",
            "customClaims": {},
            "permittedIps": [],
            "customAttributes": {},
            "secretHash": hash_secret(credentials.secret),
        }
    return Seed(
        terraform=terraform,
        tenant_ids=tenant_ids,
        access_keys=access_keys,
        persona_login_ids=tuple(entry["loginId"] for entry in users_document["users"]),
        _state=state,
    )
