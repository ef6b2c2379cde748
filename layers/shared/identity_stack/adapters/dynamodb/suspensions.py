"""Members suspended in one tenant, with the roles they held there (items ``SUSPENDED#<user_id>``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from identity_stack.adapters.dynamodb.keys import SUSPENDED_PREFIX, suspended_sk
from identity_stack.adapters.dynamodb.table import TenantPartition, to_rfc3339
from identity_stack.domain.ports import Suspension

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

__all__ = ["SuspendedMembers", "Suspension"]

_ALREADY_SUSPENDED_DETAIL = "The member is already suspended in this tenant."


class SuspendedMembers(TenantPartition):
    """Members suspended in one tenant (parameters of :class:`~identity_stack.adapters.dynamodb.table.TenantPartition`).

    Suspension is tenant-scoped by design: a Descope user's status (enabled, disabled) is one for the whole project,
    so a suspended member keeps their membership and other tenants while their roles here wait in this table.
    """

    async def suspend(self, user_id: str, *, roles: tuple[str, ...], suspended_by: str) -> Suspension:
        """Remember that ``user_id`` is suspended and held ``roles``.

        Raises
        ------
        ValueError
            ``user_id`` is not an opaque id.
        ConflictError
            Already suspended in this tenant (409); nothing was written.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        suspension = Suspension(user_id=user_id, roles=roles, suspended_at=self._now(), suspended_by=suspended_by)
        await self._table.put_item(
            self._item(suspension), only_if_absent=True, conflict_detail=_ALREADY_SUSPENDED_DETAIL
        )
        return suspension

    async def restore(self, suspension: Suspension) -> None:
        """Write ``suspension`` back as it was (undoing a :meth:`forget` whose follow-up failed).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        await self._table.put_item(self._item(suspension))

    async def get(self, user_id: str) -> Suspension | None:
        """The suspension of ``user_id`` in this tenant, or None.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        item = await self._table.get_item(self._key(suspended_sk(user_id)))
        if item is None:
            return None
        return Suspension(
            user_id=item["user_id"]["S"],
            roles=tuple(role["S"] for role in item["roles"]["L"]),
            suspended_at=datetime.fromisoformat(item["suspended_at"]["S"]),
            suspended_by=item["suspended_by"]["S"],
        )

    async def suspended_user_ids(self) -> set[str]:
        """Ids of every member suspended in this tenant (every page of the partition's suspension items).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        user_ids: set[str] = set()
        start: dict[str, AttributeValueTypeDef] | None = None
        while True:
            items, start = await self._table.query_prefix(
                self._pk, SUSPENDED_PREFIX, projection="user_id", start_after=start
            )
            user_ids.update(item["user_id"]["S"] for item in items)
            if start is None:
                return user_ids

    async def forget(self, user_id: str) -> None:
        """Drop the suspension of ``user_id`` if there is one (reinstated or removed from the tenant).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        await self._table.delete_item(self._key(suspended_sk(user_id)))

    def _item(self, suspension: Suspension) -> dict[str, AttributeValueTypeDef]:
        return {
            **self._key(suspended_sk(suspension.user_id)),
            "user_id": {"S": suspension.user_id},
            "roles": {"L": [{"S": role} for role in suspension.roles]},
            "suspended_at": {"S": to_rfc3339(suspension.suspended_at)},
            "suspended_by": {"S": suspension.suspended_by},
        }
