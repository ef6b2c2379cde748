"""API keys and their usage plans, read from the API Gateway control plane (moto's server locally).

A method whose ``security`` names the ``api_key`` scheme needs a key: the ``x-api-key`` header, or the authorizer's
``usageIdentifierKey`` when the API's key source is ``AUTHORIZER``. The key must exist, be enabled and belong to a
usage plan of this API stage, else API Gateway answers 403 ``INVALID_API_KEY`` ("Forbidden"). The key's plan then
sets the throttles and quota of the request (``local.gateway.throttling``).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from local.gateway.api import ApiDefinition
from local.gateway.errors import GatewayRejection
from local.gateway.events import RequestContext

if TYPE_CHECKING:
    from botocore.client import BaseClient

API_KEY_SCHEME = "api_key"
API_KEY_HEADER = "x-api-key"
AUTHORIZER_KEY_SOURCE = "AUTHORIZER"


@dataclass(frozen=True)
class Throttle:
    """A token bucket's settings: ``rate_per_s`` tokens per second (fractional allowed), ``burst`` capacity."""

    rate_per_s: float
    burst: int


@dataclass(frozen=True)
class Quota:
    """Requests allowed per calendar ``period`` (``DAY``, ``WEEK``, ``MONTH``, UTC)."""

    limit: int
    period: str


@dataclass(frozen=True)
class UsagePlanLimits:
    """What a usage plan imposes on each of its keys on this stage.

    Attributes
    ----------
    plan_id, name : str
    throttle : Throttle or None
        The plan-wide throttle.
    method_throttles : Mapping[str, Throttle]
        Per-method throttles by ``/resource/path/METHOD`` (``ApiStages[].Throttle``); they replace ``throttle``.
    quota : Quota or None
    """

    plan_id: str
    name: str
    throttle: Throttle | None
    method_throttles: Mapping[str, Throttle] = field(default_factory=dict)
    quota: Quota | None = None


@dataclass(frozen=True)
class ResolvedKey:
    """An enabled API key of a usage plan of this stage."""

    key_id: str
    value: str = field(repr=False)
    plan: UsagePlanLimits


class UsagePlanDirectory:
    """Looks API keys up in the control plane.

    Parameters
    ----------
    client : BaseClient
        boto3 ``apigateway`` client (moto's server locally).
    rest_api_id, stage : str
        Only plans attached to this API stage count.
    """

    def __init__(self, client: "BaseClient", rest_api_id: str, stage: str) -> None:
        self._client = client
        self._rest_api_id = rest_api_id
        self._stage = stage

    def resolve(self, value: str) -> ResolvedKey | None:
        """The key with this value and its usage plan on the stage; None when it is unknown, disabled or planless.

        Raises
        ------
        GatewayRejection
            ``API_CONFIGURATION_ERROR`` (500) when the control plane cannot be read.
        """
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            keys = self._items("get_api_keys", includeValues=True)
            key = next((key for key in keys if key.get("value") == value and key.get("enabled")), None)
            if key is None:
                return None
            plans = self._items("get_usage_plans", keyId=key["id"])
        except (BotoCoreError, ClientError) as exc:
            raise GatewayRejection("API_CONFIGURATION_ERROR", "Internal server error") from exc
        for plan in plans:
            for stage in plan.get("apiStages", []):
                if stage.get("apiId") == self._rest_api_id and stage.get("stage") == self._stage:
                    return ResolvedKey(key["id"], value, _limits(plan, stage))
        return None

    def _items(self, operation: str, **params: Any) -> list[dict[str, Any]]:
        pages = self._client.get_paginator(operation).paginate(**params)
        return [item for page in pages for item in page.get("items", [])]


class ApiKeyCheck:
    """Request check that requires a valid API key where the method asks for one.

    The resolution of a key is cached until the authorizer runs again for a request carrying it, as API Gateway
    re-reads what an authorizer result implies only when the result is not cached.

    Parameters
    ----------
    api : ApiDefinition
    directory : UsagePlanDirectory
    """

    def __init__(self, api: ApiDefinition, directory: UsagePlanDirectory) -> None:
        self._from_authorizer = api.api_key_source.upper() == AUTHORIZER_KEY_SOURCE
        self._directory = directory
        self._resolved: dict[str, ResolvedKey | None] = {}

    def __call__(self, context: RequestContext) -> None:
        """Accept the request's key and attach its usage plan, or raise ``INVALID_API_KEY``."""
        if not any(API_KEY_SCHEME in requirement for requirement in context.route.method.security):
            return
        value = context.usage_identifier_key if self._from_authorizer else context.request.header(API_KEY_HEADER)
        if not value:
            raise GatewayRejection("INVALID_API_KEY", "Forbidden")
        if value not in self._resolved or context.authorizer_invoked:
            self._resolved[value] = self._directory.resolve(value)
        resolved = self._resolved[value]
        if resolved is None:
            raise GatewayRejection("INVALID_API_KEY", "Forbidden")
        context.api_key, context.api_key_id, context.usage_plan = value, resolved.key_id, resolved.plan


def _limits(plan: Mapping[str, Any], stage: Mapping[str, Any]) -> UsagePlanLimits:
    quota = plan.get("quota")
    return UsagePlanLimits(
        plan_id=str(plan["id"]),
        name=str(plan.get("name", "")),
        throttle=_throttle(plan.get("throttle")),
        method_throttles={
            path: throttle for path, limits in (stage.get("throttle") or {}).items() if (throttle := _throttle(limits))
        },
        quota=Quota(int(quota["limit"]), str(quota["period"])) if quota and "limit" in quota else None,
    )


def _throttle(limits: Mapping[str, Any] | None) -> Throttle | None:
    if not limits or "rateLimit" not in limits or "burstLimit" not in limits:
        return None
    return Throttle(float(limits["rateLimit"]), int(limits["burstLimit"]))
