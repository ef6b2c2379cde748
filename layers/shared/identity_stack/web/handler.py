"""The Lambda entry point of every function: FastAPI behind Mangum behind Powertools."""

import logging
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import utils as logging_utils
from aws_lambda_powertools.metrics.functions import is_metrics_disabled
from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi import FastAPI
from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from identity_stack.config import Requirement, get_settings
from identity_stack.web.correlation import correlation_id
from identity_stack.web.cors import cors_headers
from identity_stack.web.headers import LambdaHandler, security_headers
from identity_stack.web.problems import add_problem_handlers
from identity_stack.web.snapstart import register_hooks
from identity_stack.web.tracing import xray_sdk_tracing

if TYPE_CHECKING:
    from mangum.types import LambdaContext as MangumContext

LAYER_LOGGER_NAME = "identity_stack"
# Mangum base64-encodes bodies whose type is not listed as text; problem details are JSON text.
TEXT_MIME_TYPES = [*DEFAULT_TEXT_MIME_TYPES, "application/problem+json"]

# Most invocations emit no metric of their own; Powertools would warn about it on each of them.
warnings.filterwarnings("ignore", message="No application metrics to publish", category=UserWarning)


def make_handler(
    app: FastAPI,
    *,
    requires: Sequence[Requirement] = (),
    snapshot_preload: Sequence[str] = (),
) -> LambdaHandler:
    """Wrap a FastAPI app into the Lambda handler every function exports.

    The stack, outermost first: Metrics (flushes even on errors), Tracer (only with ``XRAY_SDK_TRACING``: see
    :func:`~identity_stack.web.tracing.xray_sdk_tracing`), Logger (Lambda context), the
    correlation id (``X-Correlation-ID`` when valid, else the API Gateway request id; set on every log line and
    echoed as a response header), :func:`~identity_stack.web.cors.cors_headers`,
    :func:`~identity_stack.web.headers.security_headers`, then Mangum with ``lifespan="off"`` (lifespan "auto" would
    run startup/shutdown on every invocation). Nothing validates a token here: routes read the principal the
    authorizer verified (:mod:`identity_stack.web.dependencies`).

    Parameters
    ----------
    app : FastAPI
        The function's routes; problem handlers (RFC 9457) are added to it here, and trailing-slash redirects are
        switched off (a path with an extra ``/`` is a 404 problem, not a 307).
    requires : Sequence[Requirement], default ()
        What the function needs configured (``Requirement.DESCOPE``, ``.TABLE``, ...), checked here, at init: a
        missing variable fails the cold start with its name, not the first request.
    snapshot_preload : Sequence[str], default ()
        Modules the function imports lazily on first use (``"descope"``, ``"boto3"``), imported before a SnapStart
        snapshot so that restored copies do not pay for them.

    Returns
    -------
    callable
        ``handler(event, context) -> dict``, an API Gateway REST (v1) proxy handler.

    Raises
    ------
    MissingSettingError
        A variable that ``requires`` needs is not set.

    Environment variables
    ---------------------
    POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_TRACE_DISABLED, POWERTOOLS_METRICS_DISABLED and
    POWERTOOLS_LOG_LEVEL are read by Powertools itself.
    """
    get_settings().require_for(*requires)
    add_problem_handlers(app)
    # Starlette answers `/api/me/` with a 307 whose Location is built from the Host header (attacker-chosen behind
    # some proxies) and which is no problem document; API Gateway routes exact paths, so a trailing slash is a 404.
    app.router.redirect_slashes = False
    powertools_logger = Logger()
    # Layer modules log through the standard library; give them the Powertools JSON format and correlation id (the
    # logger must exist before it can be found).
    logging.getLogger(LAYER_LOGGER_NAME)
    logging_utils.copy_config_to_registered_loggers(source_logger=powertools_logger, include={LAYER_LOGGER_NAME})
    metrics = Metrics()
    asgi = Mangum(app, lifespan="off", text_mime_types=TEXT_MIME_TYPES)
    # Functions validate no token (the authorizer did): after a SnapStart restore there is no JWKS to refetch.
    register_hooks(validates_tokens=False, preload=snapshot_preload)

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        # The runtime's context object, which Mangum and Powertools each describe with a type of their own.
        return asgi(event, cast("MangumContext", context))

    # Innermost first. Powertools types its handler decorators as returning Callable[..., Any] although each keeps
    # the handler's signature, so they are applied by call and the result typed once. Powertools prints the
    # cold-start metric even when POWERTOOLS_METRICS_DISABLED is set, so it is asked for only when metrics are on.
    stack: list[Callable[..., Any]] = [
        security_headers,
        cors_headers,
        correlation_id(logger=powertools_logger),
        powertools_logger.inject_lambda_context,
        *xray_sdk_tracing(),
        metrics.log_metrics(capture_cold_start_metric=not is_metrics_disabled()),
    ]
    wrapped: LambdaHandler = handler
    for decorate in stack:
        wrapped = decorate(wrapped)
    return wrapped
