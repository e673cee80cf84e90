"""Benchmark: how soon a new article is searchable, and what `update` costs, at N articles.

    python -m tests.bench.freshness [--n 100000] [--work DIR] [--keep] [--out bench-results]
                                    [--samples 10] [--interval 1.0] [--against DIR]

1. A synthetic corpus of N pages (tests/bench/run.py's generator), indexed with
   `write.build` (an index already in --work is reused, so the slow part runs once).
2. Update cost: `python -m indexer update` as a subprocess (what an operator runs, with
   interpreter start and imports) with 0, 1, 100 and 1,000 new pages, each page carrying a
   unique marker (tests/helpers_corpus.py); after each run every new marker must be found
   in the index. The in-process seconds reported by the command are recorded too.
3. Watch latency: the web server (`python -m webui`) and `python -m indexer watch` run;
   one page at a time lands in the corpus folder (written under a temporary name, then
   renamed, as a copy tool does), and /api/search is polled every 20 ms for its marker.
   Latency = rename -> first answer with total 1. Reported: p50, p95 and max of --samples.
   With --against DIR (another checkout of the project, say the commit before a change to
   the watcher), its watcher is timed too, on the same corpus and index, in alternating
   rounds, and the p50 ratio this/other is reported (both must read the same index format).
Results go to --out as Markdown and JSON, and to stdout. Target: a single new
article searchable in under 2 s; a no-change update under 1 s.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from indexer.index import errors
from tests.bench.client import search_total, serve
from tests.bench.corpus import make_corpus
from tests.helpers_corpus import write_marked_articles

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("freshness")
POLL = 0.02  # seconds between searches while waiting for a new page
DEADLINE = 60.0  # give up on one page after this long (reported as a miss)
_SECONDS = re.compile(r"([0-9.]+) s\)?$")


def _cli(*args: str, timeout: float = 3600) -> tuple[float, str]:
    """Run `python -m indexer ...`; (wall seconds, stdout). Raises if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"indexer {args[0]} failed: {proc.stderr.strip()[-500:]}")
    return wall, proc.stdout


def _reported_seconds(out: str) -> float | None:
    """The seconds figure the update command prints at the end of its summary line."""
    first = out.strip().splitlines()[0] if out.strip() else ""
    m = _SECONDS.search(first)
    return float(m.group(1)) if m else None


def _all_found(index: Path, markers: list[str]) -> int:
    """How many markers an exact literal match finds in the current index generation."""
    from indexer.read.query import Term
    from indexer.read.searcher import Searcher

    gen = Searcher(index, cache_size=0)._current()
    return sum(1 for m in markers if (gen.term_masks(Term(m))[0] & gen.columns.live).any())


def measure_updates(
    corpus: Path, index: Path, sizes: list[int], start: int, named: bool = False
) -> list[dict]:
    """`update` after n new pages, for each n in `sizes`: the corpus walked, or (`named`)
    the new pages named on the command line (`update PAGE...`, no walk)."""
    rows = []
    for n in sizes:
        marked = write_marked_articles(corpus, n, folder="fresh-updates", start=start) if n else []
        start += n
        pages = [str(corpus / m.relpath) for m in marked] if named else []
        wall, out = _cli("update", "--corpus", str(corpus), "--index", str(index), *pages)
        found = _all_found(index, [m.marker for m in marked])
        rows.append(
            {
                "new_files": n,
                "named": named,
                "wall_s": round(wall, 3),
                "in_process_s": _reported_seconds(out),
                "found": found,
                "summary": out.strip().splitlines()[0] if out.strip() else "",
            }
        )
        log.info("update with %d new: %.2f s wall (%s)", n, wall, rows[-1]["summary"])
    return rows


def measure_watch(
    corpus: Path, index: Path, samples: int, interval: float, start: int, root: Path = ROOT
) -> dict[str, Any]:
    """Watch latency of the watcher in the checkout `root` (this one by default)."""
    cmd = [sys.executable, "-m", "indexer", "watch", "--corpus", str(corpus)]
    cmd += ["--index", str(index), "--interval", str(interval)]
    latencies: list[float] = []
    misses = 0
    with serve(index, corpus) as port, tempfile.TemporaryFile() as out:
        watcher = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT)
        try:
            time.sleep(max(3 * interval, 2.0))  # the catch-up update at start
            for k in range(samples):
                page = write_marked_articles(corpus, 1, folder="fresh-watch", start=start + k)[0]
                landed = time.perf_counter()
                while time.perf_counter() - landed < DEADLINE:
                    if search_total(port, page.marker) == 1:
                        latencies.append(time.perf_counter() - landed)
                        break
                    time.sleep(POLL)
                else:
                    misses += 1
                log.info("watch sample %d: %s", k, latencies[-1] if latencies else None)
                time.sleep(interval * 0.37)  # land the next page at a different poll phase
        finally:
            watcher.terminate()
            watcher.wait(timeout=30)
            out.seek(0)
            lines = out.read().decode("utf-8", errors="replace").splitlines()
    # The watcher prints one summary per indexing call; its seconds are the writer's share.
    commits = sorted(
        float(m.group(1))
        for line in lines
        if line.startswith("added: 1;") and (m := _SECONDS.search(line))
    )
    lat = sorted(latencies)
    return {
        "samples": samples,
        "interval_s": interval,
        "misses": misses,
        "p50_s": round(statistics.median(lat), 3) if lat else None,
        "p95_s": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 3) if lat else None,
        "max_s": round(lat[-1], 3) if lat else None,
        "all_s": [round(x, 3) for x in latencies],
        "index_call_p50_s": round(statistics.median(commits), 3) if commits else None,
        "index_call_max_s": round(commits[-1], 3) if commits else None,
    }


def report(r: dict[str, Any]) -> str:
    lines = [
        f"Freshness at N = {r['n']:,} indexed articles (build {r['build_s']} s, "
        f"{r['segments']} segments)",
        "",
        "| update | wall s (CLI, incl. start-up) | in-process s | new pages found |",
        "|---|---|---|---|",
    ]
    for row in r["updates"]:
        how = "new files, named (`update PAGE`)" if row.get("named") else "new files"
        lines.append(
            f"| {row['new_files']} {how} | {row['wall_s']} | {row['in_process_s']} | "
            f"{row['found']}/{row['new_files']} |"
        )
    w = r["watch"]
    lines += [
        "",
        f"watch (file events; --interval {w['interval_s']} s) -> /api/search: p50 {w['p50_s']} s, "
        f"p95 {w['p95_s']} s, max {w['max_s']} s over {w['samples']} pages "
        f"({w['misses']} not found within {DEADLINE:.0f} s); of which indexing one page "
        f"(write.index_files in the watcher): p50 {w['index_call_p50_s']} s, "
        f"max {w['index_call_max_s']} s",
    ]
    if "against" in r:
        a = r["against"]
        lines += [
            "",
            f"same run, {a['rounds']} alternating rounds of {a['pages_per_round']} pages each: "
            f"this watcher p50 {a['this_p50_s']} s "
            f"over {a['this_n']} pages, {a['root']}'s p50 {a['other_p50_s']} s over "
            f"{a['other_n']}; ratio this/other {a['ratio_p50']}",
        ]
    return "\n".join(lines)


def compare_watch(
    corpus: Path, index: Path, other: Path, samples: int, interval: float, start: int
) -> dict[str, Any]:
    """This checkout's watcher against another's on the same corpus and index: rounds of
    `samples` pages taken in turn (this, other, this, other), so both see the same load
    of the machine, and the ratio of the medians over all rounds."""
    rounds = 2
    got: dict[str, list[float]] = {"this": [], "other": []}
    for _ in range(rounds):
        for name, root in (("this", ROOT), ("other", other)):
            r = measure_watch(corpus, index, samples, interval, start, root)
            start += samples
            got[name] += r["all_s"]
    this, oth = statistics.median(got["this"]), statistics.median(got["other"])
    return {
        "root": str(other),
        "rounds": rounds,
        "pages_per_round": samples,
        "this_n": len(got["this"]),
        "other_n": len(got["other"]),
        "this_p50_s": round(this, 3),
        "other_p50_s": round(oth, 3),
        "ratio_p50": round(this / oth, 2) if oth else None,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.freshness", description=__doc__)
    p.add_argument("--n", type=int, default=100_000, help="indexed pages (default 100000)")
    p.add_argument("--work", type=Path, help="working folder (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the corpus and index")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results", help="results folder")
    p.add_argument("--samples", type=int, default=10, help="pages for the watch latency")
    p.add_argument("--interval", type=float, default=1.0, help="watch poll interval")
    p.add_argument("--against", type=Path, help="another checkout whose watcher to time too")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    from indexer import write

    work = args.work or Path(tempfile.mkdtemp(prefix="nmg-fresh-"))
    corpus, index = work / "corpus", work / "index"
    try:
        if not corpus.exists():
            t0 = time.perf_counter()
            make_corpus(corpus, args.n)
            log.info("corpus: %d pages in %.0f s", args.n, time.perf_counter() - t0)
        for folder in ("fresh-updates", "fresh-watch"):  # leftovers of an earlier run
            shutil.rmtree(corpus / folder, ignore_errors=True)
        try:
            write.open_index(index)
            build_s = "reused"
            _cli("update", "--corpus", str(corpus), "--index", str(index))
        except errors.IndexNotFound:
            build_s, _ = _cli("build", "--corpus", str(corpus), "--index", str(index))
            build_s = round(build_s, 1)
        ix = write.open_index(index)
        result: dict[str, Any] = {
            "n": ix.doc_count(),
            "build_s": build_s,
            "segments": len(ix._segments()),
        }
        result["updates"] = measure_updates(corpus, index, [0, 1, 100, 1000], start=0)
        result["updates"] += measure_updates(corpus, index, [1], start=1101, named=True)
        result["watch"] = measure_watch(corpus, index, args.samples, args.interval, start=5000)
        if args.against:
            result["against"] = compare_watch(
                corpus, index, args.against, args.samples, args.interval, start=6000
            )
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(result)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"freshness-{args.n}.md").write_text(text + "\n", encoding="utf-8")
    (args.out / f"freshness-{args.n}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
