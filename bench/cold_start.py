"""Cold starts: every function (and the floors' stand-ins) imported and invoked once in a fresh interpreter.

Per target and run, a new ``python -I bench/cold_child.py`` process gets the function's Lambda environment, imports
its handler with the local identity provider up (so the authorizer, the one function that validates access tokens,
primes discovery/JWKS at init, as in Lambda) and handles its sample event once; the other functions' events carry
the authorizer's context, as API Gateway passes it. Rounds are interleaved in a shuffled order, and ratios are taken per
round against stand-in (a), so load from other jobs on the machine moves both sides of a ratio together.
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.stack import BenchStack, running_stack
from bench.stats import median, paired_ratio

BENCH_PATH = Path(__file__).resolve().parent
CHILD_SCRIPT = BENCH_PATH / "cold_child.py"
STANDINS_PATH = BENCH_PATH / "standins"
CHILD_TIMEOUT_S = 120
MS_PER_S = 1000

# The sample event each function's first invocation handles: a read every function answers with 200.
FIRST_EVENTS: dict[str, str] = {
    "health": "health_ok",
    "auth": "me_ok",
    "tenants": "list_tenants_ok",
    "roles": "list_roles_ok",
    "attributes": "read_profile_ok",
    "keys": "list_keys_ok",
    "members": "list_members_ok",
    "authorizer": "authorize_access_token_ok",
}
# The stand-ins (bench/README.md, "Stand-ins and floors"): (a) is the denominator of every ratio.
STANDINS: dict[str, str] = {
    "standin_a": "fastapi_mangum",
    "standin_b": "powertools_resolver",
    "standin_c": "eager_imports",
}
BASELINE = "standin_a"
BARE = "bare_interpreter"
# The one function that validates access tokens (and primes discovery/JWKS at init); every other function trusts its
# context, and functions/auth imports py-identity-model only on its first POST /api/validate-id-token.
TOKEN_VALIDATORS = frozenset({"authorizer"})
# Floors (bench/README.md, "Stand-ins and floors"), whole process: target / stand-in (a).
FLOOR_RATIOS: dict[str, str] = {"standin_b": "0.30-0.35", "standin_c": "1.24-1.41"}
FLOOR_A_OVER_BARE = "~30"
FLOOR_PEAK_RSS_MIB: dict[str, int] = {"standin_a": 44, "standin_b": 26, "standin_c": 62}


class ColdStartError(RuntimeError):
    """A cold-start process failed or answered with an error status."""


@dataclass(frozen=True)
class ColdTarget:
    """What one cold-start process imports and invokes.

    Attributes
    ----------
    name : str
        Function group (``auth``), stand-in name, or ``bare_interpreter``.
    handler : str
        ``module.attribute`` relative to ``code_dir``; empty for the bare interpreter.
    uses_aws : bool
        The function has a table (``TABLE_NAME``): importing boto3 is its business, though still best on first use.
    """

    name: str
    code_dir: Path | None
    layer_paths: tuple[Path, ...]
    handler: str
    environment: Mapping[str, str] = field(repr=False)
    event: Mapping[str, Any] = field(repr=False)
    uses_aws: bool = False

    def command(self, job_path: Path, result_path: Path) -> list[str]:
        """The child's command line (isolated mode: no user site, no PYTHON* variables, no script folder)."""
        if not self.handler:
            return [sys.executable, "-I", "-c", "pass"]
        return [sys.executable, "-I", str(CHILD_SCRIPT), str(job_path), str(result_path)]

    def job(self) -> dict[str, Any]:
        """The child's input: where the handler is, the event, the function name for the Lambda context."""
        return {
            "code_dir": str(self.code_dir),
            "layer_paths": [str(path) for path in self.layer_paths],
            "handler": self.handler,
            "event": self.event,
            "function_name": self.environment.get("AWS_LAMBDA_FUNCTION_NAME", self.name),
        }


@dataclass
class ColdSamples:
    """Every run of one target: the child's own measures and the whole process's as the parent saw it."""

    target: ColdTarget
    runs: list[dict[str, Any]] = field(default_factory=list)

    def values(self, key: str) -> list[float]:
        """One measure (``process_cpu_s``, ``init_wall_s``, …) over the runs, in round order."""
        return [run[key] for run in self.runs]


def targets(stack: BenchStack) -> list[ColdTarget]:
    """The template's functions in FIRST_EVENTS order, the three stand-ins and the bare interpreter."""
    found = [
        ColdTarget(
            name=group,
            code_dir=function.spec.code_dir,
            layer_paths=function.spec.layer_paths,
            handler=function.spec.handler,
            environment=function.environment,
            event=stack.sample_event(group, event_name),
            uses_aws="TABLE_NAME" in function.environment,
        )
        for group, event_name in FIRST_EVENTS.items()
        if (function := stack.functions.get(group)) is not None
    ]
    # The stand-ins ignore everything but Powertools' variables; health's environment has the same ones.
    health = stack.functions["health"]
    health_event = stack.sample_event("health", FIRST_EVENTS["health"])
    found += [
        ColdTarget(name, STANDINS_PATH / folder, (), "app.handler", health.environment, health_event)
        for name, folder in STANDINS.items()
    ]
    found.append(ColdTarget(BARE, None, (), "", health.environment, {}))
    return found


def _child_environment(target: ColdTarget) -> dict[str, str]:
    # Only what Lambda would set, plus PATH; loopback traffic must never go through a proxy from the environment.
    return {**target.environment, "PATH": os.environ.get("PATH", ""), "NO_PROXY": "127.0.0.1,localhost"}


def _cpu_of_children_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(target: ColdTarget, stack: BenchStack, workdir: Path) -> dict[str, Any]:
    """Start one fresh interpreter for ``target`` and return its measures.

    Returns
    -------
    dict
        The child's report (``init_wall_s``, ``init_cpu_s``, ``invoke_wall_s``, ``invoke_cpu_s``, ``peak_rss_mib``,
        ``loaded_at_init``, ``status``, ``identity_model_cache``, …) plus ``process_wall_s`` and ``process_cpu_s``
        (whole process, interpreter start-up included) and ``idp_fetches`` (discovery + JWKS requests served).

    Raises
    ------
    ColdStartError
        The process failed, or the handler answered with a status of 400 or more.
    """
    job_path, result_path = workdir / f"{target.name}.json", workdir / f"{target.name}.result.json"
    job_path.write_text(json.dumps(target.job()))
    result_path.unlink(missing_ok=True)
    fetches_before = sum(stack.fetch_counts().values())
    cpu_before_s, wall_before_s = _cpu_of_children_s(), time.perf_counter()
    completed = subprocess.run(  # noqa: S603 - our own interpreter and script
        target.command(job_path, result_path),
        env=_child_environment(target),
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    process_wall_s, process_cpu_s = time.perf_counter() - wall_before_s, _cpu_of_children_s() - cpu_before_s
    if completed.returncode != 0:
        raise ColdStartError(f"{target.name} exited with {completed.returncode}:\n{completed.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(result_path.read_text()) if target.handler else {}
    if (result.get("status") or 0) >= 400:
        raise ColdStartError(f"{target.name} answered {result['status']} to its sample event")
    fetches = sum(stack.fetch_counts().values()) - fetches_before
    return {**result, "process_wall_s": process_wall_s, "process_cpu_s": process_cpu_s, "idp_fetches": fetches}


def measure(runs: int, *, seed: int = 0) -> list[ColdSamples]:
    """Run every target ``runs`` times in shuffled interleaved rounds, after one discarded warm-up round.

    The warm-up round writes bytecode caches and fills the page cache, which a Lambda deployment package would
    already have (pip compiles ``.pyc`` files at install time).

    Parameters
    ----------
    runs : int
        Measured rounds (each target once per round).
    seed : int
        Seed of the round order.

    Raises
    ------
    ColdStartError
        A run failed (see :func:`run_once`).
    """
    order = random.Random(seed)
    with running_stack(with_aws=True) as stack, tempfile.TemporaryDirectory(prefix="bench-cold-") as workdir:
        samples = {target.name: ColdSamples(target) for target in targets(stack)}
        for round_index in range(runs + 1):
            names = list(samples)
            order.shuffle(names)
            for name in names:
                result = run_once(samples[name].target, stack, Path(workdir))
                if round_index > 0:
                    samples[name].runs.append(result)
    return list(samples.values())


def _ms(seconds: float) -> str:
    return f"{seconds * MS_PER_S:.0f}"


def _loaded(samples: ColdSamples, key: str) -> list[str]:
    return sorted({name for run in samples.runs for name, loaded in run[key].items() if loaded})


def verdict(samples: ColdSamples) -> str:
    """Whether the target keeps the import rules: descope never at init, py-identity-model only in the authorizer
    (no function validates a token on its first read), boto3 only where the function has a table, discovery/JWKS
    primed at init by the authorizer and fetched by no other function."""
    target = samples.target
    at_init = set(_loaded(samples, "loaded_at_init"))
    after_call = set(_loaded(samples, "loaded_after_invoke"))
    problems = []
    if "descope" in at_init:
        problems.append("descope imported at init")
    if "boto3" in at_init and not target.uses_aws:
        problems.append("boto3 imported by a function without AWS resources")
    if target.name in TOKEN_VALIDATORS:
        caches = [run.get("identity_model_cache") or {} for run in samples.runs]
        if not all(cache.get("init_misses", 0) >= 2 and cache.get("invoke_misses") == 0 for cache in caches):
            problems.append("discovery/JWKS not primed at init")
    elif target.name in FIRST_EVENTS:
        if "py_identity_model" in after_call:
            problems.append("py_identity_model imported by a function that trusts the authorizer")
        if any(run["idp_fetches"] for run in samples.runs):
            problems.append("discovery/JWKS fetched by a function that trusts the authorizer")
    if sync := sorted({name for run in samples.runs for name in run.get("sync_callables", [])}):
        problems.append("sync route/dependency: " + "; ".join(sync))
    return "; ".join(problems) or "ok"


def render(results: Sequence[ColdSamples]) -> str:
    """Markdown tables: per target medians and checks, then paired ratios against stand-in (a)."""
    by_name = {samples.target.name: samples for samples in results}
    baseline = by_name[BASELINE]
    runs = len(baseline.runs)
    lines = [
        f"Medians of {runs} interleaved runs per target; times in ms. *init* = import of the handler module "
        "(priming included), *1st call* = the first invocation, *process* = the whole interpreter from spawn "
        "to exit, as the parent saw it.",
        "",
        "| target | init wall | init CPU | 1st call wall | 1st call CPU | process wall | process CPU | peak RSS MiB "
        "| imported at init | imported by 1st call | IdP fetches | status | verdict |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|---|",
    ]
    for samples in results:
        target = samples.target
        if not target.handler:
            lines.append(
                f"| {target.name} | | | | | {_ms(median(samples.values('process_wall_s')))} "
                f"| {_ms(median(samples.values('process_cpu_s')))} | | | | | | |"
            )
            continue
        at_init = set(_loaded(samples, "loaded_at_init"))
        by_call = [name for name in _loaded(samples, "loaded_after_invoke") if name not in at_init]
        statuses = sorted({"policy" if run["is_policy"] else str(run["status"]) for run in samples.runs})
        fetches = sorted({run["idp_fetches"] for run in samples.runs})
        lines.append(
            f"| {target.name} | {_ms(median(samples.values('init_wall_s')))} "
            f"| {_ms(median(samples.values('init_cpu_s')))} | {_ms(median(samples.values('invoke_wall_s')))} "
            f"| {_ms(median(samples.values('invoke_cpu_s')))} | {_ms(median(samples.values('process_wall_s')))} "
            f"| {_ms(median(samples.values('process_cpu_s')))} | {median(samples.values('peak_rss_mib')):.0f} "
            f"| {', '.join(sorted(at_init)) or '-'} | {', '.join(by_call) or '-'} "
            f"| {'/'.join(map(str, fetches))} | {'/'.join(statuses)} | {verdict(samples)} |"
        )
    lines += [
        "",
        "Whole-process ratios to stand-in (a), medians of per-round pairs:",
        "",
        "| target | CPU ratio | wall ratio | floor | peak RSS MiB (floor) |",
        "|---|---:|---:|---|---|",
    ]
    for samples in results:
        name = samples.target.name
        if name == BASELINE or not samples.target.handler:
            continue
        cpu = paired_ratio(samples.values("process_cpu_s"), baseline.values("process_cpu_s"))
        wall = paired_ratio(samples.values("process_wall_s"), baseline.values("process_wall_s"))
        rss = f"{median(samples.values('peak_rss_mib')):.0f}"
        if name in FLOOR_PEAK_RSS_MIB:
            rss += f" ({FLOOR_PEAK_RSS_MIB[name]})"
        lines.append(f"| {name} / (a) | {cpu:.2f} | {wall:.2f} | {FLOOR_RATIOS.get(name, '-')} | {rss} |")
    bare = by_name[BARE]
    a_over_bare_cpu = paired_ratio(baseline.values("process_cpu_s"), bare.values("process_cpu_s"))
    a_over_bare_wall = paired_ratio(baseline.values("process_wall_s"), bare.values("process_wall_s"))
    lines.append(
        f"| (a) / bare interpreter | {a_over_bare_cpu:.1f} | {a_over_bare_wall:.1f} | {FLOOR_A_OVER_BARE} "
        f"| {median(baseline.values('peak_rss_mib')):.0f} ({FLOOR_PEAK_RSS_MIB[BASELINE]}) |"
    )
    return "\n".join(lines)
