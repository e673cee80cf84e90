"""Benchmark: query latency while `python -m indexer update` ingests new articles.

    python -m tests.bench.load [--n 1000] [--base 0] [--threads 2] [--pause 0] [--batch-size N]
                               [--scaling-requests 200] [--workers 1 2] [--server-threads 8 1]
                               [--clients threads processes] [--rounds 1]

1. A corpus of the seed pages (plus --base synthetic pages from tests/bench/corpus.py) is
   indexed with `write.build`, and the real web server (`python -m webui`, waitress) is
   started on 127.0.0.1, on a port it binds itself (`--port 0`) and reports.
2. Idle: after one unmeasured pass over the query mix (common words, phrases, traditional
   characters, the batch tag and the new articles' markers), load-generator threads query
   /api/search for a bounded number of requests; every marker must find nothing yet.
   Then throughput: the same mix at 1, 2 and 4 clients, --scaling-requests requests per
   client each, as requests/s and the ratio 4 clients / 1 client (how far concurrent
   searches overlap: 1.0 means they are served one at a time), on a server of each
   --workers and --server-threads value, with clients as threads of this process or one
   process each (--clients; tests/bench/scaling.py). `--n 0` stops after this step.
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

All traffic goes to 127.0.0.1 only, and every request loop has a cap and a deadline. The
client is tests/bench/client.py, the ingest and its sweep tests/bench/ingest.py.
The integration test tests/integration/test_live_load.py runs the same scenario, smaller.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.bench.client import COMMON_QUERIES, LoadRun, search_total, serve, summary, tag_counts
from tests.bench.ingest import run_update, unfound
from tests.bench.scaling import CLIENTS, medians, per_server, report_lines, scaling

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
log = logging.getLogger("bench.load")


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
    server_threads: Sequence[int] = (),
    clients: Sequence[str] = ("threads",),
    rounds: int = 1,
) -> dict[str, Any]:
    """Build, serve, measure idle, ingest n articles under load, verify (n = 0: build and
    measure throughput only). Figures as a dict."""
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

        def measure(port: int, kind: str) -> dict[str, Any]:
            for q in dict.fromkeys(queries):  # warm-up, unmeasured
                search_total(port, q)
            return scaling(
                port, queries, requests_per_thread=scaling_requests, pause=pause, clients=kind
            )

        results["scaling"] = per_server(
            workers or (None,), server_threads or (None,), clients, index, corpus, measure, rounds
        )
    if not n:
        return results
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
    lines = report_lines(medians(r.get("scaling", [])))
    if "idle" in r:
        lines = ingest_lines(r) + lines
    return "\n".join(lines)


def ingest_lines(r: dict[str, Any]) -> list[str]:
    """The idle and during-ingest latencies, the update and the sweep, as report lines."""
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
    for name in ("idle", "during_ingest"):
        for err in r[name]["errors"]:
            lines.append(f"error ({name}): {err}")
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m tests.bench.load", description=__doc__.split("\n")[0]
    )
    p.add_argument(
        "--n",
        type=int,
        default=1000,
        help="new articles to ingest (default 1000; 0: measure throughput only)",
    )
    p.add_argument("--base", type=int, default=0, help="synthetic pages indexed beforehand")
    p.add_argument("--threads", type=int, default=2, help="query threads (default 2)")
    p.add_argument("--pause", type=float, default=0.0, help="seconds between a thread's requests")
    p.add_argument("--batch-size", type=int, help="update's docs per commit (default: its own)")
    p.add_argument(
        "--scaling-requests",
        type=int,
        default=200,
        help="requests per client at 1, 2 and 4 clients (0: skip; default 200)",
    )
    p.add_argument(
        "--server-threads",
        type=int,
        nargs="+",
        default=[],
        help="threads per server worker (python -m webui --threads) to measure throughput "
        "on, one server each (default: the server's own)",
    )
    p.add_argument(
        "--clients",
        nargs="+",
        choices=CLIENTS,
        default=["threads"],
        help="throughput clients: threads of this process, or one process each "
        "(the server's own rate, without the client's GIL); several: each (default threads)",
    )
    p.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[],
        help="server worker processes (python -m webui --workers); several values: "
        "throughput is measured on a server of each, the ingest on the first "
        "(default: the server's own, two per CPU)",
    )
    p.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="throughput rounds, each measuring every server in turn (figures: medians)",
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
            args.server_threads,
            args.clients,
            args.rounds,
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
    failed = any(sc["failures"] for sc in results.get("scaling", [])) or (
        args.n
        and (
            results["idle"]["failures"]
            or results["during_ingest"]["failures"]
            or results["update"]["returncode"]
            or results["missed_by_first_sweep"]
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
