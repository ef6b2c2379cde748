"""``python -m local.aws reconcile-keys``: every tenant of the identity provider gets its API key in its tier's plan.

Tenants created through the API get their key at creation (functions/tenants); the seeded ones, and any tenant whose
key could not be provisioned, get it here. The work is the shared layer's ``TenantUsagePlans.assign`` (the one
implementation of the rules), run from source with the layer folder on ``sys.path``, as Lambda would from
``/opt/python``, against moto and the template's table and plan names.
"""

import asyncio
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from local import REPOSITORY_ROOT
from local.aws.server import aws_client
from local.gateway.errors import TemplateError
from local.gateway.template import LocalTemplate

LAYER_DIR = REPOSITORY_ROOT / "layers" / "shared"
# The functions that onboard tenants declare both; their values are what the functions would use.
_PLAN_NAMES_VARIABLE = "USAGE_PLAN_NAMES"
_TABLE_VARIABLE = "TABLE_NAME"
IDP_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class IdentityProviderAccess:
    """Where the management API is and how to call it (Descope: ``Authorization: Bearer <project>:<key>``)."""

    base_url: str
    project_id: str
    management_key: str


def load_tenant_tiers(idp: IdentityProviderAccess) -> dict[str, str]:
    """Tenant id → ``plan_tier`` custom attribute (``free`` when unset), from ``GET /v1/mgmt/tenant/all``.

    Raises
    ------
    httpx.HTTPError
        The identity provider is unreachable or refused the call.
    """
    reply = httpx.get(
        f"{idp.base_url}/v1/mgmt/tenant/all",
        headers={"Authorization": f"Bearer {idp.project_id}:{idp.management_key}"},
        timeout=IDP_TIMEOUT_S,
        trust_env=False,
    )
    reply.raise_for_status()
    return {
        tenant["id"]: str((tenant.get("customAttributes") or {}).get("plan_tier") or "free")
        for tenant in reply.json().get("tenants", [])
    }


def onboarding_settings(template: LocalTemplate) -> tuple[dict[str, str], str]:
    """The usage plan names by tier and the table name the template gives the onboarding functions.

    Raises
    ------
    TemplateError
        No function declares ``USAGE_PLAN_NAMES`` and ``TABLE_NAME``.
    """
    for logical_id in template.resources_of_type("AWS::Lambda::Function"):
        variables = template.resolved_properties(logical_id).get("Environment", {}).get("Variables", {})
        if _PLAN_NAMES_VARIABLE in variables and _TABLE_VARIABLE in variables:
            return json.loads(variables[_PLAN_NAMES_VARIABLE]), str(variables[_TABLE_VARIABLE])
    raise TemplateError(f"no function declares {_PLAN_NAMES_VARIABLE} and {_TABLE_VARIABLE}")


def reconcile_tenant_keys(
    template: LocalTemplate, tiers: Mapping[str, str], aws_endpoint_url: str
) -> dict[str, str | None]:
    """Assign every tenant's API key to the usage plan of its tier (idempotent).

    Parameters
    ----------
    template : LocalTemplate
    tiers : Mapping[str, str]
        Tenant id → plan tier (:func:`load_tenant_tiers`).
    aws_endpoint_url : str
        moto's server.

    Returns
    -------
    dict[str, str | None]
        Tenant id → the tier its key is now in; None for a tenant left on the default key (the layer logged why).
    """
    if str(LAYER_DIR) not in sys.path:
        sys.path.insert(0, str(LAYER_DIR))
    from identity_stack.adapters.apigateway import UsagePlanClient
    from identity_stack.adapters.dynamodb.api_keys import TenantApiKeyRecords
    from identity_stack.domain.plans import TenantUsagePlans

    plan_names, table_name = onboarding_settings(template)
    dynamodb = aws_client("dynamodb", aws_endpoint_url)
    plans = UsagePlanClient(plan_names, client=aws_client("apigateway", aws_endpoint_url))

    async def assign_all() -> dict[str, str | None]:
        assigned: dict[str, str | None] = {}
        for tenant_id, tier in tiers.items():
            records = TenantApiKeyRecords(tenant_id, client=dynamodb, table_name=table_name)
            key = await TenantUsagePlans(tenant_id, records=records, plans=plans).assign(tier)
            assigned[tenant_id] = key.tier if key is not None else None
        return assigned

    return asyncio.run(assign_all())


def describe(assigned: Mapping[str, Any]) -> str:
    """One line per tenant for the console."""
    return "\n".join(f"  {tenant_id}: {tier or 'default key (see the log)'}" for tenant_id, tier in assigned.items())
