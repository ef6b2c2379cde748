"""Create the template's usage plans, API keys and usage-plan keys in moto, as CloudFormation would deploy them.

moto assigns its own ids, so resources are matched by name (``UsagePlanName``, ``Name``) and ``UsagePlanKey``
references are resolved through the ids created here, never through the local ``Ref`` names. Creation is idempotent:
a plan or key whose name already exists is reused. A property this module does not translate fails loudly, so the
local limits never silently differ from the deployed ones.
"""

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, cast

from botocore.client import BaseClient

from local.gateway.template import LocalTemplate

if TYPE_CHECKING:
    from mypy_boto3_apigateway.client import APIGatewayClient

USAGE_PLAN_TYPE = "AWS::ApiGateway::UsagePlan"
API_KEY_TYPE = "AWS::ApiGateway::ApiKey"
USAGE_PLAN_KEY_TYPE = "AWS::ApiGateway::UsagePlanKey"
_PLAN_PROPERTIES = frozenset({"UsagePlanName", "Description", "ApiStages", "Throttle", "Quota", "Tags"})
_KEY_PROPERTIES = frozenset({"Name", "Description", "Enabled", "Value", "Tags"})

ClientFactory = Callable[[str], BaseClient]


class UsagePlanDefinitionError(ValueError):
    """Raised when a usage plan, API key or usage-plan key uses a property the local stack cannot reproduce."""


def create_usage_plan_request(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Translate resolved ``AWS::ApiGateway::UsagePlan`` properties into ``CreateUsagePlan`` parameters.

    Raises
    ------
    UsagePlanDefinitionError
        An untranslated property, or a plan without ``UsagePlanName`` (plans are matched by name).
    """
    _check_known(properties, _PLAN_PROPERTIES, "usage plan")
    if "UsagePlanName" not in properties:
        raise UsagePlanDefinitionError("usage plans need a UsagePlanName locally (moto assigns its own ids)")
    request: dict[str, Any] = {"name": properties["UsagePlanName"]}
    if "Description" in properties:
        request["description"] = properties["Description"]
    if "Throttle" in properties:
        request["throttle"] = _throttle(properties["Throttle"])
    if "Quota" in properties:
        quota = properties["Quota"]
        if int(quota.get("Offset", 0)) != 0:
            raise UsagePlanDefinitionError("Quota.Offset is not emulated by the local gateway; keep it 0")
        request["quota"] = {
            "limit": int(quota["Limit"]),
            "period": quota["Period"],
            "offset": int(quota.get("Offset", 0)),
        }
    request["apiStages"] = [
        {
            "apiId": stage["ApiId"],
            "stage": stage["Stage"],
            **(
                {"throttle": {path: _throttle(limit) for path, limit in stage["Throttle"].items()}}
                if "Throttle" in stage
                else {}
            ),
        }
        for stage in properties.get("ApiStages", [])
    ]
    if "Tags" in properties:
        request["tags"] = {tag["Key"]: tag["Value"] for tag in properties["Tags"]}
    return request


def create_api_key_request(properties: Mapping[str, Any]) -> dict[str, Any]:
    """Translate resolved ``AWS::ApiGateway::ApiKey`` properties into ``CreateApiKey`` parameters.

    Raises
    ------
    UsagePlanDefinitionError
        An untranslated property, or a key without ``Name``.
    """
    _check_known(properties, _KEY_PROPERTIES, "API key")
    if "Name" not in properties:
        raise UsagePlanDefinitionError("API keys need a Name locally (moto assigns its own ids)")
    request: dict[str, Any] = {"name": properties["Name"], "enabled": bool(properties.get("Enabled", False))}
    for source, target in (("Description", "description"), ("Value", "value")):
        if source in properties:
            request[target] = properties[source]
    if "Tags" in properties:
        request["tags"] = {tag["Key"]: tag["Value"] for tag in properties["Tags"]}
    return request


def create_usage_plans(template: LocalTemplate, client_for: ClientFactory) -> dict[str, str]:
    """Create every usage plan, API key and usage-plan key of the template in moto (idempotently).

    Parameters
    ----------
    template : LocalTemplate
    client_for : Callable[[str], BaseClient]
        Returns a boto3 client for a service name, pointed at moto.

    Returns
    -------
    dict[str, str]
        Logical id → moto id of each usage plan and API key.

    Raises
    ------
    UsagePlanDefinitionError
        A resource cannot be reproduced locally (see the request builders), or a ``UsagePlanKey`` names a plan or key
        that is not a resource of the template.
    """
    # The factory answers the client of the service it is asked for; its type names only the base class.
    client = cast("APIGatewayClient", client_for("apigateway"))
    existing_plans = {plan["name"]: plan["id"] for plan in _pages(client, "get_usage_plans")}
    existing_keys = {key["name"]: key["id"] for key in _pages(client, "get_api_keys")}
    ids: dict[str, str] = {}
    for logical_id in template.resources_of_type(USAGE_PLAN_TYPE):
        request = create_usage_plan_request(template.resolved_properties(logical_id))
        ids[logical_id] = existing_plans.get(request["name"]) or client.create_usage_plan(**request)["id"]
    for logical_id in template.resources_of_type(API_KEY_TYPE):
        request = create_api_key_request(template.resolved_properties(logical_id))
        ids[logical_id] = existing_keys.get(request["name"]) or client.create_api_key(**request)["id"]
    for logical_id, resource in template.resources_of_type(USAGE_PLAN_KEY_TYPE).items():
        properties = resource.get("Properties", {})
        plan_id = ids.get(_ref(properties.get("UsagePlanId")))
        key_id = ids.get(_ref(properties.get("KeyId")))
        if plan_id is None or key_id is None:
            raise UsagePlanDefinitionError(f"{logical_id}: UsagePlanId and KeyId must Ref resources of the template")
        held = {key["id"] for key in _pages(client, "get_usage_plan_keys", usagePlanId=plan_id)}
        if key_id not in held:
            client.create_usage_plan_key(
                usagePlanId=plan_id, keyId=key_id, keyType=properties.get("KeyType", "API_KEY")
            )
    return ids


def _throttle(limits: Mapping[str, Any]) -> dict[str, Any]:
    # CloudFormation: RateLimit is a Double (requests per second), BurstLimit an Integer.
    throttle: dict[str, Any] = {}
    if "RateLimit" in limits:
        throttle["rateLimit"] = float(limits["RateLimit"])
    if "BurstLimit" in limits:
        throttle["burstLimit"] = int(limits["BurstLimit"])
    return throttle


def _ref(value: Any) -> str:
    """The logical id a ``{"Ref": id}`` names; "" for anything else (no resource has that id)."""
    return str(value.get("Ref", "")) if isinstance(value, dict) else ""


def _check_known(properties: Mapping[str, Any], known: frozenset[str], what: str) -> None:
    unknown = set(properties) - known
    if unknown:
        raise UsagePlanDefinitionError(f"{what} properties not reproducible locally: {', '.join(sorted(unknown))}")


def _pages(client: BaseClient, operation: str, **params: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**params) for item in page.get("items", [])]
