"""local.gateway.routes: API Gateway resource and method selection."""

import pytest

from local.gateway.api import Method, MockIntegration
from local.gateway.errors import TemplateError
from local.gateway.routes import RouteTable

ROUTES = [
    ("GET", "/items"),
    ("GET", "/items/special"),
    ("GET", "/items/{item_id}"),
    ("GET", "/items/{item_id}/parts/{part_id}"),
    ("ANY", "/files/{proxy+}"),
    ("GET", "/files/index"),
    ("ANY", "/{proxy+}"),
    ("POST", "/only-post"),
]


def make_table(routes: list[tuple[str, str]] = ROUTES) -> RouteTable:
    return RouteTable(Method(path, verb, MockIntegration(200, {}, "")) for verb, path in routes)


@pytest.mark.parametrize(
    ("method", "path", "resource", "parameters"),
    [
        ("GET", "/items", "/items", {}),
        ("GET", "/items/special", "/items/special", {}),
        ("GET", "/items/42", "/items/{item_id}", {"item_id": "42"}),
        ("GET", "/items/a%2Fb", "/items/{item_id}", {"item_id": "a/b"}),
        ("GET", "/items/7/parts/9", "/items/{item_id}/parts/{part_id}", {"item_id": "7", "part_id": "9"}),
        ("GET", "/files/index", "/files/index", {}),
        ("DELETE", "/files/a/b/c.txt", "/files/{proxy+}", {"proxy": "a/b/c.txt"}),
        ("GET", "/files", "/{proxy+}", {"proxy": "files"}),
        ("PATCH", "/elsewhere/deep", "/{proxy+}", {"proxy": "elsewhere/deep"}),
        ("GET", "/items/", "/items", {}),
    ],
    ids=[
        "static",
        "static-beats-param",
        "param",
        "encoded-slash-stays-in-param",
        "two-params",
        "static-beats-greedy",
        "greedy-any-method",
        "greedy-skips-own-parent",
        "root-greedy",
        "trailing-slash",
    ],
)
def test_route_table_match_picks_most_specific_resource(
    method: str, path: str, resource: str, parameters: dict[str, str]
) -> None:
    match = make_table().match(method, path)
    assert match is not None
    assert match.method.resource_path == resource
    assert match.path_parameters == parameters


@pytest.mark.parametrize(
    ("routes", "method", "path"),
    [
        ([("GET", "/items")], "GET", "/nothing"),
        ([("GET", "/items")], "POST", "/items"),
        ([("POST", "/only-post"), ("ANY", "/{proxy+}")], "GET", "/only-post"),
        ([("GET", "/files/{proxy+}")], "GET", "/files"),
        ([("GET", "/items/{item_id}")], "GET", "/items"),
    ],
    ids=[
        "unknown-path",
        "method-not-defined",
        "resource-chosen-before-method",
        "greedy-needs-a-segment",
        "param-needs-a-segment",
    ],
)
def test_route_table_match_without_method_returns_none(routes: list[tuple[str, str]], method: str, path: str) -> None:
    assert make_table(routes).match(method, path) is None


def test_route_table_explicit_method_beats_any() -> None:
    table = RouteTable(
        [
            Method("/things", "ANY", MockIntegration(201, {}, "")),
            Method("/things", "GET", MockIntegration(202, {}, "")),
        ]
    )
    get, post = table.match("GET", "/things"), table.match("POST", "/things")
    assert get is not None
    assert post is not None
    assert (get.method.http_method, post.method.http_method) == ("GET", "ANY")


def test_route_table_greedy_segment_not_last_raises_template_error() -> None:
    with pytest.raises(TemplateError, match="greedy"):
        make_table([("GET", "/a/{rest+}/b")])
