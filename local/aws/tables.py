"""Create the tenant data table from the Terraform that creates it in AWS (``infra/aws_dynamodb.tf``).

Terraform owns the table (so no SAM stack can delete tenant data); the functions receive its name through the
``TableName`` template parameter. Locally nothing runs Terraform, so the ``aws_dynamodb_table`` block is read with
python-hcl2 and translated into the DynamoDB API calls the AWS provider makes: ``CreateTable``, then
``UpdateContinuousBackups`` and ``UpdateTimeToLive``. An argument this module does not translate fails loudly instead
of being dropped, so the local table never silently differs from the deployed one.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hcl2

from local import REPOSITORY_ROOT

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.client import DynamoDBClient

TERRAFORM_FILE = REPOSITORY_ROOT / "infra" / "aws_dynamodb.tf"
TENANT_TABLE = "tenant_data"
_HCL_OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
# Arguments with a local meaning, by how they translate (Terraform AWS provider, resource aws_dynamodb_table).
_TRANSLATED = frozenset(
    {
        "name",
        "billing_mode",
        "hash_key",
        "range_key",
        "attribute",
        "deletion_protection_enabled",
        "point_in_time_recovery",
        "server_side_encryption",
        "ttl",
        "tags",
    }
)
# Terraform's own meta-arguments: they steer Terraform, not the table.
_TERRAFORM_ONLY = frozenset({"lifecycle", "depends_on", "provider"})
_SSE_ARGUMENTS = frozenset({"enabled", "kms_key_arn"})


class TableDefinitionError(ValueError):
    """Raised when the Terraform table block is missing or uses an argument the local stack cannot reproduce."""


def load_table_block(path: Path = TERRAFORM_FILE, resource_name: str = TENANT_TABLE) -> Mapping[str, Any]:
    """Return the arguments of ``resource "aws_dynamodb_table" "<resource_name>"`` in a Terraform file.

    Parameters
    ----------
    path : Path
        A ``.tf`` file (default ``infra/aws_dynamodb.tf``).
    resource_name : str
        The resource's name label (default ``tenant_data``).

    Returns
    -------
    Mapping
        Arguments as python-hcl2 gives them with string quotes stripped; nested blocks are lists of mappings.

    Raises
    ------
    TableDefinitionError
        The file has no such resource.
    """
    with path.open() as handle:
        document = hcl2.load(handle, serialization_options=_HCL_OPTIONS)
    for resource in document.get("resource", []):
        block: Mapping[str, Any] | None = resource.get("aws_dynamodb_table", {}).get(resource_name)
        if block is not None:
            return block
    raise TableDefinitionError(f"{path}: no resource aws_dynamodb_table.{resource_name}")


def create_table_request(block: Mapping[str, Any], table_name: str) -> dict[str, Any]:
    """Translate an ``aws_dynamodb_table`` block into ``CreateTable`` parameters.

    Parameters
    ----------
    block : Mapping
        From :func:`load_table_block`.
    table_name : str
        The local table name; the block's ``name`` is a Terraform expression (stage prefix) with no local value.

    Returns
    -------
    dict
        Keyword arguments for ``client.create_table``.

    Raises
    ------
    TableDefinitionError
        An argument or ``server_side_encryption`` field this translation does not cover.
    """
    unknown = set(block) - _TRANSLATED - _TERRAFORM_ONLY
    if unknown:
        raise TableDefinitionError(
            f"aws_dynamodb_table arguments not reproducible locally: {', '.join(sorted(unknown))}"
        )
    key_schema = [{"AttributeName": block["hash_key"], "KeyType": "HASH"}]
    if "range_key" in block:
        key_schema.append({"AttributeName": block["range_key"], "KeyType": "RANGE"})
    request: dict[str, Any] = {
        "TableName": table_name,
        "AttributeDefinitions": [
            {"AttributeName": attribute["name"], "AttributeType": attribute["type"]} for attribute in block["attribute"]
        ],
        "KeySchema": key_schema,
        # The provider's default billing mode.
        "BillingMode": block.get("billing_mode", "PROVISIONED"),
    }
    if "deletion_protection_enabled" in block:
        request["DeletionProtectionEnabled"] = bool(block["deletion_protection_enabled"])
    if tags := block.get("tags"):
        request["Tags"] = [{"Key": key, "Value": str(value)} for key, value in tags.items()]
    for sse in block.get("server_side_encryption", []):
        if unknown_sse := set(sse) - _SSE_ARGUMENTS:
            raise TableDefinitionError(f"server_side_encryption arguments not reproducible: {sorted(unknown_sse)}")
        # Enabled means a KMS key; the block's customer key is a Terraform reference with no local value, so the
        # emulator's AWS-managed key stands in for it (encryption on, same SSE type).
        request["SSESpecification"] = {"Enabled": True, "SSEType": "KMS"} if sse.get("enabled") else {"Enabled": False}
    return request


def create_table(client: "DynamoDBClient", block: Mapping[str, Any], table_name: str) -> str:
    """Create the table (unless it exists) and apply its point-in-time recovery and TTL settings.

    Parameters
    ----------
    client : botocore DynamoDB client
        Pointed at an emulator (moto, MiniStack).
    block : Mapping
        From :func:`load_table_block`.
    table_name : str
        The local table name (the ``TableName`` template parameter's local value).

    Returns
    -------
    str
        ``table_name``.

    Raises
    ------
    TableDefinitionError
        See :func:`create_table_request`.
    """
    request = create_table_request(block, table_name)
    if table_name not in client.list_tables()["TableNames"]:
        client.create_table(**request)
        client.get_waiter("table_exists").wait(TableName=table_name)
    if any(pitr.get("enabled") for pitr in block.get("point_in_time_recovery", [])):
        client.update_continuous_backups(
            TableName=table_name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
    for ttl in block.get("ttl", []):
        if ttl.get("enabled"):
            client.update_time_to_live(
                TableName=table_name,
                TimeToLiveSpecification={"AttributeName": ttl["attribute_name"], "Enabled": True},
            )
    return table_name
