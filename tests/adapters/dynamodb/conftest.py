"""Fixture ``table``: the template's tenant table in moto's in-process backend, with its client."""

import boto3
import pytest
from mypy_boto3_dynamodb.client import DynamoDBClient

from local.aws.tables import create_table, load_table_block
from tests.adapters.dynamodb.tables import TABLE_NAME, TableUnderTest


@pytest.fixture
def table(in_process_aws: None) -> TableUnderTest:
    client: DynamoDBClient = boto3.client("dynamodb")
    create_table(client, load_table_block(), TABLE_NAME)
    return TableUnderTest(client, TABLE_NAME)
