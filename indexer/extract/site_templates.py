"""Where the index keeps its sites' templates, and how a build or an update changes them.

templates.py says what a template is; this module keeps, in the generation folder
(SiteBook.FILE, SQLite), what is needed to keep every site's template current without
reading the corpus again: per file, its site key and its candidate line keys; per site,
its page count and, per line, on how many of its pages it is and whether it is template.

A build counts every page (a first pass over the corpus, reading each page alone), marks
as template the lines on TEMPLATE_SHARE of a site's pages and reads again, with the
template, the pages that hold one of its lines. An update adds and takes out the pages it
touches, which moves the counts of those pages' sites only; a line whose status flips
changes how the pages holding it read, so those pages (found from their stored keys) are
read again in the same update. A template line leaves the template only when its share
falls under half the share that made it one: one page more or less never flips a line back
and forth, so an update of one file re-reads others only when a site's chrome really
changed (or when a site reaches MIN_SITE_PAGES pages and gets its first template).
"""

from __future__ import annotations

import contextlib
import sqlite3
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer import sqlite_tx
from indexer.extract import patterns as P
from indexer.extract.templates import SiteLines, Templates

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, site TEXT NOT NULL, keys BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS files_site ON files (site);
CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, pages INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lines (
    site TEXT NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL, template INTEGER NOT NULL,
    PRIMARY KEY (site, key)
);
CREATE INDEX IF NOT EXISTS lines_n ON lines (site, template, n);
"""


FILL_BATCH = 1_000  # a build's file rows written per statement (bounds what fill holds)


@dataclass(frozen=True)
class Counted:
    """One page as the template counts see it: its corpus path, site key and line keys."""

    path: str
    site: str
    keys: frozenset[int]


def _pack(keys: Iterable[int]) -> bytes:
    # Keys are unsigned 64-bit hashes; SQLite and array('q') hold signed ones.
    return array("q", sorted(_signed(k) for k in keys)).tobytes()


def _unpack(blob: bytes) -> frozenset[int]:
    values = array("q")
    values.frombytes(blob)
    return frozenset(v & 0xFFFF_FFFF_FFFF_FFFF for v in values)


def _signed(key: int) -> int:
    return key - (1 << 64) if key >= 1 << 63 else key


def enter_share(pages: int) -> float:
    """Pages a line must be on to become template (as in templates.template_of)."""
    return max(2, P.TEMPLATE_SHARE * pages)


def leave_share(pages: int) -> float:
    """Pages under which a template line stops being one: half the share that made it."""
    return max(2, P.TEMPLATE_SHARE * pages / 2)


class SiteBook:
    """The template counts of one index generation."""

    FILE = "templates.sqlite"

    def __init__(self, gen: Path) -> None:
        self.db = sqlite3.connect(str(Path(gen) / self.FILE), isolation_level=None)
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def _transaction(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction (sqlite_tx.immediate)."""
        return sqlite_tx.immediate(self.db)

    # --- reading ------------------------------------------------------------------------

    def templates(self) -> dict[str, frozenset[int]]:
        """Every site's template lines (small: a few hundred lines per site)."""
        out: dict[str, set[int]] = {}
        for site, key in self.db.execute("SELECT site, key FROM lines WHERE template = 1"):
            out.setdefault(site, set()).add(key & 0xFFFF_FFFF_FFFF_FFFF)
        return {site: frozenset(keys) for site, keys in out.items()}

    def files_holding(self, site: str, keys: frozenset[int]) -> list[str]:
        """Paths of the site's pages that hold one of these lines."""
        rows = self.db.execute("SELECT path, keys FROM files WHERE site = ?", (site,))
        return sorted(path for path, blob in rows if _unpack(blob) & keys)

    # --- writing ------------------------------------------------------------------------

    def fill(self, pages: Iterable[Counted]) -> dict[str, frozenset[int]]:
        """A build's counts, from every page of the corpus; returns the templates.

        `pages` is consumed as it comes (a build passes its reading pass itself, so no
        list of every page's keys is ever held): the files' rows are written in batches
        of FILL_BATCH, the sites' and lines' counts once all are in.
        """
        sites: dict[str, SiteLines] = {}
        with self._transaction() as db:
            batch: list[Counted] = []
            for page in pages:
                sites.setdefault(page.site, SiteLines()).add(page.keys)
                batch.append(page)
                if len(batch) >= FILL_BATCH:
                    self._put_files(db, batch)
                    batch.clear()
            self._put_files(db, batch)
            learnt = {site: lines.template() for site, lines in sites.items()}
            db.executemany(
                "INSERT OR REPLACE INTO sites VALUES (?, ?)",
                ((site, lines.pages) for site, lines in sites.items()),
            )
            db.executemany(
                "INSERT OR REPLACE INTO lines VALUES (?, ?, ?, ?)",
                (
                    (site, _signed(key), n, int(key in learnt[site]))
                    for site, lines in sites.items()
                    for key, n in lines.counts.items()
                ),
            )
        return {site: keys for site, keys in learnt.items() if keys}

    @staticmethod
    def _put_files(db: sqlite3.Connection, pages: Sequence[Counted]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
            ((p.path, p.site, _pack(p.keys)) for p in pages),
        )

    def change(self, added: Sequence[Counted], removed: Iterable[str]) -> dict[str, frozenset[int]]:
        """Take out the pages at `removed` and those `added` replace, count `added` in;
        returns, per site, the lines whose template status flipped."""
        touched: set[str] = set()
        with self._transaction() as db:
            for path in [*removed, *(p.path for p in added)]:
                row = db.execute("SELECT site, keys FROM files WHERE path = ?", (path,)).fetchone()
                if row is None:
                    continue
                site, blob = row
                touched.add(site)
                db.execute("DELETE FROM files WHERE path = ?", (path,))
                db.execute("UPDATE sites SET pages = pages - 1 WHERE site = ?", (site,))
                db.executemany(
                    "UPDATE lines SET n = n - 1 WHERE site = ? AND key = ?",
                    ((site, _signed(k)) for k in _unpack(blob)),
                )
            for page in added:
                touched.add(page.site)
                db.execute(
                    "INSERT INTO files VALUES (?, ?, ?)", (page.path, page.site, _pack(page.keys))
                )
                db.execute(
                    "INSERT INTO sites VALUES (?, 1) ON CONFLICT (site) DO UPDATE "
                    "SET pages = pages + 1",
                    (page.site,),
                )
                db.executemany(
                    "INSERT INTO lines VALUES (?, ?, 1, 0) ON CONFLICT (site, key) DO UPDATE "
                    "SET n = n + 1",
                    ((page.site, _signed(k)) for k in page.keys),
                )
            flips = {site: self._restate(db, site) for site in sorted(touched)}
            db.execute("DELETE FROM lines WHERE n <= 0")
        return {site: keys for site, keys in flips.items() if keys}

    def _restate(self, db: sqlite3.Connection, site: str) -> frozenset[int]:
        """Re-judge a site's lines after its counts moved; returns the lines that flipped."""
        row = db.execute("SELECT pages FROM sites WHERE site = ?", (site,)).fetchone()
        pages = row[0] if row else 0
        if pages < P.MIN_SITE_PAGES:
            enter = leave = float("inf")  # too few pages: no template at all
        else:
            enter, leave = enter_share(pages), leave_share(pages)
        joined = db.execute(
            "SELECT key FROM lines WHERE site = ? AND template = 0 AND n >= ?", (site, enter)
        ).fetchall()
        left = db.execute(
            "SELECT key FROM lines WHERE site = ? AND template = 1 AND n < ?", (site, leave)
        ).fetchall()
        db.executemany(
            "UPDATE lines SET template = 1 - template WHERE site = ? AND key = ?",
            ((site, k) for (k,) in [*joined, *left]),
        )
        return frozenset(k & 0xFFFF_FFFF_FFFF_FFFF for (k,) in [*joined, *left])


def counted(path: str, site: str | None, keys: frozenset[int]) -> Counted | None:
    """A surveyed page as the counts take it; None for a page without a site key."""
    return Counted(path, site, keys) if site else None


__all__ = ["Counted", "SiteBook", "Templates", "counted", "enter_share", "leave_share"]
