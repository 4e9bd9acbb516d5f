"""A bounded load test for a Chronicle server on this machine, and a helper to run one in-process.

``run_load(url, requests=2000, concurrency=20)`` sends exactly ``requests`` GETs over at most
``concurrency`` connections and reports latency percentiles. It refuses any host that is not a
loopback address: it is for measuring our own server, never anyone else's.

    python -m chronicle.serve.loadtest http://127.0.0.1:8000/api/events --requests 2000
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import socket
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    """What a load run measured (latencies in milliseconds)."""

    url: str
    requests: int
    concurrency: int
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile (nearest rank) of the latencies."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
        return ordered[rank - 1]

    @property
    def failures(self) -> int:
        """Transport errors plus non-2xx answers."""
        return len(self.errors) + sum(n for s, n in self.statuses.items() if not 200 <= s < 300)

    def summary(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "requests": self.requests,
            "concurrency": self.concurrency,
            "failures": self.failures,
            "statuses": dict(self.statuses),
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests / self.seconds, 1) if self.seconds else None,
            "mean_ms": round(statistics.fmean(self.latencies_ms), 1) if self.latencies_ms else None,
            **{f"p{p}_ms": round(self.percentile(p), 1) for p in (50, 90, 95, 99)},
            "max_ms": round(max(self.latencies_ms), 1) if self.latencies_ms else None,
        }


def require_loopback(url: str) -> None:
    """ValueError unless ``url`` points at this machine (127.0.0.0/8, ::1 or localhost)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"{url}: load tests only target a server on this machine (127.0.0.1)")


async def _load(url: str, requests: int, concurrency: int, timeout: float) -> LoadResult:
    import httpx

    result = LoadResult(url, requests, concurrency, 0.0)
    remaining = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:

        async def worker() -> None:
            for _ in remaining:  # shared iterator: exactly ``requests`` in total
                started = time.perf_counter()
                try:
                    response = await client.get(url)
                    await response.aread()
                except httpx.HTTPError as exc:
                    result.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                result.statuses[response.status_code] += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - began
    return result


def run_load(
    url: str, *, requests: int = 2000, concurrency: int = 20, timeout: float = 30.0
) -> LoadResult:
    """Send ``requests`` GETs to ``url`` over ``concurrency`` connections; bounded in count."""
    require_loopback(url)
    if not 1 <= concurrency <= 200 or not 1 <= requests <= 100_000:
        raise ValueError("requests must be 1..100000 and concurrency 1..200")
    return asyncio.run(_load(url, requests, concurrency, timeout))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(app: Any, port: int | None = None) -> Iterator[str]:
    """Serve ``app`` with uvicorn on 127.0.0.1 in a background thread; yields its base URL."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="e.g. http://127.0.0.1:8000/api/events")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args(argv)
    result = run_load(args.url, requests=args.requests, concurrency=args.concurrency)
    for key, value in result.summary().items():
        print(f"{key:>20}: {value}")
    for err in result.errors[:5]:
        print("error:", err)
    return 1 if result.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
