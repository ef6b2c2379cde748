"""State: counts its own warm invocations and calls the layer, to observe container reuse and isolation."""

import json
import os
from typing import Any

import sample_layer

IMPORTS = 1
invocations = 0


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Return the invocation count of this container, its layer copy and its environment."""
    global invocations
    invocations += 1
    body = {
        "imports": IMPORTS,
        "invocations": invocations,
        "layer": sample_layer.record("state"),
        "greeting": os.environ.get("GREETING"),
        "resource": event["resource"],
    }
    return {"statusCode": 200, "body": json.dumps(body)}
