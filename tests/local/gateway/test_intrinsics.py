"""local.gateway.intrinsics: CloudFormation intrinsic functions evaluated with local values."""

from typing import Any

import pytest

from local.gateway.errors import TemplateError
from local.gateway.intrinsics import IntrinsicResolver

REFS = {"Stage": "dev", "AWS::Region": "us-east-1", "Table": "stack-Table", "Names": ["a", "b"]}
ATTRIBUTES = {"Fn.Arn": "arn:aws:lambda:us-east-1:123456789012:function:fn"}
CONDITIONS = {
    "IsDev": {"Fn::Equals": [{"Ref": "Stage"}, "dev"]},
    "IsProd": {"Fn::Not": [{"Condition": "IsDev"}]},
    "DevInRegion": {"Fn::And": [{"Condition": "IsDev"}, {"Fn::Equals": ["us-east-1", {"Ref": "AWS::Region"}]}]},
    "AnyOf": {"Fn::Or": [{"Condition": "IsProd"}, {"Condition": "IsDev"}]},
}


def resolve(value: Any) -> Any:
    return IntrinsicResolver(REFS, ATTRIBUTES, CONDITIONS).resolve(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"Ref": "Stage"}, "dev"),
        ({"Fn::Sub": "${Stage}-${AWS::Region}-${!Literal}"}, "dev-us-east-1-${Literal}"),
        ({"Fn::Sub": ["${Name}/${Stage}", {"Name": {"Ref": "Table"}}]}, "stack-Table/dev"),
        ({"Fn::Sub": "x:${Fn.Arn}"}, "x:arn:aws:lambda:us-east-1:123456789012:function:fn"),
        ({"Fn::GetAtt": ["Fn", "Arn"]}, ATTRIBUTES["Fn.Arn"]),
        ({"Fn::GetAtt": "Fn.Arn"}, ATTRIBUTES["Fn.Arn"]),
        ({"Fn::Join": [",", [{"Ref": "Stage"}, "x"]]}, "dev,x"),
        ({"Fn::Select": [1, {"Ref": "Names"}]}, "b"),
        ({"Fn::If": ["IsDev", "yes", "no"]}, "yes"),
        ({"Fn::If": ["IsProd", "yes", "no"]}, "no"),
        ({"Fn::If": ["DevInRegion", "yes", "no"]}, "yes"),
        ({"Fn::If": ["AnyOf", "yes", "no"]}, "yes"),
        ({"Key": "plain", "Nested": [{"Ref": "Stage"}]}, {"Key": "plain", "Nested": ["dev"]}),
    ],
    ids=[
        "ref",
        "sub-string",
        "sub-with-variables",
        "sub-attribute",
        "getatt-list",
        "getatt-dotted",
        "join",
        "select",
        "if-true",
        "if-false-via-not",
        "and",
        "or",
        "nested",
    ],
)
def test_intrinsic_resolver_resolve_known_intrinsic_returns_local_value(value: Any, expected: Any) -> None:
    assert resolve(value) == expected


def test_intrinsic_resolver_novalue_removes_key_and_list_item() -> None:
    value = {
        "Kept": "k",
        "Dropped": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]},
        "List": ["a", {"Ref": "AWS::NoValue"}, "b"],
    }
    assert resolve(value) == {"Kept": "k", "List": ["a", "b"]}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"Ref": "Missing"}, "unresolvable Ref"),
        ({"Fn::GetAtt": ["Fn", "Nope"]}, "unresolvable Fn::GetAtt"),
        ({"Fn::If": ["NoSuchCondition", 1, 2]}, "unknown condition"),
        ({"Fn::ImportValue": "Exported"}, "not supported"),
    ],
    ids=["unknown-ref", "unknown-attribute", "unknown-condition", "unsupported-intrinsic"],
)
def test_intrinsic_resolver_unresolvable_value_raises_template_error(value: Any, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        resolve(value)
