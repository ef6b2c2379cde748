"""Tenant-scoped DynamoDB repository: every read and write is confined to one tenant's partition.

Item layout (one table, partition key ``pk``, sort key ``sk``, both strings):

===============================  =================================  ==========================================
item                             ``pk``                             ``sk``
===============================  =================================  ==========================================
resource                         ``TENANT#<tenant_id>``             ``RESOURCE#<resource_id>``
name claim (uniqueness guard)    ``TENANT#<tenant_id>``             ``NAME#<sha256 of the normalised name>``
suspended member                 ``TENANT#<tenant_id>``             ``SUSPENDED#<user_id>``
recently changed access key      ``TENANT#<tenant_id>``             ``RECENTKEY#<key_id>`` (TTL ``expires_at``)
===============================  =================================  ==========================================

Resource ids are UUIDv7 (RFC 9562 §5.7), so sort-key order is creation order and a reverse query lists newest
first without an index. The name claim is written in the same transaction as the resource, so two resources of
one tenant can never share a name (the AWS "unique attribute" pattern for TransactWriteItems).
"""

import asyncio
import base64
import binascii
import hashlib
import json
import re
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, NoReturn

from identity_stack.config import get_settings
from identity_stack.domain.models import Resource, ResourcePage
from identity_stack.domain.validators import name_key
from identity_stack.errors import ConflictError, InvalidRequestError, NotFoundError, UpstreamUnavailableError

if TYPE_CHECKING:
    from botocore.client import BaseClient
    from botocore.exceptions import ClientError

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "RECENT_ACCESS_KEY_TTL_S",
    "RecentAccessKeys",
    "SuspendedMembers",
    "Suspension",
    "TenantResources",
    "get_dynamodb_client",
    "tenant_pk",
]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# A Lambda must answer before API Gateway's 29 s limit: fail fast, retry a little (botocore "standard" mode
# retries throttling and transient 5xx with jittered backoff).
DYNAMODB_CONNECT_TIMEOUT_S = 1.0
DYNAMODB_READ_TIMEOUT_S = 2.0
DYNAMODB_MAX_ATTEMPTS = 3
RETRY_AFTER_S = 1

TENANT_PREFIX = "TENANT#"
RESOURCE_PREFIX = "RESOURCE#"
NAME_PREFIX = "NAME#"
CURSOR_VERSION = 1

_CONDITION_FAILED = "ConditionalCheckFailed"
_CONDITION_FAILED_EXCEPTION = "ConditionalCheckFailedException"
_TRANSACTION_CANCELLED = "TransactionCanceledException"


@cache
def get_dynamodb_client() -> "BaseClient":
    """Return the container's DynamoDB client, built on first use and reused by every invocation.

    Environment variables
    ---------------------
    AWS_ENDPOINT_URL
        Read by boto3 itself; the local stack and tests point it at moto's server.

    Returns
    -------
    BaseClient
        A botocore client with short timeouts and at most ``DYNAMODB_MAX_ATTEMPTS`` attempts per call.
    """
    # boto3 costs ~0.25 s to import: only functions that touch the table pay it, on first use.
    import boto3
    from botocore.config import Config

    config = Config(
        connect_timeout=DYNAMODB_CONNECT_TIMEOUT_S,
        read_timeout=DYNAMODB_READ_TIMEOUT_S,
        retries={"mode": "standard", "total_max_attempts": DYNAMODB_MAX_ATTEMPTS},
    )
    return boto3.client("dynamodb", config=config)


def tenant_pk(tenant_id: str) -> str:
    """Return the partition key that holds every item of one tenant.

    Parameters
    ----------
    tenant_id : str
        Opaque tenant id (Descope's ``dct``); never parsed.

    Returns
    -------
    str
        ``TENANT#<tenant_id>``.

    Raises
    ------
    ValueError
        ``tenant_id`` is empty: an unscoped key would be a programming error, never a client's.
    """
    if not tenant_id:
        raise ValueError("a tenant id is required to address tenant data")
    return f"{TENANT_PREFIX}{tenant_id}"


class TenantPartition:
    """Base of the repositories of one tenant: the table, the client, and the one partition they may address.

    Parameters
    ----------
    tenant_id : str
        The caller's active tenant. Every key a repository builds starts with ``tenant_pk(tenant_id)``.
    client : BaseClient, optional
        Defaults to the container's shared client (``get_dynamodb_client()``).
    table_name : str, optional
        Defaults to ``Settings.table_name`` (``TABLE_NAME``).
    clock_ns : Callable[[], int], optional
        Wall clock in nanoseconds since the epoch; injected by tests.

    Raises
    ------
    ValueError
        ``tenant_id`` is empty.
    MissingSettingError
        No ``table_name`` given and ``TABLE_NAME`` unset.
    """

    # Detail of the ConflictError a failed condition becomes; repositories name their own rule.
    conflict_detail = "The item changed concurrently."

    def __init__(
        self,
        tenant_id: str,
        *,
        client: "BaseClient | None" = None,
        table_name: str | None = None,
        clock_ns: Callable[[], int] = time.time_ns,
    ) -> None:
        self._pk = tenant_pk(tenant_id)
        self.tenant_id = tenant_id
        self._client = client if client is not None else get_dynamodb_client()
        if table_name is None:
            settings = get_settings()
            settings.require("table_name")
            table_name = settings.table_name or ""
        self._table = table_name
        self._clock_ns = clock_ns

    async def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Run one blocking botocore call off the event loop and map its faults to problems."""
        from botocore.exceptions import BotoCoreError, ClientError

        method = getattr(self._client, operation)
        try:
            return await asyncio.to_thread(method, **params)
        except ClientError as exc:
            if _is_condition_failure(exc):
                raise ConflictError(detail=self.conflict_detail) from exc
            raise UpstreamUnavailableError(
                detail="The data store is unavailable.", retry_after_s=RETRY_AFTER_S
            ) from exc
        except BotoCoreError as exc:
            raise UpstreamUnavailableError(
                detail="The data store is unavailable.", retry_after_s=RETRY_AFTER_S
            ) from exc


class TenantResources(TenantPartition):
    """Repository of one tenant's resources; it cannot address any other tenant's partition.

    Parameters are those of :class:`TenantPartition`.

    Example
    -------
    >>> resources = TenantResources("T2abc")
    >>> created = await resources.create(name="Roadmap", description="", created_by="U2xyz")
    >>> page = await resources.list_page(limit=20)
    """

    conflict_detail = "A resource with this name already exists in the tenant."

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
        item = {
            "pk": {"S": self._pk},
            "sk": {"S": RESOURCE_PREFIX + resource.id},
            "id": {"S": resource.id},
            "name": {"S": resource.name},
            "description": {"S": resource.description},
            "created_at": {"S": _to_rfc3339(resource.created_at)},
            "created_by": {"S": resource.created_by},
        }
        name_claim = {"pk": {"S": self._pk}, "sk": {"S": _name_sk(name)}, "resource_id": {"S": resource.id}}
        absent = "attribute_not_exists(pk)"
        await self._call(
            "transact_write_items",
            TransactItems=[
                {"Put": {"TableName": self._table, "Item": name_claim, "ConditionExpression": absent}},
                {"Put": {"TableName": self._table, "Item": item, "ConditionExpression": absent}},
            ],
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
        reply = await self._call(
            "get_item",
            TableName=self._table,
            Key=self._resource_key(resource_id),
            ConsistentRead=True,
        )
        if "Item" not in reply:
            _raise_not_found()
        return self._from_item(reply["Item"])

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
            raise InvalidRequestError(
                f"limit must be between 1 and {MAX_PAGE_SIZE}.", status=HTTPStatus.UNPROCESSABLE_ENTITY
            )
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": self._pk}, ":prefix": {"S": RESOURCE_PREFIX}},
            "ScanIndexForward": False,
            # One extra item tells whether another page exists, so the last page never carries a dead cursor.
            "Limit": limit + 1,
        }
        if cursor is not None:
            query["ExclusiveStartKey"] = self._resource_key(_decode_cursor(cursor))
        reply = await self._call("query", **query)
        items = [self._from_item(item) for item in reply.get("Items", [])]
        if len(items) <= limit:
            return ResourcePage(items=items, next_cursor=None)
        page = items[:limit]
        return ResourcePage(items=page, next_cursor=_encode_cursor(page[-1].id))

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
            await self._call(
                "transact_write_items",
                TransactItems=[
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": self._resource_key(resource.id),
                            "ConditionExpression": "attribute_exists(pk)",
                        }
                    },
                    {
                        "Delete": {
                            "TableName": self._table,
                            "Key": {"pk": {"S": self._pk}, "sk": {"S": _name_sk(resource.name)}},
                        }
                    },
                ],
            )
        except ConflictError:
            _raise_not_found()

    def _resource_key(self, resource_id: str) -> dict[str, dict[str, str]]:
        # Only ids this repository mints can exist; anything else is "not found" without a round trip, which
        # also keeps oversized client input away from DynamoDB's key-size validation (a 400 we would report as 503).
        if not _is_resource_id(resource_id):
            _raise_not_found()
        return {"pk": {"S": self._pk}, "sk": {"S": RESOURCE_PREFIX + resource_id}}

    def _from_item(self, item: dict[str, dict[str, str]]) -> Resource:
        return Resource(
            id=item["id"]["S"],
            tenant_id=self.tenant_id,
            name=item["name"]["S"],
            description=item["description"]["S"],
            created_at=datetime.fromisoformat(item["created_at"]["S"]),
            created_by=item["created_by"]["S"],
        )


# --- suspended members and recently changed access keys (functions/members, functions/keys) ----------------------

SUSPENDED_PREFIX = "SUSPENDED#"
RECENT_KEY_PREFIX = "RECENTKEY#"
# Descope's access-key search lags creation by about a second (upstream-behaviour §2.7); a minute is ample.
RECENT_ACCESS_KEY_TTL_S = 60
# Descope user and access-key ids are short letters-and-digits strings; anything else never reaches a key.
_OPAQUE_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def is_opaque_id(value: str) -> bool:
    """Whether ``value`` can be a Descope user or access-key id (1-128 letters, digits, ``_`` or ``-``)."""
    return _OPAQUE_ID.fullmatch(value) is not None


@dataclass(frozen=True)
class Suspension:
    """A member suspended in one tenant: the tenant roles taken away, to be given back on reinstatement."""

    user_id: str
    roles: tuple[str, ...]
    suspended_at: datetime
    suspended_by: str


class SuspendedMembers(TenantPartition):
    """Members suspended in one tenant, with the roles they held there (parameters of :class:`TenantPartition`).

    Suspension is tenant-scoped by design: Descope's user status is project-wide (upstream-behaviour §7.2 item
    17), so a suspended member keeps their membership and other tenants while their roles here wait in this table.
    """

    conflict_detail = "The member is already suspended in this tenant."

    async def suspend(self, user_id: str, *, roles: tuple[str, ...], suspended_by: str) -> Suspension:
        """Remember that ``user_id`` is suspended and held ``roles``.

        Raises
        ------
        ConflictError
            Already suspended in this tenant (409); nothing was written.
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        suspension = Suspension(
            user_id=user_id,
            roles=roles,
            suspended_at=datetime.fromtimestamp(self._clock_ns() / 1e9, tz=UTC),
            suspended_by=suspended_by,
        )
        await self._put(suspension, ConditionExpression="attribute_not_exists(pk)")
        return suspension

    async def restore(self, suspension: Suspension) -> None:
        """Write ``suspension`` back as it was (undoing a :meth:`forget` whose follow-up failed).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        await self._put(suspension)

    async def get(self, user_id: str) -> Suspension | None:
        """The suspension of ``user_id`` in this tenant, or None.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        reply = await self._call("get_item", TableName=self._table, Key=self._key(user_id), ConsistentRead=True)
        item = reply.get("Item")
        if item is None:
            return None
        return Suspension(
            user_id=item["user_id"]["S"],
            roles=tuple(role["S"] for role in item["roles"]["L"]),
            suspended_at=datetime.fromisoformat(item["suspended_at"]["S"]),
            suspended_by=item["suspended_by"]["S"],
        )

    async def suspended_user_ids(self) -> set[str]:
        """Ids of every member suspended in this tenant.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        query: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
            "ExpressionAttributeValues": {":pk": {"S": self._pk}, ":prefix": {"S": SUSPENDED_PREFIX}},
            "ProjectionExpression": "user_id",
            "ConsistentRead": True,
        }
        user_ids: set[str] = set()
        while True:
            reply = await self._call("query", **query)
            user_ids.update(item["user_id"]["S"] for item in reply.get("Items", []))
            if "LastEvaluatedKey" not in reply:
                return user_ids
            query["ExclusiveStartKey"] = reply["LastEvaluatedKey"]

    async def forget(self, user_id: str) -> None:
        """Drop the suspension of ``user_id`` if there is one (reinstated or removed from the tenant).

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        await self._call("delete_item", TableName=self._table, Key=self._key(user_id))

    async def _put(self, suspension: Suspension, **condition: str) -> None:
        item = {
            **self._key(suspension.user_id),
            "user_id": {"S": suspension.user_id},
            "roles": {"L": [{"S": role} for role in suspension.roles]},
            "suspended_at": {"S": _to_rfc3339(suspension.suspended_at)},
            "suspended_by": {"S": suspension.suspended_by},
        }
        await self._call("put_item", TableName=self._table, Item=item, **condition)

    def _key(self, user_id: str) -> dict[str, dict[str, str]]:
        if not is_opaque_id(user_id):
            raise ValueError("not a user id")
        return {"pk": {"S": self._pk}, "sk": {"S": SUSPENDED_PREFIX + user_id}}


class RecentAccessKeys(TenantPartition):
    """Access keys of one tenant changed in the last ``RECENT_ACCESS_KEY_TTL_S`` (see :class:`TenantPartition`).

    Descope's access-key search is an index that trails writes (upstream-behaviour §2.7, wire contract §3.3): a key
    just created is missing from it, a key just deleted is still in it. The keys function reads its own writes by
    remembering the ids it changed here; a list then loads those by id, which is consistent. DynamoDB's TTL removes
    the entries; reads ignore any entry past ``expires_at`` that TTL has not swept yet.
    """

    async def remember(self, key_id: str, *, deleted: bool) -> None:
        """Record that ``key_id`` was just created or changed (``deleted=False``) or deleted.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        expires_at = self._clock_ns() // 1_000_000_000 + RECENT_ACCESS_KEY_TTL_S
        item = {
            **self._key(key_id),
            "key_id": {"S": key_id},
            "deleted": {"BOOL": deleted},
            "expires_at": {"N": str(expires_at)},
        }
        await self._call("put_item", TableName=self._table, Item=item)

    async def recent(self) -> dict[str, bool]:
        """Key id -> whether it was deleted, for every key of this tenant changed within the window.

        Raises
        ------
        UpstreamUnavailableError
            DynamoDB failed or timed out (503).
        """
        now_s = self._clock_ns() // 1_000_000_000
        reply = await self._call(
            "query",
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            FilterExpression="expires_at > :now",
            ExpressionAttributeValues={
                ":pk": {"S": self._pk},
                ":prefix": {"S": RECENT_KEY_PREFIX},
                ":now": {"N": str(now_s)},
            },
            ConsistentRead=True,
        )
        return {item["key_id"]["S"]: item["deleted"]["BOOL"] for item in reply.get("Items", [])}

    def _key(self, key_id: str) -> dict[str, dict[str, str]]:
        if not is_opaque_id(key_id):
            raise ValueError("not an access key id")
        return {"pk": {"S": self._pk}, "sk": {"S": RECENT_KEY_PREFIX + key_id}}


def _is_condition_failure(exc: "ClientError") -> bool:
    code = exc.response.get("Error", {}).get("Code")
    if code == _CONDITION_FAILED_EXCEPTION:
        return True
    if code != _TRANSACTION_CANCELLED:
        return False
    reasons = exc.response.get("CancellationReasons", [])
    return any(reason.get("Code") == _CONDITION_FAILED for reason in reasons)


def _raise_not_found() -> NoReturn:
    raise NotFoundError(detail="No such resource in this tenant.")


def _new_resource_id(now_ns: int) -> str:
    """UUIDv7 (RFC 9562 §5.7) with 12 bits of sub-millisecond precision in ``rand_a`` (§6.2, method 3)."""
    unix_ms, sub_ms_ns = divmod(now_ns, 1_000_000)
    rand_a = sub_ms_ns * 4096 // 1_000_000
    value = (unix_ms & (2**48 - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | secrets.randbits(62)
    return str(uuid.UUID(int=value))


def _is_resource_id(value: str) -> bool:
    try:
        parsed = uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return parsed.version == 7 and str(parsed) == value


def _name_sk(name: str) -> str:
    # Hashing keeps the key within DynamoDB's 1024-byte sort-key limit for any 255-character name.
    return NAME_PREFIX + hashlib.sha256(name_key(name).encode()).hexdigest()


def _to_rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _encode_cursor(last_id: str) -> str:
    payload = json.dumps({"v": CURSOR_VERSION, "after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _decode_cursor(cursor: str) -> str:
    """Return the resource id a cursor points after; only ids this API could have issued pass."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        last_id = payload["after"]
        if payload["v"] != CURSOR_VERSION or not _is_resource_id(last_id):
            raise ValueError(last_id)
    except (binascii.Error, UnicodeError, ValueError, KeyError, TypeError) as exc:
        raise InvalidRequestError(
            "cursor is not valid; use next_cursor from the previous page.", status=HTTPStatus.UNPROCESSABLE_ENTITY
        ) from exc
    return last_id
