"""A full build: the whole corpus into a new generation, then `current` swaps to it.

The old generation stays current (and searchable) until the new one is complete, so a
build that is killed or fails leaves the index as it was. Extraction runs in worker
processes (workers.py); the articles are grouped into stories (stories.py), then written
as segments by FastWriter in parallel parts and listed by one commit
(whoosh_adapter.commit_parts), then recorded in the manifest.
"""

from __future__ import annotations

import multiprocessing
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.index import Index

from indexer import faults
from indexer.corpus import CorpusFile
from indexer.extract.site_templates import SiteBook, counted
from indexer.index import whoosh_adapter
from indexer.index.errors import IndexNotFound, WriterFailed
from indexer.index.fields import article_fields
from indexer.index.layout import (
    INDEX_FORMAT,
    MANIFEST,
    current_generation_dir,
    new_generation_dir,
    remove_generations,
    swap_current,
)
from indexer.models import Article, Skipped
from indexer.write import stories
from indexer.write.corpus_diff import walk_corpus
from indexer.write.lock import write_lock
from indexer.write.manifest import Manifest
from indexer.write.reports import BuildReport, Progress, Steps
from indexer.write.segment_writer import FastWriter
from indexer.write.session import record_commit, sqlite_errors
from indexer.write.workers import TEMPLATES, cores, extract, worker_init

if TYPE_CHECKING:
    from indexer.extract.pipeline import PageLines

SEGMENT_DOCS = 20_000  # a build writes one segment per this many articles (bounds memory)

PARALLEL_MIN_FILES = 2_000  # smaller corpora build in one process (forking costs more)


def build(
    corpus: Path,
    index_root: Path,
    *,
    progress: Progress | None = None,
    lock_timeout: float = 10.0,
) -> BuildReport:
    """Index the whole corpus into a new generation, then make it `current`.

    `progress` is told the "reading" and "indexing" stages as they advance.
    """
    t0 = time.perf_counter()
    root = Path(index_root)
    with write_lock(root, lock_timeout):
        try:
            old: Path | None = current_generation_dir(root)
        except IndexNotFound:
            old = None
        # Leftovers of killed builds (nobody else can be writing: we hold the lock).
        remove_generations(root, old)
        gen = new_generation_dir(root)
        try:
            with sqlite_errors(gen):
                report = _build_into(Path(corpus), gen, progress)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)  # a failed build leaves nothing behind
            raise
        faults.reached("swap")  # test-only pause point (indexer/faults.py)
        swap_current(root, gen)
        remove_generations(root, gen)
    return BuildReport(**{**report, "seconds": time.perf_counter() - t0})


Extracted = tuple[CorpusFile, Article | Skipped, bytes, "PageLines | None"]


def _extract_one(cf: CorpusFile, corpus: Path) -> Extracted:
    """Pipeline + signature for one file (runs in a worker process during a build)."""
    result, found = extract(cf, corpus)
    sig = stories.signature(result.body) if isinstance(result, Article) else b""
    return cf, result, sig, found


def _build_procs(n_files: int) -> int:
    """Worker processes for a build: all cores, unless the corpus is too small to pay
    for forking (tests and seeds build in one process)."""
    n = cores()
    return n if n > 1 and n_files >= PARALLEL_MIN_FILES else 1


def _extract_all(
    files: dict[str, CorpusFile], corpus: Path, procs: int, bar: Steps
) -> list[Extracted]:
    ordered = [files[r] for r in sorted(files)]
    if procs <= 1:
        out = []
        for cf in ordered:
            out.append(_extract_one(cf, corpus))
            bar.step()
        return out
    ctx = multiprocessing.get_context("fork")
    out = []
    with ctx.Pool(procs, initializer=worker_init) as pool:
        for item in pool.imap(_extract_star, [(cf, corpus) for cf in ordered], chunksize=32):
            out.append(item)
            bar.step()
    return out


def _extract_star(args: tuple[CorpusFile, Path]) -> Extracted:
    return _extract_one(*args)


def _write_part(
    ix: Index, items: Sequence[tuple[Article, bytes, stories.Assignment]], counter: Any
) -> list[Any]:
    """Write `items` as finished segments (SEGMENT_DOCS each) without touching the TOC."""
    segments = []
    for start in range(0, len(items), SEGMENT_DOCS):
        writer = FastWriter(ix, **whoosh_adapter.part_writer_options())
        for article, sig, where in items[start : start + SEGMENT_DOCS]:
            writer.add_article(article, article_fields(article, sig, where))
            if counter is not None:
                with counter.get_lock():
                    counter.value += 1
        segments.append(whoosh_adapter.finish_part(writer))
    return segments


def _part_main(ix: Index, items: Sequence, counter: Any, conn: Any) -> None:
    worker_init()
    try:
        conn.send(("ok", _write_part(ix, items, counter)))
    except BaseException as exc:  # reported to the parent, which raises
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _write_segments(
    ix: Index, items: Sequence[tuple[Article, bytes, stories.Assignment]], procs: int, bar: Steps
) -> None:
    """Write all articles into the new index: in `procs` forked processes, each writing
    its contiguous share as its own segments, then one TOC commit listing them all in
    order (what Whoosh's MpWriter does with multisegment=True, with FastWriter inside).
    Where Whoosh no longer offers the names that takes, one writer and one commit."""
    if not whoosh_adapter.can_write_parts():
        writer = FastWriter(ix)
        for article, sig, where in items:
            writer.add_article(article, article_fields(article, sig, where))
        writer.commit(merge=False)
        bar.step(len(items))
        record_commit(ix)
        return
    if procs <= 1 or len(items) < 2 * procs:
        segments = _write_part(ix, items, None)
        bar.step(len(items))
    else:
        ctx = multiprocessing.get_context("fork")
        counter = ctx.Value("l", 0)
        share = -(-len(items) // procs)
        jobs = []
        for i in range(procs):
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_part_main, args=(ix, items[i * share : (i + 1) * share], counter, child)
            )
            proc.start()
            child.close()
            jobs.append((proc, parent))
        try:
            while any(p.is_alive() and not c.poll() for p, c in jobs):
                bar.step(counter.value - bar.done)
                time.sleep(0.1)
            segments = []
            for proc, conn in jobs:
                status, payload = conn.recv()
                proc.join()
                if status != "ok":
                    raise WriterFailed(f"indexing process failed: {payload}")
                segments.extend(payload)
        except BaseException:  # Ctrl-C or a failed writer: stop the others now
            for proc, _ in jobs:
                if proc.is_alive():
                    proc.terminate()
                proc.join()
            raise
        bar.step(len(items) - bar.done)
    whoosh_adapter.commit_parts(ix, segments)
    whoosh_adapter.remove_sort_dirs(Path(ix.storage.folder))
    record_commit(ix)


def _build_templates(
    gen: Path, files: dict[str, CorpusFile], corpus: Path, procs: int, bar: Steps
) -> list[Extracted]:
    """Every file read alone, the sites' templates learnt from them and kept in the new
    generation, and the files holding a template line read again with it."""
    TEMPLATES.clear()
    first = _extract_all(files, corpus, procs, bar)
    book = SiteBook(gen)
    try:
        found = [counted(cf.relpath, f.site, f.keys) for cf, _, _, f in first if f]
        learnt = book.fill([c for c in found if c])
    finally:
        book.close()
    again = {
        cf.relpath: cf
        for cf, _, _, f in first
        if f and f.site in learnt and f.keys & learnt[f.site]
    }
    if not again:
        return first
    TEMPLATES.update(learnt)
    try:
        redone = {item[0].relpath: item for item in _extract_all(again, corpus, procs, bar)}
    finally:
        TEMPLATES.clear()
    return [redone.get(item[0].relpath, item) for item in first]


def _build_into(corpus: Path, gen: Path, progress: Progress | None) -> dict[str, Any]:
    found = walk_corpus(corpus)
    files = found.files
    procs = _build_procs(len(files))
    bar = Steps(progress, "reading", len(files))
    articles: list[tuple[CorpusFile, Article, bytes]] = []
    skipped: list[tuple[CorpusFile, Skipped]] = []
    for cf, result, sig, _ in _build_templates(gen, files, corpus, procs, bar):
        if isinstance(result, Article):
            articles.append((cf, result, sig))
        else:
            skipped.append((cf, result))
    members = [stories.member_of(a, sig) for _, a, sig in articles]
    assignment = stories.group_all(members)

    from indexer.index.schema import build_schema

    ix = whoosh_index.create_in(str(gen), build_schema())
    bar = Steps(progress, "indexing", len(articles))
    items = [(a, sig, assignment[a.id]) for _, a, sig in articles]
    _write_segments(ix, items, procs, bar)
    manifest = Manifest(gen / MANIFEST)
    try:
        with manifest.transaction() as db:
            for cf, a, _ in articles:
                manifest.put_file(db, cf, cf.relpath, a.file_hash, a.id, None)
            for cf, s in skipped:
                manifest.put_file(db, cf, cf.relpath, s.file_hash, None, s.reason)
            manifest.put_docs(db, [(m, assignment[m.id]) for m in members])
            manifest.set_toc_number(db, ix.latest_generation())
            manifest.set_format(db, INDEX_FORMAT)
    finally:
        manifest.close()
    n_stories = sum(1 for w in assignment.values() if w.canonical)
    return {
        "files_read": len(files),
        "articles": len(articles),
        "stories": n_stories,
        "copies": len(articles) - n_stories,
        "skipped": found.refused + tuple((s.path, s.reason) for _, s in skipped),
        "generation": gen.name,
    }
