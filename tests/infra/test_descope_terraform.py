"""The Descope Terraform (infra/*.tf), read with python-hcl2: the issue's RBAC matrix, demo tenants, project
settings and provider pin; and seed parity: the local provider serves exactly what the Terraform declares."""

import json
import re
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.fixtures.idp import LocalIdp
from tests.infra.hcl_module import Module

INFRA = Path(__file__).resolve().parents[2] / "infra"
USERS_SEED = Path(__file__).resolve().parents[2] / "local" / "idp" / "seed_users.json"
OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
REFERENCE = re.compile(r"\$\{(descope_[a-z_]+)\.([a-z_]+)\.([a-z_]+)\}")

# The issue's matrix (upstream rbac.tf plus keys.manage for owner and admin).
ALL_PERMISSIONS = {
    "projects.create", "projects.read", "projects.update", "projects.delete",
    "members.invite", "members.remove", "members.update_role",
    "documents.read", "documents.write", "documents.delete",
    "settings.manage", "billing.manage", "keys.manage",
}  # fmt: skip
EXPECTED_ROLES = {
    "owner": ALL_PERMISSIONS,
    "admin": ALL_PERMISSIONS - {"billing.manage"},
    "member": {"projects.read", "projects.update", "members.invite", "documents.read", "documents.write"},
    "viewer": {"projects.read", "documents.read"},
}


def _load(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return hcl2.load(handle, serialization_options=OPTIONS)


@pytest.fixture(scope="module")
def resources() -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for path in INFRA.glob("*.tf"):
        for block in _load(path).get("resource", []):
            for kind, named in block.items():
                found.setdefault(kind, {}).update(named)
    return found


def _resolve(resources: dict[str, dict[str, dict[str, Any]]], value: str) -> str:
    match = REFERENCE.fullmatch(value)
    return resources[match[1]][match[2]][match[3]] if match else value


def _declared_roles(resources: dict[str, dict[str, dict[str, Any]]]) -> dict[str, set[str]]:
    return {
        body["name"]: {_resolve(resources, p) for p in body["permission_names"]}
        for body in resources["descope_role"].values()
    }


def test_rbac_tf_declares_issue_matrix(resources: dict[str, dict[str, dict[str, Any]]]) -> None:
    assert {body["name"] for body in resources["descope_permission"].values()} == ALL_PERMISSIONS
    assert _declared_roles(resources) == EXPECTED_ROLES


def test_tenants_tf_declares_demo_tenants_with_opaque_ids(resources: dict[str, dict[str, dict[str, Any]]]) -> None:
    tenants = {body["name"]: body for body in resources["descope_tenant"].values()}

    assert tenants["Acme Corp"]["custom_attributes"] == {"plan_tier": "pro", "max_members": "50"}
    assert tenants["Globex Inc"]["custom_attributes"] == {"plan_tier": "free", "max_members": "10"}
    for body in tenants.values():
        assert body["tenant_id"].startswith("T")
        assert not UUID.search(body["tenant_id"])


def test_provider_is_the_fork_pinned_exactly() -> None:
    required = _load(INFRA / "versions.tf")["terraform"][0]["required_providers"][0]["descope"]

    assert required["source"] == "jamescrowley321/descope"
    assert re.fullmatch(r"= \d+\.\d+\.\d+", required["version"])


def test_project_settings_oidc_app_and_attributes(resources: dict[str, dict[str, dict[str, Any]]]) -> None:
    variables = {
        name: body.get("default")
        for block in _load(INFRA / "descope_variables.tf")["variable"]
        for name, body in block.items()
    }
    project = resources["descope_project"]["main"]
    settings = project["project_settings"]
    spa = project["applications"]["oidc_applications"][0]
    attributes = project["attributes"]

    assert variables["session_token_expiration"] == "10 minutes"
    assert variables["refresh_token_expiration"] == "4 weeks"
    assert variables["inactivity_time"] == "30 minutes"
    assert variables["access_key_session_token_expiration"] == "3 minutes"
    assert settings["refresh_token_rotation"] is True
    assert spa["client_type"] == "public"
    assert spa["force_pkce"] is True
    assert all(t["conformance_issuer"] is True for t in project["jwt_templates"]["user_templates"])
    assert {a["id"] for a in attributes["user"]} == {"department", "job_title", "avatar_url"}
    assert {a["id"] for a in attributes["tenant"]} == {"plan_tier", "max_members"}


@pytest.mark.parametrize("environment", ["dev", "prod"])
def test_tfvars_set_only_declared_variables(environment: str) -> None:
    declared = {name for path in INFRA.glob("*.tf") for block in _load(path).get("variable", []) for name in block}

    assert set(_load(INFRA / "environments" / f"{environment}.tfvars")) <= declared


def test_seed_users_name_declared_tenants_and_roles(resources: dict[str, dict[str, dict[str, Any]]]) -> None:
    seed = json.loads(USERS_SEED.read_text())
    roles = set(_declared_roles(resources))

    for user in seed["users"]:
        assert set(user["tenants"]) <= set(resources["descope_tenant"])
        assert {role for granted in user["tenants"].values() for role in granted} | set(
            user.get("roleNames", [])
        ) <= roles
    assert set(seed["accessKeys"]) == set(resources["descope_access_key"])


def test_provider_roles_and_permissions_equal_terraform(
    idp: LocalIdp, resources: dict[str, dict[str, dict[str, Any]]]
) -> None:
    idp.reset()
    sdk = idp.descope_client()

    served_roles = {role["name"]: set(role["permissionNames"]) for role in sdk.mgmt.role.load_all()["roles"]}
    served_permissions = {p["name"]: p["description"] for p in sdk.mgmt.permission.load_all()["permissions"]}

    assert served_roles == _declared_roles(resources)
    assert served_permissions == {b["name"]: b["description"] for b in resources["descope_permission"].values()}


def test_provider_tenants_equal_terraform(idp: LocalIdp, resources: dict[str, dict[str, dict[str, Any]]]) -> None:
    idp.reset()

    served = {t["id"]: t for t in idp.descope_client().mgmt.tenant.load_all()["tenants"]}

    declared = {body["tenant_id"]: body for body in resources["descope_tenant"].values()}
    assert set(served) == set(declared)
    for tenant_id, body in declared.items():
        assert served[tenant_id]["name"] == body["name"]
        assert {k: str(v) for k, v in served[tenant_id]["customAttributes"].items()} == body["custom_attributes"]


def test_every_output_that_holds_a_secret_is_sensitive() -> None:
    infra = Module.read(INFRA)
    secret_outputs = [name for name, output in infra.outputs.items() if "cleartext" in str(output["value"])]

    assert secret_outputs
    assert [name for name in secret_outputs if infra.outputs[name].get("sensitive") is not True] == []


def test_readme_names_only_outputs_that_exist() -> None:
    outputs = set(Module.read(INFRA).outputs)
    named = set(
        re.findall(r"terraform(?: -chdir=infra)? output(?: -raw)? ([a-z0-9_]+)", (INFRA / "README.md").read_text())
    )

    assert named
    assert named <= outputs
