"""A full build's reading: every page extracted once, its article spooled, its facts kept.

Where it sits: full_build.py calls `read_corpus` first. Pages are extracted in worker
processes (workers.py) and handed back one at a time; each article goes to the build's
spool (spool.py) at once, and what the build keeps of a file is a `Read`: its corpus
entry, its story member (what grouping needs, stories.Member) and where its record lies.
So memory grows by a few hundred bytes per page, not by the page's text.

Site templates (extract/site_templates.py) are learnt from the same pass: each page's
line keys go straight into the site counts (SiteBook.fill consumes them as they come),
then the pages holding one of a learnt template's lines are read again with it and their
new records appended to the spool. The pages read again are exactly those before; each
is read again knowing its site key from the first pass (pipeline.KnownSite), so only its
reading with the template is done, not its reading alone a second time. A page whose
article comes out equal to its first one (the worker reads that record back from the
spool and compares every field) keeps its first record: no second signature, no second
record, 9% off a build of the bench corpus, where every page is read again.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.corpus import CorpusFile
from indexer.extract.site_templates import Counted, SiteBook, counted
from indexer.models import Article, Skipped
from indexer.write import stories
from indexer.write.spool import SpoolWriter, read_record
from indexer.write.workers import TEMPLATES, extract, frozen_heap, worker_init

if TYPE_CHECKING:
    from indexer.extract.pipeline import KnownSite, PageLines
    from indexer.write.reports import Steps

# The result is None for a page read again whose article came out as it was (extract_one).
Extracted = tuple[CorpusFile, Article | Skipped | None, bytes, "PageLines | None"]
# A page read again: what it was when read alone (its bytes' hash and site key, a
# pipeline.KnownSite) and where its article from then lies in the spool (-1 when it had
# none). One flat tuple a page: a million of them are held while the pages are read again.
Again = tuple[str, str, int]

CHUNK = 32  # pages per task sent to a worker: bounds what is in flight, with the pool's queue


@dataclass(frozen=True, slots=True)
class Read:
    """What a build keeps of one file between reading and writing: small, for every file.

    `member` and `offset` (its record in the spool) for an article, `skipped` otherwise.
    """

    cf: CorpusFile
    file_hash: str
    member: stories.Member | None = None
    offset: int = -1
    skipped: Skipped | None = None


def extract_one(
    cf: CorpusFile, corpus: Path, again: Again | None = None, spool: Path | None = None
) -> Extracted:
    """Pipeline + signature for one file (runs in a worker process during a build).

    A page read again (`again`, with the spool its first article went to) whose article
    comes out equal to that one, field for field, is handed back as None: the build keeps
    the record it has, and neither the signature nor a second record is made for it. On
    a corpus whose every page holds template lines, that is most pages read again."""
    known: KnownSite | None = (again[0], again[1]) if again else None
    result, found = extract(cf, corpus, known)
    if again is not None and spool is not None and again[2] >= 0 and isinstance(result, Article):
        if read_record(spool, again[2]) == result:
            return cf, None, b"", found
    sig = stories.signature(result.body) if isinstance(result, Article) else b""
    return cf, result, sig, found


def _extract_star(args: tuple[CorpusFile, Path, Again | None, Path | None]) -> Extracted:
    return extract_one(*args)


def extract_stream(
    files: dict[str, CorpusFile],
    corpus: Path,
    procs: int,
    bar: Steps,
    again: dict[str, Again] | None = None,
    spool: Path | None = None,
) -> Iterator[Extracted]:
    """Each file extracted, in path order, handed over one at a time as it is done;
    `again` holds what the pages read again were when read alone (relpath -> Again), and
    `spool` the file their first articles are in."""
    again = again or {}
    # A generator, not a list: the pool takes tasks as its workers need them, and a list
    # was a tuple per page held for the whole pass (64 MB at a million pages).
    tasks = ((files[r], corpus, again.get(r), spool) for r in sorted(files))
    if procs <= 1:
        for task in tasks:
            yield extract_one(*task)
            bar.step()
        return
    ctx = multiprocessing.get_context("fork")
    with frozen_heap():
        pool = ctx.Pool(procs, initializer=worker_init)
    with pool:
        for item in pool.imap(_extract_star, tasks, chunksize=CHUNK):
            yield item
            bar.step()


def keep(item: Extracted, spool: SpoolWriter) -> Read:
    """Spool an extracted article and return what the build keeps of its file."""
    cf, result, sig, _ = item
    assert result is not None, "an unchanged page keeps the Read it has"
    if isinstance(result, Article):
        offset = spool.put(result)
        return Read(cf, result.file_hash, stories.member_of(result, sig, cf.relpath), offset)
    return Read(cf, result.file_hash, skipped=result)


def read_corpus(
    gen: Path, files: dict[str, CorpusFile], corpus: Path, procs: int, bar: Steps, spool_path: Path
) -> dict[str, Read]:
    """Every file read alone, the sites' templates learnt from them and kept in the new
    generation, and the files holding a template line read again with it; relpath ->
    Read, the articles in the spool at `spool_path`."""
    TEMPLATES.clear()
    reads: dict[str, Read] = {}
    with SpoolWriter(spool_path) as spool:

        def surveyed() -> Iterator[Counted]:
            for item in extract_stream(files, corpus, procs, bar):
                reads[item[0].relpath] = keep(item, spool)
                found = item[3]
                page = counted(item[0].relpath, found.site, found.keys) if found else None
                if page is not None:
                    yield page

        book = SiteBook(gen)
        try:
            learnt = book.fill(surveyed())
            sites = {
                path: site
                for site, keys in learnt.items()
                for path in book.files_holding(site, keys)
            }
        finally:
            book.close()
        if sites:
            pages = {path: files[path] for path in sites}
            again = {
                path: (reads[path].file_hash, site, reads[path].offset)
                for path, site in sites.items()
            }
            spool.flush()  # the workers read the first articles back from it
            TEMPLATES.update(learnt)
            try:
                for item in extract_stream(pages, corpus, procs, bar, again, spool_path):
                    if item[1] is not None:  # None: the article it has stands
                        reads[item[0].relpath] = keep(item, spool)
            finally:
                TEMPLATES.clear()
    return {path: reads[path] for path in sorted(reads)}
