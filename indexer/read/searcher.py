"""Request -> result: the Searcher, which reopens on new commits and runs each request.

The read side of the index (no Flask). One `Searcher` per process serves every thread:
each call checks cheaply whether the `current` generation symlink or the Whoosh TOC
moved, and if so opens the new generation (generation.py) and its columns (columns.py).

How a request runs:
1. query.parse -> Plan; each term's literal matches, read from each segment's n-gram
   postings (ngrams.py: guaranteed recall), become a boolean mask over documents
   (Generation.matched); exclusions and filters are masks over the columns (facets.py).
2. Stories, not copies: matched documents are collapsed by `group` (hits.py); `total`
   and every facet count count stories.
3. Facets and the timeline are bincounts over the stories' columns (facets.py).
4. Ranking: BM25F relevance over the matched set, or date order (ranking.py).
5. Snippets and the article view highlight the literal matches on the display text
   (hits.py, highlight.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index.constants import MAX_PER_PAGE, SORTS
from indexer.index.errors import IndexNotFound
from indexer.index.layout import current_link, resolve_index_dir
from indexer.index.whoosh_adapter import toc_name
from indexer.models import Hit, SearchRequest, SearchResult
from indexer.read.columns import SegmentPart, live_counts
from indexer.read.examples import landing_examples
from indexer.read.facets import all_of, facet_counts, filter_masks, timeline
from indexer.read.generation import TERM_CACHE, Generation, Stale, open_checks
from indexer.read.hits import article_record, make_hit, representatives
from indexer.read.query import Plan, parse
from indexer.read.ranking import rank_by_date, rank_relevance
from indexer.read.related import with_related

__all__ = ["Deadline", "SearchTimeout", "Searcher"]

OPEN_ATTEMPTS = 3  # tries to open a generation whose files a concurrent commit removed


class SearchTimeout(Exception):
    """A search ran out of its time budget before it had any results to show."""


class Deadline:
    """When a request must answer: `seconds` after creation, by `clock` (None: never).

    The clock is injected so a test can expire a deadline at a chosen step instead of
    waiting for the wall clock.
    """

    def __init__(self, seconds: float | None, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.started = clock()

    def expired(self) -> bool:
        return self.seconds is not None and self.clock() - self.started > self.seconds


class Searcher:
    """Thread-safe search over the index at `index_root` (see module docstring).

    Readers never wait for each other: a request takes the current generation (whose
    state is immutable) and searches it without a lock. Only noticing a new commit and
    opening it happens under a lock; a replaced generation is closed when its last
    request is done. Each request has a time budget (`time_budget` seconds, None for
    none): once spent, it answers with what it has (`partial`), or raises SearchTimeout
    when it has nothing yet. `clock` and `on_stage` (called with the stage name and the
    request at each step) let tests expire budgets and pause searches deterministically.
    """

    def __init__(
        self,
        index_root: Path | str,
        cache_size: int = TERM_CACHE,
        time_budget: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        on_stage: Callable[[str, SearchRequest], None] | None = None,
    ) -> None:
        self.index_root = Path(index_root)
        self.cache_size = cache_size
        self.time_budget = time_budget
        self.clock = clock
        self.on_stage = on_stage
        self._lock = threading.RLock()  # refreshes and the users count, never a search
        self._gen: Generation | None = None
        self._users: dict[int, int] = {}  # id(generation) -> requests using it
        self._retired: list[Generation] = []
        self._segments: dict[str, SegmentPart] = {}
        self._link: str | None = None  # what `current` named when self._gen was opened

    def _current(self) -> Generation:
        """The up-to-date generation (opened afresh if the index moved on)."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> Generation:
        # Whoosh's Searcher.refresh() would keep unchanged segments' readers open, but
        # whoosh3's reader reuse adds back the old copy of a segment whose deletions
        # changed (deleted documents reappear), so a changed index is opened afresh.
        # Every request asks: a readlink and a stat while nothing moved (up_to_date).
        link, gen = current_link(self.index_root), self._gen
        if gen is not None and link == self._link and gen.up_to_date():
            return gen
        ix_dir = resolve_index_dir(self.index_root)
        if gen is not None and gen.ix_dir == ix_dir and gen.up_to_date():
            self._link = link
            return gen
        if not open_checks(ix_dir):
            raise IndexNotFound(
                f"no index at {self.index_root} (run `python -m indexer build` first)"
            )
        for attempt in range(OPEN_ATTEMPTS):
            try:
                fresh = Generation(ix_dir, self.cache_size, self._segments)
                break
            except OSError:  # IndexOutdated included: a file it needs is gone
                # A commit that merged segments deletes their files; if that happened
                # between reading the TOC and opening the files, the next try reads the
                # new TOC. An index that really lacks them fails every try.
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
                ix_dir = resolve_index_dir(self.index_root)
        if gen is not None:
            self._retire(gen)
        self._gen, self._link = fresh, link
        return fresh

    def _retire(self, gen: Generation) -> None:
        """Close a replaced generation now, or when its last request ends."""
        if self._users.get(id(gen), 0):
            self._retired.append(gen)
        else:
            gen.close()

    @contextmanager
    def _using(self) -> Iterator[Generation]:
        """The current generation, kept open until the block ends."""
        with self._lock:
            gen = self._refresh()
            self._users[id(gen)] = self._users.get(id(gen), 0) + 1
        try:
            yield gen
        finally:
            with self._lock:
                left = self._users[id(gen)] - 1
                if left:
                    self._users[id(gen)] = left
                else:
                    del self._users[id(gen)]
                    if gen in self._retired:
                        self._retired.remove(gen)
                        gen.close()

    def _run(self, work: Callable[[Generation], Any]) -> Any:
        """work(generation); once more on a newer one if this one's files were merged away
        before this thread opened its reader."""
        for attempt in range(2):
            with self._using() as gen:
                try:
                    return work(gen)
                except Stale:
                    if attempt:
                        raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        with self._lock:
            if self._gen is not None:
                self._retire(self._gen)
                self._gen = None

    def deadline(self) -> Deadline:
        """A fresh request budget."""
        return Deadline(self.time_budget, self.clock)

    def _stage(self, name: str, req: SearchRequest) -> None:
        if self.on_stage is not None:
            self.on_stage(name, req)

    # --- search ------------------------------------------------------------------------

    def search(self, req: SearchRequest, deadline: Deadline | None = None) -> SearchResult:
        """One page of results for `req`, its facets and timeline.

        Without a given `deadline`, the budget starts once the current generation is open:
        opening one takes seconds at 100,000 articles, once per process and per commit,
        and charged to the request that happened to come first it answered that request
        with a timeout however cheap its query."""
        return self._run(lambda gen: self._answer(gen, req, deadline or self.deadline()))

    def _answer(self, gen: Generation, req: SearchRequest, deadline: Deadline) -> SearchResult:
        started = time.perf_counter()
        per_page = max(1, min(req.per_page, MAX_PER_PAGE))
        page = max(1, req.page)
        self._stage("start", req)
        sel = _select(gen, req)
        self._stage("matched", req)
        if deadline.expired():
            raise SearchTimeout("the search ran out of time before it found its matches")
        ranked = _ranked(gen, sel, req, page * per_page)
        if deadline.expired():
            raise SearchTimeout("the search ran out of time before it ranked its matches")
        self._stage("ranked", req)
        window = ranked[(page - 1) * per_page : page * per_page]
        partial = False
        hits = []
        for d, score in window:
            # Past the budget the remaining hits keep their place, without highlights.
            partial = partial or deadline.expired()
            hits.append(make_hit(gen, sel.plan, d, score, highlight_spans=not partial))
        self._stage("hits", req)
        # Bounded by the index, not by any page.
        facets = facet_counts(gen.columns, sel.matched, sel.masks, sel.reps)
        found_timeline = timeline(gen.columns, sel.reps)
        return SearchResult(
            query=req.q,
            total=int(len(sel.reps)),
            page=page,
            per_page=per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            hits=tuple(hits),
            facets=facets,
            timeline=found_timeline,
            partial=partial,
        )

    def stories(self, req: SearchRequest) -> Iterator[Hit]:
        """Every story `req` matches, in its order (the export's rows; `page` and
        `per_page` are ignored). One generation serves the whole walk, so no row repeats
        or goes missing when a commit lands half-way, and the matches are ranked once, so
        the cost grows with the rows, not with rows times pages. No request budget: an
        export takes as long as its rows do, streaming them as they are made."""
        for attempt in range(2):
            with self._using() as gen:
                try:
                    sel = _select(gen, req)
                    ranked = _ranked(gen, sel, req, len(sel.reps))
                    # The first hit opens this thread's reader: a generation whose files
                    # were merged away shows here, where the walk can still start over.
                    first = [make_hit(gen, sel.plan, d, s, True) for d, s in ranked[:1]]
                except Stale:
                    if attempt:
                        raise
                    continue
                yield from first
                for d, score in ranked[1:]:
                    yield make_hit(gen, sel.plan, d, score, highlight_spans=True)
                return

    # --- article and stats -----------------------------------------------------------------

    def article(self, article_id: str, q: str = "") -> dict[str, Any] | None:
        """The article record of `article_id` highlighted for `q`, or None if not live."""
        return self._run(lambda gen: with_related(gen, article_record(gen, article_id, q)))

    def stats(self) -> dict[str, Any]:
        """The landing page's figures: `counts()` plus example queries."""
        return self._run(
            lambda gen: {**live_counts(gen.columns), "examples": list(landing_examples(gen))}
        )

    def counts(self) -> dict[str, Any]:
        """The index's statistics (`live_counts`), for `python -m indexer stats`."""
        return self._run(lambda gen: live_counts(gen.columns))

    def version(self) -> tuple[str, float]:
        """(tag, time) of the generation being served: changes exactly when the index does,
        so a feed can answer a conditional GET without running the search."""
        gen = self._current()
        toc = gen.ix_dir / toc_name(gen.toc_number)
        when = toc.stat().st_mtime if toc.exists() else gen.ix_dir.stat().st_mtime
        return f"{gen.ix_dir.name}-{gen.toc_number}", when


@dataclass(frozen=True)
class _Selection:
    """What a request matches: its plan, the matched and filtered documents, the stories."""

    plan: Plan
    matched: np.ndarray
    in_title: np.ndarray
    masks: dict[str, np.ndarray]
    selected: np.ndarray
    reps: np.ndarray


def _select(gen: Generation, req: SearchRequest) -> _Selection:
    """The documents and stories `req` selects in `gen` (steps 1 and 2 above)."""
    plan = parse(req.q)
    if plan.is_empty and req.q.strip():
        matched = np.zeros(gen.n, dtype=bool)  # only punctuation: nothing to find
        in_title = matched
    else:
        matched, in_title = gen.matched(plan)
    masks = filter_masks(gen.columns, req)
    selected = all_of(matched, list(masks.values()))
    return _Selection(
        plan, matched, in_title, masks, selected, representatives(gen.columns, selected)
    )


def _ranked(
    gen: Generation, sel: _Selection, req: SearchRequest, k: int
) -> list[tuple[int, float]]:
    """The first `k` stories of `sel` in the request's order, as (docnum, score)."""
    sort = req.sort if req.sort in SORTS else "relevance"
    if sel.plan.clauses and sort == "relevance":
        return rank_relevance(gen, sel.plan, sel.selected, sel.in_title, k)
    return rank_by_date(gen.columns, sel.reps, sort != "oldest", k)
