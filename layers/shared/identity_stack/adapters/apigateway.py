"""API Gateway usage plans and API keys: the control-plane calls of tenant onboarding, run off the event loop.

API Gateway counts usage-plan limits per API key
(https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html), so every tenant
gets its own key in the plan of its tier. Plans are found by name (``USAGE_PLAN_NAMES``), which is stable across
deployments and identical locally, where moto assigns its own ids.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from identity_stack.adapters.aws import get_apigateway_client
from identity_stack.domain.ports import UsagePlanError

if TYPE_CHECKING:
    from mypy_boto3_apigateway.client import APIGatewayClient
    from mypy_boto3_apigateway.type_defs import UsagePlanTypeDef

__all__ = ["UsagePlanClient", "UsagePlanError"]


class UsagePlanClient:
    """The :class:`~identity_stack.domain.ports.UsagePlans` port on API Gateway.

    Parameters
    ----------
    plan_names : Mapping[str, str]
        Usage plan name by tier.
    client : APIGatewayClient, optional
        Defaults to the container's (:func:`~identity_stack.adapters.aws.get_apigateway_client`).
    """

    def __init__(self, plan_names: Mapping[str, str], *, client: APIGatewayClient | None = None) -> None:
        self._plan_names = dict(plan_names)
        self._client = client if client is not None else get_apigateway_client()
        self._plan_ids: dict[str, str] = {}

    async def plan_id(self, tier: str) -> str:
        """Id of the usage plan of ``tier`` (looked up once per client).

        Raises
        ------
        UsagePlanError
            Unknown tier, no plan of that name, or the lookup failed.
        """
        name = self._plan_names.get(tier)
        if name is None:
            raise UsagePlanError(f"no usage plan is configured for tier {tier!r}")
        if name not in self._plan_ids:
            wanted = set(self._plan_names.values())
            plans = await _run("GetUsagePlans", self._usage_plans)
            self._plan_ids |= {plan["name"]: plan["id"] for plan in plans if plan.get("name") in wanted}
        if name not in self._plan_ids:
            raise UsagePlanError(f"usage plan {name!r} does not exist")
        return self._plan_ids[name]

    async def create_key(self, tenant_id: str) -> tuple[str, str]:
        """Create an enabled API key for ``tenant_id``; returns its id and value. Raises ``UsagePlanError``."""
        reply = await _run(
            "CreateApiKey",
            lambda: self._client.create_api_key(
                name=f"tenant-{tenant_id}",
                description=f"Usage identifier of tenant {tenant_id} (identity_stack.domain.plans)",
                enabled=True,
                customerId=tenant_id,
            ),
        )
        return reply["id"], reply["value"]

    async def plan_ids_of(self, key_id: str) -> set[str] | None:
        """Ids of the usage plans holding ``key_id``; None when the key no longer exists.

        Raises
        ------
        UsagePlanError
        """
        from botocore.exceptions import BotoCoreError, ClientError

        def held() -> list[UsagePlanTypeDef]:
            self._client.get_api_key(apiKey=key_id)
            return self._usage_plans(key_id)

        try:
            plans = await asyncio.to_thread(held)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "NotFoundException":
                return None
            raise UsagePlanError(f"listing the usage plans of key {key_id} failed") from exc
        except BotoCoreError as exc:
            raise UsagePlanError(f"listing the usage plans of key {key_id} failed") from exc
        return {plan["id"] for plan in plans}

    async def attach(self, key_id: str, plan_id: str) -> None:
        """Add the key to a usage plan. Raises ``UsagePlanError``."""
        await _run(
            "CreateUsagePlanKey",
            lambda: self._client.create_usage_plan_key(usagePlanId=plan_id, keyId=key_id, keyType="API_KEY"),
        )

    async def detach(self, key_id: str, plan_id: str) -> None:
        """Remove the key from a usage plan. Raises ``UsagePlanError``."""
        await _run("DeleteUsagePlanKey", lambda: self._client.delete_usage_plan_key(usagePlanId=plan_id, keyId=key_id))

    async def delete_key(self, key_id: str) -> None:
        """Delete the key. Raises ``UsagePlanError``."""
        await _run("DeleteApiKey", lambda: self._client.delete_api_key(apiKey=key_id))

    def _usage_plans(self, key_id: str | None = None) -> list[UsagePlanTypeDef]:
        """Every usage plan (of ``key_id`` when given), across pages; blocking."""
        paginator = self._client.get_paginator("get_usage_plans")
        pages = paginator.paginate(keyId=key_id) if key_id is not None else paginator.paginate()
        return [plan for page in pages for plan in page.get("items", [])]


async def _run[T](operation: str, call: Callable[[], T]) -> T:
    """Run one blocking control-plane call in a worker thread; any botocore fault becomes ``UsagePlanError``."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return await asyncio.to_thread(call)
    except (BotoCoreError, ClientError) as exc:
        raise UsagePlanError(f"API Gateway {operation} failed") from exc
