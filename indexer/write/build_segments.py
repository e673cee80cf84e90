"""A full build's writing: the spooled articles into segments, with their stories.

Where it sits: full_build.py calls `write_segments` once grouping is done. Each job is an
article's spool offset and its story place (stories.Assignment); the articles are read
back from the spool (spool.py) one at a time. In `procs` forked processes, each writes
its contiguous share as its own segments (SEGMENT_DOCS articles each, which bounds what
one process holds: one segment's postings), then one TOC commit lists them all in order:
what Whoosh's MpWriter does with multisegment=True, with FastWriter inside. Where Whoosh
no longer offers the names that takes, one writer and one commit.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh.index import Index

from indexer.index import whoosh_adapter
from indexer.index.errors import WriterFailed
from indexer.index.fields import article_fields
from indexer.write import stories
from indexer.write.reports import Steps
from indexer.write.segment_writer import FastWriter
from indexer.write.session import record_commit
from indexer.write.spool import read_records
from indexer.write.workers import frozen_heap, worker_init

# A build writes one segment per this many articles. A writer holds one segment's postings
# (about 45 KB an article) and the build runs one writer per core at once, so this bounds
# the build's memory: about 0.45 GB a writer; a 1,000,000-article build has 100 segments.
SEGMENT_DOCS = 10_000

Job = tuple[int, stories.Assignment]  # an article's spool offset and its story place


def write_part(ix: Index, spool: Path, jobs: Sequence[Job], counter: Any) -> list[Any]:
    """Write these articles as finished segments (SEGMENT_DOCS each) without touching
    the TOC."""
    segments = []
    for start in range(0, len(jobs), SEGMENT_DOCS):
        chunk = jobs[start : start + SEGMENT_DOCS]
        writer = FastWriter(ix, **whoosh_adapter.part_writer_options())
        records = read_records(spool, [offset for offset, _ in chunk])
        for article, (_, where) in zip(records, chunk, strict=True):
            writer.add_article(article, article_fields(article, where))
            if counter is not None:
                with counter.get_lock():
                    counter.value += 1
        segments.append(whoosh_adapter.finish_part(writer))
    return segments


def _part_main(ix: Index, spool: Path, jobs: Sequence[Job], counter: Any, conn: Any) -> None:
    worker_init()
    try:
        conn.send(("ok", write_part(ix, spool, jobs, counter)))
    except BaseException as exc:  # reported to the parent, which raises
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def write_segments(ix: Index, spool: Path, jobs: Sequence[Job], procs: int, bar: Steps) -> None:
    """Write all articles into the new index and commit (see the module docstring)."""
    if not whoosh_adapter.can_write_parts():
        writer = FastWriter(ix)
        records = read_records(spool, [offset for offset, _ in jobs])
        for article, (_, where) in zip(records, jobs, strict=True):
            writer.add_article(article, article_fields(article, where))
        writer.commit(merge=False)
        bar.step(len(jobs))
        record_commit(ix)
        return
    if procs <= 1 or len(jobs) < 2 * procs:
        segments = write_part(ix, spool, jobs, None)
        bar.step(len(jobs))
    else:
        segments = _write_parallel(ix, spool, jobs, procs, bar)
    whoosh_adapter.commit_parts(ix, segments)
    whoosh_adapter.remove_sort_dirs(Path(ix.storage.folder))
    record_commit(ix)


def _write_parallel(
    ix: Index, spool: Path, jobs: Sequence[Job], procs: int, bar: Steps
) -> list[Any]:
    """The segments of `procs` forked processes, each writing a contiguous share."""
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("l", 0)
    share = -(-len(jobs) // procs)
    running = []
    with frozen_heap():
        for i in range(procs):
            parent, child = ctx.Pipe(duplex=False)
            part = jobs[i * share : (i + 1) * share]
            proc = ctx.Process(target=_part_main, args=(ix, spool, part, counter, child))
            proc.start()
            child.close()
            running.append((proc, parent))
    try:
        while any(p.is_alive() and not c.poll() for p, c in running):
            bar.step(counter.value - bar.done)
            time.sleep(0.1)
        segments = []
        for proc, conn in running:
            status, payload = conn.recv()
            proc.join()
            if status != "ok":
                raise WriterFailed(f"indexing process failed: {payload}")
            segments.extend(payload)
    except BaseException:  # Ctrl-C or a failed writer: stop the others now
        for proc, _ in running:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        raise
    bar.step(len(jobs) - bar.done)
    return segments
