"""Benchmark: our index and search against a plain Whoosh + jieba baseline, in one run.

    python -m tests.bench.run --n 100000 [--out bench-results] [--reps 3] [--keep]

1. A synthetic corpus of N plain-text pages in the seeds' dump shape (tests/bench/corpus.py).
2. Each engine builds its index from the same files in a subprocess of its own (so peak
   memory is its own): ours with `write.build`; the baseline reads the same articles
   (our extraction, same cost on both sides) into a plain Whoosh schema with jieba's
   `ChineseAnalyzer` on title and body and keyword fields for facets.
3. A fixed query mix (common word, rare word, two words, phrase, single character,
   traditional) runs `--reps` times after one warm-up pass: our full request (top 10
   stories + facets + highlights) against the baseline's plain top 10 and the baseline
   with `groupedby` facets.
The table (Markdown) and the raw numbers (JSON) go to --out and stdout. This module is the
driver; what runs inside each phase's process is in tests/bench/phases.py.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.corpus import ROOT, make_corpus
from tests.bench.peers import PEERS
from tests.bench.phases import (
    phase_base_build,
    phase_base_query,
    phase_ours_build,
    phase_ours_query,
    phase_peer,
)
from tests.bench.tables import peers_table, table

log = logging.getLogger("bench")

QUERIES: dict[str, list[str]] = {
    "common word": ["科技创新", "高质量发展", "内蒙古"],
    "rare word": [],  # filled from the corpus's rare terms
    "two words": ["稀土 新材料", "呼和浩特 人才", "鄂尔多斯 科技"],
    "phrase": ['"呼包鄂乌一体化"', '"科技成果转化"', '"国家高新区"'],
    "single character": ["稀", "碳", "氢"],
    "traditional": ["高新區", "鄂爾多斯", "科技創新"],
}


def run_peers(
    corpus: Path, work: Path, qjson: str, common: list[str], skip: set[str]
) -> dict[str, Any]:
    """Extract once, tokenise once, then each peer's build and query in processes of their own."""
    from tests.bench import peers

    out: dict[str, Any] = {"missing": peers.unavailable()}
    for name, why in out["missing"].items():
        print(f"bench: skipping {name}: {why}", flush=True)
    todo = [p for p in PEERS if p not in out["missing"] and p not in skip]
    if not todo:
        return out
    articles, tokens = work / "articles.jsonl", work / "tokens.jsonl"
    out["extract"] = _run_phase(
        ["--phase", "extract", "--corpus", str(corpus), "--index", str(articles)]
    )
    out["tokenise"] = _run_phase(
        ["--phase", "tokenise", "--corpus", str(articles), "--index", str(tokens)]
    )
    for name in todo:
        where = work / (name if name == "tantivy" else f"{name}.db")
        build = _run_phase(
            ["--phase", f"{name}_build", "--corpus", str(tokens), "--index", str(where)]
        )
        query = _run_phase(
            ["--phase", f"{name}_query", "--index", str(where), "--queries", qjson, *common]
        )
        out[name] = {"build": build, "query": query}
    return out


# --- driver --------------------------------------------------------------------------------


def partial_path(out: Path, n: int) -> Path:
    """Where a run keeps what it has measured so far (see checkpoint)."""
    return out / f"bench-{n}.partial.json"


def checkpoint(out: Path, n: int, results: dict[str, Any]) -> None:
    """Write the figures measured so far after every phase.

    Why: at N = 1,000,000 a run takes hours; one that is stopped or fails late keeps each
    finished phase's figures, and `--queries-only` can start from them (its build figures
    and the corpus's rare words). Replaced atomically, removed once the run completes.
    """
    out.mkdir(parents=True, exist_ok=True)
    path = partial_path(out, n)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    tmp.replace(path)


def _run_phase(args: list[str]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        result_path = Path(tmp.name)
    cmd = [sys.executable, "-m", "tests.bench.run", "--result", str(result_path), *args]
    log.info("running %s", " ".join(cmd[3:]))
    proc = subprocess.Popen(cmd, cwd=ROOT)
    # wait4: this child's rusage alone, not the running maximum over every child so far (on
    # Linux it is floored by the driver's RSS at the fork; the table uses the child's VmHWM).
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    data = json.loads(result_path.read_text())
    result_path.unlink()
    data["child_peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    return data


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m tests.bench.run", description=__doc__.split("\n")[0]
    )
    p.add_argument("--n", type=int, default=100_000, help="number of pages (default 100000)")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results", help="results folder")
    p.add_argument("--reps", type=int, default=3, help="timed passes over the query mix")
    p.add_argument("--work", type=Path, help="working folder (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the corpus and indexes")
    p.add_argument(
        "--queries-only",
        action="store_true",
        help="reuse the corpus and indexes in --work and the build figures in --out",
    )
    p.add_argument(
        "--skip-peer", action="append", choices=sorted(PEERS), help="leave out a peer engine"
    )
    p.add_argument(
        "--skip-baseline",
        action="store_true",
        help="leave out the plain Whoosh + jieba baseline (most of a large run's time)",
    )
    p.add_argument("--phase", help=argparse.SUPPRESS)
    p.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--index", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--queries", help=argparse.SUPPRESS)
    p.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    if args.phase:
        queries = json.loads(args.queries) if args.queries else []
        runners = {
            "ours_build": lambda: phase_ours_build(args.corpus, args.index),
            "base_build": lambda: phase_base_build(args.corpus, args.index),
            "ours_query": lambda: phase_ours_query(args.index, queries, args.reps, 0),
            "ours_cached": lambda: phase_ours_query(args.index, queries, args.reps, 256),
            "base_query": lambda: phase_base_query(args.index, queries, args.reps),
        }
        run = runners.get(args.phase) or (lambda: phase_peer(args.phase, args, queries))
        args.result.write_text(json.dumps(run(), ensure_ascii=False))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="nmg-bench-"))
    corpus, ours_ix, base_ix = work / "corpus", work / "ours", work / "baseline"
    try:
        previous = args.out / f"bench-{args.n}.json"
        if args.queries_only and not previous.exists():
            previous = partial_path(args.out, args.n)  # a run stopped after its builds
        if args.queries_only:  # re-measure queries over the indexes kept in --work
            old = json.loads(previous.read_text())
            info = old["corpus"]
        else:
            t0 = time.perf_counter()
            info = make_corpus(corpus, args.n)
            log.info("corpus: %d files in %.0f s", info["files"], time.perf_counter() - t0)
        mix = dict(QUERIES, **{"rare word": info["rare"]})
        queries = [(kind, q) for kind, qs in mix.items() for q in qs]
        qjson = json.dumps(queries, ensure_ascii=False)
        common = ["--reps", str(args.reps)]
        results: dict[str, Any] = {"n": args.n, "corpus": info, "reps": args.reps}
        results["queries"] = len(queries)
        if args.queries_only:
            results["ours_build"], results["base_build"] = old["ours_build"], old.get("base_build")
        else:
            results["ours_build"] = _run_phase(
                ["--phase", "ours_build", "--corpus", str(corpus), "--index", str(ours_ix)]
            )
            checkpoint(args.out, args.n, results)
            results["base_build"] = None
            if not args.skip_baseline:
                results["base_build"] = _run_phase(
                    ["--phase", "base_build", "--corpus", str(corpus), "--index", str(base_ix)]
                )
        checkpoint(args.out, args.n, results)
        results["ours_query"] = _run_phase(
            ["--phase", "ours_query", "--index", str(ours_ix), "--queries", qjson, *common]
        )
        checkpoint(args.out, args.n, results)
        results["ours_cached"] = _run_phase(
            ["--phase", "ours_cached", "--index", str(ours_ix), "--queries", qjson, *common]
        )
        checkpoint(args.out, args.n, results)
        results["base_query"] = None
        if results["base_build"] is not None:
            results["base_query"] = _run_phase(
                ["--phase", "base_query", "--index", str(base_ix), "--queries", qjson, *common]
            )
        if args.queries_only:
            results["peers"] = old.get("peers", {})
        else:
            checkpoint(args.out, args.n, results)
            results["peers"] = run_peers(corpus, work, qjson, common, set(args.skip_peer or []))
    finally:
        if not args.keep and args.work is None and not args.queries_only:
            shutil.rmtree(work, ignore_errors=True)
    text = table(args.n, results) + "\n\n" + peers_table(results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"bench-{args.n}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=2)
    )
    (args.out / f"bench-{args.n}.md").write_text(text + "\n")
    partial_path(args.out, args.n).unlink(missing_ok=True)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
