"""The tenant table under test: moto's in-process backend, the template's key schema."""

from dataclasses import dataclass

from mypy_boto3_dynamodb.client import DynamoDBClient

TABLE_NAME = "tenant-data-items"


@dataclass(frozen=True)
class TableUnderTest:
    client: DynamoDBClient
    name: str

    def keys(self) -> list[tuple[str, str]]:
        """(pk, sk) of every item, sorted."""
        items = self.client.scan(TableName=self.name)["Items"]
        return sorted((item["pk"]["S"], item["sk"]["S"]) for item in items)
