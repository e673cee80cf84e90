"""Benchmark: query latency while `python -m indexer update` ingests new articles.

    python -m tests.bench.load [--n 1000] [--base 0] [--threads 2] [--pause 0] [--batch-size N]
                               [--scaling-requests 200] [--workers 1 2]

1. A corpus of the seed pages (plus --base synthetic pages from tests/bench/corpus.py) is
   indexed with `write.build`, and the real web server (`python -m webui`, waitress) is
   started on 127.0.0.1, on a port it binds itself (`--port 0`) and reports.
2. Idle: after one unmeasured pass over the query mix (common words, phrases, traditional
   characters, the batch tag and the new articles' markers), load-generator threads query
   /api/search for a bounded number of requests; every marker must find nothing yet.
   Then throughput: the same mix at 1, 2 and 4 client threads, --scaling-requests requests
   per thread each, as requests/s and the ratio 4 threads / 1 thread (how far concurrent
   searches overlap: 1.0 means they are served one at a time), once per --workers value
   on a server of that many processes (tests/bench/scaling.py).
3. Ingest: --n new pages, each with a unique marker (tests/helpers_corpus.py), land in the
   corpus folder and `python -m indexer update` runs as a subprocess while the same load
   runs until the update exits (bounded by a request cap and a deadline).
4. Right after the update exits, the tag query must count all n, and one sweep searches
   every marker once: each must return exactly its article (misses are then retried until
   a deadline, to tell "late" from "lost").
Printed (and written to --out as Markdown and JSON): idle and during-ingest latency
p50/p95/max, request counts, failures, ingest seconds, the tag counts the server returned
while the update committed its batches, and the time from the update's start until every
new article was confirmed searchable. Exits 1 if any request failed, the update failed, or
an article was not found by the first sweep.

All traffic goes to 127.0.0.1 only, and every request loop has a cap and a deadline.
The integration test tests/integration/test_live_load.py runs the same scenario, smaller.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.helpers import webui_process

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
HOST = "127.0.0.1"  # the only address this module ever sends traffic to
log = logging.getLogger("bench.load")

# Queries every phase sends, besides the tag and markers: common words, two words, a phrase,
# traditional characters, a single character.
COMMON_QUERIES = ("科技创新", "内蒙古", "稀土 新材料", '"科技成果转化"', "鄂爾多斯", "稀")


# --- server ------------------------------------------------------------------------------


@contextlib.contextmanager
def serve(
    index: Path, corpus: Path, *, start_timeout: float = 120.0, workers: int | None = None
) -> Iterator[int]:
    """Run `python -m webui` on 127.0.0.1 until the block ends; yield the port it bound.

    The server binds port 0 and names its port once it listens (tests/helpers.py), so no
    port is guessed and nothing is retried. One request is sent before yielding, so the
    first measured request does not pay for the server's imports. `workers`: the
    server's --workers (None: its default, one per CPU).
    """
    args = () if workers is None else ("--workers", str(workers))
    with webui_process(index, corpus, *args, start_timeout=start_timeout) as (port, output):
        status, body = get_search(port, "科技", timeout=start_timeout)
        if status != 200:
            raise RuntimeError(f"server answered {status}: {body[:200]!r}; {output.text()}")
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


# --- ingest and verification -------------------------------------------------------------


@dataclass(frozen=True)
class UpdateRun:
    returncode: int
    seconds: float
    added: int | None
    output: str


def run_update(corpus: Path, index: Path, *, batch_size: int | None, timeout: float) -> UpdateRun:
    """`python -m indexer update` as its own process, as an operator would run it."""
    cmd = [sys.executable, "-m", "indexer", "update", "--corpus", str(corpus)]
    cmd += ["--index", str(index)]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - t0
    match = re.search(r"added: (\d+);", proc.stdout)
    return UpdateRun(
        proc.returncode,
        seconds,
        int(match.group(1)) if match else None,
        proc.stdout + proc.stderr,
    )


def unfound(port: int, expected: dict[str, str], *, deadline: float) -> dict[str, str]:
    """Search each marker once (then the misses again until `deadline`, a monotonic time).

    `expected` maps marker -> article id; a marker counts as found when its search returns
    exactly that one article. Returns the markers still not found, with what came back.
    """
    missing = dict(expected)
    problems: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=10.0)
    try:
        while missing:
            for mark, doc_id in list(missing.items()):
                try:
                    status, body = get_search(port, mark, conn=conn)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10.0)
                    problems[mark] = f"{type(exc).__name__}: {exc}"
                    continue
                ok, total, ids, error = parse_result(status, body)
                if ok and total == 1 and ids == (doc_id,):
                    del missing[mark]
                    problems.pop(mark, None)
                else:
                    problems[mark] = error or f"total {total}, ids {list(ids)}"
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        conn.close()
    return {mark: problems.get(mark, "") for mark in missing}


# --- the benchmark -----------------------------------------------------------------------


def scenario(
    work: Path,
    n: int,
    base: int,
    threads: int,
    pause: float,
    batch_size: int | None,
    scaling_requests: int = 200,
    workers: Sequence[int] = (),
) -> dict[str, Any]:
    """Build, serve, measure idle, ingest n articles under load, verify. Figures as a dict."""
    from indexer import write
    from indexer.extract.pipeline import article_id
    from tests.bench.corpus import make_corpus
    from tests.helpers_corpus import TAG, marker, write_marked_articles

    corpus, index = work / "corpus", work / "index"
    shutil.copytree(SEEDS, corpus)
    if base:
        t = time.monotonic()
        make_corpus(corpus / "base", base)
        log.info("base corpus: %d pages in %.0f s", base, time.monotonic() - t)
    t = time.monotonic()
    built = write.build(corpus, index)
    log.info("built %d articles in %.1f s", built.articles, time.monotonic() - t)
    markers = [marker(i) for i in range(n)]
    queries = [*COMMON_QUERIES, TAG, TAG, *random.Random(5).sample(markers, min(n, 40))]
    results: dict[str, Any] = {
        "n": n,
        "base_articles": built.articles,
        "threads": threads,
        "pause_s": pause,
        "batch_size": batch_size,
    }
    if scaling_requests:
        from tests.bench.scaling import per_workers, scaling  # built on this module

        def measure(port: int) -> dict[str, Any]:
            for q in dict.fromkeys(queries):  # warm-up, unmeasured
                search_total(port, q)
            return scaling(port, queries, requests_per_thread=scaling_requests, pause=pause)

        results["scaling"] = per_workers(workers or (None,), index, corpus, measure)
    with serve(index, corpus, workers=workers[0] if workers else None) as port:
        for q in dict.fromkeys(queries):  # warm-up, unmeasured: first-use caches and arrays
            search_total(port, q)
        idle = LoadRun(
            port, queries, threads=threads, max_requests=600, max_seconds=60, pause=pause
        )
        idle.start()
        idle_samples = idle.wait()
        results["idle"] = summary(idle_samples)
        results["idle"]["marker_hits_before_ingest"] = sum(
            1 for s in idle_samples if s.ok and s.query not in COMMON_QUERIES and s.total
        )
        t = time.monotonic()
        articles = write_marked_articles(corpus, n)
        results["write_seconds"] = round(time.monotonic() - t, 2)
        expected = {a.marker: article_id(a.relpath) for a in articles}
        load = LoadRun(
            port, queries, threads=threads, max_requests=200_000, max_seconds=1800, pause=pause
        )
        load.start()
        t_update = time.monotonic()
        try:
            update = run_update(corpus, index, batch_size=batch_size, timeout=1800)
        finally:
            during = load.stop()
        results["update"] = {
            "returncode": update.returncode,
            "added": update.added,
            "seconds": round(update.seconds, 2),
        }
        if update.returncode != 0:
            log.error("update failed: %s", update.output)
        results["during_ingest"] = summary(during)
        counts = tag_counts(during, TAG)
        results["tag_totals_seen"] = sorted({c for seq in counts.values() for c in seq})
        results["tag_totals_monotonic"] = all(
            a <= b for seq in counts.values() for a, b in zip(seq, seq[1:], strict=False)
        )
        results["tag_total_after_update"] = search_total(port, TAG)
        results["visible_all_s"] = round(time.monotonic() - t_update, 2)
        first = unfound(port, expected, deadline=time.monotonic())  # one pass, no retry
        results["searchable_all_s"] = round(time.monotonic() - t_update, 2)
        results["verify_after_update_s"] = round(results["searchable_all_s"] - update.seconds, 2)
        results["missed_by_first_sweep"] = len(first)
        missing = unfound(port, first, deadline=time.monotonic() + 60) if first else {}
        results["not_found"] = len(missing)
        results["not_found_examples"] = dict(list(missing.items())[:5])
    return results


def report(r: dict[str, Any]) -> str:
    idle, busy, up = r["idle"], r["during_ingest"], r["update"]
    lines = [
        f"Load during ingest: {r['n']} new articles over {r['base_articles']} indexed, "
        f"{r['threads']} query threads on 127.0.0.1 (pause {r['pause_s']} s), "
        f"update batch size {r['batch_size'] or 'default'}",
        "",
        "| measure | idle | during ingest |",
        "|---|---|---|",
        f"| requests | {idle['requests']} | {busy['requests']} |",
        f"| failed requests | {idle['failures']} | {busy['failures']} |",
        f"| p50 ms | {idle['p50_ms']} | {busy['p50_ms']} |",
        f"| p95 ms | {idle['p95_ms']} | {busy['p95_ms']} |",
        f"| max ms | {idle['max_ms']} | {busy['max_ms']} |",
        f"| requests/s | {idle['req_per_s']} | {busy['req_per_s']} |",
        "",
        f"update: exit {up['returncode']}, added {up['added']}, {up['seconds']} s "
        f"({r['n'] / up['seconds']:.0f} articles/s under load)",
        f"tag totals the server returned during the update: {r['tag_totals_seen']} "
        f"(monotonic per thread: {r['tag_totals_monotonic']})",
        f"right after the update exited ({r['visible_all_s']} s after it started) the tag "
        f"query returned {r['tag_total_after_update']} of {r['n']}",
        f"one sweep of {r['n']} marker queries, started at the update's exit, found all but "
        f"{r['missed_by_first_sweep']}; done {r['searchable_all_s']} s after the update "
        f"started ({r['verify_after_update_s']} s after it exited); never found: "
        f"{r['not_found']}",
        f"marker hits before ingest (must be 0): {idle['marker_hits_before_ingest']}",
    ]
    if "scaling" in r:
        from tests.bench.scaling import report_lines  # built on this module

        lines += report_lines(r["scaling"])
    for name in ("idle", "during_ingest"):
        for err in r[name]["errors"]:
            lines.append(f"error ({name}): {err}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m tests.bench.load", description=__doc__.split("\n")[0]
    )
    p.add_argument("--n", type=int, default=1000, help="new articles to ingest (default 1000)")
    p.add_argument("--base", type=int, default=0, help="synthetic pages indexed beforehand")
    p.add_argument("--threads", type=int, default=2, help="query threads (default 2)")
    p.add_argument("--pause", type=float, default=0.0, help="seconds between a thread's requests")
    p.add_argument("--batch-size", type=int, help="update's docs per commit (default: its own)")
    p.add_argument(
        "--scaling-requests",
        type=int,
        default=200,
        help="requests per client thread at 1, 2 and 4 threads (0: skip; default 200)",
    )
    p.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[],
        help="server worker processes (python -m webui --workers); several values: "
        "throughput is measured on a server of each, the ingest on the first "
        "(default: the server's own, one per CPU)",
    )
    p.add_argument("--out", type=Path, default=ROOT / "bench-results", help="results folder")
    p.add_argument(
        "--work", type=Path, help="new working folder, kept (default: a temp dir, removed)"
    )
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    work = args.work or Path(tempfile.mkdtemp(prefix="nmg-load-"))
    try:
        results = scenario(
            work,
            args.n,
            args.base,
            args.threads,
            args.pause,
            args.batch_size,
            args.scaling_requests,
            args.workers,
        )
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"load-{args.n}-base{args.base}"
    (args.out / f"{stem}.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    (args.out / f"{stem}.md").write_text(text + "\n")
    print(text)
    failed = (
        results["idle"]["failures"]
        or results["during_ingest"]["failures"]
        or results["update"]["returncode"]
        or results["missed_by_first_sweep"]
        or any(sc["failures"] for sc in results.get("scaling", {}).values())
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
