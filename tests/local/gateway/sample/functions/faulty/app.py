"""Faulty: fails the way Lambda functions fail, chosen by the {mode} path parameter."""

import time
from typing import Any

RESULTS: dict[str, Any] = {
    "not-an-object": "plain text",
    "no-status": {"body": "{}"},
    "body-not-string": {"statusCode": 200, "body": {"a": 1}},
    "bad-base64": {"statusCode": 200, "body": "***", "isBase64Encoded": True},
}


def handler(event: dict[str, Any], context: Any) -> Any:
    """Raise, sleep past the 1 s timeout, or return a malformed proxy result."""
    mode = event["pathParameters"]["mode"]
    if mode == "raise":
        raise RuntimeError("secret internals must not reach the client")
    if mode == "slow":
        time.sleep(1.3)
    return RESULTS.get(mode, {"statusCode": 204})
