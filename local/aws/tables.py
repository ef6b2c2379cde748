"""Create the template's DynamoDB tables in moto from the same CloudFormation definition that AWS deploys.

moto cannot deploy a SAM template, so the ``AWS::DynamoDB::Table`` resources of template.yaml are translated here
into the DynamoDB API calls CloudFormation would make: ``CreateTable`` then ``UpdateContinuousBackups``. A property
this module does not translate fails loudly instead of being dropped, so the local table never silently differs from
the deployed one.
"""

from collections.abc import Callable, Mapping
from typing import Any

from botocore.client import BaseClient

TABLE_TYPE = "AWS::DynamoDB::Table"
# Properties whose CloudFormation and CreateTable shapes are identical.
_PASSED_THROUGH = frozenset({"AttributeDefinitions", "KeySchema", "BillingMode", "DeletionProtectionEnabled"})
_TRANSLATED = frozenset(
    {"TableName", "SSESpecification", "PointInTimeRecoverySpecification", "Tags", "TimeToLiveSpecification"}
)


class TableDefinitionError(ValueError):
    """Raised when a table in the template uses a property the local stack cannot reproduce."""


def table_definitions(template: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Return the ``Properties`` of every ``AWS::DynamoDB::Table`` in a (SAM or CloudFormation) template.

    Parameters
    ----------
    template : Mapping
        The parsed template; intrinsic functions inside table properties are not supported.

    Returns
    -------
    dict[str, Mapping]
        Logical id → ``Properties``.
    """
    resources = template.get("Resources", {})
    return {
        logical_id: resource.get("Properties", {})
        for logical_id, resource in resources.items()
        if resource.get("Type") == TABLE_TYPE
    }


def create_table_request(properties: Mapping[str, Any], table_name: str) -> dict[str, Any]:
    """Translate CloudFormation table properties into ``CreateTable`` parameters.

    Parameters
    ----------
    properties : Mapping
        ``AWS::DynamoDB::Table`` Properties (AWS CloudFormation User Guide, AWS::DynamoDB::Table).
    table_name : str
        Local name; used when the template leaves ``TableName`` to CloudFormation.

    Returns
    -------
    dict
        Keyword arguments for ``client.create_table``.

    Raises
    ------
    TableDefinitionError
        A property is present that this translation does not cover.
    """
    unknown = set(properties) - _PASSED_THROUGH - _TRANSLATED
    if unknown:
        raise TableDefinitionError(f"table properties not reproducible locally: {', '.join(sorted(unknown))}")
    request: dict[str, Any] = {key: properties[key] for key in _PASSED_THROUGH if key in properties}
    request["TableName"] = properties.get("TableName", table_name)
    if sse := properties.get("SSESpecification"):
        # CloudFormation spells the switch SSEEnabled; the API spells it Enabled.
        request["SSESpecification"] = {"Enabled": bool(sse.get("SSEEnabled", False))}
        if sse_type := sse.get("SSEType"):
            request["SSESpecification"]["SSEType"] = sse_type
        if key_id := sse.get("KMSMasterKeyId"):
            request["SSESpecification"]["KMSMasterKeyId"] = key_id
    if tags := properties.get("Tags"):
        request["Tags"] = list(tags)
    return request


def create_tables(
    client: BaseClient,
    template: Mapping[str, Any],
    name_for: Callable[[str], str] = str,
) -> dict[str, str]:
    """Create every table of the template (idempotently) and apply its point-in-time-recovery and TTL settings.

    Parameters
    ----------
    client : botocore DynamoDB client
        Pointed at moto (server or ``mock_aws``).
    template : Mapping
        The parsed template.
    name_for : Callable[[str], str]
        Local table name for a logical id whose ``TableName`` is left to CloudFormation; default: the logical id.

    Returns
    -------
    dict[str, str]
        Logical id → the table name created, for ``Ref`` resolution in function environments.
    """
    created: dict[str, str] = {}
    for logical_id, properties in table_definitions(template).items():
        request = create_table_request(properties, name_for(logical_id))
        name = request["TableName"]
        if name not in client.list_tables()["TableNames"]:
            client.create_table(**request)
            client.get_waiter("table_exists").wait(TableName=name)
        pitr = properties.get("PointInTimeRecoverySpecification", {})
        if pitr.get("PointInTimeRecoveryEnabled"):
            client.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            )
        ttl = properties.get("TimeToLiveSpecification", {})
        if ttl.get("Enabled"):
            client.update_time_to_live(
                TableName=name, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True}
            )
        created[logical_id] = name
    return created
