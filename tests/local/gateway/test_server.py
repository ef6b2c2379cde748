"""local.gateway.server: the emulator behind an ASGI app, driven in-process by httpx."""

from typing import Any

import httpx

from local.gateway.server import make_asgi_app


async def test_asgi_app_forwards_path_query_and_headers(sample: Any) -> None:
    transport = httpx.ASGITransport(app=make_asgi_app(sample.gateway), client=("198.51.100.7", 5555))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        response = await client.get(
            "/items/a%2Fb", params=[("tag", "a"), ("tag", "b")], headers=[("X-Repeated", "1"), ("X-Repeated", "2")]
        )
    event = response.json()["event"]
    assert response.status_code == 200
    assert event["path"] == "/items/a%2Fb"
    assert event["pathParameters"] == {"item_id": "a/b"}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"]}
    assert event["multiValueHeaders"]["x-repeated"] == ["1", "2"]
    assert event["requestContext"]["identity"]["sourceIp"] == "198.51.100.7"
    assert event["requestContext"]["domainName"] == "gateway.test"
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert response.headers["content-length"] == str(len(response.content))


async def test_asgi_app_unknown_route_returns_gateway_403(sample: Any) -> None:
    transport = httpx.ASGITransport(app=make_asgi_app(sample.gateway))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        response = await client.post("/nowhere", content=b"{}")
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
    assert response.headers["x-frame-options"] == "DENY"


async def test_asgi_app_encoded_newline_in_path_returns_gateway_403(sample: Any) -> None:
    # Regression: a "/{path:path}" route did not match "%0a", so Starlette answered a bare text/plain 404.
    transport = httpx.ASGITransport(app=make_asgi_app(sample.gateway))
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        response = await client.get("/api/nope%0aX")
    assert response.status_code == 403
    assert response.json() == {"message": "Missing Authentication Token"}
    assert response.headers["x-frame-options"] == "DENY"
