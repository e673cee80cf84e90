"""The manifest: the index writer's own book of what a generation holds.

Where it sits: the writer (session.py, full_build.py) keeps one `manifest.sqlite` beside
the Whoosh files of each generation and is its only user, always under the index's write
lock. A build fills it
fresh; every update reads it to decide what changed and writes each committed batch into
it right after the batch's Whoosh commit.

What it holds: for every corpus file its size, mtime and hash (or why it was skipped), and
for every article what story grouping (stories.py) needs (signature, band keys, date, metadata
richness, group). Why a manifest rather than reading the index's stored fields: a
no-change update must answer in well under a second at 100k articles, which leaves time
to stat the corpus but not to read and hash every file nor to load 100k stored documents
(their bodies come with them); and regrouping an arrival needs an LSH lookup over every
signature, which is an indexed SQL query instead of a scan. Why SQLite rather than JSON:
each committed batch changes a few hundred rows, and a transaction makes that small and
atomic, where a JSON file would be rewritten whole each time. The manifest records the
Whoosh TOC number it matches; if a writer died between its Whoosh commit and its manifest
commit, the next writer sees the mismatch and rebuilds the manifest from the index.
"""

from __future__ import annotations

import contextlib
import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer import sqlite_tx
from indexer.write import stories

if TYPE_CHECKING:
    from indexer.corpus import CorpusFile

PUT_CHUNK = 4096  # documents whose band keys put_docs computes in one numpy call

_MANIFEST_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, file_hash TEXT,
    id TEXT, reason TEXT);
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY, path TEXT, content_hash TEXT, sig BLOB, published TEXT,
    title_inferred INTEGER, n_sources INTEGER, site TEXT, grp TEXT, canonical INTEGER);
CREATE INDEX IF NOT EXISTS docs_grp ON docs(grp);
CREATE INDEX IF NOT EXISTS docs_hash ON docs(content_hash);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER, doc INTEGER, PRIMARY KEY (key, doc)) WITHOUT ROWID;
"""
# Why bands are (key, docs row number) in one b-tree: keyed by the article's text id with
# an index on each column they were 24.6 of a 38.8 MB manifest at 20,000 articles. A
# document's rows are found again from its signature's keys (`_drop_bands`), so no index
# on `doc` is needed; the row number is the `docs` row's, which a replace renews, so a
# document's bands are dropped before its row is replaced.


@dataclass(frozen=True)
class FileState:
    size: int | None
    mtime_ns: int | None
    file_hash: str
    id: str | None
    reason: str | None


class Manifest:
    """The writer's book of the index (see the module docstring). Used only under the
    index root's write lock (write/lock.py)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_MANIFEST_SQL)

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction (sqlite_tx.immediate)."""
        return sqlite_tx.immediate(self.db)

    def toc_number(self) -> int | None:
        """The Whoosh TOC number this book matches (kept under the key 'generation')."""
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else None

    def set_toc_number(self, db: sqlite3.Connection, number: int) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(number),))

    def format(self) -> str | None:
        """The index format the generation was built with (None: before formats were kept)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        return row[0] if row else None

    def set_format(self, db: sqlite3.Connection, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (value,))

    def files(self, paths: Iterable[str] | None = None) -> dict[str, FileState]:
        """Recorded state of the given files (all files if None)."""
        sql = "SELECT path, size, mtime_ns, file_hash, id, reason FROM files"
        if paths is None:
            return {r[0]: FileState(*r[1:]) for r in self.db.execute(sql)}
        out: dict[str, FileState] = {}
        wanted = list(paths)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"{sql} WHERE path IN ({marks})", chunk):
                out[r[0]] = FileState(*r[1:])
        return out

    def stat_map(self) -> dict[str, tuple[int | None, int | None]]:
        """path -> (size, mtime_ns) of every recorded file: all a no-change update reads."""
        rows = self.db.execute("SELECT path, size, mtime_ns FROM files")
        return {p: (size, mtime) for p, size, mtime in rows}

    def indexed_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM files WHERE id IS NOT NULL").fetchone()[0]

    def put_file(
        self,
        db: sqlite3.Connection,
        cf: CorpusFile | None,
        relpath: str,
        file_hash: str,
        doc_id: str | None,
        reason: str | None,
    ) -> None:
        """Record a file; `cf` None (size and mtime unknown) makes the next update rehash it."""
        db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
            (
                relpath,
                cf.size if cf else None,
                cf.mtime_ns if cf else None,
                file_hash,
                doc_id,
                reason,
            ),
        )

    def delete_file(self, db: sqlite3.Connection, relpath: str) -> None:
        db.execute("DELETE FROM files WHERE path = ?", (relpath,))

    def put_doc(self, db: sqlite3.Connection, m: stories.Member, where: stories.Assignment) -> None:
        self.put_docs(db, [(m, where)])

    def put_docs(
        self,
        db: sqlite3.Connection,
        rows: Iterable[tuple[stories.Member, stories.Assignment]],
        *,
        fresh: bool = False,
    ) -> None:
        """Insert or replace documents with their band keys, in one pass over `rows`.

        Why in chunks of PUT_CHUNK: a build records a million documents here. As lists,
        their rows and their 16 band rows each were 1.5 GB of tuples at once; now a chunk's
        band keys are one numpy call (stories.band_keys_many) and each document's bands
        go in under its row number, with no lookup by id. `fresh`: the documents are not
        in the table yet (a new generation's manifest), so no old band rows are looked for.
        """
        doc_sql = "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        band_sql = "INSERT OR IGNORE INTO bands VALUES (?, ?)"
        it = iter(rows)
        while chunk := list(itertools.islice(it, PUT_CHUNK)):
            sigs = np.stack([_signature_row(m.signature) for m, _ in chunk])
            keys = stories.band_keys_many(sigs).tolist()
            empty = np.all(sigs == stories.EMPTY, axis=1).tolist()
            for (m, w), k, none in zip(chunk, keys, empty, strict=True):
                if not fresh:
                    _drop_bands(db, m.id)
                rowid = db.execute(doc_sql, _doc_row(m, w)).lastrowid
                if not none:
                    db.executemany(band_sql, [(key, rowid) for key in k])

    def delete_doc(self, db: sqlite3.Connection, doc_id: str) -> None:
        _drop_bands(db, doc_id)
        db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))

    def set_assignment(
        self, db: sqlite3.Connection, doc_id: str, where: stories.Assignment
    ) -> None:
        db.execute(
            "UPDATE docs SET grp = ?, canonical = ? WHERE id = ?",
            (where.group, int(where.canonical), doc_id),
        )

    def _member(self, row: Sequence[Any]) -> tuple[stories.Member, stories.Assignment]:
        m = stories.Member(
            id=row[0],
            path=row[1],
            content_hash=row[2] or "",
            signature=bytes(row[3]),
            published=row[4],
            title_inferred=bool(row[5]),
            n_sources=row[6] or 0,
            site=row[7],
        )
        return m, stories.Assignment(group=row[8], canonical=bool(row[9]))

    def members(self, ids: Iterable[str]) -> dict[str, tuple[stories.Member, stories.Assignment]]:
        out = {}
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT * FROM docs WHERE id IN ({marks})", chunk):
                m, w = self._member(row)
                out[m.id] = (m, w)
        return out

    def group_mates(self, group_ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        gids = list(group_ids)
        for i in range(0, len(gids), 500):
            chunk = gids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0] for r in self.db.execute(f"SELECT id FROM docs WHERE grp IN ({marks})", chunk)
            )
        return out

    def candidates(self, m: stories.Member) -> set[str]:
        """Existing articles sharing a band key or the content hash with `m`."""
        keys = stories.band_keys(m.signature)
        out: set[str] = set()
        if keys:
            marks = ",".join("?" * len(keys))
            out.update(
                r[0]
                for r in self.db.execute(
                    "SELECT docs.id FROM bands JOIN docs ON docs.rowid = bands.doc"
                    f" WHERE bands.key IN ({marks})",
                    keys,
                )
            )
        if m.content_hash:
            out.update(
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM docs WHERE content_hash = ?", (m.content_hash,)
                )
            )
        out.discard(m.id)
        return out

    def id_paths(self, ids: Iterable[str]) -> dict[str, str]:
        got = self.members(ids)
        return {i: m.path for i, (m, _) in got.items()}

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _signature_row(sig: bytes) -> np.ndarray:
    """A signature as its uint32 row; one of another length (none recorded) has no bands,
    like an empty body's."""
    if len(sig) != stories.EMPTY.nbytes:
        return stories.EMPTY
    return np.frombuffer(sig, dtype=np.uint32)


def _drop_bands(db: sqlite3.Connection, doc_id: str) -> None:
    """Delete a recorded document's band rows, found by its stored signature's keys."""
    row = db.execute("SELECT rowid, sig FROM docs WHERE id = ?", (doc_id,)).fetchone()
    if row is not None:
        keys = stories.band_keys(bytes(row[1]))
        db.executemany("DELETE FROM bands WHERE key = ? AND doc = ?", [(k, row[0]) for k in keys])


def _doc_row(m: stories.Member, where: stories.Assignment) -> tuple:
    """One `docs` table row, in the table's column order."""
    return (
        m.id,
        m.path,
        m.content_hash,
        m.signature,
        m.published,
        int(m.title_inferred),
        m.n_sources,
        m.site,
        where.group,
        int(where.canonical),
    )
