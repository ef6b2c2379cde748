"""Responses the emulator sends: mapped proxy results, CORS preflights and gateway responses."""

import base64
from collections.abc import Callable
from typing import Any

import pytest

from local.gateway.errors import FunctionInvocationError, GatewayRejection
from local.gateway.events import IncomingRequest, RequestContext
from local.gateway.gateway import MAX_PAYLOAD_BYTES, Gateway
from local.gateway.responses import ResponseScope, map_proxy_result

SCOPE = ResponseScope(IncomingRequest("GET", "/x", headers=(("Accept", "image/png"),)), "request-id", "test")


def test_gateway_proxy_result_multi_value_headers_win_and_repeat(sample: Any) -> None:
    result = sample.send("GET", "/items")
    assert sample.headers(result, "Set-Cookie") == ["a=1", "b=2"]
    assert sample.headers(result, "X-Shape") == ["multi"]
    assert sample.headers(result, "X-Only-Single") == ["kept"]
    assert sample.headers(result, "x-amzn-RequestId")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [("image/png", b"\x89PNG\r\n"), ("application/json", base64.b64encode(b"\x89PNG\r\n"))],
    ids=["accept-binary-decodes", "accept-text-keeps-base64"],
)
def test_gateway_base64_result_decoded_only_when_accept_is_binary(sample: Any, accept: str, expected: bytes) -> None:
    result = sample.send("GET", "/files/logo.png", headers=(("Accept", accept),), query=(("binary", "1"),))
    assert result.status == 200
    assert result.body == expected


@pytest.mark.parametrize(
    "result",
    [
        "plain text",
        {"body": "{}"},
        {"statusCode": 99},
        {"statusCode": True},
        {"statusCode": 200, "body": {"a": 1}},
        {"statusCode": 200, "headers": ["x"]},
        {"statusCode": 200, "multiValueHeaders": {"x": "not-a-list"}},
        {"statusCode": 200, "body": "***", "isBase64Encoded": True},
    ],
    ids=[
        "not-an-object",
        "no-status",
        "status-out-of-range",
        "status-bool",
        "body-object",
        "headers-list",
        "multi-not-list",
        "bad-base64",
    ],
)
def test_map_proxy_result_malformed_raises_function_invocation_error(result: Any) -> None:
    with pytest.raises(FunctionInvocationError, match="malformed"):
        map_proxy_result(result, SCOPE, ["image/png"])


def test_map_proxy_result_defaults_content_type_to_json() -> None:
    mapped = map_proxy_result({"statusCode": "201", "body": None}, SCOPE, [])
    assert mapped.status == 201
    assert mapped.body == b""
    assert ("Content-Type", "application/json") in mapped.headers


def test_gateway_missing_route_returns_403_missing_authentication_token(sample: Any) -> None:
    result = sample.send("GET", "/nowhere", headers=(("X-Trace", "trace-1"),))
    assert result.status == 403
    assert sample.json(result) == {"message": "Missing Authentication Token"}
    assert sample.headers(result, "X-Frame-Options") == ["DENY"]
    assert sample.headers(result, "Content-Security-Policy") == ["default-src 'self'"]
    assert sample.headers(result, "X-Trace-Echo") == ["trace-1"]
    assert sample.headers(result, "X-Loud") == []


def test_gateway_method_not_defined_returns_403_with_gateway_response_headers(sample: Any) -> None:
    result = sample.send("DELETE", "/items")
    assert result.status == 403
    assert sample.headers(result, "X-Frame-Options") == ["DENY"]
    assert sample.headers(result, "X-Trace-Echo") == []


def test_gateway_condition_in_gateway_response_adds_header(sample_factory: Callable[..., Any]) -> None:
    loud = sample_factory(Mode="loud")
    assert loud.headers(loud.send("GET", "/nowhere"), "X-Loud") == ["yes"]


@pytest.mark.parametrize("mode", ["raise", "not-an-object", "no-status", "body-not-string", "slow"], ids=str)
def test_gateway_failed_function_returns_502_default_5xx(sample: Any, mode: str) -> None:
    result = sample.send("GET", f"/faulty/{mode}")
    assert result.status == 502
    assert sample.json(result) == {"message": "Internal server error"}
    assert sample.headers(result, "X-Frame-Options") == ["DENY"]
    assert b"secret" not in result.body


def test_gateway_payload_over_10_mb_returns_413_without_invoking(sample: Any) -> None:
    result = sample.send("POST", "/echo", body=b"x" * (MAX_PAYLOAD_BYTES + 1))
    assert result.status == 413
    assert sample.json(result) == {"message": "Request Too Long"}
    assert sample.headers(result, "X-Frame-Options") == ["DENY"]
    assert sample.json(sample.send("GET", "/items"))["layer"]["calls"] == 1


def test_gateway_cors_preflight_answers_from_mock_without_invoking(sample: Any) -> None:
    headers = (("Origin", "https://app.example.test"), ("Access-Control-Request-Method", "GET"))
    result = sample.send("OPTIONS", "/items/7", headers=headers)
    assert result.status == 200
    assert sample.headers(result, "Access-Control-Allow-Origin") == ["https://app.example.test"]
    assert sample.headers(result, "Access-Control-Allow-Methods") == ["GET,POST"]
    assert sample.headers(result, "Access-Control-Allow-Headers") == ["Authorization"]


def test_gateway_request_check_rejection_renders_custom_gateway_response(sample: Any) -> None:
    invoked: list[str] = []

    def deny(context: RequestContext) -> None:
        invoked.append(context.route.method.resource_path)
        raise GatewayRejection("UNAUTHORIZED", "Unauthorized")

    gateway = Gateway(sample.gateway.api, sample.gateway.runtime, checks=[deny])
    result = gateway.handle(IncomingRequest("GET", "/state"))
    assert result.status == 401
    assert sample.json(result) == {"error": "Unauthorized", "type": "UNAUTHORIZED"}
    assert invoked == ["/state"]
    # The custom UNAUTHORIZED response replaces DEFAULT_4XX, headers included, as in API Gateway.
    assert sample.headers(result, "X-Frame-Options") == []
    state = sample.json(sample.send("GET", "/state"))
    assert state["invocations"] == 1


def test_gateway_request_check_enriches_event_for_the_function(sample: Any) -> None:
    def authorize(context: RequestContext) -> None:
        context.authorizer = {"principalId": "user-1", "tenant": "acme"}
        context.api_key, context.api_key_id = "key-value", "key-id"

    gateway = Gateway(sample.gateway.api, sample.gateway.runtime, checks=[authorize])
    event = sample.json(gateway.handle(IncomingRequest("GET", "/items")))["event"]
    assert event["requestContext"]["authorizer"] == {"principalId": "user-1", "tenant": "acme"}
    assert event["requestContext"]["identity"]["apiKey"] == "key-value"
    assert event["requestContext"]["identity"]["apiKeyId"] == "key-id"
