"""The one boto3 client factory: short timeouts, a few retries, one client per service and container.

boto3 costs ~0.25 s to import, so it is imported on first use: only functions that touch AWS pay for it. Endpoints
and credentials come from the environment, which boto3 reads itself: ``AWS_DEFAULT_REGION`` and the credentials
Lambda sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html), and ``AWS_ENDPOINT_URL``
(https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html), which the local stack and tests point at
moto and deployed functions leave unset.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from botocore.config import Config
    from mypy_boto3_apigateway.client import APIGatewayClient
    from mypy_boto3_dynamodb.client import DynamoDBClient

__all__ = ["APIGATEWAY_TIMEOUTS", "DYNAMODB_TIMEOUTS", "ClientTimeouts", "get_apigateway_client", "get_dynamodb_client"]


@dataclass(frozen=True)
class ClientTimeouts:
    """Socket timeouts (seconds) and total attempts of one service's client.

    A Lambda must answer before API Gateway's 29 s integration timeout
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): fail fast and retry a little.
    botocore's ``standard`` retry mode retries throttling and transient 5xx with jittered backoff
    (https://boto3.amazonaws.com/v1/documentation/api/latest/guide/retries.html).
    """

    connect_s: float
    read_s: float
    max_attempts: int

    def config(self) -> Config:
        """The botocore ``Config`` of these limits."""
        from botocore.config import Config

        return Config(
            connect_timeout=self.connect_s,
            read_timeout=self.read_s,
            retries={"mode": "standard", "total_max_attempts": self.max_attempts},
        )


# The table is on every store route; single-item calls answer in milliseconds.
DYNAMODB_TIMEOUTS = ClientTimeouts(connect_s=1.0, read_s=2.0, max_attempts=3)
# The control plane is on the path of tenant creation and tier changes only, and answers more slowly.
APIGATEWAY_TIMEOUTS = ClientTimeouts(connect_s=1.0, read_s=3.0, max_attempts=3)


@cache
def get_dynamodb_client() -> DynamoDBClient:
    """The container's DynamoDB client, built on first use and reused by every invocation."""
    import boto3

    return boto3.client("dynamodb", config=DYNAMODB_TIMEOUTS.config())


@cache
def get_apigateway_client() -> APIGatewayClient:
    """The container's API Gateway (control plane) client, built on first use."""
    import boto3

    return boto3.client("apigateway", config=APIGATEWAY_TIMEOUTS.config())
