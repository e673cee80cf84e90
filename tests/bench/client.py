"""The load benchmark's client: the real server in a process of its own, and threads that
query it.

Used by tests/bench/load.py (latency while `update` ingests), tests/bench/scaling.py
(throughput per client count) and tests/bench/freshness.py; the integration test
tests/integration/test_live_load.py runs the same client, smaller. All traffic goes to
127.0.0.1 only, and every request loop has a cap and a deadline.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import random
import statistics
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.helpers import webui_process

HOST = "127.0.0.1"  # the only address this module ever sends traffic to

# Queries every phase sends, besides the tag and markers: common words, two words, a phrase,
# traditional characters, a single character.
COMMON_QUERIES = ("科技创新", "内蒙古", "稀土 新材料", '"科技成果转化"', "鄂爾多斯", "稀")

# --- server ------------------------------------------------------------------------------


@contextlib.contextmanager
def serve(
    index: Path,
    corpus: Path,
    *,
    start_timeout: float = 120.0,
    workers: int | None = None,
    threads: int | None = None,
) -> Iterator[int]:
    """Run `python -m webui` on 127.0.0.1 until the block ends; yield the port it bound.

    The server binds port 0 and names its port once it listens (tests/helpers.py), so no
    port is guessed and nothing is retried. One request is sent before yielding, so the
    first measured request does not pay for the server's imports. `workers`: the
    server's --workers (None: its default, two per CPU); `threads`: its --threads per
    worker (None: its default).
    """
    args = () if workers is None else ("--workers", str(workers))
    args += () if threads is None else ("--threads", str(threads))
    with webui_process(index, corpus, *args, start_timeout=start_timeout) as (port, output):
        give_up = time.monotonic() + start_timeout
        while True:
            status, body = get_search(port, "科技", timeout=start_timeout)
            # Over its time budget, the first request of a worker that has just opened a
            # large index may answer 503 search_timeout: the server is up, its caches cold.
            if status == 503 and b"search_timeout" in body and time.monotonic() < give_up:
                continue
            if status != 200:
                raise RuntimeError(f"server answered {status}: {body[:200]!r}; {output.text()}")
            break
        yield port


def get_search(
    port: int, q: str, *, timeout: float = 10.0, conn: http.client.HTTPConnection | None = None
) -> tuple[int, bytes]:
    """GET /api/search?q=... on 127.0.0.1:port; (status, body)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", f"/api/search?q={quote(q)}&per_page=10")
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


# --- load generator ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One request: when it started (s since the run began), how long it took, its answer.

    `ok` means status 200 and a JSON body with an integer `total`; `ids` are the hit ids.
    """

    thread: int
    started: float
    ms: float
    query: str
    ok: bool
    status: int = 0
    total: int = -1
    ids: tuple[str, ...] = ()
    error: str = ""


def parse_result(status: int, body: bytes) -> tuple[bool, int, tuple[str, ...], str]:
    """(ok, total, hit ids, error) for one /api/search answer."""
    if status != 200:
        return False, -1, (), f"HTTP {status}: {body[:200]!r}"
    try:
        data = json.loads(body)
        total = data["total"]
        ids = tuple(h["id"] for h in data["hits"])
    except (ValueError, KeyError, TypeError) as exc:
        return False, -1, (), f"bad JSON: {exc}: {body[:200]!r}"
    if not isinstance(total, int):
        return False, -1, (), f"bad total {total!r}"
    return True, total, ids, ""


def search_total(port: int, q: str) -> int:
    """The `total` of one search; RuntimeError if the answer is not a valid 200."""
    ok, total, _, error = parse_result(*get_search(port, q))
    if not ok:
        raise RuntimeError(f"search {q!r} failed: {error}")
    return total


@dataclass
class LoadRun:
    """Threads that query the server until told to stop, a request cap or a deadline.

    Each thread keeps one keep-alive connection (reopened after an error) and picks its
    queries from `queries` with its own seeded random generator; samples are appended under
    a lock. Bounded on purpose: at most `max_requests` in all and `max_seconds` of time.
    """

    port: int
    queries: Sequence[str]
    threads: int = 2
    max_requests: int = 20_000
    max_seconds: float = 120.0
    pause: float = 0.0
    seed: int = 3
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)
    _t0: float = 0.0
    _sent: int = 0

    @property
    def started(self) -> float:
        """When start() was called (time.monotonic); samples' `started` count from here."""
        return self._t0

    def start(self) -> LoadRun:
        self._t0 = time.monotonic()
        for n in range(self.threads):
            worker = threading.Thread(target=self._loop, args=(n,), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def stop(self) -> list[Sample]:
        """Stop the threads (each finishes its request in flight); the samples in time order."""
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=30)
        return sorted(self.samples, key=lambda s: s.started)

    def wait(self) -> list[Sample]:
        """Wait until the cap or the deadline stops the threads by themselves."""
        for worker in self._workers:
            worker.join(timeout=self.max_seconds + 30)
        return self.stop()

    def _take_slot(self) -> bool:
        with self._lock:
            if self._sent >= self.max_requests:
                return False
            self._sent += 1
            return True

    def _loop(self, n: int) -> None:
        rng = random.Random(self.seed * 1000 + n)
        deadline = self._t0 + self.max_seconds
        conn: http.client.HTTPConnection | None = None
        while not self._stop.is_set() and time.monotonic() < deadline and self._take_slot():
            q = rng.choice(self.queries)
            if conn is None:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=10.0)
            t = time.monotonic()
            try:
                status, body = get_search(self.port, q, conn=conn)
                ok, total, ids, error = parse_result(status, body)
            except (OSError, http.client.HTTPException) as exc:
                status, ok, total, ids, error = 0, False, -1, (), f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = None
            ms = (time.monotonic() - t) * 1000
            sample = Sample(n, t - self._t0, ms, q, ok, status, total, ids, error)
            with self._lock:
                self.samples.append(sample)
            if self.pause:
                time.sleep(self.pause)
        if conn is not None:
            conn.close()


def percentile(values: Sequence[float], p: int) -> float:
    """The p-th percentile (inclusive method); 0.0 for no values."""
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def summary(samples: Sequence[Sample]) -> dict[str, Any]:
    """Latency percentiles (ms, successful requests), counts and the first few errors."""
    ms = [s.ms for s in samples if s.ok]
    failed = [s for s in samples if not s.ok]
    span = (samples[-1].started + samples[-1].ms / 1000 - samples[0].started) if samples else 0
    return {
        "requests": len(samples),
        "failures": len(failed),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "max_ms": round(max(ms), 1) if ms else 0.0,
        "req_per_s": round(len(samples) / span, 1) if span else 0.0,
        "errors": [f"{s.query}: {s.error}" for s in failed[:5]],
    }


def tag_counts(samples: Sequence[Sample], tag: str) -> dict[int, list[int]]:
    """Per load thread, the tag query's totals in the order that thread saw them."""
    out: dict[int, list[int]] = {}
    for s in sorted(samples, key=lambda s: s.started):
        if s.ok and s.query == tag:
            out.setdefault(s.thread, []).append(s.total)
    return out
