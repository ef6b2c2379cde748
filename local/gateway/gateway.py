"""The emulator's core: route a request, run the request checks, invoke the function, map the result."""

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Protocol

from local.gateway.api import ApiDefinition, LambdaProxyIntegration
from local.gateway.errors import FunctionInvocationError, FunctionLoadError, GatewayRejection
from local.gateway.events import IncomingRequest, RequestContext, build_proxy_event
from local.gateway.responses import GatewayResponses, GatewayResult, ResponseScope, map_proxy_result, render_mock
from local.gateway.routes import RouteTable
from local.gateway.runtime import FunctionRuntime
from local.gateway.template import LOCAL_ACCOUNT_ID

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
# API Gateway REST quota: "Payload size" 10 MB; a larger request never reaches the integration.
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024


class RequestCheck(Protocol):
    """A step between routing and invocation: an authorizer, an API-key check, a throttle.

    A check reads the request context, may enrich it (``authorizer``, ``api_key``), and raises
    ``GatewayRejection`` to answer with a gateway response (``UNAUTHORIZED``, ``THROTTLED``, ...) instead.
    Checks run in order, after CORS preflights were answered.
    """

    def __call__(self, context: RequestContext) -> None: ...


class Gateway:
    """A REST API Gateway stage in front of in-process Lambda functions.

    Parameters
    ----------
    api : ApiDefinition
        What the template declares.
    runtime : FunctionRuntime
        Runs the functions.
    checks : Sequence[RequestCheck]
        Run in order before each Lambda invocation.
    clock : Callable[[], float]
        Epoch seconds; injected so time-based checks are deterministic in tests.

    Notes
    -----
    Transport-free: ``handle`` takes an ``IncomingRequest`` and returns a ``GatewayResult``, so the same core
    serves uvicorn (``local.gateway.server``) and pytest (``tests/fixtures/gateway.py``).
    """

    def __init__(
        self,
        api: ApiDefinition,
        runtime: FunctionRuntime,
        *,
        checks: Sequence[RequestCheck] = (),
        clock: Clock = time.time,
    ) -> None:
        self.api = api
        self.clock = clock
        self.runtime = runtime
        self._routes = RouteTable(api.methods)
        self._responses = GatewayResponses(api.gateway_responses)
        self._checks = tuple(checks)

    def handle(self, request: IncomingRequest) -> GatewayResult:
        """Answer one request as API Gateway would; blocks while the function runs."""
        request_id = str(uuid.uuid4())
        match = self._routes.match(request.method, request.raw_path)
        if match is None:
            scope = ResponseScope(request, request_id, self.api.stage)
            return self._responses.render("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", scope)
        method = match.method
        scope = ResponseScope(request, request_id, self.api.stage, method.resource_path, match.path_parameters)
        if not isinstance(method.integration, LambdaProxyIntegration):
            return render_mock(method.integration, scope)
        if len(request.body) > MAX_PAYLOAD_BYTES:
            return self._responses.render("REQUEST_TOO_LARGE", "Request Too Long", scope)
        context = RequestContext(request, match, request_id, received_at_s=self.clock())
        try:
            for check in self._checks:
                check(context)
        except GatewayRejection as rejection:
            return self._responses.render(rejection.response_type, rejection.message, scope)
        event = build_proxy_event(
            context,
            stage=self.api.stage,
            rest_api_id=self.api.rest_api_id,
            account_id=LOCAL_ACCOUNT_ID,
            binary_media_types=self.api.binary_media_types,
        )
        try:
            result = self.runtime.invoke(method.integration.function, event)
            return map_proxy_result(result, scope, self.api.binary_media_types)
        except (FunctionInvocationError, FunctionLoadError) as exc:
            logger.warning("%s %s: %s", request.method, request.raw_path, exc)
            return self._responses.render("DEFAULT_5XX", "Internal server error", scope, status=502)

    def close(self) -> None:
        """Release the function runtime."""
        self.runtime.close()
