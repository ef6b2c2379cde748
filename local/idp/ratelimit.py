"""Per-project request budget of the Descope API paths (sliding window), answered with 429 and Retry-After."""

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class RateLimiter:
    """At most ``requests`` calls per project in any ``window_s`` seconds.

    Parameters
    ----------
    requests : int
        Budget per window; Descope documents 1000 per 10 s for backend SDK traffic.
    window_s : float
        Window length in seconds.
    clock : Callable[[], float]
        Monotonic clock, injectable for tests.
    """

    def __init__(self, requests: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self.configure(requests, window_s)

    def configure(self, requests: int, window_s: float) -> None:
        """Change the budget and forget past calls."""
        with self._lock:
            self.requests = requests
            self.window_s = window_s
            self._calls.clear()

    def check(self, project_id: str) -> int | None:
        """Record a call; return None if it is within budget, else the seconds until a slot frees (≥ 1)."""
        with self._lock:
            now = self._clock()
            calls = self._calls[project_id]
            while calls and calls[0] <= now - self.window_s:
                calls.popleft()
            if len(calls) >= self.requests:
                return max(1, math.ceil(calls[0] + self.window_s - now))
            calls.append(now)
            return None
