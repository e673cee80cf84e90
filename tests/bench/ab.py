"""Old and new read code, alternating per request over one corpus's index, in one run.

    python -m tests.bench.ab --old DIR --index-old IDX [--index-new IDX] [--rare T ...]
                             [--reps 5] [--cache 0]

Each side is a process of its own: `--old` is a checkout of the code before a change
(`git worktree add DIR main`), searching --index-old; this checkout searches --index-new
(default: the same index; another one when the change writes the index differently, built
from the same corpus). Every request of the mix (run.py's query kinds, --rare words, and
filtered, sorted and later pages) goes to both sides, which one first alternating, and is
timed inside each side's process around `Searcher.search`, so both see the same load:
wall time, and the CPU time of the searching thread (less disturbed by other processes
on a shared machine, though not by their use of the caches).
Both answers must be equal (stories, order, counts, facets, timeline, snippets: the
result JSON without `took_ms`); a difference is printed and the exit status is 1. Prints
p50/p95 per kind for each side and old / new, with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.bench.client import percentile
from tests.bench.run import QUERIES

ROOT = Path(__file__).resolve().parents[2]

# One side: requests as JSON lines on stdin, answers (time, result) as JSON lines on
# stdout. Written against the public read API only, so any checkout can run it.
SIDE = """
import json, sys, time
from indexer.models import SearchRequest
from indexer.read.result_json import result_json
from indexer.read.searcher import Searcher
searcher = Searcher(sys.argv[1], cache_size=int(sys.argv[2]))
for line in sys.stdin:
    fields = {k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(line).items()}
    t, cpu = time.perf_counter(), time.thread_time()
    result = searcher.search(SearchRequest(**fields))
    ms = (time.perf_counter() - t) * 1000
    cpu_ms = (time.thread_time() - cpu) * 1000
    out = result_json(result)
    out.pop("took_ms")
    print(json.dumps({"ms": ms, "cpu_ms": cpu_ms, "result": out}, ensure_ascii=False), flush=True)
"""

OTHER_KIND = "filters, sorts, pages"


def mix(rare: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """(kind, request fields) of every request, in order."""
    out = [(kind, {"q": q}) for kind, qs in QUERIES.items() for q in qs]
    out += [("rare word", {"q": q}) for q in rare]
    out += [
        (OTHER_KIND, {"q": "科技", "sort": "newest"}),
        (OTHER_KIND, {"q": "内蒙古", "page": 3}),
        (OTHER_KIND, {"q": "创新", "years": ["2021"]}),
        (OTHER_KIND, {"q": "", "sort": "oldest"}),
    ]
    return out


class Side:
    """One side's process: `ask` sends a request and returns (ms, result JSON)."""

    def __init__(self, checkout: Path, index: Path, cache: int) -> None:
        env = {**os.environ, "PYTHONPATH": str(checkout)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SIDE, str(index), str(cache)],
            cwd=checkout,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, fields: dict[str, Any]) -> tuple[tuple[float, float], dict[str, Any]]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(fields, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"a side exited (status {self.proc.wait()})")
        answer = json.loads(line)
        return (answer["ms"], answer["cpu_ms"]), answer["result"]

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def compare(old: Side, new: Side, requests: list, reps: int) -> dict[str, Any]:
    """Times per kind on each side and the requests whose answers differ."""
    for _, fields in requests:  # warm-up, unmeasured: opening, first-use arrays
        old.ask(fields)
        new.ask(fields)
    times: dict[str, dict[str, list[tuple[float, float]]]] = {}
    differ: list[str] = []
    for rep in range(reps):
        for i, (kind, fields) in enumerate(requests):
            order = (old, new) if (rep + i) % 2 == 0 else (new, old)
            got = {id(side): side.ask(fields) for side in order}
            (old_ms, old_result), (new_ms, new_result) = got[id(old)], got[id(new)]
            per = times.setdefault(kind, {"old": [], "new": []})
            per["old"].append(old_ms)
            per["new"].append(new_ms)
            shown = json.dumps(fields, ensure_ascii=False)
            if old_result != new_result and shown not in differ:
                differ.append(shown)
    return {"times": times, "differ": differ}


def table(times: dict[str, dict[str, list[tuple[float, float]]]], clock: int) -> list[str]:
    """Markdown rows per kind of one clock's times (0: wall, 1: CPU)."""
    name = ("wall", "CPU")[clock]
    lines = [f"| {name} ms, kind | old p50 / p95 | new p50 / p95 | old / new p50 (p95) |"]
    lines.append("|---|---|---|---|")
    for kind, per in times.items():
        old, new = [t[clock] for t in per["old"]], [t[clock] for t in per["new"]]
        o50, o95 = percentile(old, 50), percentile(old, 95)
        n50, n95 = percentile(new, 50), percentile(new, 95)
        lines.append(
            f"| {kind} | {o50:.2f} / {o95:.2f} | {n50:.2f} / {n95:.2f} | "
            f"{o50 / n50:.2f}x ({o95 / n95:.2f}x) |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.ab", description=__doc__.split("\n")[0])
    p.add_argument("--old", type=Path, required=True, help="checkout of the code before")
    p.add_argument("--index-old", type=Path, required=True, help="index the old code searches")
    p.add_argument("--index-new", type=Path, help="index this checkout searches (default: same)")
    p.add_argument("--rare", nargs="*", default=[], help="rare words of the corpus")
    p.add_argument("--reps", type=int, default=5, help="timed passes over the mix")
    p.add_argument("--cache", type=int, default=0, help="term cache size (default 0: off)")
    args = p.parse_args(argv)
    load_before = os.getloadavg()
    old = Side(args.old, args.index_old, args.cache)
    new = Side(ROOT, args.index_new or args.index_old, args.cache)
    try:
        got = compare(old, new, mix(args.rare), args.reps)
    finally:
        old.close()
        new.close()
    load_after = os.getloadavg()
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}")
    print("\n".join(table(got["times"], 0) + [""] + table(got["times"], 1)))
    for fields in got["differ"]:
        print(f"answers differ: {fields}")
    return 1 if got["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
