"""The tenant -> API key record of one tenant (item ``USAGEKEY``): the key whose usage plan counts its requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from identity_stack.adapters.dynamodb.keys import USAGE_KEY_SK
from identity_stack.adapters.dynamodb.table import TenantPartition, to_rfc3339
from identity_stack.domain.ports import TenantApiKey

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

__all__ = ["TenantApiKey", "TenantApiKeyRecords"]


class TenantApiKeyRecords(TenantPartition):
    """The API-key record of one tenant (parameters of :class:`~.table.TenantPartition`)."""

    async def get(self) -> TenantApiKey | None:
        """The tenant's key, or None when it has none (it then uses the default key).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        item = await self._table.get_item(self._key(USAGE_KEY_SK))
        if item is None:
            return None
        return TenantApiKey(key_id=item["key_id"]["S"], value=item["key_value"]["S"], tier=item["tier"]["S"])

    async def put(self, key: TenantApiKey) -> None:
        """Record ``key`` as the tenant's key.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        item: dict[str, AttributeValueTypeDef] = {
            **self._key(USAGE_KEY_SK),
            "key_id": {"S": key.key_id},
            "key_value": {"S": key.value},
            "tier": {"S": key.tier},
            "updated_at": {"S": to_rfc3339(self._now())},
        }
        await self._table.put_item(item)

    async def forget(self) -> None:
        """Drop the item: the tenant falls back to the default key.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        await self._table.delete_item(self._key(USAGE_KEY_SK))
