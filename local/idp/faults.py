"""Fault injection: make the next N calls to a path fail in a chosen way (tests of upstream failure handling)."""

import fnmatch
import threading
from dataclasses import dataclass
from enum import StrEnum


class FaultKind(StrEnum):
    """How an affected call fails."""

    ERROR = "error"  # answer `status` (5xx by default) with a Descope error body
    TIMEOUT = "timeout"  # hold the response for `delay_s`, longer than any sane client timeout
    RATE_LIMIT = "rate_limit"  # 429 with Retry-After and E130429
    MALFORMED = "malformed"  # 200 with a body that is not JSON


@dataclass
class Fault:
    """One armed fault: ``remaining`` calls matching ``path`` (an fnmatch pattern) fail as ``kind``."""

    path: str
    kind: FaultKind
    remaining: int
    status: int = 500
    delay_s: float = 30.0
    retry_after_s: int = 1


class FaultInjector:
    """Thread-safe list of armed faults; tests arm them from their own thread while the server runs.

    Examples
    --------
    >>> faults = FaultInjector()
    >>> faults.add("/v1/mgmt/tenant/*", FaultKind.ERROR, count=2, status=500)
    >>> faults.take("/v1/mgmt/tenant/search").status
    500
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(
        self,
        path: str,
        kind: FaultKind | str,
        *,
        count: int = 1,
        status: int = 500,
        delay_s: float = 30.0,
        retry_after_s: int = 1,
    ) -> Fault:
        """Arm a fault for the next ``count`` calls whose path matches ``path`` (exact or fnmatch pattern).

        Raises
        ------
        ValueError
            Unknown kind, ``count`` below 1, or an ``error`` status outside 400-599.
        """
        fault = Fault(path, FaultKind(kind), count, status, delay_s, retry_after_s)
        if count < 1 or not 400 <= status <= 599:
            raise ValueError("count must be positive and status a 4xx/5xx code")
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, path: str) -> Fault | None:
        """Consume one use of the first armed fault matching ``path``; None when the call should succeed."""
        with self._lock:
            for fault in self._faults:
                if fnmatch.fnmatchcase(path, fault.path):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        """Snapshot of the armed faults."""
        with self._lock:
            return list(self._faults)
