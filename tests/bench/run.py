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
The table (Markdown) and the raw numbers (JSON) go to --out and stdout.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.corpus import ROOT, make_corpus

log = logging.getLogger("bench")

QUERIES: dict[str, list[str]] = {
    "common word": ["科技创新", "高质量发展", "内蒙古"],
    "rare word": [],  # filled from the corpus's rare terms
    "two words": ["稀土 新材料", "呼和浩特 人才", "鄂尔多斯 科技"],
    "phrase": ['"呼包鄂乌一体化"', '"科技成果转化"', '"国家高新区"'],
    "single character": ["稀", "碳", "氢"],
    "traditional": ["高新區", "鄂爾多斯", "科技創新"],
}


# --- phases (each in its own process) ------------------------------------------------------


def _own_hwm_kb() -> int:
    """This process's peak RSS since its exec (VmHWM), in kB.

    Linux carries ru_maxrss across fork and exec, so a phase's getrusage would report at
    least the driver's RSS at the fork; VmHWM belongs to the new address space alone.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss_mb() -> float:
    own = _own_hwm_kb()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, kids) / 1024, 1)


def _dir_mb(path: Path) -> float:
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return round(total / 2**20, 1)


def phase_ours_build(corpus: Path, index: Path) -> dict[str, Any]:
    from indexer import write

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    report = write.build(corpus, index)
    seconds = time.perf_counter() - t0
    return {
        "load_avg": round(load, 2),
        "seconds": round(seconds, 2),
        "docs": report.articles,
        "docs_per_s": round(report.articles / seconds, 1),
        "stories": report.stories,
        "size_mb": _dir_mb(index),
        "peak_rss_mb": _peak_rss_mb(),
    }


def baseline_schema() -> Any:
    from jieba.analyse import ChineseAnalyzer
    from whoosh.fields import ID, KEYWORD, TEXT, Schema

    analyzer = ChineseAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, stored=True),
        body=TEXT(analyzer=analyzer, stored=True),
        year=ID(stored=True),
        month=ID(stored=True),
        site=ID(stored=True),
        sources=KEYWORD(stored=True, commas=True),
    )


def phase_base_build(corpus: Path, index: Path) -> dict[str, Any]:
    from whoosh import index as windex

    from indexer.extract.pipeline import iter_corpus, process_file
    from indexer.models import Article

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    index.mkdir(parents=True, exist_ok=True)
    ix = windex.create_in(str(index), baseline_schema())
    docs = 0
    with ix.writer() as writer:
        for path in iter_corpus(corpus):
            art = process_file(path, corpus)
            if not isinstance(art, Article):
                continue
            pub = art.published or ""
            writer.add_document(
                id=art.id,
                title=art.title,
                body=art.body,
                year=pub[:4] or "unknown",
                month=pub[:7] or "unknown",
                site=art.site or "",
                sources=",".join(art.sources),
            )
            docs += 1
    seconds = time.perf_counter() - t0
    return {
        "load_avg": round(load, 2),
        "seconds": round(seconds, 2),
        "docs": docs,
        "docs_per_s": round(docs / seconds, 1),
        "size_mb": _dir_mb(index),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _timed(fn: Any, queries: list[tuple[str, str]], reps: int) -> dict[str, Any]:
    """Warm-up pass, then `reps` timed passes; latencies in ms overall and per kind.

    The 1-minute load average before the timed passes is kept: on a 2-core machine,
    anything else running skews latencies, and the table shows it.
    """
    for _, q in queries:
        fn(q)
    load = os.getloadavg()[0]
    per_kind: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for _ in range(reps):
        for kind, q in queries:
            t0 = time.perf_counter()
            counts[q] = fn(q)
            per_kind.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
    every = [x for xs in per_kind.values() for x in xs]
    return {
        "p50_ms": round(_pct(every, 50), 1),
        "p95_ms": round(_pct(every, 95), 1),
        "max_ms": round(max(every), 1),
        "by_kind_p50_ms": {k: round(_pct(v, 50), 1) for k, v in per_kind.items()},
        "by_kind_p95_ms": {k: round(_pct(v, 95), 1) for k, v in per_kind.items()},
        "by_kind_max_ms": {k: round(max(v), 1) for k, v in per_kind.items()},
        "totals": counts,
        "load_avg": round(load, 2),
    }


def _pct(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def phase_ours_query(
    index: Path, queries: list[tuple[str, str]], reps: int, cache: int
) -> dict[str, Any]:
    from indexer.models import SearchRequest
    from indexer.read.searcher import Searcher

    searcher = Searcher(index, cache_size=cache)
    t0 = time.perf_counter()
    searcher.stats()
    open_ms = (time.perf_counter() - t0) * 1000

    def run(q: str) -> int:
        return searcher.search(SearchRequest(q=q)).total

    out = _timed(run, queries, reps)
    out["open_ms"] = round(open_ms, 1)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def phase_base_query(index: Path, queries: list[tuple[str, str]], reps: int) -> dict[str, Any]:
    from whoosh import index as windex
    from whoosh.qparser import MultifieldParser
    from whoosh.sorting import FieldFacet

    ix = windex.open_dir(str(index))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], schema=ix.schema)
    facets = {
        "sources": FieldFacet("sources", allow_overlap=True),
        "site": FieldFacet("site"),
        "year": FieldFacet("year"),
        "month": FieldFacet("month"),
    }

    def plain(q: str) -> int:
        results = searcher.search(parser.parse(q), limit=10)
        [hit["title"] for hit in results]
        return len(results)

    def faceted(q: str) -> int:
        results = searcher.search(parser.parse(q), limit=10, groupedby=facets)
        [hit["title"] for hit in results]
        for name in facets:
            results.groups(name)
        return len(results)

    return {
        "plain": _timed(plain, queries, reps),
        "facets": _timed(faceted, queries, reps),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _finish_build(out: dict[str, Any], index: Path) -> dict[str, Any]:
    """A peer's build figures plus the size and peak memory its process reached."""
    out["docs_per_s"] = round(out["docs"] / out["seconds"], 1) if out["seconds"] else 0.0
    out["size_mb"] = _dir_mb(index) if index.is_dir() else round(index.stat().st_size / 2**20, 1)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def _finish_query(out: dict[str, Any]) -> dict[str, Any]:
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def phase_peer(name: str, args: argparse.Namespace, queries: list[tuple[str, str]]) -> Any:
    """One peer phase: extract, tokenise, or a peer's build or query."""
    from tests.bench import peers

    if name == "extract":
        return peers.extract(args.corpus, args.index)
    if name == "tokenise":
        return peers.tokenise(args.corpus, args.index)
    engine, _, step = name.rpartition("_")
    if engine == "tantivy":
        if step == "build":
            return _finish_build(peers.tantivy_build(args.corpus, args.index), args.index)
        return _finish_query(peers.tantivy_query(args.index, queries, args.reps, _timed))
    tokenizer = "trigram" if engine == "fts5_trigram" else "unicode61"
    if step == "build":
        return _finish_build(peers.fts_build(args.corpus, args.index, tokenizer), args.index)
    return _finish_query(peers.fts_query(args.index, queries, args.reps, tokenizer, _timed))


PEERS = {
    "tantivy": "tantivy + jieba: top 10 + 4 terms aggregations",
    "fts5_jieba": "SQLite FTS5 + jieba: top 10 by bm25 + GROUP BY",
    "fts5_trigram": "SQLite FTS5 trigram: top 10 by bm25 + GROUP BY",
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


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "-"


def table(n: int, r: dict[str, Any]) -> str:
    if r.get("base_build") is None:  # --skip-baseline: the peers' table says the rest
        return (
            f"Benchmark at N = {n:,} files ({r['corpus']['copies']} republished copies), "
            f"{r['queries']} queries x {r['reps']} reps; plain Whoosh baseline not run "
            "(--skip-baseline)"
        )
    ob, bb = r["ours_build"], r["base_build"]
    oq, bq = r["ours_query"], r["base_query"]
    lines = [
        f"Benchmark at N = {n:,} files ({r['corpus']['copies']} republished copies), "
        f"{r['queries']} queries x {r['reps']} reps",
        "",
        "| measure | ours | baseline (Whoosh + jieba ChineseAnalyzer) | speed-up |",
        "|---|---|---|---|",
        f"| build docs/s | {ob['docs_per_s']} | {bb['docs_per_s']} | "
        f"{_ratio(ob['docs_per_s'], bb['docs_per_s'])} |",
        f"| build time s | {ob['seconds']} | {bb['seconds']} | |",
        f"| index size MB | {ob['size_mb']} | {bb['size_mb']} | |",
        f"| build peak RSS MB | {ob['peak_rss_mb']} | {bb['peak_rss_mb']} | |",
        f"| query peak RSS MB | {oq['peak_rss_mb']} | {bq['peak_rss_mb']} | |",
        f"| searcher open (arrays) ms | {oq['open_ms']} | - | |",
    ]
    for pct in ("p50_ms", "p95_ms"):
        ours = oq[pct]
        plain = bq["plain"][pct]
        fac = bq["facets"][pct]
        lines.append(
            f"| {pct[:3]} ms: ours full (no cache) vs baseline plain top-10 | {ours} | {plain} | "
            f"{_ratio(plain, ours)} |"
        )
        lines.append(
            f"| {pct[:3]} ms: ours full (no cache) vs baseline + groupedby facets | {ours} "
            f"| {fac} | {_ratio(fac, ours)} |"
        )
    oc = r["ours_cached"]
    lines.append(
        f"| p50 / p95 ms: ours full, term cache on (repeated queries) | "
        f"{oc['p50_ms']} / {oc['p95_ms']} | {bq['plain']['p50_ms']} / {bq['plain']['p95_ms']} "
        f"| {_ratio(bq['plain']['p95_ms'], oc['p95_ms'])} (p95) |"
    )
    lines.append(
        f"| load average before timing (ours / baseline plain / facets) | {oq['load_avg']} | "
        f"{bq['plain']['load_avg']} / {bq['facets']['load_avg']} | |"
    )
    lines += [
        "",
        "| query kind | ours p50 ms (no cache) | ours p50 ms (cache) | baseline plain p50 ms "
        "| baseline facets p50 ms |",
        "|---|---|---|---|---|",
    ]
    for kind, ms in oq["by_kind_p50_ms"].items():
        lines.append(
            f"| {kind} | {ms} | {oc['by_kind_p50_ms'][kind]} | "
            f"{bq['plain']['by_kind_p50_ms'][kind]} | {bq['facets']['by_kind_p50_ms'][kind]} |"
        )
    lines += ["", "Matches per query:"]
    for q, total in oq["totals"].items():
        lines.append(
            f"- {q}: ours {total} stories, baseline {bq['plain']['totals'].get(q)} documents"
        )
    return "\n".join(lines)


def _engines(r: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(column title, build figures, query timings) of every engine that ran."""
    cols = [("ours: full request", r["ours_build"], r["ours_query"])]
    if r.get("base_build") is not None:
        cols.append(
            ("Whoosh + jieba: top 10 + groupedby", r["base_build"], r["base_query"]["facets"])
        )
    peers = r.get("peers", {})
    for name, title in PEERS.items():
        if name in peers:
            cols.append((title, peers[name]["build"], peers[name]["query"]))
    return cols


def _rss(phase: dict[str, Any]) -> float:
    """A phase's peak RSS as it measured itself (VmHWM, and its workers' rusage)."""
    return phase["peak_rss_mb"]


def peers_table(r: dict[str, Any]) -> str:
    """Every engine side by side: build, size, memory, latency per kind, matches per query."""
    cols = _engines(r)
    peers = r.get("peers", {})
    queried = [r["ours_query"]] + ([r["base_query"]] if r.get("base_query") else [])
    qrss = [_rss(q) for q in queried + [peers[n]["query"] for n in PEERS if n in peers]]
    ours_p95 = r["ours_query"]["p95_ms"]

    def row(label: str, values: list[Any]) -> str:
        return f"| {label} | " + " | ".join(str(v) for v in values) + " |"

    lines = [
        "| measure | " + " | ".join(c[0] for c in cols) + " |",
        "|---" * (len(cols) + 1) + "|",
        row("build docs/s (ours, Whoosh: with extraction; peers: indexing only)",
            [c[1]["docs_per_s"] for c in cols]),
        row("build s", [c[1]["seconds"] for c in cols]),
        row("index MB", [c[1]["size_mb"] for c in cols]),
        row("build peak RSS MB", [_rss(c[1]) for c in cols]),
        row("query peak RSS MB", qrss),
        row("p50 ms", [c[2]["p50_ms"] for c in cols]),
        row("p95 ms", [c[2]["p95_ms"] for c in cols]),
        row("max ms", [c[2].get("max_ms", "-") for c in cols]),
        row("ours p95 / this engine's p95", [_ratio(ours_p95, c[2]["p95_ms"]) for c in cols]),
        row("load average before build", [c[1].get("load_avg", "-") for c in cols]),
        row("load average before queries", [c[2]["load_avg"] for c in cols]),
    ]  # fmt: skip
    if "extract" in peers:
        ex, tok = peers["extract"], peers["tokenise"]
        lines += [
            "",
            f"Peers read {ex['docs']:,} articles extracted once ({ex['seconds']} s, "
            f"{ex['docs_per_s']} docs/s, not in their build time) and jieba words cut once "
            f"outside their build ({tok['seconds']} s, {tok['docs_per_s']} docs/s; the FTS5 "
            "trigram peer does not use them).",
        ]
    for name, why in peers.get("missing", {}).items():
        lines.append(f"Skipped {name}: {why}.")
    lines += ["", "| query kind: p50 / p95 / max ms | " + " | ".join(c[0] for c in cols) + " |"]
    lines.append("|---" * (len(cols) + 1) + "|")
    for kind in r["ours_query"]["by_kind_p50_ms"]:
        cells = [
            f"{c[2]['by_kind_p50_ms'][kind]} / {c[2].get('by_kind_p95_ms', {}).get(kind, '-')}"
            f" / {c[2].get('by_kind_max_ms', {}).get(kind, '-')}"
            for c in cols
        ]
        lines.append(row(kind, cells))
    lines += ["", "| matches per query (ours: stories) | " + " | ".join(c[0] for c in cols) + " |"]
    lines.append("|---" * (len(cols) + 1) + "|")
    for q in r["ours_query"]["totals"]:
        lines.append(row(q, [c[2]["totals"].get(q, "-") for c in cols]))
    return "\n".join(lines)


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
            results["ours_build"], results["base_build"] = old["ours_build"], old["base_build"]
        else:
            results["ours_build"] = _run_phase(
                ["--phase", "ours_build", "--corpus", str(corpus), "--index", str(ours_ix)]
            )
            results["base_build"] = None
            if not args.skip_baseline:
                results["base_build"] = _run_phase(
                    ["--phase", "base_build", "--corpus", str(corpus), "--index", str(base_ix)]
                )
        results["ours_query"] = _run_phase(
            ["--phase", "ours_query", "--index", str(ours_ix), "--queries", qjson, *common]
        )
        results["ours_cached"] = _run_phase(
            ["--phase", "ours_cached", "--index", str(ours_ix), "--queries", qjson, *common]
        )
        results["base_query"] = None
        if results["base_build"] is not None:
            results["base_query"] = _run_phase(
                ["--phase", "base_query", "--index", str(base_ix), "--queries", qjson, *common]
            )
        if args.queries_only:
            results["peers"] = old.get("peers", {})
        else:
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
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
