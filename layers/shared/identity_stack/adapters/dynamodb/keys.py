"""The single-table key layout: every item of every tenant, and the only code that builds ``pk`` and ``sk``.

One table, partition key ``pk`` and sort key ``sk`` (both strings; infra/aws_dynamodb.tf, template.yaml). Every item
lives in the partition of its tenant, so a repository bound to one tenant cannot address another's items:

============================  ======================  =================================  ===============
item                          ``pk``                  ``sk``                             written by
============================  ======================  =================================  ===============
resource                      ``TENANT#<tenant_id>``  ``RESOURCE#<resource_id>``         ``resources``
name claim (uniqueness)       ``TENANT#<tenant_id>``  ``NAME#<sha256 of the name key>``  ``resources``
suspended member              ``TENANT#<tenant_id>``  ``SUSPENDED#<user_id>``            ``suspensions``
recently changed access key   ``TENANT#<tenant_id>``  ``RECENTKEY#<key_id>`` (TTL)       ``recent_keys``
tenant API key (rate limits)  ``TENANT#<tenant_id>``  ``USAGEKEY``                       ``api_keys``
============================  ======================  =================================  ===============

Resource ids are UUIDv7 (RFC 9562 §5.7), so sort-key order is creation order and a reverse query lists newest first
without an index. The name claim is written in the same transaction as its resource, so two resources of one tenant
never share a name (the "unique attribute" pattern of TransactWriteItems:
https://aws.amazon.com/blogs/database/simulating-amazon-dynamodb-unique-constraints-using-transactions/). Recent-key
items expire through DynamoDB TTL on their ``expires_at`` attribute (epoch seconds;
https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from identity_stack.domain.validators import is_opaque_id, name_key

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    Key = dict[str, AttributeValueTypeDef]

__all__ = [
    "NAME_PREFIX",
    "RECENT_KEY_PREFIX",
    "RESOURCE_PREFIX",
    "SUSPENDED_PREFIX",
    "TENANT_PREFIX",
    "USAGE_KEY_SK",
    "item_key",
    "name_sk",
    "recent_key_sk",
    "resource_sk",
    "suspended_sk",
    "tenant_pk",
]

TENANT_PREFIX = "TENANT#"
RESOURCE_PREFIX = "RESOURCE#"
NAME_PREFIX = "NAME#"
SUSPENDED_PREFIX = "SUSPENDED#"
RECENT_KEY_PREFIX = "RECENTKEY#"
USAGE_KEY_SK = "USAGEKEY"


def tenant_pk(tenant_id: str) -> str:
    """``TENANT#<tenant_id>``: the partition that holds every item of one tenant.

    Raises
    ------
    ValueError
        ``tenant_id`` is empty: an unscoped key would be a programming error, never a client's.
    """
    if not tenant_id:
        raise ValueError("a tenant id is required to address tenant data")
    return f"{TENANT_PREFIX}{tenant_id}"


def item_key(pk: str, sk: str) -> Key:
    """The DynamoDB key attribute map of one item."""
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def resource_sk(resource_id: str) -> str:
    """``RESOURCE#<resource_id>`` (the caller checks that the id is one it mints)."""
    return RESOURCE_PREFIX + resource_id


def name_sk(name: str) -> str:
    """``NAME#<sha256 hex of name_key(name)>``: hashing keeps any 255-character name within the 1 KB sort-key limit."""
    return NAME_PREFIX + hashlib.sha256(name_key(name).encode()).hexdigest()


def suspended_sk(user_id: str) -> str:
    """``SUSPENDED#<user_id>``.

    Raises
    ------
    ValueError
        ``user_id`` is not an opaque id (:func:`is_opaque_id`).
    """
    if not is_opaque_id(user_id):
        raise ValueError("not a user id")
    return SUSPENDED_PREFIX + user_id


def recent_key_sk(key_id: str) -> str:
    """``RECENTKEY#<key_id>``.

    Raises
    ------
    ValueError
        ``key_id`` is not an opaque id (:func:`is_opaque_id`).
    """
    if not is_opaque_id(key_id):
        raise ValueError("not an access key id")
    return RECENT_KEY_PREFIX + key_id
