"""Per-client rate limiting: a token bucket per key (the client's IP address).

``RateLimiter(Rate.parse("120/minute"))`` allows bursts of up to 120 requests and
refills 2 tokens a second. The buckets live in this process: with ``merkki serve
--workers N`` each process limits on its own (a client gets at most N times the rate),
and behind a reverse proxy the proxy's address is every client's unless uvicorn is
told to trust ``X-Forwarded-For`` (``--forwarded-allow-ips``). The number of buckets
is bounded: the least recently used are dropped (a dropped bucket is a full one).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

_UNITS = {
    "second": 1.0,
    "s": 1.0,
    "minute": 60.0,
    "min": 60.0,
    "m": 60.0,
    "hour": 3600.0,
    "h": 3600.0,
    "day": 86400.0,
    "d": 86400.0,
}


@dataclass(frozen=True, slots=True)
class Rate:
    """``requests`` per ``period`` seconds; ``requests == 0``: unlimited."""

    requests: int
    period: float

    @property
    def unlimited(self) -> bool:
        return self.requests == 0

    @property
    def per_second(self) -> float:
        return self.requests / self.period


def parse_rate(text: str) -> Rate:
    """``"120/minute"``, ``"10/s"``, ``"5000/hour"``; ``"0"`` or ``"off"``: unlimited."""
    value = text.strip().lower()
    if value in ("0", "off", "none", "unlimited"):
        return Rate(0, 1.0)
    count, _, unit = value.partition("/")
    unit = unit.strip().removesuffix("s") if unit.strip() not in ("s",) else "s"
    if not count.strip().isdigit() or unit not in _UNITS or int(count) <= 0:
        raise ValueError(
            f"rate must look like '120/minute' (per second, minute, hour or day), got {text!r}"
        )
    return Rate(int(count), _UNITS[unit])


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    retry_after: float
    """Seconds until a request would be allowed (0 when allowed)."""
    remaining: int


class RateLimiter:
    """Thread-safe token buckets keyed by client; ``hit(key)`` takes one token."""

    def __init__(
        self,
        rate: Rate,
        *,
        max_clients: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.rate = rate
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        rate = self.rate
        if rate.unlimited:
            return Decision(True, 0.0, 0)
        now = self._clock()
        capacity = float(rate.requests)
        with self._lock:
            tokens, last = self._buckets.pop(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate.per_second)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[key] = (tokens, now)
            if len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        if allowed:
            return Decision(True, 0.0, int(tokens))
        wait = (1.0 - tokens) / rate.per_second
        return Decision(False, max(1.0, math.ceil(wait)), 0)
