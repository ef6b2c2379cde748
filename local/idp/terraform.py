"""Read the Descope part of ``infra/*.tf`` with python-hcl2: the one source of truth for roles, permissions,
tenants, access keys, session lifetimes and the SPA's OIDC application.

The local stack is a dev-like stage: read with ``environments/dev.tfvars`` it gets the demo tenants and access keys
(``count = var.create_demo_data ? 1 : 0``) and approves dev's extra loopback redirect URIs."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2
from hcl2.rules.expressions import ConditionalRule

_HCL_OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
# ``${var.x}``, ``${local.x}``, ``${<type>.<name>.<attr>}`` and, for counted resources, ``${<type>.<name>[0].<attr>}``.
_REFERENCE = re.compile(
    r"\$\{(?P<kind>[a-z_]+)\.(?P<name>[A-Za-z0-9_-]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<attr>[A-Za-z0-9_]+))?\}"
)
_DURATION = re.compile(r"(?P<count>\d+)\s*(?P<unit>second|minute|hour|day|week)s?")
_UNIT_S = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}


class TerraformSeedError(Exception):
    """The Terraform lacks a block the provider needs, or uses an expression it cannot resolve."""


@dataclass(frozen=True)
class PermissionDef:
    """A ``descope_permission``."""

    name: str
    description: str


@dataclass(frozen=True)
class RoleDef:
    """A project-wide ``descope_role``."""

    name: str
    description: str
    permission_names: tuple[str, ...]


@dataclass(frozen=True)
class TenantDef:
    """A ``descope_tenant``; ``custom_attributes`` are typed by the project's attribute definitions."""

    resource_name: str
    tenant_id: str
    name: str
    custom_attributes: dict[str, Any]


@dataclass(frozen=True)
class AccessKeyDef:
    """A ``descope_access_key``: project roles or per-tenant roles."""

    resource_name: str
    name: str
    description: str
    role_names: tuple[str, ...]
    key_tenants: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class SessionSettings:
    """Token lifetimes from ``descope_project.main.project_settings``, in seconds."""

    session_ttl_s: int
    refresh_ttl_s: int
    refresh_rotation: bool
    inactivity_s: int | None
    access_key_session_ttl_s: int


@dataclass(frozen=True)
class TerraformSeed:
    """Everything the provider takes from the Terraform."""

    permissions: tuple[PermissionDef, ...]
    roles: tuple[RoleDef, ...]
    tenants: tuple[TenantDef, ...]
    access_keys: tuple[AccessKeyDef, ...]
    session: SessionSettings
    redirect_urls: tuple[str, ...]
    force_pkce: bool
    auto_tenant_claim: bool
    conformance_issuer: bool
    user_attribute_types: dict[str, str]
    tenant_attribute_types: dict[str, str]


def parse_duration_s(text: str) -> int:
    """Convert a Descope duration (``"10 minutes"``, ``"4 weeks"``) to seconds.

    Raises
    ------
    TerraformSeedError
        The text is not ``<count> <unit>`` with a unit from seconds to weeks.
    """
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise TerraformSeedError(f"not a Descope duration: {text!r}")
    return int(match["count"]) * _UNIT_S[match["unit"]]


class _Module:
    """The parsed ``*.tf`` files of one directory, with the few references the seed needs resolved."""

    def __init__(self, infra_dir: Path, tfvars: Path | None) -> None:
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        self.variables: dict[str, Any] = {}
        self.locals: dict[str, Any] = {}
        for path in sorted(infra_dir.glob("*.tf")):
            with path.open() as handle:
                document = hcl2.load(handle, serialization_options=_HCL_OPTIONS)
            for block in document.get("resource", []):
                for kind, named in block.items():
                    self.resources.setdefault(kind, {}).update(named)
            for block in document.get("variable", []):
                for name, body in block.items():
                    self.variables[name] = body.get("default")
            for block in document.get("locals", []):
                self.locals.update(block)
        if tfvars is not None and tfvars.exists():
            with tfvars.open() as handle:
                self.variables.update(hcl2.load(handle, serialization_options=_HCL_OPTIONS))

    def of_kind(self, kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """The resources of a type that exist with these variables (``count`` other than 0)."""
        for name, body in self.resources.get(kind, {}).items():
            if self.count(body) > 0:
                yield name, body

    def count(self, body: dict[str, Any]) -> int:
        """Evaluate a resource's ``count``: absent, a number, or ``<condition> ? <number> : <number>``.

        Raises
        ------
        TerraformSeedError
            Any other expression.
        """
        raw = body.get("count", 1)
        if isinstance(raw, int):
            return raw
        text = str(raw).removeprefix("${").removesuffix("}")
        expression = hcl2.parses(f"count = {text}\n").body.children[0].expression
        if not isinstance(expression, ConditionalRule):
            raise TerraformSeedError(f"cannot evaluate count {raw}")
        chosen = expression.if_true if self.resolve(expression.condition.serialize()) else expression.if_false
        value = self.resolve(chosen.serialize())
        if not isinstance(value, int):
            raise TerraformSeedError(f"count {raw} is not a number")
        return value

    def resolve(self, value: Any) -> Any:
        """Replace ``${var.x}``, ``${local.x}`` and ``${<resource type>.<name>.<attribute>}`` by their values."""
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if not isinstance(value, str) or not value.startswith("${"):
            return value
        match = _REFERENCE.fullmatch(value)
        if match is None:
            raise TerraformSeedError(f"cannot resolve expression {value}")
        kind, name, index, attr = match["kind"], match["name"], match["index"], match["attr"]
        if kind == "var" and name in self.variables:
            return self.resolve(self.variables[name])
        if kind == "local" and name in self.locals:
            return self.resolve(self.locals[name])
        resource = self.resources.get(kind, {}).get(name)
        if resource is not None and int(index or 0) < self.count(resource) and attr in resource:
            return self.resolve(resource[attr])
        raise TerraformSeedError(f"cannot resolve reference {value}")


def _single(items: list[dict[str, Any]], what: str) -> dict[str, Any]:
    if len(items) != 1:
        raise TerraformSeedError(f"expected exactly one {what}, found {len(items)}")
    return items[0]


def _typed(value: Any, attribute_type: str | None) -> Any:
    # Terraform maps hold strings; Descope stores a number attribute as a number.
    if attribute_type == "number" and isinstance(value, str):
        return float(value) if "." in value else int(value)
    return value


def load_terraform_seed(infra_dir: Path, tfvars: Path | None = None) -> TerraformSeed:
    """Parse the Descope resources of a Terraform directory.

    Parameters
    ----------
    infra_dir : Path
        Directory holding ``rbac.tf``, ``tenants.tf``, ``descope_project.tf`` and the access keys.
    tfvars : Path, optional
        Variable file whose values override the variables' defaults (e.g. ``environments/dev.tfvars``).

    Returns
    -------
    TerraformSeed
        Definitions in file order; durations in seconds.

    Raises
    ------
    TerraformSeedError
        No ``descope_project`` (or more than one), no OIDC application, or an unresolvable reference.
    """
    module = _Module(infra_dir, tfvars)
    projects = [body for _, body in module.of_kind("descope_project")]
    project = _single(projects, "descope_project")
    settings = module.resolve(project.get("project_settings", {}))
    attributes = module.resolve(project.get("attributes", {}))
    user_types = {item["id"]: item["type"] for item in attributes.get("user", [])}
    tenant_types = {item["id"]: item["type"] for item in attributes.get("tenant", [])}
    spa = _single(project.get("applications", {}).get("oidc_applications", []), "OIDC application")
    # Templates are read flag by flag: their `template` body is a jsonencode() call the provider never needs.
    templates = project.get("jwt_templates", {})
    user_template: dict[str, Any] = next(
        (t for t in templates.get("user_templates", []) if module.resolve(t["name"]) == settings["user_jwt_template"]),
        {},
    )
    access_key_template: dict[str, Any] = next(
        (
            t
            for t in templates.get("access_key_templates", [])
            if module.resolve(t["name"]) == settings["access_key_jwt_template"]
        ),
        {},
    )
    inactivity = settings.get("inactivity_time") if settings.get("enable_inactivity") else None
    return TerraformSeed(
        permissions=tuple(
            PermissionDef(name=body["name"], description=body.get("description", ""))
            for _, body in module.of_kind("descope_permission")
        ),
        roles=tuple(
            RoleDef(
                name=body["name"],
                description=body.get("description", ""),
                permission_names=tuple(module.resolve(body.get("permission_names", []))),
            )
            for _, body in module.of_kind("descope_role")
        ),
        tenants=tuple(
            TenantDef(
                resource_name=resource_name,
                tenant_id=module.resolve(body["tenant_id"]),
                name=module.resolve(body["name"]),
                custom_attributes={
                    key: _typed(value, tenant_types.get(key))
                    for key, value in module.resolve(body.get("custom_attributes", {})).items()
                },
            )
            for resource_name, body in module.of_kind("descope_tenant")
        ),
        access_keys=tuple(
            AccessKeyDef(
                resource_name=resource_name,
                name=module.resolve(body["name"]),
                description=module.resolve(body.get("description", "")),
                role_names=tuple(module.resolve(body.get("roles", []))),
                key_tenants={
                    entry["tenant_id"]: tuple(entry.get("roles", []))
                    for entry in module.resolve(body.get("tenants", []))
                },
            )
            for resource_name, body in module.of_kind("descope_access_key")
        ),
        session=SessionSettings(
            session_ttl_s=parse_duration_s(settings["session_token_expiration"]),
            refresh_ttl_s=parse_duration_s(settings["refresh_token_expiration"]),
            refresh_rotation=bool(settings.get("refresh_token_rotation", False)),
            inactivity_s=parse_duration_s(inactivity) if inactivity else None,
            access_key_session_ttl_s=parse_duration_s(settings["access_key_session_token_expiration"]),
        ),
        # A deployed stage also approves its SPA origin (local.spa_origin, from CloudFront), which the local stack
        # does not have: it serves the SPA on the loopback origins of spa_extra_redirect_urls.
        redirect_urls=tuple(module.resolve(module.variables.get("spa_extra_redirect_urls") or [])),
        force_pkce=bool(module.resolve(spa.get("force_pkce", False))),
        auto_tenant_claim=bool(user_template.get("auto_tenant_claim", False)),
        conformance_issuer=bool(user_template.get("conformance_issuer", False))
        and bool(access_key_template.get("conformance_issuer", False)),
        user_attribute_types=user_types,
        tenant_attribute_types=tenant_types,
    )
