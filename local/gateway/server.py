"""Serve a Gateway over HTTP with Starlette (parsing) and uvicorn (sockets)."""

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from local.gateway.events import IncomingRequest
from local.gateway.gateway import Gateway


def make_asgi_app(gateway: Gateway) -> Starlette:
    """Wrap a gateway in an ASGI app that forwards every path and method to ``Gateway.handle``.

    ASGI servers deliver header names lower-cased, so behind uvicorn the event's header names are lower-case;
    the in-process test client keeps the caller's case.
    """

    async def forward(request: Request) -> Response:
        incoming = await to_incoming_request(request)
        result = await run_in_threadpool(gateway.handle, incoming)
        response = Response(content=result.body, status_code=result.status)
        response.raw_headers = [
            *((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in result.headers),
            (b"content-length", str(len(result.body)).encode()),
        ]
        return response

    async def forward_unrouted(scope: Scope, receive: Receive, send: Send) -> None:
        response = await forward(Request(scope, receive))
        await response(scope, receive, send)

    # Every request goes to the gateway through the router's default: a path pattern such as "/{path:path}" does not
    # match percent-decoded control characters (%0a), which would get Starlette's own bare 404 instead of a gateway
    # response with the security headers.
    app = Starlette()
    app.router.default = forward_unrouted
    return app


async def to_incoming_request(request: Request) -> IncomingRequest:
    """Convert a Starlette request, keeping the raw (percent-encoded) path and repeated headers."""
    raw_path = (request.scope.get("raw_path") or request.url.path.encode()).split(b"?", 1)[0]
    server_port = (request.scope.get("server") or ("", 80))[1]
    return IncomingRequest(
        method=request.method,
        raw_path=raw_path.decode("latin-1"),
        query=tuple(request.query_params.multi_items()),
        headers=tuple((name.decode("latin-1"), value.decode("latin-1")) for name, value in request.headers.raw),
        body=await request.body(),
        source_ip=request.client.host if request.client else "127.0.0.1",
        scheme=request.url.scheme,
        port=int(server_port or 80),
    )
