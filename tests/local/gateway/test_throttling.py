"""Token buckets, stage throttles and quotas of ``local.gateway.throttling``, on template.yaml's routes."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from local.gateway import ApiDefinition, IncomingRequest, RequestContext, load_api, load_template
from local.gateway.api_keys import Quota, Throttle, UsagePlanLimits
from local.gateway.config import DEFAULT_CONFIG, DEFAULT_TEMPLATE, GatewayConfig
from local.gateway.errors import GatewayRejection
from local.gateway.routes import RouteTable
from local.gateway.throttling import ThrottleCheck, TokenBucket, encode_resource_path, quota_period

NOON_S = datetime(2027, 3, 10, 12, 0, tzinfo=UTC).timestamp()
PLAN = UsagePlanLimits(
    plan_id="plan-1",
    name="test",
    throttle=Throttle(rate_per_s=1.0, burst=3),
    method_throttles={"/api/keys/POST": Throttle(rate_per_s=0.5, burst=1)},
    quota=Quota(limit=5, period="DAY"),
)


@pytest.fixture(scope="module")
def api() -> ApiDefinition:
    return load_api(load_template(DEFAULT_TEMPLATE, GatewayConfig.from_file(DEFAULT_CONFIG).parameter_overrides))


@pytest.fixture
def request_at(api: ApiDefinition) -> Callable[..., RequestContext]:
    routes = RouteTable(api.methods)

    def build(
        method: str, path: str, now_s: float, key_id: str | None = None, plan: UsagePlanLimits = PLAN
    ) -> RequestContext:
        match = routes.match(method, path)
        assert match is not None
        context = RequestContext(IncomingRequest(method, path), match, "request-id", received_at_s=now_s)
        if key_id is not None:
            context.api_key_id, context.usage_plan = key_id, plan
        return context

    return build


def rejection(check: ThrottleCheck, context: RequestContext) -> str | None:
    try:
        check(context)
    except GatewayRejection as exc:
        return exc.response_type
    return None


def test_token_bucket_starts_full_refills_at_fractional_rate_and_caps_at_burst() -> None:
    bucket = TokenBucket(Throttle(rate_per_s=10 / 60, burst=10), updated_at_s=0.0)

    first_minute = [bucket.take(0.0) for _ in range(11)]
    after_five_s = bucket.take(5.0)
    after_six_s = bucket.take(6.0)
    after_an_hour = sum(bucket.take(3600.0) for _ in range(20))

    assert first_minute == [True] * 10 + [False]
    assert (after_five_s, after_six_s) == (False, True)
    assert after_an_hour == 10


def test_token_bucket_zero_burst_refuses_everything() -> None:
    bucket = TokenBucket(Throttle(rate_per_s=100.0, burst=0), updated_at_s=0.0)
    assert [bucket.take(float(second)) for second in range(3)] == [False, False, False]


def test_throttle_check_method_entry_replaces_plan_throttle_per_key(
    request_at: Callable[..., RequestContext], api: ApiDefinition
) -> None:
    check = ThrottleCheck(api)

    keys = [rejection(check, request_at("POST", "/api/keys", NOON_S, "key-a")) for _ in range(2)]
    other_key = rejection(check, request_at("POST", "/api/keys", NOON_S, "key-b"))
    other_method = [rejection(check, request_at("GET", "/api/keys", NOON_S, "key-a")) for _ in range(4)]

    assert keys == [None, "THROTTLED"]
    assert other_key is None
    assert other_method == [None, None, None, "THROTTLED"]


def test_throttle_check_health_stage_throttle_is_off(
    request_at: Callable[..., RequestContext], api: ApiDefinition
) -> None:
    check = ThrottleCheck(api)
    stage_burst = next(
        setting["ThrottlingBurstLimit"] for setting in api.method_settings if setting["ResourcePath"] == "/*"
    )

    health = {rejection(check, request_at("GET", "/api/health", NOON_S)) for _ in range(stage_burst + 1)}

    assert health == {None}


def test_throttle_check_stage_throttle_is_shared_by_every_key(
    request_at: Callable[..., RequestContext], api: ApiDefinition
) -> None:
    stage = next(
        setting for setting in api.method_settings if setting["ResourcePath"] == encode_resource_path("/api/tenants")
    )
    roomy = UsagePlanLimits("plan-roomy", "roomy", Throttle(1000.0, 1000))
    check = ThrottleCheck(api)

    outcomes = [
        rejection(check, request_at("POST", "/api/tenants", NOON_S, f"key-{index}", roomy))
        for index in range(stage["ThrottlingBurstLimit"] + 1)
    ]

    assert outcomes == [None] * stage["ThrottlingBurstLimit"] + ["THROTTLED"]


def test_throttle_check_quota_counts_per_utc_day_and_skips_throttled_requests(
    request_at: Callable[..., RequestContext], api: ApiDefinition
) -> None:
    check = ThrottleCheck(api)

    throttled = [rejection(check, request_at("GET", "/api/me", NOON_S, "key-a")) for _ in range(4)]
    later_today = [
        rejection(check, request_at("GET", "/api/me", NOON_S + 60 * index, "key-a")) for index in range(1, 4)
    ]
    tomorrow = rejection(check, request_at("GET", "/api/me", NOON_S + 12 * 3600, "key-a"))

    assert throttled == [None, None, None, "THROTTLED"]
    assert later_today == [None, None, "QUOTA_EXCEEDED"]
    assert tomorrow is None


@pytest.mark.parametrize(
    ("period", "moment", "same_period", "next_period"),
    [
        (
            "DAY",
            datetime(2027, 3, 10, 0, 0, tzinfo=UTC),
            datetime(2027, 3, 10, 23, 59, tzinfo=UTC),
            datetime(2027, 3, 11, tzinfo=UTC),
        ),
        (
            "WEEK",
            datetime(2027, 3, 8, tzinfo=UTC),
            datetime(2027, 3, 14, 23, 0, tzinfo=UTC),
            datetime(2027, 3, 15, tzinfo=UTC),
        ),
        (
            "MONTH",
            datetime(2027, 3, 1, tzinfo=UTC),
            datetime(2027, 3, 31, 23, 0, tzinfo=UTC),
            datetime(2027, 4, 1, tzinfo=UTC),
        ),
    ],
    ids=str,
)
def test_quota_period_follows_utc_calendar(
    period: str, moment: datetime, same_period: datetime, next_period: datetime
) -> None:
    start = quota_period(period, moment.timestamp())
    assert quota_period(period, same_period.timestamp()) == start
    assert quota_period(period, next_period.timestamp()) != start


@pytest.mark.parametrize(
    ("resource_path", "encoded"),
    [("/api/health", "/~1api~1health"), ("/api/keys/{key_id}", "/~1api~1keys~1{key_id}")],
    ids=["static", "parameter"],
)
def test_encode_resource_path_writes_every_slash_as_tilde_one(resource_path: str, encoded: str) -> None:
    assert encode_resource_path(resource_path) == encoded
