"""One opened index generation: its columns, its per-thread Whoosh readers, its term cache.

Part of the read side; the searcher (searcher.py) opens one of these per commit it sees.
A request's literal terms become boolean masks over documents here (`matched`), read from
each segment's n-gram postings (ngrams.py: guaranteed recall) and kept in a small cache.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer.index import integrity, ngrams
from indexer.index.errors import IndexDamaged, IndexOutdated
from indexer.index.whoosh_adapter import open_segments_reader, read_toc
from indexer.read.columns import Columns, SegmentPart
from indexer.read.query import Plan, Term

log = logging.getLogger(__name__)

# Literal-match results kept per generation (each costs 2 * n / 8 bytes).
TERM_CACHE = 256
# A folder's modification time older than this (ns) is settled: any later change to the
# folder gets a later time, whatever the file system's timestamp granularity.
SETTLED_NS = 2_000_000_000


def settled(mtime_ns: int, now_ns: int) -> bool:
    """Whether a change made after `now_ns` would give a folder another modification
    time than `mtime_ns` (time stamps are coarse: a change in the same tick as the last
    one may keep its time)."""
    return now_ns - mtime_ns > SETTLED_NS


class Stale(OSError):
    """A generation's files were merged away before this thread opened its reader."""


def open_checks(ix_dir: Path) -> bool:
    """Whether an index is there, after the cheap check of its files against the
    checksums recorded at commit (integrity.py: a stat per file, a hash only for a file
    written since). Damage raises IndexDamaged before Whoosh reads a byte of it; a full
    check (every byte) is `python -m indexer check`, too slow for every reopen."""
    verdict = integrity.verify(ix_dir, require=False)
    if not verdict.sound:
        raise IndexDamaged(ix_dir, "; ".join(verdict.problems[:3]))
    try:
        return windex.exists_in(str(ix_dir))
    except (AttributeError, ImportError) as exc:  # its schema names classes now gone
        raise IndexOutdated(ix_dir, str(exc)) from exc
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unreadable TOC: whatever unpickling raises
        raise IndexDamaged(ix_dir, f"unreadable table of contents: {exc!r:.80}") from exc


class Generation:
    """One opened index generation: per-document columns plus Whoosh readers.

    Everything here is read-only once built, so any number of threads search one
    generation at once. Whoosh's file readers are not (a read is a seek then a read on a
    shared file), so each thread gets its own reader of exactly this generation's
    segments (`searcher`), opened on its first use; all are closed with the generation.
    """

    def __init__(
        self, ix_dir: Path, cache_size: int = 0, segments: dict[str, SegmentPart] | None = None
    ) -> None:
        self.ix_dir = ix_dir
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[WhooshSearcher] = []
        self._opened_lock = threading.Lock()
        self._quiet_mtime: int | None = None  # the folder's settled mtime while up to date
        try:
            self.ix = windex.open_dir(str(ix_dir))
            self._toc = read_toc(self.ix)
        except (AttributeError, ImportError) as exc:  # its schema names classes now gone
            raise IndexOutdated(ix_dir, str(exc)) from exc
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - an unreadable TOC
            raise IndexDamaged(ix_dir, f"unreadable table of contents: {exc!r:.80}") from exc
        self.toc_number = self._toc.generation  # Whoosh calls it the generation
        started = time.perf_counter()
        try:
            reader = self.searcher.reader()
            self.columns = Columns(reader, ix_dir, {} if segments is None else segments)
        except ngrams.NgramFileError as exc:
            raise IndexOutdated(ix_dir, str(exc)) from exc
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - damage the cheap check cannot see
            log.exception("cannot read the index at %s", ix_dir)
            raise IndexDamaged(ix_dir, f"unreadable: {exc!r:.80}") from exc
        self.n = self.columns.n
        self.examples: list[str] | None = None  # examples.landing_examples fills it once
        log.info(
            "opened %s (TOC %s, %d docs) in %.0f ms",
            ix_dir,
            self.toc_number,
            self.n,
            (time.perf_counter() - started) * 1000,
        )

    @property
    def searcher(self) -> WhooshSearcher:
        """This thread's Whoosh searcher over this generation's segments."""
        mine = getattr(self._local, "searcher", None)
        if mine is None:
            try:
                reader = open_segments_reader(self.ix, self._toc)
            except OSError as exc:  # a later commit merged these segments away
                raise Stale(str(exc)) from exc
            mine = WhooshSearcher(reader, fromindex=self.ix)
            with self._opened_lock:
                self._opened.append(mine)
            self._local.searcher = mine
        return mine

    def close(self) -> None:
        with self._opened_lock:
            opened, self._opened = self._opened, []
        for searcher in opened:
            searcher.close()

    def up_to_date(self, now_ns: int | None = None) -> bool:
        """Whether no commit has landed since this generation was opened: one stat of its
        folder, whose modification time a commit changes (a new TOC file), while that
        time is the settled one seen when the TOC files were last listed; else a listing
        of the TOC file names, as Whoosh's own check makes. `now_ns`: the wall clock
        (time.time_ns), injected by tests."""
        try:
            mtime = os.stat(self.ix_dir).st_mtime_ns
        except FileNotFoundError:
            return False
        if mtime == self._quiet_mtime:
            return True
        current = self.ix.latest_generation() == self.toc_number
        now = time.time_ns() if now_ns is None else now_ns
        self._quiet_mtime = mtime if current and settled(mtime, now) else None
        return current

    def stored(self, docnum: int) -> dict[str, Any]:
        return self.searcher.stored_fields(docnum)

    def docnum_of(self, article_id: str) -> int | None:
        for d in self.searcher.docs_for_query(wq.Term("id", article_id)):
            if self.columns.live[d]:
                return int(d)
        return None

    # --- literal matches ----------------------------------------------------------------

    def term_masks(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        """(documents holding the term where it may be, documents holding it in the title).

        Results are kept per generation (bit-packed: n/8 bytes each) in a small LRU cache:
        a reader clicking through facets repeats the same query with other filters.
        """
        key = (term.literal, term.title_only)
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
        if hit is not None:
            return tuple(np.unpackbits(b, count=self.n).astype(bool) for b in hit)  # type: ignore[return-value]
        anywhere, title = self._term_masks(term)
        if self.cache_size:
            packed = (np.packbits(anywhere), np.packbits(title))
            with self._cache_lock:
                self._cache[key] = packed
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return anywhere, title

    def _term_masks(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        title = np.zeros(self.n, dtype=bool)
        anywhere = np.zeros(self.n, dtype=bool)
        cols = self.columns
        for part, offset in zip(cols.parts, cols.offsets, strict=True):
            title[part.ngrams.literal_docs("title", term.literal) + offset] = True
            if not term.title_only:
                anywhere[part.ngrams.literal_docs("body", term.literal) + offset] = True
        return anywhere | title, title

    def matched(self, plan: Plan) -> tuple[np.ndarray, np.ndarray]:
        """Masks of live documents matching the plan, and of those matching it in a title."""
        cache: dict[Term, tuple[np.ndarray, np.ndarray]] = {}

        def masks(term: Term) -> tuple[np.ndarray, np.ndarray]:
            if term not in cache:
                cache[term] = self.term_masks(term)
            return cache[term]

        out = self.columns.live.copy()
        in_title = np.zeros(self.n, dtype=bool)
        for clause in plan.clauses:
            either = np.zeros(self.n, dtype=bool)
            for term in clause:
                anywhere, title = masks(term)
                either |= anywhere
                in_title |= title
            out &= either
        for term in plan.negated:
            out &= ~masks(term)[0]
        return out, in_title & out
