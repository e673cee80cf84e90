"""Benchmark: what regions, documents and related stories cost, against themselves off.

    python -m tests.bench.facts --n 100000 [--sample 2000] [--out bench-results] [--keep]
                                [--corpus DIR [--index DIR]]   (existing, read-only)

Every figure is a pair measured in one run, on one machine, interleaved so that load
changes hit both sides alike (compare the ratios; the load average is printed):

1. Index time: extraction of `--sample` synthetic pages (tests.bench.run's corpus) with
   the per-article facts (regions + documents) and with them switched off, docs/s each.
2. The article view at N: an index of N pages is built, then `Searcher.article` is timed
   for the same 200 articles with related stories and without; the related-stories step
   is also timed alone (its budget: 20 ms per article at N = 100,000).
3. A plain search request at N (tests.bench.run's query mix) with the region and
   document facets counted and without them.
Results go to --out as facts-<N>.{md,json} and to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.bench.corpus import ROOT, make_corpus
from tests.bench.phases import _pct
from tests.bench.run import QUERIES

ARTICLES = 200  # article views timed at N
REPS = 3  # interleaved passes of each pair


@contextmanager
def _patched(module: Any, name: str, value: Any):
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def _ms(fn: Any) -> float:
    t0 = time.perf_counter()
    fn()
    return (time.perf_counter() - t0) * 1000


def extraction(corpus: Path, sample: int) -> dict[str, Any]:
    """docs/s of the extraction pipeline with the per-article facts and without."""
    from indexer.extract import pipeline

    files = sorted(corpus.rglob("*.txt"))[:sample]

    def run() -> float:
        t0 = time.perf_counter()
        for path in files:
            pipeline.process_file(path, corpus)
        return len(files) / (time.perf_counter() - t0)

    def off(title: str, text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return (), ()

    run()  # warm-up: jieba's dictionary, OpenCC, the gazetteer
    with_facts, without = [], []
    for _ in range(REPS):
        with_facts.append(run())
        with _patched(pipeline, "article_facts", off):
            without.append(run())
    best_with, best_without = max(with_facts), max(without)
    return {
        "pages": len(files),
        "docs_per_s_with_facts": round(best_with, 1),
        "docs_per_s_without_facts": round(best_without, 1),
        "facts_ms_per_doc": round(1000 / best_with - 1000 / best_without, 3),
        "slowdown": round(best_without / best_with, 3),
    }


def article_view(index: Path) -> dict[str, Any]:
    """Article view latency with related stories and without, and the related step alone."""
    from indexer.read import related
    from indexer.read.searcher import Searcher

    searcher = Searcher(index)
    with searcher._using() as gen:
        cols = gen.columns
        live = [d for d in range(cols.n) if cols.live[d] and cols.canonical[d]]
        picked = random.Random(11).sample(live, min(ARTICLES, len(live)))
        ids = [gen.stored(d)["id"] for d in picked]
        docs = {d: gen.stored(d) for d in picked}
        for d in picked[:20]:
            related.related_docnums(gen, d, docs[d])  # warm-up
        alone = [_ms(lambda d=d: related.related_docnums(gen, d, docs[d])) for d in picked]

    def none(*_: Any, **__: Any) -> list[int]:
        return []

    for article_id in ids[:20]:
        searcher.article(article_id)
    load = os.getloadavg()[0]
    with_related, without = [], []
    for _ in range(REPS):
        with_related += [_ms(lambda a=a: searcher.article(a)) for a in ids]
        with _patched(related, "related_docnums", none):
            without += [_ms(lambda a=a: searcher.article(a)) for a in ids]
    searcher.close()
    return {
        "articles": len(ids),
        "load_avg": round(load, 2),
        "related_alone_p50_ms": round(_pct(alone, 50), 2),
        "related_alone_p95_ms": round(_pct(alone, 95), 2),
        "related_alone_max_ms": round(max(alone), 2),
        "view_with_related_p50_ms": round(_pct(with_related, 50), 2),
        "view_with_related_p95_ms": round(_pct(with_related, 95), 2),
        "view_without_related_p50_ms": round(_pct(without, 50), 2),
        "view_without_related_p95_ms": round(_pct(without, 95), 2),
    }


def search_requests(index: Path) -> dict[str, Any]:
    """A plain search request with the region/document facets counted and without."""
    from indexer.models import SearchRequest
    from indexer.read import keywords
    from indexer.read.searcher import Searcher

    searcher = Searcher(index)
    queries = [q for kind, qs in QUERIES.items() for q in qs if kind != "rare word"]
    for q in queries:
        searcher.search(SearchRequest(q=q))
    load = os.getloadavg()[0]
    with_facets, without = [], []
    for _ in range(REPS):
        for q in queries:
            with_facets.append(_ms(lambda q=q: searcher.search(SearchRequest(q=q))))
            with _patched(keywords, "KEYWORD_FACETS", {}):
                without.append(_ms(lambda q=q: searcher.search(SearchRequest(q=q))))
    searcher.close()
    return {
        "requests": len(with_facets),
        "load_avg": round(load, 2),
        "with_facets_p50_ms": round(_pct(with_facets, 50), 2),
        "with_facets_p95_ms": round(_pct(with_facets, 95), 2),
        "without_facets_p50_ms": round(_pct(without, 50), 2),
        "without_facets_p95_ms": round(_pct(without, 95), 2),
    }


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else ""


def table(n: int, r: dict[str, Any]) -> str:
    e, a, s, b = r["extraction"], r["article_view"], r["search"], r["build"]
    built = (
        f"the index holds {b['docs']:,} articles (built at {b['docs_per_s']} docs/s with the "
        "facts)."
        if b["docs"] is not None
        else "the index was built beforehand (--index)."
    )
    rows = [
        f"| N = {n:,} | with | without | ratio (p50) |",
        "|---|---|---|---|",
        f"| extraction docs/s ({e['pages']} pages; regions + documents) "
        f"| {e['docs_per_s_with_facts']} | {e['docs_per_s_without_facts']} | {e['slowdown']}x |",
        f"| article view p50 / p95 ms (related stories; load {a['load_avg']}) "
        f"| {a['view_with_related_p50_ms']} / {a['view_with_related_p95_ms']} "
        f"| {a['view_without_related_p50_ms']} / {a['view_without_related_p95_ms']} "
        f"| {_ratio(a['view_with_related_p50_ms'], a['view_without_related_p50_ms'])} |",
        f"| search request p50 / p95 ms (region + document facets; load {s['load_avg']}) "
        f"| {s['with_facets_p50_ms']} / {s['with_facets_p95_ms']} "
        f"| {s['without_facets_p50_ms']} / {s['without_facets_p95_ms']} "
        f"| {_ratio(s['with_facets_p50_ms'], s['without_facets_p50_ms'])} |",
        "",
        f"Related stories alone, each article's first view: p50 {a['related_alone_p50_ms']} ms, "
        f"p95 {a['related_alone_p95_ms']} ms, max {a['related_alone_max_ms']} ms "
        f"over {a['articles']} articles; the facts add {e['facts_ms_per_doc']} ms per page "
        f"to extraction; {built}",
    ]
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=100_000, help="pages in the index (default 100000)")
    p.add_argument("--sample", type=int, default=2_000, help="pages timed for extraction")
    p.add_argument("--out", type=Path, default=ROOT / "bench-results", help="results folder")
    p.add_argument("--work", type=Path, help="working folder (default: a temp dir)")
    p.add_argument("--keep", action="store_true", help="keep the corpus and index")
    p.add_argument("--corpus", type=Path, help="an existing corpus to index (never written)")
    p.add_argument(
        "--index", type=Path, help="the corpus's existing index: not built again (never written)"
    )
    args = p.parse_args(argv)

    from indexer.write import build

    work = args.work or Path(tempfile.mkdtemp(prefix="nmg-bench-facts-"))
    corpus, index = args.corpus or work / "corpus", args.index or work / "index"
    try:
        if not corpus.exists():
            make_corpus(corpus, args.n)
        results: dict[str, Any] = {"extraction": extraction(corpus, args.sample)}
        if args.index:
            results["build"] = {"docs": None, "docs_per_s": None}
        else:
            t0 = time.perf_counter()
            report = build(corpus, index)
            seconds = time.perf_counter() - t0
            results["build"] = {
                "docs": report.articles,
                "docs_per_s": round(report.articles / seconds, 1),
            }
        results["article_view"] = article_view(index)
        results["search"] = search_requests(index)
    finally:
        if not args.keep and not args.work and not (args.corpus or args.index):
            shutil.rmtree(work, ignore_errors=True)
    text = table(args.n, results)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"facts-{args.n}.md").write_text(text, encoding="utf-8")
    (args.out / f"facts-{args.n}.json").write_text(json.dumps(results, indent=1), "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
