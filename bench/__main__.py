"""``python -m bench [cold|warm|all] [--runs N] [--invocations N]``: run benchmarks and print Markdown results.

Run from the repository root with the project's virtualenv (``.venv/bin/python -m bench``); see bench/README.md.
"""

import argparse
import os
import sys
import time

from bench import cold_start, warm_path
from bench.machine import Machine

DEFAULT_COLD_RUNS = 5
DEFAULT_WARM_INVOCATIONS = 2000
DEFAULT_WARMUP = 100


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; ``--help`` lists the options and their defaults."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "benchmark", nargs="?", choices=("cold", "warm", "all"), default="all", help="which one (default %(default)s)"
    )
    parser.add_argument(
        "--runs", type=_positive, default=DEFAULT_COLD_RUNS, help="cold-start runs per target (default %(default)s)"
    )
    parser.add_argument(
        "--invocations",
        type=_positive,
        default=DEFAULT_WARM_INVOCATIONS,
        help="warm invocations per case (default %(default)s)",
    )
    parser.add_argument(
        "--warmup", type=_non_negative, default=DEFAULT_WARMUP, help="discarded warm rounds (default %(default)s)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the interleaving order (default %(default)s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks and print their results with the machine they ran on."""
    arguments = parse_arguments(argv)
    machine, load_before, started_s = Machine(), os.getloadavg(), time.perf_counter()
    sections = []
    if arguments.benchmark in ("cold", "all"):
        results = cold_start.measure(arguments.runs, seed=arguments.seed)
        sections.append("## Cold start\n\n" + cold_start.render(results))
    if arguments.benchmark in ("warm", "all"):
        result = warm_path.measure(arguments.invocations, warmup=arguments.warmup, seed=arguments.seed)
        sections.append("## Warm path\n\n" + warm_path.render(result))
    elapsed_s = time.perf_counter() - started_s
    header = f"{machine.describe(load_before, os.getloadavg())}\n- benchmark run took {elapsed_s:.0f} s"
    print("\n\n".join([header, *sections]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
