"""boto3 clients on a given endpoint, typed as their service's client (local.aws.aws_client answers a BaseClient)."""

from typing import Literal, cast, overload

from mypy_boto3_apigateway.client import APIGatewayClient
from mypy_boto3_dynamodb.client import DynamoDBClient

from local.aws import aws_client


@overload
def typed_client(service: Literal["apigateway"], endpoint_url: str) -> APIGatewayClient: ...
@overload
def typed_client(service: Literal["dynamodb"], endpoint_url: str) -> DynamoDBClient: ...
def typed_client(service: Literal["apigateway", "dynamodb"], endpoint_url: str) -> APIGatewayClient | DynamoDBClient:
    """``local.aws.aws_client(service, endpoint_url)`` (fake credentials, the local region)."""
    if service == "apigateway":
        return cast(APIGatewayClient, aws_client(service, endpoint_url))
    return cast(DynamoDBClient, aws_client(service, endpoint_url))
