"""Warm path: per-invocation latency through the Lambda handlers of one container, after init.

Loads the health and auth functions (and stand-in (a), bench/README.md) in this process on one event loop,
as Lambda would, with the local identity provider up, then invokes them in shuffled interleaved rounds:
``GET /api/health``, ``GET /api/me`` with the authorizer context of a valid token and of an expired one (the
function trusts the context and checks only ``exp``). Wall time and the invoking thread's CPU time are taken per
invocation; discovery and JWKS requests served by the provider are counted over the measured run, which must make
none (only the ``validate_only`` case validates, and it fills the cache in the discarded rounds).
"""

import asyncio
import copy
import importlib.util
import os
import random
import resource
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from bench.cold_start import STANDINS_PATH
from bench.stack import BenchStack, running_stack
from bench.stats import median, p95, paired_ratio
from tests.builders import lambda_context, load_function

NS_PER_US = 1000
NS_PER_MS = 1_000_000
# Floors (bench/README.md, "Stand-ins and floors"; warm path, N = 2000): medians in µs of the variants below.
FLOOR_A_NO_AUTH_US = "323-350"
FLOOR_B_NO_AUTH_US = "166-172"
FLOOR_A_VALIDATE_US = "705-744"
FLOOR_A_SYNC_ROUTE_US = "1639-1747"
FLOOR_VALIDATE_ALONE_US = "522-537"

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class WarmPathError(RuntimeError):
    """An invocation answered with another status than its case expects."""


@dataclass(frozen=True)
class WarmCase:
    """One kind of request: which handler, which event, what status it must answer."""

    name: str
    handler: Handler = field(repr=False)
    event: Mapping[str, Any] = field(repr=False)
    expected_status: int


@dataclass
class WarmSamples:
    """Per-invocation wall and thread-CPU times of one case, in round order, plus its first call after init."""

    case: WarmCase
    first_call_wall_ns: int = 0
    first_call_cpu_ns: int = 0
    wall_ns: list[int] = field(default_factory=list)
    cpu_ns: list[int] = field(default_factory=list)
    preempted: int = 0


@dataclass
class WarmResult:
    """Samples of every case and the identity provider's discovery/JWKS requests at init and during the run."""

    samples: list[WarmSamples]
    fetches_at_init: dict[str, int]
    fetches_during_run: dict[str, int]
    cache_counters_during_run: dict[str, int]
    token_bytes: int


def _load_standin(folder: str) -> Handler:
    path = STANDINS_PATH / folder / "app.py"
    spec = importlib.util.spec_from_file_location(f"bench_standin_{folder}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"no stand-in at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.handler


def _validation_only(token: str) -> Handler:
    """``validate_access_token(token)`` alone on this thread's loop, shaped as a handler (the floors' "validate_token
    alone"): what the token check costs without FastAPI, Mangum or Powertools around it."""
    from identity_stack.auth.tokens import validate_access_token

    loop = asyncio.get_event_loop()

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        loop.run_until_complete(validate_access_token(token))
        return {"statusCode": 200}

    return handler


def invoke(case: WarmCase) -> tuple[int, int, bool]:
    """Invoke ``case`` once with a fresh copy of its event and a new context.

    Returns
    -------
    tuple of (int, int, bool)
        Wall and invoking-thread CPU time in ns (Mangum runs the app on this thread's event loop), and whether the
        kernel preempted the thread meanwhile (an involuntary context switch: another job took the core).

    Raises
    ------
    WarmPathError
        The status is not the case's.
    """
    event, context = copy.deepcopy(dict(case.event)), lambda_context()
    switches = resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw
    wall_ns, cpu_ns = time.perf_counter_ns(), time.thread_time_ns()
    response = case.handler(event, context)
    wall_ns, cpu_ns = time.perf_counter_ns() - wall_ns, time.thread_time_ns() - cpu_ns
    preempted = resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw > switches
    if response["statusCode"] != case.expected_status:
        raise WarmPathError(f"{case.name} answered {response['statusCode']}, expected {case.expected_status}")
    return wall_ns, cpu_ns, preempted


def _cases(stack: BenchStack) -> list[WarmCase]:
    # Lambda init: each function imported with its environment (the template gives both the same Globals).
    os.environ.update(stack.functions["health"].environment)
    health = load_function("health").handler
    os.environ.update(stack.functions["auth"].environment)
    auth = load_function("auth").handler
    expired = stack.expired_access_token()
    return [
        WarmCase("health", health, stack.sample_event("health", "health_ok"), 200),
        WarmCase("me_valid", auth, stack.sample_event("auth", "me_ok"), 200),
        WarmCase("me_invalid", auth, stack.sample_event("auth", "me_ok", token=expired), 401),
        WarmCase("validate_only", _validation_only(stack.access_token), {}, 200),
        WarmCase("standin_a", _load_standin("fastapi_mangum"), stack.sample_event("health", "health_ok"), 200),
        WarmCase("standin_b", _load_standin("powertools_resolver"), stack.sample_event("health", "health_ok"), 200),
    ]


def _difference(after: Mapping[str, int], before: Mapping[str, int]) -> dict[str, int]:
    return {name: after[name] - before[name] for name in after}


def measure(invocations: int, *, warmup: int = 100, seed: int = 0) -> WarmResult:
    """Run ``invocations`` shuffled rounds of every case after ``warmup`` discarded ones.

    Parameters
    ----------
    invocations : int
        Measured invocations per case.
    warmup : int
        Discarded rounds after each case's first call (allocator, branch caches, lazily built validators).
    seed : int
        Seed of the round order.

    Raises
    ------
    WarmPathError
        A case answered another status than expected.
    """
    from py_identity_model import get_cache_counters

    order = random.Random(seed)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        # The functions' environment is this process's for the run (as in their container), then restored.
        with mock.patch.dict(os.environ), running_stack(with_aws=False) as stack:
            before_init = stack.fetch_counts()
            samples = [WarmSamples(case) for case in _cases(stack)]
            fetches_at_init = _difference(stack.fetch_counts(), before_init)
            for sample in samples:
                sample.first_call_wall_ns, sample.first_call_cpu_ns, _ = invoke(sample.case)
            for _ in range(warmup):
                for sample in samples:
                    invoke(sample.case)
            before_run, counters_before = stack.fetch_counts(), get_cache_counters().snapshot()
            for _ in range(invocations):
                for sample in order.sample(samples, len(samples)):
                    wall_ns, cpu_ns, preempted = invoke(sample.case)
                    sample.preempted += preempted
                    sample.wall_ns.append(wall_ns)
                    sample.cpu_ns.append(cpu_ns)
            fetches_during_run = _difference(stack.fetch_counts(), before_run)
            counters = _difference(get_cache_counters().snapshot(), counters_before)
            token_bytes = len(stack.access_token)
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    return WarmResult(samples, fetches_at_init, fetches_during_run, counters, token_bytes)


def _us(samples_ns: Sequence[int], summary: Callable[[Sequence[float]], float]) -> str:
    return f"{summary(samples_ns) / NS_PER_US:.0f}"


def render(result: WarmResult) -> str:
    """Markdown tables: per case latency, ratios against stand-in (a) and health, and the fetch counts."""
    by_name = {sample.case.name: sample for sample in result.samples}
    invocations = len(result.samples[0].wall_ns)
    lines = [
        f"{invocations} invocations per case, interleaved in shuffled rounds; times in µs (first call in ms). "
        "CPU is the invoking thread's; *preempted* is the share of invocations during which the kernel gave the core "
        "to another job (their wall time includes the wait).",
        "",
        "| case | status | first call wall ms | median wall | p95 wall | median CPU | p95 CPU | preempted |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for sample in result.samples:
        lines.append(
            f"| {sample.case.name} | {sample.case.expected_status} | {sample.first_call_wall_ns / NS_PER_MS:.1f} "
            f"| {_us(sample.wall_ns, median)} | {_us(sample.wall_ns, p95)} "
            f"| {_us(sample.cpu_ns, median)} | {_us(sample.cpu_ns, p95)} "
            f"| {sample.preempted / len(sample.wall_ns):.1%} |"
        )
    pairs = [
        ("standin_b", "standin_a", f"calibration: {FLOOR_B_NO_AUTH_US} / {FLOOR_A_NO_AUTH_US} = 0.47-0.53"),
        ("validate_only", "standin_a", f"calibration: {FLOOR_VALIDATE_ALONE_US} / {FLOOR_A_NO_AUTH_US} = 1.5-1.7"),
        ("health", "standin_a", "no floor: health adds Metrics, correlation id, CORS and security headers to (a)"),
        (
            "me_valid",
            "standin_a",
            f"goal <= 1.6; validating in a function: {FLOOR_A_VALIDATE_US} / {FLOOR_A_NO_AUTH_US} = 2.0-2.3",
        ),
        ("me_valid", "health", "same stack with and without the principal: the price of authentication"),
        ("me_invalid", "me_valid", "an expired context must not cost more than a valid one"),
    ]
    lines += [
        "",
        "Ratios, medians of per-round pairs. A sync route or dependency would add FastAPI's threadpool hop, about "
        f"2.7 x (a) more (floors: {FLOOR_A_SYNC_ROUTE_US} against {FLOOR_A_VALIDATE_US} µs with (a) at "
        f"{FLOOR_A_NO_AUTH_US} µs):",
        "",
        "| ratio | CPU | wall | floor / meaning |",
        "|---|---:|---:|---|",
    ]
    for numerator, denominator, meaning in pairs:
        top, bottom = by_name[numerator], by_name[denominator]
        label = denominator if denominator != "standin_a" else "(a)"
        lines.append(
            f"| {numerator} / {label} | {paired_ratio(top.cpu_ns, bottom.cpu_ns):.2f} "
            f"| {paired_ratio(top.wall_ns, bottom.wall_ns):.2f} | {meaning} |"
        )
    me_valid, health, validation = (median(by_name[name].cpu_ns) for name in ("me_valid", "health", "validate_only"))
    lines += [
        "",
        f"Authentication adds {(me_valid - health) / NS_PER_US:.0f} µs CPU to a request (me_valid - health medians), "
        f"{(me_valid - health) / validation:.2f} times a token validation (validate_only): the principal decoded "
        "from the authorizer's context, dependency resolution and the larger response. The access token is "
        f"{result.token_bytes} bytes.",
    ]
    lines += [
        "",
        f"Identity provider requests: at init {result.fetches_at_init}; during the measured run "
        f"{result.fetches_during_run}. py-identity-model cache counters during the run: "
        f"{result.cache_counters_during_run}.",
    ]
    return "\n".join(lines)
