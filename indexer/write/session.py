"""An open writable generation: its Whoosh index and its manifest, under the lock.

Every incremental change (update, the web's single files, watch) runs in a Session: it
checks the generation before changing it (format, checksums: integrity.py), rebuilds a
manifest that lags the index, and commits each batch to Whoosh first, then to the
manifest. The manifest records the TOC number it matches; if a writer died between its
two commits, the next one sees the mismatch and rebuilds the manifest from the index.
Orphan segment files of a killed writer are deleted by Whoosh at the next commit; its
temporary sort directories here.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh import index as whoosh_index
from whoosh.index import Index, LockError

from indexer import faults
from indexer.corpus import CorpusFile
from indexer.index import integrity, whoosh_adapter
from indexer.index.errors import (
    IndexDamaged,
    IndexLocked,
    IndexNotFound,
    IndexOutdated,
    first_problems,
)
from indexer.index.fields import article_fields, article_from_stored
from indexer.index.layout import INDEX_FORMAT, MANIFEST, current_generation_dir
from indexer.index.whoosh_adapter import latest_toc_number
from indexer.models import Article
from indexer.write import stories
from indexer.write.lock import write_lock
from indexer.write.manifest import Manifest
from indexer.write.merge_policy import merge_small
from indexer.write.reports import Tally

if TYPE_CHECKING:
    from indexer.write.segment_writer import FastWriter

log = logging.getLogger(__name__)


def open_index(index_root: Path) -> Index:
    """Open the Whoosh index of the current generation."""
    return open_generation(current_generation_dir(index_root))


def open_generation(gen: Path) -> Index:
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


def _whoosh_writer(ix: Index, timeout: float) -> FastWriter:
    # Imported here: the writer loads jieba and the folding tables, which a run with
    # nothing to write (a no-change update) never needs.
    from indexer.write.segment_writer import FastWriter

    try:
        return FastWriter(ix, timeout=timeout)
    except LockError as exc:
        raise IndexLocked(f"Whoosh write lock busy in {ix.storage.folder}") from exc


@dataclass(frozen=True)
class Upsert:
    cf: CorpusFile | None
    article: Article
    minhash: bytes  # the body's MinHash signature (for the manifest)
    is_new: bool


@dataclass(frozen=True)
class Removal:
    id: str | None
    relpath: str


def open_manifest(gen: Path) -> Manifest | None:
    """The generation's manifest, or None when SQLite cannot read it (then it is rebuilt
    from the index, as when it lags it)."""
    try:
        manifest = Manifest(gen / MANIFEST)
    except sqlite3.DatabaseError as exc:
        log.warning("manifest %s is unreadable (%s)", gen / MANIFEST, exc)
        return None
    try:
        manifest.toc_number()
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


@contextlib.contextmanager
def sqlite_errors(gen: Path) -> Iterator[None]:
    """The manifest's errors as the writer's: a full disk is the OSError (ENOSPC) every
    edge already reports in one line; anything else SQLite refuses is a damaged index."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "full" in str(exc):
            raise OSError(errno.ENOSPC, f"No space left on device ({exc})", str(gen)) from exc
        raise IndexDamaged(gen, f"{MANIFEST}: {exc}") from exc
    except sqlite3.DatabaseError as exc:
        raise IndexDamaged(gen, f"{MANIFEST}: {exc}") from exc


class Session:
    """An open writable generation: its Whoosh index and its manifest (under the lock)."""

    def __init__(self, gen: Path, merge_docs: int | None = None) -> None:
        self.gen = gen
        self.merge_docs = merge_docs
        self._ix: Index | None = None
        whoosh_adapter.remove_sort_dirs(gen)
        self.manifest = open_manifest(gen)
        if self.manifest is None or self.manifest.toc_number() != latest_toc_number(gen):
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
            self._ix = open_generation(self.gen)
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
        Signatures are not stored (index/fields.py): each is computed again from the
        stored body, the text it was first computed from (about 0.8 ms an article: 1 s
        to 5 s at 5,000, on this rare repair path alone).
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
                m = stories.member_of(article, stories.signature(article.body))
                where = stories.Assignment(doc.get("group") or m.id, bool(doc.get("canonical")))
                rows.append((m, where))
                self.manifest.put_file(db, None, article.path, article.file_hash, m.id, None)
            self.manifest.put_docs(db, rows)
            self.manifest.set_toc_number(db, self.ix.latest_generation())
            self.manifest.set_format(db, INDEX_FORMAT)  # the index opened: it is current

    def apply(self, upserts: Sequence[Upsert], removals: Sequence[Removal], tally: Tally) -> None:
        """One batch: regroup what it touches, commit it to Whoosh, then to the manifest."""
        if not upserts and not removals:
            return
        manifest = self.manifest
        new = {u.article.id: stories.member_of(u.article, u.minhash) for u in upserts}
        gone = {r.id for r in removals if r.id} - set(new)
        old = manifest.members(set(new) | gone)  # previous versions of changed articles
        cand_ids: set[str] = set()
        for m in new.values():
            cand_ids |= manifest.candidates(m)
        cands = manifest.members(cand_ids - gone - set(new))
        links = stories.story_links(list(new.values()), [m for m, _ in cands.values()])
        linked = {b for _, b in links}
        gids = {w.group for _, w in old.values()} | {cands[i][1].group for i in linked}
        pool = manifest.members(manifest.group_mates(gids) - gone - set(new))
        affected: dict[str, list[stories.Member]] = {}
        for m, w in pool.values():
            affected.setdefault(w.group, []).append(m)
        assignment = stories.regroup(
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
                rewrites.append((article_from_stored(stored), where))
        writer = _whoosh_writer(self.ix, timeout=5.0)
        try:
            for doc_id in sorted(gone):
                writer.delete_by_term("id", doc_id)
            for u in upserts:
                fields = article_fields(u.article, assignment[u.article.id])
                writer.delete_by_term("id", u.article.id)
                writer.add_article(u.article, fields)
            for article, where in rewrites:
                writer.delete_by_term("id", article.id)
                writer.add_article(article, article_fields(article, where))
            writer.commit(mergetype=partial(merge_small, limit=self.merge_docs))
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
            for article, where in rewrites:
                manifest.set_assignment(db, article.id, where)
            manifest.set_toc_number(db, self.ix.latest_generation())
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


@contextlib.contextmanager
def open_session(
    index_root: Path, lock_timeout: float, merge_docs: int | None = None
) -> Iterator[Session]:
    with write_lock(index_root, lock_timeout):
        gen = current_generation_dir(index_root)
        with sqlite_errors(gen):
            session = Session(gen, merge_docs)
            try:
                yield session
            finally:
                session.close()
