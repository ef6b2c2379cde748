"""Tenant resources on the table: names unique per tenant, ids in creation order, pages newest first."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, NoReturn, TypeGuard

from identity_stack.adapters.dynamodb.keys import RESOURCE_PREFIX, name_sk, resource_sk
from identity_stack.adapters.dynamodb.table import TenantPartition, to_rfc3339
from identity_stack.domain.models import Resource, ResourcePage
from identity_stack.domain.pagination import decode_cursor, encode_cursor
from identity_stack.errors import ConflictError, InvalidRequestError, NotFoundError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "TenantResources"]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
_NAME_TAKEN_DETAIL = "A resource with this name already exists in the tenant."
_ABSENT = "attribute_not_exists(pk)"


class TenantResources(TenantPartition):
    """Repository of one tenant's resources; it cannot address any other tenant's partition.

    Parameters are those of :class:`~identity_stack.adapters.dynamodb.table.TenantPartition`.

    Example
    -------
    >>> resources = TenantResources("T2abc")
    >>> created = await resources.create(name="Roadmap", description="", created_by="U2xyz")
    >>> page = await resources.list_page(limit=20)
    """

    async def create(self, *, name: str, description: str, created_by: str) -> Resource:
        """Create a resource whose name is unique within the tenant.

        Parameters
        ----------
        name : str
            Already trimmed and checked by the caller's schema; unique by
            :func:`~identity_stack.domain.validators.name_key` (case, compatibility forms and whitespace runs ignored).
        description : str
            Free text, at most 1000 characters (checked by the caller's schema).
        created_by : str
            ``sub`` of the creating principal.

        Returns
        -------
        Resource
            The stored resource, ``created_at`` in UTC.

        Raises
        ------
        ConflictError
            The tenant already has a resource with this name (409); nothing was written.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503); the transaction guarantees nothing was written.
        """
        now_ns = self._clock_ns()
        resource = Resource(
            id=_new_resource_id(now_ns),
            tenant_id=self.tenant_id,
            name=name,
            description=description,
            created_at=datetime.fromtimestamp(now_ns / 1e9, tz=UTC),
            created_by=created_by,
        )
        item: dict[str, AttributeValueTypeDef] = {
            **self._key(resource_sk(resource.id)),
            "id": {"S": resource.id},
            "name": {"S": resource.name},
            "description": {"S": resource.description},
            "created_at": {"S": to_rfc3339(resource.created_at)},
            "created_by": {"S": resource.created_by},
        }
        name_claim: dict[str, AttributeValueTypeDef] = {**self._key(name_sk(name)), "resource_id": {"S": resource.id}}
        await self._table.transact_write(
            [
                {"Put": {"TableName": self._table.name, "Item": name_claim, "ConditionExpression": _ABSENT}},
                {"Put": {"TableName": self._table.name, "Item": item, "ConditionExpression": _ABSENT}},
            ],
            conflict_detail=_NAME_TAKEN_DETAIL,
        )
        return resource

    async def get(self, resource_id: str) -> Resource:
        """Load one resource of the tenant.

        Raises
        ------
        NotFoundError
            No such resource in this tenant (404). The answer is the same whether or not the id exists in another
            tenant, because the lookup never leaves this tenant's partition.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        item = await self._table.get_item(self._resource_key(resource_id))
        if item is None:
            _raise_not_found()
        return self._from_item(item)

    async def list_page(self, *, limit: int = DEFAULT_PAGE_SIZE, cursor: str | None = None) -> ResourcePage:
        """List the tenant's resources, newest first, one page at a time.

        Parameters
        ----------
        limit : int
            Page size, 1 to ``MAX_PAGE_SIZE``.
        cursor : str, optional
            ``next_cursor`` of the previous page. It carries only a position inside this tenant's partition; the
            partition itself always comes from the repository, so a cursor cannot page into another tenant.

        Returns
        -------
        ResourcePage
            ``items`` and ``next_cursor`` (``None`` on the last page).

        Raises
        ------
        InvalidRequestError
            ``limit`` is out of range or ``cursor`` is not one this API issued (422).
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        if not 1 <= limit <= MAX_PAGE_SIZE:
            raise InvalidRequestError(f"limit must be between 1 and {MAX_PAGE_SIZE}.", status=422)
        start = self._resource_key(decode_cursor(cursor, _resource_id_after)) if cursor is not None else None
        # One extra item tells whether another page exists, so the last page never carries a dead cursor.
        items, _ = await self._table.query_prefix(
            self._pk, RESOURCE_PREFIX, consistent=False, newest_first=True, limit=limit + 1, start_after=start
        )
        resources = [self._from_item(item) for item in items]
        if len(resources) <= limit:
            return ResourcePage(items=resources, next_cursor=None)
        page = resources[:limit]
        return ResourcePage(items=page, next_cursor=encode_cursor({"after": page[-1].id}))

    async def delete(self, resource_id: str) -> None:
        """Delete a resource and release its name.

        Raises
        ------
        NotFoundError
            No such resource in this tenant, including one deleted concurrently (404).
        UpstreamUnavailableError
            DynamoDB failed or timed out (503); the transaction guarantees nothing was deleted.
        """
        resource = await self.get(resource_id)
        try:
            await self._table.transact_write(
                [
                    {
                        "Delete": {
                            "TableName": self._table.name,
                            "Key": self._resource_key(resource.id),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {"Delete": {"TableName": self._table.name, "Key": self._key(name_sk(resource.name))}},
                ]
            )
        except ConflictError:
            _raise_not_found()

    def _resource_key(self, resource_id: str) -> dict[str, AttributeValueTypeDef]:
        # Only ids this repository mints can exist; anything else is "not found" without a round trip, which
        # also keeps oversized client input away from DynamoDB's key-size validation (a 400 we would report as 503).
        if not _is_resource_id(resource_id):
            _raise_not_found()
        return self._key(resource_sk(resource_id))

    def _from_item(self, item: Mapping[str, AttributeValueTypeDef]) -> Resource:
        return Resource(
            id=item["id"]["S"],
            tenant_id=self.tenant_id,
            name=item["name"]["S"],
            description=item["description"]["S"],
            created_at=datetime.fromisoformat(item["created_at"]["S"]),
            created_by=item["created_by"]["S"],
        )


def _raise_not_found() -> NoReturn:
    raise NotFoundError(detail="No such resource in this tenant.")


def _new_resource_id(now_ns: int) -> str:
    """UUIDv7 (RFC 9562 §5.7) with 12 bits of sub-millisecond precision in ``rand_a`` (§6.2, method 3)."""
    unix_ms, sub_ms_ns = divmod(now_ns, 1_000_000)
    rand_a = sub_ms_ns * 4096 // 1_000_000
    value = (unix_ms & (2**48 - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | secrets.randbits(62)
    return str(uuid.UUID(int=value))


def _is_resource_id(value: object) -> TypeGuard[str]:
    if not isinstance(value, str):
        return False
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        return False
    return parsed.version == 7 and str(parsed) == value


def _resource_id_after(position: Mapping[str, object]) -> str:
    """The resource id a cursor points after; only ids this repository mints pass."""
    after = position["after"]
    if not _is_resource_id(after):
        raise ValueError("not a resource id")
    return after
