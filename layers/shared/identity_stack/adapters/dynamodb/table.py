"""The table client: typed DynamoDB calls off the event loop, and the one place their faults become problems.

A failed condition (``ConditionalCheckFailedException``, or a transaction cancelled for one) is a 409 whose detail the
repository names; any other client or connection error is a 503 with ``Retry-After``
(https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from identity_stack.adapters.aws import get_dynamodb_client
from identity_stack.adapters.dynamodb.keys import item_key, tenant_pk
from identity_stack.config import get_settings
from identity_stack.errors import ConflictError, UpstreamUnavailableError

if TYPE_CHECKING:
    from botocore.exceptions import ClientError
    from mypy_boto3_dynamodb.client import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
    )

    Item = dict[str, AttributeValueTypeDef]

__all__ = ["DEFAULT_CONFLICT_DETAIL", "STORE_RETRY_AFTER_S", "Table", "TenantPartition", "to_rfc3339"]

# Throttling and transient faults clear within a second or two; botocore has already retried by then.
STORE_RETRY_AFTER_S = 1
DEFAULT_CONFLICT_DETAIL = "The item changed concurrently."
_UNAVAILABLE_DETAIL = "The data store is unavailable."
_CONDITION_FAILED = "ConditionalCheckFailed"
_CONDITION_FAILED_EXCEPTION = "ConditionalCheckFailedException"
_TRANSACTION_CANCELLED = "TransactionCanceledException"


class Table:
    """One DynamoDB table, addressed with partition key ``pk`` and sort key ``sk``.

    Parameters
    ----------
    client : DynamoDBClient, optional
        Defaults to the container's shared client (:func:`~identity_stack.adapters.aws.get_dynamodb_client`).
    table_name : str, optional
        Defaults to ``Settings.table_name`` (``TABLE_NAME``).

    Raises
    ------
    MissingSettingError
        No ``table_name`` given and ``TABLE_NAME`` unset.
    """

    def __init__(self, *, client: DynamoDBClient | None = None, table_name: str | None = None) -> None:
        self._client = client if client is not None else get_dynamodb_client()
        self.name = table_name if table_name is not None else get_settings().table_name_required()

    async def get_item(self, key: Mapping[str, AttributeValueTypeDef]) -> Item | None:
        """The item at ``key`` (strongly consistent read), or None. Raises ``UpstreamUnavailableError`` (503)."""
        reply = await self._run(lambda: self._client.get_item(TableName=self.name, Key=key, ConsistentRead=True))
        return reply.get("Item")

    async def put_item(
        self, item: Mapping[str, AttributeValueTypeDef], *, only_if_absent: bool = False, conflict_detail: str = ""
    ) -> None:
        """Write ``item``; with ``only_if_absent``, only where no item has its key.

        Raises
        ------
        ConflictError
            ``only_if_absent`` and the item exists (409, ``conflict_detail``); nothing was written.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """

        def call() -> object:
            if only_if_absent:
                condition = "attribute_not_exists(pk)"
                return self._client.put_item(TableName=self.name, Item=item, ConditionExpression=condition)
            return self._client.put_item(TableName=self.name, Item=item)

        await self._run(call, conflict_detail)

    async def delete_item(self, key: Mapping[str, AttributeValueTypeDef]) -> None:
        """Delete the item at ``key`` if there is one. Raises ``UpstreamUnavailableError`` (503)."""
        await self._run(lambda: self._client.delete_item(TableName=self.name, Key=key))

    async def query_prefix(
        self,
        pk: str,
        prefix: str,
        *,
        consistent: bool = True,
        newest_first: bool = False,
        limit: int | None = None,
        start_after: Mapping[str, AttributeValueTypeDef] | None = None,
        projection: str | None = None,
        expiring_after_s: int | None = None,
    ) -> tuple[list[Item], Item | None]:
        """One page of the items of partition ``pk`` whose sort key starts with ``prefix``.

        Parameters
        ----------
        limit : int, optional
            Most items read (DynamoDB's ``Limit``, counted before ``expiring_after_s`` filters).
        start_after : key, optional
            ``ExclusiveStartKey``: the page starts after this key.
        expiring_after_s : int, optional
            Keep only items whose ``expires_at`` (epoch seconds) is later: TTL deletes expired items within a few
            days, not at once.

        Returns
        -------
        tuple
            The items, and the ``LastEvaluatedKey`` to continue from (None on the last page).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        values: dict[str, AttributeValueTypeDef] = {":pk": {"S": pk}, ":prefix": {"S": prefix}}
        params: QueryInputTypeDef = {
            "TableName": self.name,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": values,
            "ConsistentRead": consistent,
            "ScanIndexForward": not newest_first,
        }
        if limit is not None:
            params["Limit"] = limit
        if start_after is not None:
            params["ExclusiveStartKey"] = start_after
        if projection is not None:
            params["ProjectionExpression"] = projection
        if expiring_after_s is not None:
            params["FilterExpression"] = "expires_at > :now"
            values[":now"] = {"N": str(expiring_after_s)}
        reply = await self._run(lambda: self._client.query(**params))
        return reply.get("Items", []), reply.get("LastEvaluatedKey")

    async def transact_write(self, items: Sequence[TransactWriteItemTypeDef], *, conflict_detail: str = "") -> None:
        """Write ``items`` all or nothing.

        Raises
        ------
        ConflictError
            A condition of one item failed (409, ``conflict_detail``); nothing was written.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503); nothing was written.
        """
        await self._run(lambda: self._client.transact_write_items(TransactItems=items), conflict_detail)

    @staticmethod
    async def _run[T](call: Callable[[], T], conflict_detail: str = "") -> T:
        """Run one blocking botocore call in a worker thread; translate its faults."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return await asyncio.to_thread(call)
        except ClientError as exc:
            if _is_condition_failure(exc):
                raise ConflictError(detail=conflict_detail or DEFAULT_CONFLICT_DETAIL) from exc
            raise UpstreamUnavailableError(detail=_UNAVAILABLE_DETAIL, retry_after_s=STORE_RETRY_AFTER_S) from exc
        except BotoCoreError as exc:
            raise UpstreamUnavailableError(detail=_UNAVAILABLE_DETAIL, retry_after_s=STORE_RETRY_AFTER_S) from exc


class TenantPartition:
    """Base of the repositories of one tenant: the table and the one partition they may address.

    Parameters
    ----------
    tenant_id : str
        The caller's active tenant. Every key a repository builds is in ``tenant_pk(tenant_id)``.
    client : DynamoDBClient, optional
        As for :class:`Table`.
    table_name : str, optional
        As for :class:`Table`.
    clock_ns : Callable[[], int], optional
        Wall clock in nanoseconds since the epoch; injected by tests.

    Raises
    ------
    ValueError
        ``tenant_id`` is empty.
    MissingSettingError
        No ``table_name`` given and ``TABLE_NAME`` unset.
    """

    def __init__(
        self,
        tenant_id: str,
        *,
        client: DynamoDBClient | None = None,
        table_name: str | None = None,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self._pk = tenant_pk(tenant_id)
        self.tenant_id = tenant_id
        self._table = Table(client=client, table_name=table_name)
        self._clock_ns = clock_ns

    def _key(self, sk: str) -> Item:
        return item_key(self._pk, sk)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock_ns() / 1e9, tz=UTC)


def to_rfc3339(moment: datetime) -> str:
    """``moment`` in UTC as RFC 3339 with microseconds and a ``Z`` suffix (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _is_condition_failure(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code")
    if code == _CONDITION_FAILED_EXCEPTION:
        return True
    if code != _TRANSACTION_CANCELLED:
        return False
    reasons = exc.response.get("CancellationReasons", [])
    return any(reason.get("Code") == _CONDITION_FAILED for reason in reasons)
