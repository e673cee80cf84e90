"""Build and update the index, safely. The only module that writes an index.

The on-disk layout it writes is indexer/index/layout.py (the `current` link, `gen-*`
generation folders, the format version), shared with the reader: a full build writes a
fresh generation beside the old one and swaps `current` atomically only when it is
complete; incremental updates commit into the current generation with Whoosh's own atomic
commits (a TOC file renamed into place), in batches.

Beside the Whoosh files each generation keeps `manifest.sqlite`, the writer's own book of
what the index holds (indexer/manifest.py says what it records and why). The manifest
records the TOC number it matches; if a writer died between its Whoosh commit and
its manifest commit, the next writer sees the mismatch and rebuilds the manifest from the
index. Every document is written by FastWriter (indexer/segment_writer.py), which writes
standard Whoosh segments faster than Whoosh's own writer.

One writer at a time: every writer (build, update, the web endpoints) first takes an
exclusive `fcntl.flock` on `<root>/write.lock`, waiting at most `lock_timeout` seconds
before raising IndexLocked; inside, each batch also takes Whoosh's own write lock. Both are
flock locks, so the kernel releases them when their process dies, however it dies: a stale
lock *file* is harmless and needs no cleanup. Orphan segment files of a killed writer are
deleted by Whoosh at the next commit; its temporary sort directory is deleted here.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.index import Index, LockError

from indexer import faults, groups, integrity
from indexer.corpus import OUTSIDE, CorpusFile, CorpusWalk, corpus_relpath, walk
from indexer.extract.site_templates import SiteBook, counted
from indexer.index import whoosh_adapter
from indexer.index.errors import (
    CorpusNotFound,
    IndexDamaged,
    IndexLocked,
    IndexNotFound,
    IndexOutdated,
    WriterFailed,
    first_problems,
)
from indexer.index.fields import article_fields, article_from_stored, stored_signature
from indexer.index.layout import (
    INDEX_FORMAT,
    LOCK_FILE,
    MANIFEST,
    current_generation_dir,
    new_generation_dir,
    remove_generations,
    swap_current,
)
from indexer.index.whoosh_adapter import latest_toc_number
from indexer.manifest import FileState, Manifest
from indexer.models import Article, Skipped
from indexer.segment_writer import FastWriter

if TYPE_CHECKING:
    from indexer.extract.pipeline import PageLines

log = logging.getLogger(__name__)

BATCH = 500  # documents per Whoosh commit in an update: what a kill can cost, at most
SEGMENT_DOCS = 20_000  # a build writes one segment per this many articles (bounds memory)
MAX_SEGMENTS = 12  # more segments than this after an update: merge the small ones
MERGE_DOCS = 5_000  # ...at most this many articles at once (bounds one commit's extra cost)
MERGE_DOCS_QUICK = 200  # the same for single-file calls (watch, web): ~1 s at most
PARALLEL_MIN_FILES = 2_000  # smaller corpora build in one process (forking costs more)
UPDATE_PARALLEL_MIN_FILES = 200  # an update reading fewer files extracts them in-process


# --- reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildReport:
    """What a full build did. `duplicates` = articles shown under another canonical."""

    files_read: int
    articles: int
    stories: int
    duplicates: int
    skipped: tuple[tuple[str, str], ...]
    seconds: float
    generation: str


@dataclass(frozen=True)
class UpdateReport:
    """What an incremental change did, by article id (paths for skipped files).

    `regrouped` lists existing articles whose group or canonical flag changed because of
    the others (they were rewritten); `reread` lists existing articles read again because
    their site's template changed (site_templates.py); `articles` holds the records of
    the added and changed articles as indexed.
    """

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    regrouped: tuple[str, ...] = ()
    seconds: float = 0.0
    reread: tuple[str, ...] = ()
    articles: tuple[Article, ...] = ()

    @property
    def nothing_to_do(self) -> bool:
        return not (self.added or self.changed or self.removed or self.skipped)


# --- layout ----------------------------------------------------------------------------


def open_index(index_root: Path) -> Index:
    """Open the Whoosh index of the current generation."""
    return _open_generation(current_generation_dir(index_root))


def _open_generation(gen: Path) -> Index:
    """Open a generation's Whoosh index, refusing one written with another schema.

    An older index's stored schema may name analyzer classes that no longer exist
    (unpickling fails) or lack this version's per-segment files: either way the only
    fix is a rebuild, so that is what the error says.
    """
    from indexer.index.schema import build_schema

    outdated = IndexOutdated(gen)
    try:
        ix = whoosh_index.open_dir(str(gen))
    except (OSError, whoosh_index.EmptyIndexError) as exc:
        raise IndexNotFound(f"cannot open index at {gen}: {exc}") from exc
    except (AttributeError, ImportError) as exc:
        raise outdated from exc
    except Exception as exc:  # noqa: BLE001 - an unreadable TOC: whatever unpickling raises
        raise IndexDamaged(gen, f"its table of contents is unreadable ({exc!r:.80})") from exc
    if sorted(ix.schema.names()) != sorted(build_schema().names()):
        ix.close()
        raise outdated
    return ix


def _remove_temp_dirs(gen: Path) -> None:
    """Whoosh's posting-sort directories (`*.tmp`) left by a writer that was killed."""
    for entry in gen.iterdir():
        if entry.name.endswith(".tmp") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


# Descriptors of the writer locks this process holds. A forked worker inherits them, and
# an flock lasts until the last descriptor of it is closed: a worker that outlived a
# killed parent would keep the index locked. Workers close them first (_worker_init).
_held_locks: set[int] = set()


@contextlib.contextmanager
def write_lock(index_root: Path, timeout: float) -> Iterator[None]:
    """Hold the index root's writer lock, waiting at most `timeout` seconds for it."""
    root = Path(index_root)
    root.mkdir(parents=True, exist_ok=True)
    # O_CLOEXEC: a program this process runs never holds it either.
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _held_locks.add(fd)
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"index at {root} is being written by another process "
                        f"(waited {timeout:g} s); try again when it finishes"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _held_locks.discard(fd)
        os.close(fd)  # closing the descriptor releases the flock


def _whoosh_writer(ix: Index, timeout: float) -> FastWriter:
    try:
        return FastWriter(ix, timeout=timeout)
    except LockError as exc:
        raise IndexLocked(f"Whoosh write lock busy in {ix.storage.folder}") from exc


def _merge_small(writer: FastWriter, segments: list, limit: int | None = None) -> list:
    """Merge policy for update commits: once there would be more than MAX_SEGMENTS
    segments, the smallest ones (together at most `limit` live articles: MERGE_DOCS for
    updates, MERGE_DOCS_QUICK for the single-file calls of watch and the web) are merged
    into the segment being written, by re-adding their articles from stored fields
    through FastWriter. Whoosh's own merge feeds every posting through its sort pool,
    several times slower per article; this costs what indexing them again costs.
    Articles deleted or replaced in this same commit are already marked deleted in
    their old segments, so they are not carried over.
    """
    from whoosh.reading import SegmentReader

    if len(segments) + 1 <= MAX_SEGMENTS:
        return list(segments)
    chosen, total = [], 0
    for seg in sorted(segments, key=lambda s: s.doc_count()):
        if total + seg.doc_count() > (MERGE_DOCS if limit is None else limit):
            break  # big segments (a build's) are never rewritten by an update
        chosen.append(seg)
        total += seg.doc_count()
    if len(chosen) < 2:
        return list(segments)
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            for stored in reader.all_stored_fields():
                article = article_from_stored(stored)
                sig = stored_signature(stored)
                where = groups.Assignment(
                    stored.get("group") or article.id, bool(stored["canonical"])
                )
                writer.add_article(article, article_fields(article, sig, where))
        finally:
            reader.close()
    merged = {id(s) for s in chosen}
    log.info("merged %d small segments (%d articles)", len(chosen), total)
    return [s for s in segments if id(s) not in merged]


# --- documents -------------------------------------------------------------------------


def member_of(article: Article, signature: bytes) -> groups.Member:
    return groups.Member(
        id=article.id,
        path=article.path,
        content_hash=article.content_hash,
        signature=signature,
        published=article.published,
        title_inferred=article.title_inferred,
        n_sources=len(article.sources),
        site=article.site,
    )


# --- the corpus ------------------------------------------------------------------------


def walk_corpus(root: Path) -> CorpusWalk:
    """corpus.walk (pages by real path, links outside refused), but a missing corpus
    folder is an error, not an empty corpus: a mistyped path must not remove every article.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusNotFound(f"corpus folder {root} does not exist")
    return walk(root)


def scan_corpus(root: Path) -> dict[str, CorpusFile]:
    """Every corpus page under `root` with its size and mtime, keyed by real relative path."""
    return walk_corpus(root).files


def _hash_file(path: Path) -> str | None:
    """sha256 of a file's bytes, or None if it cannot be read or is over the size limit."""
    from indexer.extract.load import file_hash
    from indexer.extract.patterns import MAX_FILE_BYTES

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > MAX_FILE_BYTES else file_hash(data)


# The sites' templates the pipeline reads pages with (site_templates.py): set by a build
# or an update before it starts its worker processes, which inherit it.
_TEMPLATES: dict[str, frozenset[int]] = {}


def _process(cf: CorpusFile, corpus: Path) -> tuple[Article | Skipped, PageLines | None]:
    """The pipeline on one file, with what the page adds to its site's template counts.
    It reports bad input as Skipped itself; anything it raises is a bug on one page,
    which must not stop the other pages either."""
    from indexer.extract.pipeline import survey_file

    try:
        return survey_file(Path(cf.path), corpus, templates=_TEMPLATES)
    except Exception as exc:  # noqa: BLE001 - the edge where one page's failure is contained
        log.exception("extraction failed on %s", cf.relpath)
        reason = f"extraction failed: {type(exc).__name__}: {exc}"
        return Skipped(path=cf.relpath, reason=reason), None


class _Progress:
    """A one-line progress bar on stderr, drawn only when asked (the CLI asks on a TTY)."""

    def __init__(self, enabled: bool, total: int, label: str) -> None:
        self.enabled, self.total, self.label = enabled, total, label
        self.done = 0
        self.last = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


# --- build -----------------------------------------------------------------------------


def build(
    corpus: Path, index_root: Path, *, progress: bool = False, lock_timeout: float = 10.0
) -> BuildReport:
    """Index the whole corpus into a new generation, then make it `current`.

    The old generation stays current (and searchable) until the new one is complete, so a
    build that is killed or fails leaves the index as it was.
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
            with _sqlite_errors(gen):
                report = _build_into(Path(corpus), gen, progress)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)  # a failed build leaves nothing behind
            raise
        faults.reached("swap")  # test-only pause point (indexer/faults.py)
        swap_current(root, gen)
        remove_generations(root, gen)
    return BuildReport(**{**report, "seconds": time.perf_counter() - t0})


def _worker_init() -> None:
    """In each worker process: leave Ctrl-C to the parent, let go of the writer lock, and
    die with the parent.

    A terminal sends SIGINT to the whole process group; the parent stops its workers and
    says "interrupted" once, instead of every worker printing a KeyboardInterrupt
    traceback. A parent killed with SIGKILL cannot stop its workers: without the rest,
    they would keep extracting (and hold the inherited lock) for as long as their queue
    lasts, and the next writer would find the index locked by nobody alive.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)  # this copy only: the parent's lock stays held
    _held_locks.clear()
    _die_with_parent(os.getppid())


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent(parent: int) -> None:
    """Have the kernel SIGKILL this process when its parent dies (Linux), else watch the
    parent's pid from a thread; either way check once now, since the parent may already
    be gone before the request took effect."""
    if not _set_pdeathsig():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _set_pdeathsig() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int, interval: float = 0.5) -> None:
    """The fallback where prctl is missing: exit once the parent is gone (the process is
    re-parented, so getppid() changes)."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


_Extracted = tuple[CorpusFile, Article | Skipped, bytes, "PageLines | None"]


def _extract_one(cf: CorpusFile, corpus: Path) -> _Extracted:
    """Pipeline + signature for one file (runs in a worker process during a build)."""
    result, found = _process(cf, corpus)
    sig = groups.signature(result.body) if isinstance(result, Article) else b""
    return cf, result, sig, found


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _build_procs(n_files: int) -> int:
    """Worker processes for a build: all cores, unless the corpus is too small to pay
    for forking (tests and seeds build in one process)."""
    cores = _cores()
    return cores if cores > 1 and n_files >= PARALLEL_MIN_FILES else 1


def _extract_all(
    files: dict[str, CorpusFile], corpus: Path, procs: int, bar: _Progress
) -> list[_Extracted]:
    ordered = [files[r] for r in sorted(files)]
    if procs <= 1:
        out = []
        for cf in ordered:
            out.append(_extract_one(cf, corpus))
            bar.step()
        return out
    ctx = multiprocessing.get_context("fork")
    out = []
    with ctx.Pool(procs, initializer=_worker_init) as pool:
        for item in pool.imap(_extract_star, [(cf, corpus) for cf in ordered], chunksize=32):
            out.append(item)
            bar.step()
    return out


def _extract_star(args: tuple[CorpusFile, Path]) -> _Extracted:
    return _extract_one(*args)


def _write_part(
    ix: Index, items: Sequence[tuple[Article, bytes, groups.Assignment]], counter: Any
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
    _worker_init()
    try:
        conn.send(("ok", _write_part(ix, items, counter)))
    except BaseException as exc:  # reported to the parent, which raises
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _write_segments(
    ix: Index, items: Sequence[tuple[Article, bytes, groups.Assignment]], procs: int, bar: _Progress
) -> None:
    """Write all articles into the new index: in `procs` forked processes, each writing
    its contiguous share as its own segments, then one TOC commit listing them all in
    order (what Whoosh's MpWriter does with multisegment=True, with FastWriter inside)."""
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
    _remove_temp_dirs(Path(ix.storage.folder))
    record_commit(ix)


def _build_templates(
    gen: Path, files: dict[str, CorpusFile], corpus: Path, procs: int, bar: _Progress
) -> list[_Extracted]:
    """Every file read alone, the sites' templates learnt from them and kept in the new
    generation, and the files holding a template line read again with it."""
    _TEMPLATES.clear()
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
    _TEMPLATES.update(learnt)
    try:
        redone = {item[0].relpath: item for item in _extract_all(again, corpus, procs, bar)}
    finally:
        _TEMPLATES.clear()
    return [redone.get(item[0].relpath, item) for item in first]


def _build_into(corpus: Path, gen: Path, progress: bool) -> dict[str, Any]:
    found = walk_corpus(corpus)
    files = found.files
    procs = _build_procs(len(files))
    bar = _Progress(progress, len(files), "reading")
    articles: list[tuple[CorpusFile, Article, bytes]] = []
    skipped: list[tuple[CorpusFile, Skipped]] = []
    for cf, result, sig, _ in _build_templates(gen, files, corpus, procs, bar):
        if isinstance(result, Article):
            articles.append((cf, result, sig))
        else:
            skipped.append((cf, result))
    members = [member_of(a, sig) for _, a, sig in articles]
    assignment = groups.group_all(members)

    from indexer.index.schema import build_schema

    ix = whoosh_index.create_in(str(gen), build_schema())
    bar = _Progress(progress, len(articles), "indexing")
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
            manifest.set_generation(db, ix.latest_generation())
            manifest.set_format(db, INDEX_FORMAT)
    finally:
        manifest.close()
    stories = sum(1 for w in assignment.values() if w.canonical)
    return {
        "files_read": len(files),
        "articles": len(articles),
        "stories": stories,
        "duplicates": len(articles) - stories,
        "skipped": found.refused + tuple((s.path, s.reason) for _, s in skipped),
        "generation": gen.name,
    }


# --- incremental changes ---------------------------------------------------------------


@dataclass
class _Tally:
    """What an incremental run has done so far (mutable while it runs)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    # Files read anew, with what each adds to its site's template counts.
    surveyed: list[tuple[CorpusFile | None, PageLines | None]] = field(default_factory=list)
    rereading: bool = False  # reading pages again for their site's new template
    reread: list[str] = field(default_factory=list)

    def record(self, article: Article, is_new: bool) -> None:
        """One article written; a page read again keeps its place in the report."""
        if not self.rereading:
            (self.added if is_new else self.changed).append(article.id)
            self.articles.append(article)
            return
        self.reread.append(article.id)
        self.articles = [article if a.id == article.id else a for a in self.articles]

    def report(self, t0: float) -> UpdateReport:
        added = set(self.added)
        changed = set(self.changed)
        return UpdateReport(
            added=tuple(self.added),
            changed=tuple(self.changed),
            removed=tuple(self.removed),
            unchanged=self.unchanged,
            skipped=tuple(self.skipped),
            regrouped=tuple(
                sorted({i for i in self.regrouped if i not in added and i not in changed})
            ),
            seconds=time.perf_counter() - t0,
            articles=tuple(self.articles),
            reread=tuple(sorted({i for i in self.reread if i not in added and i not in changed})),
        )


@dataclass(frozen=True)
class _Upsert:
    cf: CorpusFile | None
    article: Article
    signature: bytes
    is_new: bool


@dataclass(frozen=True)
class _Removal:
    id: str | None
    relpath: str


def _open_manifest(gen: Path) -> Manifest | None:
    """The generation's manifest, or None when SQLite cannot read it (then it is rebuilt
    from the index, as when it lags it)."""
    try:
        manifest = Manifest(gen / MANIFEST)
    except sqlite3.DatabaseError as exc:
        log.warning("manifest %s is unreadable (%s)", gen / MANIFEST, exc)
        return None
    try:
        manifest.generation()
        manifest.format()
    except sqlite3.DatabaseError as exc:
        log.warning("manifest %s is unreadable (%s)", gen / MANIFEST, exc)
        manifest.close()
        return None
    return manifest


def record_commit(ix: Index) -> None:
    """Record the checksums of the files of the index's latest commit (integrity.py).

    Called after every Whoosh commit, before the manifest's: a writer killed in between
    leaves a generation the next writer records itself.
    """
    toc = whoosh_adapter.read_toc(ix)  # the latest TOC: its generation and its segments
    segments = [s.segment_id() for s in toc.segments]
    integrity.record(Path(ix.storage.folder), toc.generation, segments)


class _Session:
    """An open writable generation: its Whoosh index and its manifest (under the lock)."""

    def __init__(self, gen: Path, merge_docs: int | None = None) -> None:
        self.gen = gen
        self.merge_docs = merge_docs
        self._ix: Index | None = None
        _remove_temp_dirs(gen)
        self.manifest = _open_manifest(gen)
        if self.manifest is None or self.manifest.generation() != latest_toc_number(gen):
            log.warning("manifest does not match index generation; rebuilding it from the index")
            self._check_files(gen)  # the rebuild reads the index: it must be whole
            self._rebuild_manifest()
        assert self.manifest is not None
        if self.manifest.format() != INDEX_FORMAT:
            # Checked here, not by opening the index: a no-change update never opens it,
            # and must not call an index it cannot update "up to date".
            self.manifest.close()
            raise IndexOutdated(gen)
        self._check_files(gen)

    def _check_files(self, gen: Path) -> None:
        """Refuse a damaged index before changing it (the cheap check, integrity.py), and
        record a generation that a killed writer committed but did not record. Every
        generation of this format has a record; one without was written before records
        were kept (or lost it): either way only a rebuild helps."""
        if not integrity.has_record(gen):
            self.close()
            raise IndexOutdated(gen)
        verdict = integrity.verify(gen)
        if not verdict.sound:
            self.close()
            raise IndexDamaged(gen, first_problems(verdict.problems))
        if not verdict.recorded:
            log.warning("recording the checksums of a commit made by a writer that was stopped")
            record_commit(self.ix)

    @property
    def ix(self) -> Index:
        """The Whoosh index, opened on first use: opening unpickles the schema, which
        imports the analyzers (jieba, the folding tables); a no-change update never
        needs it."""
        if self._ix is None:
            self._ix = _open_generation(self.gen)
        return self._ix

    def close(self) -> None:
        if self.manifest is not None:
            self.manifest.close()
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def _rebuild_manifest(self) -> None:
        """Recreate the manifest from stored fields: after a writer died between commits.

        Sizes and mtimes are unknown afterwards, so the next diff hashes each file once.
        """
        if self.manifest is not None:
            self.manifest.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.gen / MANIFEST) + suffix)
        self.manifest = Manifest(self.gen / MANIFEST)
        rows = []
        with self.ix.searcher() as searcher, self.manifest.transaction() as db:
            for doc in searcher.all_stored_fields():
                article = article_from_stored(doc)
                m = member_of(article, stored_signature(doc))
                where = groups.Assignment(doc.get("group") or m.id, bool(doc.get("canonical")))
                rows.append((m, where))
                self.manifest.put_file(db, None, article.path, article.file_hash, m.id, None)
            self.manifest.put_docs(db, rows)
            self.manifest.set_generation(db, self.ix.latest_generation())
            self.manifest.set_format(db, INDEX_FORMAT)  # the index opened: it is current

    def apply(
        self, upserts: Sequence[_Upsert], removals: Sequence[_Removal], tally: _Tally
    ) -> None:
        """One batch: regroup what it touches, commit it to Whoosh, then to the manifest."""
        if not upserts and not removals:
            return
        manifest = self.manifest
        new = {u.article.id: member_of(u.article, u.signature) for u in upserts}
        gone = {r.id for r in removals if r.id} - set(new)
        old = manifest.members(set(new) | gone)  # previous versions of changed articles
        cand_ids: set[str] = set()
        for m in new.values():
            cand_ids |= manifest.candidates(m)
        cands = manifest.members(cand_ids - gone - set(new))
        links = groups.duplicate_links(list(new.values()), [m for m, _ in cands.values()])
        linked = {b for _, b in links}
        gids = {w.group for _, w in old.values()} | {cands[i][1].group for i in linked}
        pool = manifest.members(manifest.group_mates(gids) - gone - set(new))
        affected: dict[str, list[groups.Member]] = {}
        for m, w in pool.values():
            affected.setdefault(w.group, []).append(m)
        assignment = groups.regroup(
            list(new.values()),
            [cands[i][0] for i in sorted(linked)],
            affected,
            {i: w.group for i, (_, w) in pool.items()},
            links,
        )
        regroup = {i: assignment[i] for i, (_, w) in pool.items() if assignment[i] != w}

        with self.ix.searcher() as searcher:
            rewrites = []
            for doc_id, where in sorted(regroup.items()):
                stored = searcher.document(id=doc_id)
                if stored is None:
                    log.warning("manifest lists %s but the index has no such document", doc_id)
                    continue
                rewrites.append((article_from_stored(stored), pool[doc_id][0].signature, where))
        writer = _whoosh_writer(self.ix, timeout=5.0)
        try:
            for doc_id in sorted(gone):
                writer.delete_by_term("id", doc_id)
            for u in upserts:
                fields = article_fields(u.article, u.signature, assignment[u.article.id])
                writer.delete_by_term("id", u.article.id)
                writer.add_article(u.article, fields)
            for article, sig, where in rewrites:
                writer.delete_by_term("id", article.id)
                writer.add_article(article, article_fields(article, sig, where))
            writer.commit(mergetype=partial(_merge_small, limit=self.merge_docs))
        except BaseException:
            whoosh_adapter.cancel(writer)
            raise
        record_commit(self.ix)
        with manifest.transaction() as db:
            for r in removals:
                manifest.delete_file(db, r.relpath)
                if r.id and r.id in gone:
                    manifest.delete_doc(db, r.id)
            for u in upserts:
                manifest.put_file(db, u.cf, u.article.path, u.article.file_hash, u.article.id, None)
                manifest.put_doc(db, new[u.article.id], assignment[u.article.id])
            for article, _, where in rewrites:
                manifest.set_assignment(db, article.id, where)
            manifest.set_generation(db, self.ix.latest_generation())
        for u in upserts:
            tally.record(u.article, u.is_new)
        tally.removed.extend(sorted(gone))
        tally.regrouped.extend(regroup)
        faults.reached("commit")  # test-only pause point (indexer/faults.py)

    def record_files(self, rows: Sequence[tuple[CorpusFile, str, str | None, str | None]]) -> None:
        """Files that changed on disk but not in the index (touched, or skipped)."""
        if rows:
            with self.manifest.transaction() as db:
                for cf, digest, doc_id, reason in rows:
                    self.manifest.put_file(db, cf, cf.relpath, digest, doc_id, reason)


_Row = tuple[CorpusFile, str, str | None, str | None]  # manifest row: file, hash, id, reason


@dataclass(frozen=True)
class _Verdict:
    """What one new-looking file turned out to be (computed in a worker, tallied after)."""

    upsert: _Upsert | None = None
    row: _Row | None = None
    unchanged: bool = False
    skipped: tuple[str, str] | None = None
    found: PageLines | None = None  # what the page adds to its site's template counts


def _classify(cf: CorpusFile, known: FileState | None, corpus: Path) -> _Verdict:
    """Decide what one new-looking file means: an upsert, or just a manifest row.

    A file whose bytes are unchanged (a touch, or sizes/mtimes unknown after a manifest
    rebuild) costs one hash, not a pipeline run. A file that is now bad keeps its last
    good article in the index: bad input never removes what readers could find.
    Pure (no tally, no index access), so it can run in a worker process.
    """
    if known is not None and known.file_hash and known.reason is None:
        digest = _hash_file(Path(cf.path))
        if digest == known.file_hash:
            return _Verdict(row=(cf, digest, known.id, None), unchanged=True)
    result, found = _process(cf, corpus)
    if isinstance(result, Skipped):
        row = (cf, result.file_hash, known.id if known else None, result.reason)
        return _Verdict(row=row, skipped=(result.path, result.reason))
    if known is not None and known.id and known.file_hash == result.file_hash:
        return _Verdict(row=(cf, result.file_hash, known.id, None), unchanged=True)
    sig = groups.signature(result.body)
    is_new = known is None or known.id is None
    return _Verdict(upsert=_Upsert(cf, result, sig, is_new), found=found)


def _classify_star(args: tuple[CorpusFile, FileState | None, Path]) -> _Verdict:
    return _classify(*args)


def _verdicts(
    work: Sequence[CorpusFile], known: dict[str, FileState], corpus: Path
) -> Iterator[_Verdict]:
    """_classify for each file, in order: in worker processes when there are enough files.

    Extraction is most of an update's time; with workers reading ahead, the writer
    commits one batch while the next is being extracted.
    """
    jobs = [(cf, known.get(cf.relpath), corpus) for cf in work]
    procs = _cores() if len(jobs) >= UPDATE_PARALLEL_MIN_FILES else 1
    if procs <= 1:
        yield from map(_classify_star, jobs)
        return
    with multiprocessing.get_context("fork").Pool(procs, initializer=_worker_init) as pool:
        yield from pool.imap(_classify_star, jobs, chunksize=8)


def _run_changes(
    session: _Session,
    corpus: Path,
    work: Sequence[CorpusFile],
    known: dict[str, FileState],
    removals: Sequence[_Removal],
    tally: _Tally,
    batch_size: int,
    progress: bool,
) -> None:
    """Removals first (one batch), then the files to (re)index in batches of `batch_size`.

    Each batch is regrouped and committed on its own, so a killed run keeps every batch it
    finished, and the index is consistent (one canonical per group) after every commit.
    """
    for i in range(0, len(removals), batch_size):
        session.apply([], removals[i : i + batch_size], tally)
    bar = _Progress(progress, len(work), "updating")
    upserts: list[_Upsert] = []
    rows: list[_Row] = []
    for verdict in _verdicts(work, known, corpus):
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


def _with_templates(
    session: _Session,
    corpus: Path,
    work: Sequence[CorpusFile],
    known: dict[str, FileState],
    removals: Sequence[_Removal],
    tally: _Tally,
    batch_size: int,
    progress: bool,
) -> None:
    """_run_changes with the sites' templates kept current (site_templates.py): files are
    read with their site's template, the pages read and removed move their sites' counts,
    and the pages holding a line whose template status flipped are read again."""
    book = SiteBook(session.gen)
    try:
        _TEMPLATES.update(book.templates())
        _run_changes(session, corpus, work, known, removals, tally, batch_size, progress)
        read, tally.surveyed = tally.surveyed, []
        added = [counted(cf.relpath, f.site, f.keys) for cf, f in read if cf and f]
        alone = [cf.relpath for cf, f in read if cf and not (f and f.site)]
        flips = book.change([c for c in added if c], [r.relpath for r in removals] + alone)
        if not flips:
            return
        _TEMPLATES.clear()
        _TEMPLATES.update(book.templates())
        again = sorted({p for site, keys in flips.items() for p in book.files_holding(site, keys)})
    finally:
        book.close()
    try:
        states = session.manifest.files(again)
        redo, forced = [], {}
        for relpath in again:
            path = corpus / relpath
            with contextlib.suppress(OSError):
                st = path.stat()
                redo.append(CorpusFile(relpath, str(path), st.st_size, st.st_mtime_ns))
                if relpath in states:  # read again even though its bytes did not change
                    forced[relpath] = replace(states[relpath], file_hash="")
        tally.rereading = True
        _run_changes(session, corpus, redo, forced, [], tally, batch_size, False)
    finally:
        tally.rereading = False
        tally.surveyed = []
        _TEMPLATES.clear()


@contextlib.contextmanager
def _sqlite_errors(gen: Path) -> Iterator[None]:
    """The manifest's errors as the store's: a full disk is the OSError (ENOSPC) every
    edge already reports in one line; anything else SQLite refuses is a damaged index."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "full" in str(exc):
            raise OSError(errno.ENOSPC, f"No space left on device ({exc})", str(gen)) from exc
        raise IndexDamaged(gen, f"{MANIFEST}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise IndexDamaged(gen, f"{MANIFEST}: {exc}") from exc


@contextlib.contextmanager
def _session(
    index_root: Path, lock_timeout: float, merge_docs: int | None = None
) -> Iterator[_Session]:
    with write_lock(index_root, lock_timeout):
        gen = current_generation_dir(index_root)
        with _sqlite_errors(gen):
            session = _Session(gen, merge_docs)
            try:
                yield session
            finally:
                session.close()


def update(
    corpus: Path,
    index_root: Path,
    *,
    lock_timeout: float = 10.0,
    batch_size: int = BATCH,
    progress: bool = False,
) -> UpdateReport:
    """Bring the index in step with the corpus folder: add, replace, remove, regroup.

    Files whose size and mtime match the manifest are not read at all, so a run with
    nothing to do costs one directory walk. Files skipped before are retried only when
    they change. Raises IndexNotFound when there is no index yet (run build first).
    """
    t0 = time.perf_counter()
    corpus = Path(corpus)
    tally = _Tally()
    with _session(index_root, lock_timeout) as session:
        recorded = session.manifest.stat_map()
        found = walk_corpus(corpus)
        files = found.files
        tally.skipped.extend(found.refused)  # not followed: said at every run, until removed
        if not files and recorded and (indexed := session.manifest.indexed_count()):
            raise CorpusNotFound(
                f"corpus folder {corpus} holds no pages; refusing to remove all {indexed} "
                "articles (if that is what you want, run build)"
            )
        work = []
        for relpath, cf in files.items():
            if recorded.get(relpath) == (cf.size, cf.mtime_ns):
                tally.unchanged += 1
            else:
                work.append(cf)
        work.sort(key=lambda cf: cf.relpath)
        gone = sorted(recorded.keys() - files.keys())
        known = session.manifest.files([cf.relpath for cf in work] + gone)
        removals = [_Removal(known[p].id, p) for p in gone]
        _with_templates(session, corpus, work, known, removals, tally, batch_size, progress)
    return tally.report(t0)


def index_files(
    index_root: Path, corpus: Path, paths: list[Path], *, lock_timeout: float = 10.0
) -> UpdateReport:
    """Index (or re-index) the given corpus files now; a path that no longer exists is
    removed. For the web upload endpoint: the report's `articles` are the records as
    indexed, and `skipped` says why a file was not."""
    t0 = time.perf_counter()
    corpus = Path(corpus)
    tally = _Tally()
    with _session(index_root, lock_timeout, MERGE_DOCS_QUICK) as session:
        targets, outside = _index_targets(corpus, paths)
        known = session.manifest.files([rel for _, rel in targets] + outside)
        work: list[CorpusFile] = []
        # A link leading out of the corpus is not read; an article indexed under its name
        # before (by an older version) goes.
        removals = [_Removal(known[rel].id, rel) for rel in outside if rel in known]
        tally.skipped.extend((rel, OUTSIDE) for rel in outside)
        for path, relpath in targets:
            try:
                st = path.stat()
            except FileNotFoundError:
                if relpath in known:
                    removals.append(_Removal(known[relpath].id, relpath))
                continue
            work.append(CorpusFile(relpath, str(path), st.st_size, st.st_mtime_ns))
        # An explicit request re-reads the file even if its size and mtime look unchanged.
        _with_templates(session, corpus, work, known, removals, tally, BATCH, False)
    return tally.report(t0)


def _index_targets(corpus: Path, paths: list[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """The paths as (file, real relative path), each real file once (a file named twice,
    or under a link and its own name, must not become two documents with one id), and the
    relative paths, as given, of those whose real path lies outside the corpus."""
    targets: dict[str, Path] = {}
    outside: list[str] = []
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else corpus / raw
        relpath = corpus_relpath(path, corpus)
        if relpath:
            targets.setdefault(relpath, corpus / relpath)
        else:
            outside.append(os.path.relpath(path, corpus).replace(os.sep, "/"))
    return list((path, rel) for rel, path in targets.items()), outside


def remove_ids(index_root: Path, ids: list[str], *, lock_timeout: float = 10.0) -> UpdateReport:
    """Remove articles by id (the web delete endpoint; it deletes the file itself).

    Unknown ids are ignored; the report's `removed` lists those that were indexed.
    """
    t0 = time.perf_counter()
    tally = _Tally()
    with _session(index_root, lock_timeout, MERGE_DOCS_QUICK) as session:
        paths = session.manifest.id_paths(ids)
        removals = [_Removal(i, p) for i, p in sorted(paths.items())]
        _with_templates(session, Path("."), [], {}, removals, tally, BATCH, False)
    return tally.report(t0)


# --- checking --------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    """What `check` found: one line per damaged file (empty: the index is sound)."""

    generation: str
    problems: tuple[str, ...]
    files: int
    bytes: int

    @property
    def sound(self) -> bool:
        return not self.problems


def check(index_root: Path) -> CheckReport:
    """Verify the current generation in full: every byte of every file against the
    checksums recorded at commit, and the manifest's own pages. Takes no lock (see
    integrity.verify for a commit that lands meanwhile)."""
    gen = current_generation_dir(index_root)
    verdict = integrity.verify(gen, full=True)
    problems = list(verdict.problems)
    if verdict.sound and not verdict.recorded:
        problems.append(
            f"{integrity.toc_name(verdict.generation)}: committed without checksums "
            "(its writer was stopped); the next `python -m indexer update` records them"
        )
    problems.extend(_manifest_problems(gen / MANIFEST))
    return CheckReport(gen.name, tuple(problems), verdict.files, verdict.bytes)


def _manifest_problems(path: Path) -> list[str]:
    """SQLite's own page check of the manifest, and the index format it records."""
    try:
        db = sqlite3.connect(path)
        try:
            rows = db.execute("PRAGMA quick_check").fetchall()
            fmt = db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        return [f"{MANIFEST}: {exc} (`update` rebuilds it from the index)"]
    out = [f"{MANIFEST}: {r[0]}" for r in rows if r[0] != "ok"]
    if not fmt or fmt[0] != INDEX_FORMAT:
        out.append(f"{MANIFEST}: written by an older version of this program (run build)")
    return out


# --- statistics ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    articles: int
    stories: int
    sources: int
    sites: int
    first_published: str | None
    last_published: str | None
    undated: int
    generation: str


def stats(index_root: Path) -> Stats:
    """Counts for `python -m indexer stats`: the searcher's definition (live documents
    only, search.live_counts), so the CLI and the web page never disagree."""
    from indexer.read.searcher import Searcher

    gen = current_generation_dir(index_root)
    searcher = Searcher(index_root)
    try:
        c = searcher.counts()
    finally:
        searcher.close()
    return Stats(
        articles=c["articles"],
        stories=c["stories"],
        sources=c["sources"],
        sites=c["sites"],
        first_published=c["date_min"],
        last_published=c["date_max"],
        undated=c["undated"],
        generation=gen.name,
    )
