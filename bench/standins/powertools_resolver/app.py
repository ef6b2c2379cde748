"""Stand-in (b): Powertools' APIGatewayRestResolver + Logger + one header middleware, one route."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.middleware_factory import lambda_handler_decorator
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
app = APIGatewayRestResolver()


@lambda_handler_decorator
def nosniff(handler: Callable[..., dict[str, Any]], event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    response = handler(event, context)
    response.setdefault("headers", {})["x-content-type-options"] = "nosniff"
    return response


@app.get("/api/health")
def read_health() -> dict[str, str]:
    return {"status": "ok"}


@logger.inject_lambda_context
@nosniff
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
