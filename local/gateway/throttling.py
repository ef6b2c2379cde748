"""Throttles and quotas as API Gateway applies them: token buckets per key per plan, stage buckets, daily quotas.

Semantics (AWS "Throttle requests to your REST APIs for better throughput in API Gateway",
https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html, and "Usage plans
and API keys for REST APIs in API Gateway"):

* a bucket holds ``burst`` tokens, refills at ``rate`` tokens per second (fractional allowed) and starts full; each
  request takes one; an empty bucket → 429 ``THROTTLED`` ("Too Many Requests");
* usage plan: one bucket per API key, for the method's ``ApiStages[].Throttle["/path/METHOD"]`` entry when the plan
  has one (it replaces the plan throttle for that method), else for the plan ``Throttle``;
* stage: ``MethodSettings`` of the method (``~1``-encoded ``ResourcePath``), else the ``/*`` ``*`` default; these
  buckets are shared by every caller; a negative rate or burst disables the throttle;
* quota: a counter per key per plan over the UTC calendar ``DAY``/``WEEK``/``MONTH`` → 429 ``QUOTA_EXCEEDED``
  ("Limit Exceeded"); a throttled request does not count.

Time comes from ``RequestContext.received_at_s``, the gateway's injectable clock.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from local.gateway.api import ApiDefinition
from local.gateway.api_keys import Throttle, UsagePlanLimits
from local.gateway.errors import GatewayRejection
from local.gateway.events import RequestContext

STAGE_DEFAULT_PATH = "/*"
# Fractional rates (10/60 per second) make refills land a hair below a whole token in floating point.
_ROUNDING_TOLERANCE = 1e-9
ANY_HTTP_METHOD = "*"


@dataclass
class TokenBucket:
    """A token bucket that starts full.

    Parameters
    ----------
    throttle : Throttle
    updated_at_s : float
        Epoch seconds of creation.
    """

    throttle: Throttle
    updated_at_s: float
    tokens: float = -1.0

    def __post_init__(self) -> None:
        if self.tokens < 0:
            self.tokens = float(self.throttle.burst)

    def take(self, now_s: float) -> bool:
        """Refill for the time elapsed since the last call, then take one token; False when none is left."""
        elapsed_s = max(0.0, now_s - self.updated_at_s)
        self.tokens = min(float(self.throttle.burst), self.tokens + elapsed_s * self.throttle.rate_per_s)
        self.updated_at_s = max(self.updated_at_s, now_s)
        if self.tokens < 1.0 - _ROUNDING_TOLERANCE:
            return False
        self.tokens -= 1.0
        return True


def encode_resource_path(resource_path: str) -> str:
    """A resource path as stage ``MethodSettings`` name it: every ``/`` as ``~1`` (RFC 6901), one leading ``/``."""
    return "/" + resource_path.replace("/", "~1")


def quota_period(period: str, now_s: float) -> tuple[int, int]:
    """The UTC calendar period containing ``now_s``: (year, day of year), (ISO year, ISO week) or (year, month)."""
    moment = datetime.fromtimestamp(now_s, tz=UTC)
    if period == "DAY":
        return moment.year, moment.timetuple().tm_yday
    if period == "WEEK":
        return moment.isocalendar().year, moment.isocalendar().week
    return moment.year, moment.month


class ThrottleCheck:
    """Request check that enforces usage-plan and stage throttles, then usage-plan quotas.

    Parameters
    ----------
    api : ApiDefinition
        Its stage ``MethodSettings`` give the stage throttles.
    """

    def __init__(self, api: ApiDefinition) -> None:
        self._stage_throttles = _stage_throttles(api.method_settings)
        self._buckets: dict[tuple[str, ...], TokenBucket] = {}
        self._quota_counts: dict[tuple[str, str, tuple[int, int]], int] = {}

    def __call__(self, context: RequestContext) -> None:
        """Take a token from every bucket of the request and count it against its quota, or raise a 429."""
        method = context.route.method
        now_s = context.received_at_s
        verb = context.request.method
        plan: UsagePlanLimits | None = context.usage_plan
        if plan is not None and context.api_key_id is not None:
            method_key = f"{method.resource_path}/{verb}"
            throttle = plan.method_throttles.get(method_key)
            scope = method_key if throttle is not None else ""
            self._take(("plan", plan.plan_id, context.api_key_id, scope), throttle or plan.throttle, now_s)
        stage_key = self._stage_key(method.resource_path, verb)
        if stage_key is not None:
            self._take(("stage", *stage_key), self._stage_throttles[stage_key], now_s)
        if plan is not None and plan.quota is not None and context.api_key_id is not None:
            counter = (plan.plan_id, context.api_key_id, quota_period(plan.quota.period, now_s))
            if self._quota_counts.get(counter, 0) >= plan.quota.limit:
                raise GatewayRejection("QUOTA_EXCEEDED", "Limit Exceeded")
            self._quota_counts[counter] = self._quota_counts.get(counter, 0) + 1

    def _stage_key(self, resource_path: str, verb: str) -> tuple[str, str] | None:
        encoded = encode_resource_path(resource_path)
        for candidate in ((encoded, verb), (encoded, ANY_HTTP_METHOD), (STAGE_DEFAULT_PATH, ANY_HTTP_METHOD)):
            if candidate in self._stage_throttles:
                return candidate
        return None

    def _take(self, bucket_key: tuple[str, ...], throttle: Throttle | None, now_s: float) -> None:
        if throttle is None or throttle.rate_per_s < 0 or throttle.burst < 0:
            return
        bucket = self._buckets.get(bucket_key)
        if bucket is None or bucket.throttle != throttle:
            bucket = self._buckets[bucket_key] = TokenBucket(throttle, now_s)
        if not bucket.take(now_s):
            raise GatewayRejection("THROTTLED", "Too Many Requests")


def _stage_throttles(method_settings: Sequence[Mapping[str, Any]]) -> dict[tuple[str, str], Throttle | None]:
    throttles: dict[tuple[str, str], Throttle | None] = {}
    for setting in method_settings:
        key = (str(setting.get("ResourcePath", STAGE_DEFAULT_PATH)), str(setting.get("HttpMethod", ANY_HTTP_METHOD)))
        rate, burst = setting.get("ThrottlingRateLimit"), setting.get("ThrottlingBurstLimit")
        throttles[key] = Throttle(float(rate), int(burst)) if rate is not None and burst is not None else None
    return throttles
