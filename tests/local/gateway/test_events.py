"""The REST v1 proxy event the emulator hands to a function, observed through the sample echo function."""

import base64
import time
from typing import Any

from local.gateway.api import Method, MockIntegration
from local.gateway.events import IncomingRequest, RequestContext, build_proxy_event
from local.gateway.routes import RouteMatch


def echoed_event(sample: Any, method: str, path: str, **request: Any) -> dict[str, Any]:
    result = sample.send(method, path, **request)
    assert result.status == 200, result.body
    return sample.json(result)["event"]


def test_proxy_event_keeps_header_case_and_repeats(sample: Any) -> None:
    headers = (("Authorization", "Bearer t"), ("X-Repeated", "one"), ("X-Repeated", "two"), ("x-lower", "v"))
    event = echoed_event(sample, "GET", "/items", headers=headers)
    assert event["headers"]["Authorization"] == "Bearer t"
    assert event["headers"]["X-Repeated"] == "two"
    assert event["headers"]["x-lower"] == "v"
    assert event["multiValueHeaders"]["X-Repeated"] == ["one", "two"]
    assert "authorization" not in event["headers"]


def test_proxy_event_query_strings_single_and_multi(sample: Any) -> None:
    event = echoed_event(sample, "GET", "/items", query=(("tag", "a"), ("tag", "b"), ("q", "x y"), ("empty", "")))
    assert event["queryStringParameters"] == {"tag": "b", "q": "x y", "empty": ""}
    assert event["multiValueQueryStringParameters"] == {"tag": ["a", "b"], "q": ["x y"], "empty": [""]}


def test_proxy_event_without_query_headers_or_body_uses_null(sample: Any) -> None:
    event = echoed_event(sample, "GET", "/items")
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None
    assert event["pathParameters"] is None
    assert event["stageVariables"] is None
    assert event["body"] is None
    assert event["isBase64Encoded"] is False


def test_proxy_event_path_parameters_and_request_context(sample: Any) -> None:
    event = echoed_event(sample, "GET", "/items/a%20b", headers=(("Host", "api.local"), ("User-Agent", "ua/1")))
    context = event["requestContext"]
    assert event["resource"] == "/items/{item_id}"
    assert event["path"] == "/items/a%20b"
    assert event["httpMethod"] == "GET"
    assert event["pathParameters"] == {"item_id": "a b"}
    assert context["resourcePath"] == "/items/{item_id}"
    assert context["httpMethod"] == "GET"
    assert context["stage"] == "test"
    assert context["path"] == "/test/items/a%20b"
    assert context["identity"]["sourceIp"] == "127.0.0.1"
    assert context["identity"]["userAgent"] == "ua/1"
    assert context["domainName"] == "api.local"
    assert context["accountId"] == "123456789012"
    assert len(context["requestId"]) == 36
    assert abs(context["requestTimeEpoch"] / 1000 - time.time()) < 60


def test_proxy_event_greedy_path_any_method_and_text_body(sample: Any) -> None:
    event = echoed_event(
        sample, "PUT", "/files/docs/readme.md", headers=(("Content-Type", "text/plain"),), body=b"hello"
    )
    assert event["resource"] == "/files/{proxy+}"
    assert event["httpMethod"] == "PUT"
    assert event["pathParameters"] == {"proxy": "docs/readme.md"}
    assert event["body"] == "hello"
    assert event["isBase64Encoded"] is False


def test_proxy_event_binary_media_type_body_is_base64(sample: Any) -> None:
    payload = b"\x89PNG\x00\xff"
    event = echoed_event(sample, "POST", "/files/upload.png", headers=(("Content-Type", "image/png"),), body=payload)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == payload


def test_proxy_event_forwarded_headers_append_source_ip() -> None:
    request = IncomingRequest(
        "GET", "/x", headers=(("X-Forwarded-For", "203.0.113.9"),), source_ip="10.0.0.1", scheme="https", port=443
    )
    route = RouteMatch(Method("/x", "GET", MockIntegration(200, {}, "")), {})
    context = RequestContext(request, route, "request-id", received_at_s=0.0)
    event = build_proxy_event(context, stage="s", rest_api_id="api", account_id="1", binary_media_types=())
    assert event["multiValueHeaders"]["X-Forwarded-For"] == ["203.0.113.9, 10.0.0.1"]
    assert event["headers"]["X-Forwarded-Proto"] == "https"
    assert event["headers"]["X-Forwarded-Port"] == "443"
