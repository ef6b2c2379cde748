"""Access keys of one tenant changed in the last minute (items ``RECENTKEY#<key_id>``, removed by DynamoDB TTL).

Descope's access-key search is an index that trails writes: a key just created is missing from it for about a second,
a key just deleted is still in it. The keys function reads its own writes by remembering here the ids it changed;
a list then loads those by id, which is consistent. DynamoDB's TTL removes the entries, within days rather than at
once (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html), so reads ignore any
entry past ``expires_at``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from identity_stack.adapters.dynamodb.keys import RECENT_KEY_PREFIX, recent_key_sk
from identity_stack.adapters.dynamodb.table import TenantPartition

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

__all__ = ["RECENT_ACCESS_KEY_TTL_S", "RecentAccessKeys"]

# The search index lags creation by about a second; a minute is ample.
RECENT_ACCESS_KEY_TTL_S = 60
_NS_PER_S = 1_000_000_000


class RecentAccessKeys(TenantPartition):
    """Recently changed access keys of one tenant (parameters of :class:`~.table.TenantPartition`)."""

    async def remember(self, key_id: str, *, deleted: bool) -> None:
        """Record that ``key_id`` was just created or changed (``deleted=False``) or deleted.

        Raises
        ------
        ValueError
            ``key_id`` is not an opaque id.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        expires_at = self._clock_ns() // _NS_PER_S + RECENT_ACCESS_KEY_TTL_S
        item: dict[str, AttributeValueTypeDef] = {
            **self._key(recent_key_sk(key_id)),
            "key_id": {"S": key_id},
            "deleted": {"BOOL": deleted},
            "expires_at": {"N": str(expires_at)},
        }
        await self._table.put_item(item)

    async def recent(self) -> dict[str, bool]:
        """Key id -> whether it was deleted, for every key of this tenant changed within the window.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        now_s = self._clock_ns() // _NS_PER_S
        items, _ = await self._table.query_prefix(self._pk, RECENT_KEY_PREFIX, expiring_after_s=now_s)
        return {item["key_id"]["S"]: item["deleted"]["BOOL"] for item in items}
