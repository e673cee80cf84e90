"""A full build: the whole corpus into a new generation, then `current` swaps to it.

The old generation stays current (and searchable) until the new one is complete, so a
build that is killed or fails leaves the index as it was. The build streams: pages are
extracted in worker processes and each article goes to the build's spool on disk as it
arrives, keeping only its small facts (build_read.py); stories are grouped from those
facts (stories.py); then the spooled articles are written as segments by FastWriter in
parallel parts, each with its story, and listed by one commit (build_segments.py); then
the files and stories are recorded in the manifest. Memory is bounded by the facts and
one segment per writing process, not by the corpus.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from indexer import faults
from indexer.index.errors import IndexNotFound
from indexer.index.layout import (
    INDEX_FORMAT,
    MANIFEST,
    SPOOL,
    current_generation_dir,
    new_generation_dir,
    remove_generations,
    swap_current,
)
from indexer.write import stories
from indexer.write.build_read import Read, read_corpus
from indexer.write.build_segments import write_segments
from indexer.write.corpus_diff import walk_corpus
from indexer.write.lock import write_lock
from indexer.write.manifest import Manifest
from indexer.write.reports import BuildReport, Progress, Steps
from indexer.write.session import sqlite_errors
from indexer.write.workers import cores

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


def _build_procs(n_files: int) -> int:
    """Worker processes for a build: all cores, unless the corpus is too small to pay
    for forking (tests and seeds build in one process)."""
    n = cores()
    return n if n > 1 and n_files >= PARALLEL_MIN_FILES else 1


def _build_into(corpus: Path, gen: Path, progress: Progress | None) -> dict[str, Any]:
    found = walk_corpus(corpus)
    files = found.files
    procs = _build_procs(len(files))
    spool = gen / SPOOL
    reads = read_corpus(gen, files, corpus, procs, Steps(progress, "reading", len(files)), spool)
    articles = [r for r in reads.values() if r.member is not None]
    members = [r.member for r in articles if r.member is not None]
    assignment = stories.group_all(members)
    faults.reached("grouped")  # test-only pause point (indexer/faults.py)

    from indexer.index.schema import build_schema

    ix = whoosh_index.create_in(str(gen), build_schema())
    jobs = [(r.offset, assignment[m.id]) for r, m in zip(articles, members, strict=True)]
    write_segments(ix, spool, jobs, procs, Steps(progress, "indexing", len(jobs)))
    spool.unlink()
    _record(gen, ix.latest_generation(), reads.values(), members, assignment)
    # The per-document arrays every opening needs, saved now: at a million articles
    # reading them from the segments takes half a minute, loading them three seconds.
    from indexer.read.columns import save_parts

    save_parts(gen)
    n_stories = sum(1 for w in assignment.values() if w.canonical)
    return {
        "files_read": len(files),
        "articles": len(articles),
        "stories": n_stories,
        "copies": len(articles) - n_stories,
        "skipped": found.refused
        + tuple((r.skipped.path, r.skipped.reason) for r in reads.values() if r.skipped),
        "generation": gen.name,
    }


def _record(
    gen: Path,
    toc_number: int,
    reads: Iterable[Read],
    members: Sequence[stories.Member],
    assignment: dict[str, stories.Assignment],
) -> None:
    """The new generation's manifest: every file (articles first, then the skipped, as
    read), every article's story, the TOC number and the format."""
    reads = list(reads)
    manifest = Manifest(gen / MANIFEST)
    try:
        with manifest.transaction() as db:
            for r in reads:
                if r.member is not None:
                    manifest.put_file(db, r.cf, r.cf.relpath, r.file_hash, r.member.id, None)
            for r in reads:
                if r.skipped is not None:
                    reason = r.skipped.reason
                    manifest.put_file(db, r.cf, r.cf.relpath, r.file_hash, None, reason)
            manifest.put_docs(db, ((m, assignment[m.id]) for m in members), fresh=True)
            manifest.set_toc_number(db, toc_number)
            manifest.set_format(db, INDEX_FORMAT)
    finally:
        manifest.close()
