"""Where a benchmark ran: machine, Python, package versions and load, stated with every result."""

import os
import platform
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

# Distributions whose versions the floors were measured with, plus what the functions add on top.
PACKAGES = (
    "fastapi",
    "mangum",
    "aws-lambda-powertools",
    "py-identity-model",
    "descope",
    "pyjwt",
    "pydantic",
    "httpx",
    "boto3",
)
CPUINFO = Path("/proc/cpuinfo")


def _cpu_model() -> str:
    try:
        for line in CPUINFO.read_text().splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


@dataclass(frozen=True)
class Machine:
    """A snapshot of the machine and software a benchmark ran on."""

    cpu: str = field(default_factory=_cpu_model)
    cores: int = field(default_factory=lambda: os.cpu_count() or 1)
    system: str = field(default_factory=platform.platform)
    python: str = field(default_factory=lambda: sys.version.split()[0])
    packages: dict[str, str] = field(default_factory=lambda: {name: metadata.version(name) for name in PACKAGES})

    def describe(self, load_before: tuple[float, float, float], load_after: tuple[float, float, float]) -> str:
        """Markdown lines: machine, Python, packages, and the 1/5/15-minute load averages before and after."""
        packages = ", ".join(f"{name} {version}" for name, version in self.packages.items())
        return "\n".join(
            [
                f"- machine: {self.cpu}, {self.cores} cores, {self.system} (shared with other jobs)",
                f"- Python {self.python}; {packages}",
                f"- load average before {_load(load_before)}, after {_load(load_after)}",
            ]
        )


def _load(load: tuple[float, float, float]) -> str:
    return "/".join(f"{value:.2f}" for value in load)
