"""Echo: returns the proxy event, the environment and Lambda context it ran with, and a layer call."""

import base64
import json
import os
from typing import Any

import sample_layer

GREETING_AT_IMPORT = os.environ.get("GREETING")
ECHOED_VARIABLES = ("GREETING", "STAGE_LABEL", "LAYER_ARN", "AWS_LAMBDA_FUNCTION_NAME", "AWS_SAM_LOCAL", "EXTRA")


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Answer with JSON describing the invocation; ``?binary=1`` answers a base64 PNG signature instead."""
    if (event.get("queryStringParameters") or {}).get("binary"):
        png = base64.b64encode(b"\x89PNG\r\n").decode()
        return {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "body": png, "isBase64Encoded": True}
    body = {
        "event": event,
        "greeting_at_import": GREETING_AT_IMPORT,
        "environment": {name: os.environ.get(name) for name in ECHOED_VARIABLES},
        "context": {
            "function_name": context.function_name,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "remaining_ms": context.get_remaining_time_in_millis(),
            "aws_request_id": context.aws_request_id,
        },
        "layer": sample_layer.record("echo"),
    }
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Shape": "single", "X-Only-Single": "kept"},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"], "X-Shape": ["multi"]},
        "body": json.dumps(body),
    }
