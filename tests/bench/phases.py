"""The benchmark's phases, each run in a process of its own by tests/bench/run.py
(`--phase NAME`), so a phase's peak memory is its own: our build and queries, the plain
Whoosh + jieba baseline's, and the peers' (tests/bench/peers.py), with the measuring
they share (peak RSS since exec, folder sizes, warm-up then timed passes).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path
from typing import Any


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
    from tests.bench.proctree import TreeSampler

    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with TreeSampler(os.getpid()) as sampler:
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
        **sampler.figures(),  # all the build's processes at once (proctree.py)
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
