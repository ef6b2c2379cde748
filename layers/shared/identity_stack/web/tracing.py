"""Opt-in X-Ray SDK tracing through Powertools Tracer; importable without FastAPI (the authorizer uses it too)."""

from collections.abc import Callable
from typing import Any

from identity_stack.config import get_settings


def xray_sdk_tracing() -> list[Callable[..., Any]]:
    """Powertools Tracer's handler decorator when ``XRAY_SDK_TRACING`` is on, else nothing.

    The Tracer imports the X-Ray SDK, which patches boto3 and httpx so Descope, DynamoDB and API Gateway calls
    become subsegments (AWS X-Ray SDK for Python, "Patching libraries to instrument downstream calls"); without it,
    Lambda's active tracing still records each invocation (AWS Lambda developer guide, "Visualize Lambda function
    invocations using AWS X-Ray").
    """
    if not get_settings().xray_sdk_tracing:
        return []
    from aws_lambda_powertools import Tracer

    return [Tracer().capture_lambda_handler(capture_response=False)]
