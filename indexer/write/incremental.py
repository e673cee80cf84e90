"""Incremental changes: bring the index in step with the corpus, or with named files.

`update` (the CLI, watch's catch-up), `index_files` and `remove_ids` (the web endpoints,
watch) each open a Session, work out what changed (corpus_diff.py) and commit it in
batches, so a killed run keeps every batch it finished and the index is consistent (one
canonical per story) after every commit.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.corpus import NOT_A_PAGE, OUTSIDE, CorpusFile, is_corpus_relpath
from indexer.extract.site_templates import SiteBook, counted
from indexer.index.errors import CorpusNotFound
from indexer.write.corpus_diff import (
    Row,
    Verdict,
    classify,
    index_targets,
    stat_diff,
    walk_corpus,
)
from indexer.write.manifest import FileState
from indexer.write.merge_policy import MERGE_DOCS_QUICK
from indexer.write.reports import Progress, Steps, Tally, UpdateReport
from indexer.write.session import Removal, Session, Upsert, open_session
from indexer.write.workers import TEMPLATES, cores, worker_init

BATCH = 500  # documents per Whoosh commit in an update: what a kill can cost, at most

UPDATE_PARALLEL_MIN_FILES = 200  # an update reading fewer files extracts them in-process


def _classify_star(args: tuple[CorpusFile, FileState | None, Path]) -> Verdict:
    return classify(*args)


def _verdicts(
    work: Sequence[CorpusFile], known: dict[str, FileState], corpus: Path
) -> Iterator[Verdict]:
    """classify for each file, in order: in worker processes when there are enough files.

    Extraction is most of an update's time; with workers reading ahead, the writer
    commits one batch while the next is being extracted.
    """
    jobs = [(cf, known.get(cf.relpath), corpus) for cf in work]
    procs = cores() if len(jobs) >= UPDATE_PARALLEL_MIN_FILES else 1
    if procs <= 1:
        yield from map(_classify_star, jobs)
        return
    with multiprocessing.get_context("fork").Pool(procs, initializer=worker_init) as pool:
        yield from pool.imap(_classify_star, jobs, chunksize=8)


@dataclass(frozen=True)
class Run:
    """One run's changes and where they go: the parameter object of _run_changes and
    _with_templates, so the template pass re-runs the same changes with a field replaced."""

    session: Session
    corpus: Path
    work: Sequence[CorpusFile]  # files to (re)read
    known: dict[str, FileState]  # what the manifest holds of them (and of removals' paths)
    removals: Sequence[Removal]
    tally: Tally
    batch_size: int = BATCH
    progress: Progress | None = None


def _run_changes(run: Run) -> None:
    """Removals first (one batch), then the files to (re)index in batches of `batch_size`.

    Each batch is regrouped and committed on its own, so a killed run keeps every batch it
    finished, and the index is consistent (one canonical per group) after every commit.
    """
    session, tally, batch_size = run.session, run.tally, run.batch_size
    for i in range(0, len(run.removals), batch_size):
        session.apply([], run.removals[i : i + batch_size], tally)
    bar = Steps(run.progress, "updating", len(run.work))
    upserts: list[Upsert] = []
    rows: list[Row] = []
    for verdict in _verdicts(run.work, run.known, run.corpus):
        tally.unchanged += verdict.unchanged
        if verdict.skipped:
            tally.skipped.append(verdict.skipped)
        if verdict.upsert:
            upserts.append(verdict.upsert)
            tally.surveyed.append((verdict.upsert.cf, verdict.found))
        if verdict.row:
            rows.append(verdict.row)
        bar.step()
        if len(upserts) >= batch_size:
            session.apply(upserts, [], tally)
            upserts = []
    session.apply(upserts, [], tally)
    session.record_files(rows)


def _with_templates(run: Run) -> None:
    """_run_changes with the sites' templates kept current (site_templates.py): files are
    read with their site's template, the pages read and removed move their sites' counts,
    and the pages holding a line whose template status flipped are read again."""
    session, tally = run.session, run.tally
    book = SiteBook(session.gen)
    try:
        TEMPLATES.update(book.templates())
        _run_changes(run)
        read, tally.surveyed = tally.surveyed, []
        added = [counted(cf.relpath, f.site, f.keys) for cf, f in read if cf and f]
        alone = [cf.relpath for cf, f in read if cf and not (f and f.site)]
        flips = book.change([c for c in added if c], [r.relpath for r in run.removals] + alone)
        if not flips:
            return
        TEMPLATES.clear()
        TEMPLATES.update(book.templates())
        again = sorted({p for site, keys in flips.items() for p in book.files_holding(site, keys)})
    finally:
        book.close()
    try:
        states = session.manifest.files(again)
        redo, forced = [], {}
        for relpath in again:
            path = run.corpus / relpath
            with contextlib.suppress(OSError):
                st = path.stat()
                redo.append(CorpusFile(relpath, str(path), st.st_size, st.st_mtime_ns))
                if relpath in states:  # read again even though its bytes did not change
                    forced[relpath] = replace(states[relpath], file_hash="")
        tally.rereading = True
        _run_changes(replace(run, work=redo, known=forced, removals=[], progress=None))
    finally:
        tally.rereading = False
        tally.surveyed = []
        TEMPLATES.clear()


def update(
    corpus: Path,
    index_root: Path,
    *,
    lock_timeout: float = 10.0,
    batch_size: int = BATCH,
    progress: Progress | None = None,
) -> UpdateReport:
    """Bring the index in step with the corpus folder: add, replace, remove, regroup.

    Files whose size and mtime match the manifest are not read at all, so a run with
    nothing to do costs one directory walk. Files skipped before are retried only when
    they change. Raises IndexNotFound when there is no index yet (run build first).
    """
    t0 = time.perf_counter()
    corpus = Path(corpus)
    tally = Tally()
    with open_session(index_root, lock_timeout) as session:
        recorded = session.manifest.stat_map()
        found = walk_corpus(corpus)
        files = found.files
        tally.skipped.extend(found.refused)  # not followed: said at every run, until removed
        if not files and recorded and (indexed := session.manifest.indexed_count()):
            raise CorpusNotFound(
                f"corpus folder {corpus} holds no pages; refusing to remove all {indexed} "
                "articles (if that is what you want, run build)"
            )
        work, gone, unchanged = stat_diff(recorded, files)
        tally.unchanged += unchanged
        known = session.manifest.files([cf.relpath for cf in work] + gone)
        removals = [Removal(known[p].id, p) for p in gone]
        _with_templates(Run(session, corpus, work, known, removals, tally, batch_size, progress))
    return tally.report(t0)


def index_files(
    index_root: Path, corpus: Path, paths: list[Path], *, lock_timeout: float = 10.0
) -> UpdateReport:
    """Index (or re-index) the given corpus files now; a path that no longer exists is
    removed. For the web upload endpoint: the report's `articles` are the records as
    indexed, and `skipped` says why a file was not."""
    t0 = time.perf_counter()
    corpus = Path(corpus)
    tally = Tally()
    with open_session(index_root, lock_timeout, MERGE_DOCS_QUICK) as session:
        targets, outside = index_targets(corpus, paths)
        known = session.manifest.files([rel for _, rel in targets] + outside)
        work: list[CorpusFile] = []
        # A link leading out of the corpus is not read; an article indexed under its name
        # before (by an older version) goes.
        removals = [Removal(known[rel].id, rel) for rel in outside if rel in known]
        tally.skipped.extend((rel, OUTSIDE) for rel in outside)
        for path, relpath in targets:
            if not is_corpus_relpath(relpath):  # named, but no walk would ever list it
                tally.skipped.append((relpath, NOT_A_PAGE))
                continue
            try:
                st = path.stat()
            except FileNotFoundError:
                if relpath in known:
                    removals.append(Removal(known[relpath].id, relpath))
                continue
            work.append(CorpusFile(relpath, str(path), st.st_size, st.st_mtime_ns))
        # An explicit request re-reads the file even if its size and mtime look unchanged.
        _with_templates(Run(session, corpus, work, known, removals, tally))
    return tally.report(t0)


def remove_ids(index_root: Path, ids: list[str], *, lock_timeout: float = 10.0) -> UpdateReport:
    """Remove articles by id (the web delete endpoint; it deletes the file itself).

    Unknown ids are ignored; the report's `removed` lists those that were indexed.
    """
    t0 = time.perf_counter()
    tally = Tally()
    with open_session(index_root, lock_timeout, MERGE_DOCS_QUICK) as session:
        paths = session.manifest.id_paths(ids)
        removals = [Removal(i, p) for i, p in sorted(paths.items())]
        _with_templates(Run(session, Path("."), [], {}, removals, tally))
    return tally.report(t0)
