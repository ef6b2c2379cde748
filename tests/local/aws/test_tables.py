"""local.aws.tables: the tenant table of infra/aws_dynamodb.tf, translated into DynamoDB API calls."""

from typing import Any

import boto3
import pytest
from botocore.client import BaseClient

from local.aws.tables import TableDefinitionError, create_table, create_table_request, load_table_block

TABLE = "tenant-table-under-test"


@pytest.fixture
def dynamodb(in_process_aws: None) -> BaseClient:
    return boto3.client("dynamodb")


def test_create_table_request_translates_the_terraform_block() -> None:
    request = create_table_request(load_table_block(), TABLE)
    assert request == {
        "TableName": TABLE,
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST",
        "DeletionProtectionEnabled": True,
        "SSESpecification": {"Enabled": True, "SSEType": "KMS"},
    }


def test_create_table_applies_pitr_and_ttl_and_is_idempotent(dynamodb: BaseClient) -> None:
    block = load_table_block()
    assert create_table(dynamodb, block, TABLE) == TABLE
    create_table(dynamodb, block, TABLE)
    backups = dynamodb.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    ttl = dynamodb.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"]
    assert dynamodb.list_tables()["TableNames"] == [TABLE]
    assert backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert (ttl["AttributeName"], ttl["TimeToLiveStatus"]) == ("expires_at", "ENABLED")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"global_secondary_index": [{"name": "by-sk"}]}, "global_secondary_index"),
        ({"server_side_encryption": [{"enabled": True, "kms_key_id": "x"}]}, "kms_key_id"),
    ],
    ids=["unknown-argument", "unknown-encryption-field"],
)
def test_create_table_request_refuses_what_it_cannot_reproduce(change: dict[str, Any], message: str) -> None:
    with pytest.raises(TableDefinitionError, match=message):
        create_table_request({**load_table_block(), **change}, TABLE)


def test_load_table_block_names_a_missing_resource() -> None:
    with pytest.raises(TableDefinitionError, match=r"no resource aws_dynamodb_table\.absent"):
        load_table_block(resource_name="absent")
