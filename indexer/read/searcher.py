"""Request -> result: matching, filters, duplicate collapsing, ranking, facets, highlights.

The read side of the index (no Flask). One `Searcher` per process serves every thread:
each call checks cheaply whether the `current` generation symlink or the Whoosh generation
moved, and if so reopens the index and rebuilds its per-document arrays.

How a request runs:
1. query.parse -> Plan; each term's literal matches, read from each segment's n-gram
   postings (ngrams.py: guaranteed recall), become a boolean mask over documents;
   exclusions and filters are masks over per-document arrays built once per generation
   (group, canonical flag, date rank, source/site/year/month ordinals).
2. Stories, not copies: matched documents are collapsed by `group`; a story is represented
   by its canonical member when that member matched, else by another matched member.
   `total` and every facet count count stories.
3. Facets are counted with numpy.bincount over the representatives under the query and
   the *other* facets' filters (a facet's own selection does not shrink its own counts);
   the date-range filter applies to all facets. The timeline uses all filters.
4. Relevance: Whoosh BM25F over the word fields (title boosted) plus a boost for the
   term found verbatim in the title, computed only over the matched set and cut to the
   top candidates; matches the word fields miss (substrings across word boundaries) come
   after them, newest first. Newest/oldest sorts use the date rank (unknown dates last).
5. Snippets and the article view highlight the literal matches on the display text.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import query as wq
from whoosh.searching import Searcher as WhooshSearcher

from indexer import integrity, ngrams
from indexer.models import AlsoAt, FacetValue, Hit, SearchRequest, SearchResult
from indexer.normalize import facet_key
from indexer.read import highlight
from indexer.read.postings import term_docs, term_weights
from indexer.read.query import Plan, Term, literal_spans, parse, scoring_words
from indexer.schema import UNKNOWN

log = logging.getLogger(__name__)

CURRENT = "current"
FACETS = ("sources", "site", "year", "month")
SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
TIMELINE_MAX_MONTHS = 36
EXAMPLE_COUNT = 6
EXAMPLE_POOL = 200  # frequent title words per segment the examples are picked from
# Added to the scores of stories matched in a title (they rank first; see _rank_relevance).
TITLE_BONUS = 100.0
# Literal-match results kept per generation (each costs 2 * n / 8 bytes).
TERM_CACHE = 256
OPEN_ATTEMPTS = 3  # tries to open a generation whose files a concurrent commit removed
SCORED_FIELDS = ("title", "body")
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults


class _Stale(OSError):
    """A generation's files were merged away before this thread opened its reader."""


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


class IndexMissing(FileNotFoundError):
    """No index at the given root (no `current` generation and no Whoosh index there)."""


class IndexOutdated(IndexMissing):
    """An index written by an older version of this program, or damaged on disk: only a
    rebuild fixes it."""

    def __init__(self, ix_dir: Path, why: str) -> None:
        super().__init__(
            f"the index at {ix_dir} cannot be used ({why}): it was written by an older "
            "version of this program or is damaged; rebuild it with `python -m indexer build`"
        )


class IndexDamaged(IndexOutdated):
    """A file of the index differs from what its writer recorded, or cannot be read."""

    def __init__(self, ix_dir: Path, why: str) -> None:
        FileNotFoundError.__init__(
            self,
            f"the index at {ix_dir} is damaged ({why}): rebuild it with `python -m indexer build`",
        )


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


def resolve_index_dir(index_root: Path) -> Path:
    """The directory holding the Whoosh index: what `current` points at, else the root."""
    current = index_root / CURRENT
    if current.is_symlink() or current.is_dir():
        return current.resolve()
    return index_root


@dataclass
class _Ordinals:
    """Values of one keyword field and each document's ordinal into them (-1: none)."""

    values: list[str]
    of_doc: np.ndarray


Part = tuple[list[str], np.ndarray]  # a segment's distinct values and each doc's code
_NO_DOCS = np.zeros(0, dtype=np.int64)


def _local(raw: list[str]) -> Part:
    """Distinct non-empty values of a segment's column and each document's code (-1: none)."""
    values = sorted({v for v in raw if v})
    index = {v: i for i, v in enumerate(values)}
    return values, np.array([index.get(v, -1) for v in raw], dtype=np.int32)


def _combine(parts: list[Part]) -> _Ordinals:
    """Concatenate per-segment codes under one sorted list of values."""
    values = sorted(set().union(*(set(v) for v, _ in parts)))
    index = {v: i for i, v in enumerate(values)}
    out = []
    for local_values, codes in parts:
        # The extra last entry maps code -1 ("no value") to -1.
        mapping = np.array([index[v] for v in local_values] + [-1], dtype=np.int32)
        out.append(mapping[codes])
    return _Ordinals(values, np.concatenate(out) if out else np.zeros(0, np.int32))


def _merge_variants(ords: _Ordinals) -> _Ordinals:
    """One facet value for names that differ only in script or width (包頭日報 and
    包头日报, ＣＣＴＶ and CCTV): outlets and portals are counted and filtered as one,
    under the simplified half-width form. Hits still show each page's own spelling."""
    keys = [facet_key(v) for v in ords.values]
    merged = sorted(set(keys) - {""})
    index = {k: i for i, k in enumerate(merged)}
    mapping = np.array([index.get(k, -1) for k in keys] + [-1], dtype=np.int32)  # -1: none
    return _Ordinals(merged, mapping[ords.of_doc])


def _segment_key(leaf: Any) -> str:
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else str(id(leaf))


def _column(leaf: Any, name: str, count: int) -> list[str]:
    if not leaf.has_column(name):
        return [""] * count
    return [
        v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in leaf.column_reader(name)
    ]


@dataclass
class _Segment:
    """What the per-document arrays need from one index segment (immutable once read)."""

    fields: dict[str, Part]
    canonical: np.ndarray
    source_values: list[str]
    pair_doc: np.ndarray
    pair_src: np.ndarray
    lengths: dict[str, np.ndarray]
    ngrams: ngrams.SegmentNgrams
    title_top: list[tuple[str, float]] | None = None  # most frequent title words, on demand

    @classmethod
    def read(cls, leaf: Any, folder: Path) -> _Segment:
        count = leaf.doc_count_all()
        canonical = np.zeros(count, dtype=bool)
        canonical[term_docs(leaf, "canonical", True)] = True
        source_values = sorted(
            t.decode("utf-8") if isinstance(t, bytes) else t for t in leaf.lexicon("sources")
        )
        docs = [term_docs(leaf, "sources", v) for v in source_values]
        codes = [np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs)]
        length = leaf.doc_field_length
        return cls(
            fields={f: _local(_column(leaf, f, count)) for f in _COLUMNS},
            canonical=canonical,
            source_values=source_values,
            pair_doc=np.concatenate(docs) if docs else _NO_DOCS,
            pair_src=np.concatenate(codes) if codes else np.zeros(0, np.int32),
            lengths={
                f: np.array([length(d, f, 0) or 0 for d in range(count)], dtype=np.float64)
                for f in SCORED_FIELDS
            },
            ngrams=_segment_ngrams(leaf, folder),
        )


_COLUMNS = ("group", "published", "site", "year", "month")


def _segment_ngrams(leaf: Any, folder: Path) -> ngrams.SegmentNgrams:
    segment = leaf.segment()
    if segment is None:  # the reader of an index without segments
        return ngrams.SegmentNgrams.empty()
    try:
        return ngrams.open_segment(folder, segment.make_filename(ngrams.EXT))
    except ngrams.NgramFileError as exc:
        raise IndexOutdated(folder, str(exc)) from exc


class _Generation:
    """One opened index generation: per-document numpy arrays plus Whoosh readers.

    Everything here is read-only once built, so any number of threads search one
    generation at once. Whoosh's file readers are not (a read is a seek then a read on a
    shared file), so each thread gets its own reader of exactly this generation's
    segments (`searcher`), opened on its first use; all are closed with the generation.
    """

    def __init__(
        self, ix_dir: Path, cache_size: int = 0, segments: dict[str, _Segment] | None = None
    ) -> None:
        self.ix_dir = ix_dir
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, bool], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[WhooshSearcher] = []
        self._opened_lock = threading.Lock()
        try:
            self.ix = windex.open_dir(str(ix_dir))
            self._toc = self.ix._read_toc()
        except (AttributeError, ImportError) as exc:  # its schema names classes now gone
            raise IndexOutdated(ix_dir, str(exc)) from exc
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - an unreadable TOC
            raise IndexDamaged(ix_dir, f"unreadable table of contents: {exc!r:.80}") from exc
        self.generation = self._toc.generation
        started = time.perf_counter()
        try:
            self._build_arrays({} if segments is None else segments)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - damage the cheap check cannot see
            log.exception("cannot read the index at %s", ix_dir)
            raise IndexDamaged(ix_dir, f"unreadable: {exc!r:.80}") from exc
        self._examples: list[str] | None = None
        log.info(
            "opened %s (generation %s, %d docs) in %.0f ms",
            ix_dir,
            self.generation,
            self.n,
            (time.perf_counter() - started) * 1000,
        )

    @property
    def searcher(self) -> WhooshSearcher:
        """This thread's Whoosh searcher over this generation's segments."""
        mine = getattr(self._local, "searcher", None)
        if mine is None:
            toc = self._toc
            try:
                reader = windex.FileIndex._reader(
                    self.ix.storage, toc.schema, list(toc.segments), toc.generation
                )
            except OSError as exc:  # a later commit merged these segments away
                raise _Stale(str(exc)) from exc
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

    def up_to_date(self) -> bool:
        return self.ix.latest_generation() == self.generation

    # --- per-document arrays --------------------------------------------------------

    def _build_arrays(self, segments: dict[str, _Segment]) -> None:
        """Per-document arrays for the whole index, from per-segment parts.

        `segments` caches each segment's part by segment id across generations (segments
        never change once written, apart from deletions), so a commit that adds one small
        segment costs only that segment's reading.
        """
        reader = self.searcher.reader()
        self.n = reader.doc_count_all()
        n = self.n
        leaves = reader.leaf_readers()
        parts: list[_Segment] = []
        self.live = np.ones(n, dtype=bool)
        for leaf, offset in leaves:
            key = _segment_key(leaf)
            if key not in segments:
                segments[key] = _Segment.read(leaf, self.ix_dir)
            parts.append(segments[key])
            if leaf.has_deletions():
                dead = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                self.live[offset + dead] = False
        keep = {_segment_key(leaf) for leaf, _ in leaves}
        for key in list(segments):
            if key not in keep:
                del segments[key]
        self.parts = parts
        self.offsets = [offset for _, offset in leaves]
        self.group = _combine([p.fields["group"] for p in parts])
        # A document without a group is a story of its own.
        missing = self.group.of_doc < 0
        self.group_of = self.group.of_doc.astype(np.int64)
        self.group_of[missing] = len(self.group.values) + np.flatnonzero(missing)
        self.canonical = np.concatenate([p.canonical for p in parts]) | missing
        published = _combine([p.fields["published"] for p in parts])
        self.dates = published.values
        self.date_rank = published.of_doc.astype(np.int64)
        self.site = _merge_variants(_combine([p.fields["site"] for p in parts]))
        self.year = _combine([p.fields["year"] for p in parts])
        self.month = _combine([p.fields["month"] for p in parts])
        # sources is multi-valued: (document, source ordinal) pairs, one per distinct pair
        # (包頭日報 and 包头日报 credited together are one source once merged).
        src = _merge_variants(_combine([(p.source_values, p.pair_src) for p in parts]))
        pair_doc = np.concatenate(
            [p.pair_doc + off for p, off in zip(parts, self.offsets, strict=True)] or [_NO_DOCS]
        )
        pairs = np.unique(pair_doc * (len(src.values) + 1) + src.of_doc)
        self.source_values = src.values
        self.pair_doc = pairs // (len(src.values) + 1)
        self.pair_src = (pairs % (len(src.values) + 1)).astype(np.int32)
        # Field lengths (Whoosh's quantised ones, as its BM25F uses) for numpy scoring.
        self.lengths = {
            f: np.concatenate([p.lengths[f] for p in parts] or [np.zeros(0)]) for f in SCORED_FIELDS
        }
        self.avg_length = {
            f: (reader.field_length(f) / max(reader.doc_count(), 1)) or 1.0 for f in SCORED_FIELDS
        }
        # Documents ordered by (group, canonical first, docnum): the first live matched
        # document of each group in this order is the group's representative.
        self.rep_order = np.lexsort((np.arange(n), ~self.canonical, self.group_of))
        g_sorted = self.group_of[self.rep_order]
        bounds = np.flatnonzero(np.r_[True, g_sorted[1:] != g_sorted[:-1], True]) if n else []
        self.group_start = {
            int(g_sorted[b]): (int(b), int(e)) for b, e in zip(bounds[:-1], bounds[1:], strict=True)
        }

    # --- building blocks --------------------------------------------------------------

    def bm25(self, words: list[tuple[str, str]]) -> np.ndarray:
        """BM25F scores of every document for (field, word) pairs, as Whoosh computes them.

        Postings are read a block at a time and scored with numpy: Whoosh's own collector
        calls Python for every posting, which dominates a common word's query time.
        """
        scores = np.zeros(self.n, dtype=np.float64)
        for field, word in words:
            idf = self.searcher.idf(field, word)
            avg = self.avg_length[field]
            for leaf, offset in self.searcher.reader().leaf_readers():
                ids, tf = term_weights(leaf, field, word)
                if not len(ids):
                    continue
                ids = ids + offset
                norm = BM25_K1 * ((1 - BM25_B) + BM25_B * self.lengths[field][ids] / avg)
                scores[ids] += idf * (tf * (BM25_K1 + 1)) / (tf + norm)
        return scores

    def term_masks(self, term: Term) -> tuple[np.ndarray, np.ndarray]:
        """(documents holding the term where it may be, documents holding it in the title).

        Results are kept per generation (bit-packed: n/8 bytes each) in a small LRU cache:
        a reader clicking through facets repeats the same query with other filters.
        """
        key = (term.sig, term.title_only)
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
        for part, offset in zip(self.parts, self.offsets, strict=True):
            title[part.ngrams.literal_docs("title", term.sig) + offset] = True
            if not term.title_only:
                anywhere[part.ngrams.literal_docs("body", term.sig) + offset] = True
        return anywhere | title, title

    def matched(self, plan: Plan) -> tuple[np.ndarray, np.ndarray]:
        """Masks of live documents matching the plan, and of those matching it in a title."""
        cache: dict[Term, tuple[np.ndarray, np.ndarray]] = {}

        def masks(term: Term) -> tuple[np.ndarray, np.ndarray]:
            if term not in cache:
                cache[term] = self.term_masks(term)
            return cache[term]

        out = self.live.copy()
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

    def representatives(self, mask: np.ndarray) -> np.ndarray:
        """One document per story among the masked documents (canonical first)."""
        sel = self.rep_order[mask[self.rep_order]]
        if len(sel) == 0:
            return sel
        g = self.group_of[sel]
        first = np.r_[True, g[1:] != g[:-1]]
        return sel[first]

    def members(self, docnum: int) -> list[int]:
        """Live documents of the docnum's group, canonical first."""
        b, e = self.group_start[int(self.group_of[docnum])]
        return [int(d) for d in self.rep_order[b:e] if self.live[d]]

    def stored(self, docnum: int) -> dict[str, Any]:
        return self.searcher.stored_fields(docnum)

    def docnum_of(self, article_id: str) -> int | None:
        for d in self.searcher.docs_for_query(wq.Term("id", article_id)):
            if self.live[d]:
                return int(d)
        return None

    def examples(self) -> list[str]:
        """Frequent multi-character title words: a few queries that find something.

        Each segment's most frequent title words are found once and kept with the
        segment (segments never change), then summed: walking the whole title lexicon
        took 0.7 s at 100,000 articles, and under live ingest every commit is a new
        generation whose landing page would have paid it again.
        """
        if self._examples is None:
            totals: Counter[str] = Counter()
            for (leaf, _), part in zip(
                self.searcher.reader().leaf_readers(), self.parts, strict=True
            ):
                if part.title_top is None:
                    part.title_top = [
                        (t.decode("utf-8") if isinstance(t, bytes) else t, w)
                        for w, t in leaf.most_frequent_terms("title", number=EXAMPLE_POOL)
                    ]
                for term, weight in part.title_top:
                    totals[term] += weight
            words = [term for term, _ in totals.most_common(EXAMPLE_POOL)]
            self._examples = pick_examples(words, EXAMPLE_COUNT)
        return self._examples


def pick_examples(words_by_frequency: list[str], count: int) -> list[str]:
    """The first `count` Han words of two or more characters, none inside another.

    Search-mode segmentation indexes 高质量 and also 高质 and 质量; offering all three as
    examples shows one idea three times, so a word overlapping a chosen one is passed over.
    """
    chosen: list[str] = []
    for word in words_by_frequency:
        if len(word) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        if any(word in other or other in word for other in chosen):
            continue
        chosen.append(word)
        if len(chosen) == count:
            break
    return chosen


# --- filters and facets ------------------------------------------------------------------


def _ordinal_mask(ords: _Ordinals, wanted: tuple[str, ...]) -> np.ndarray | None:
    if not wanted:
        return None
    index = {v: i for i, v in enumerate(ords.values)}
    codes = [index[v] for v in wanted if v in index]
    if UNKNOWN in wanted and UNKNOWN not in index:
        codes.append(-1)
    return np.isin(ords.of_doc, np.array(codes, dtype=np.int32))


def _filter_masks(gen: _Generation, req: SearchRequest) -> dict[str, np.ndarray]:
    """One boolean mask per active filter, keyed by facet name ("date" for the range)."""
    masks: dict[str, np.ndarray] = {}
    if req.sources:
        index = {v: i for i, v in enumerate(gen.source_values)}
        wanted = {facet_key(v) for v in req.sources}
        codes = np.array([index[v] for v in wanted if v in index], dtype=np.int32)
        m = np.zeros(gen.n, dtype=bool)
        m[gen.pair_doc[np.isin(gen.pair_src, codes)]] = True
        masks["sources"] = m
    for name, ords, wanted in (
        ("site", gen.site, tuple(facet_key(v) for v in req.sites)),
        ("year", gen.year, req.years),
        ("month", gen.month, req.months),
    ):
        m = _ordinal_mask(ords, wanted)
        if m is not None:
            masks[name] = m
    if req.date_from or req.date_to:
        masks["date"] = _date_mask(gen, req.date_from, req.date_to)
    return masks


def _date_mask(gen: _Generation, date_from: str | None, date_to: str | None) -> np.ndarray:
    """Inclusive range on ISO prefixes: to=2023-01-31 keeps 2023-01-31T10:00.

    gen.dates is sorted, so the range is one slice of date ranks found by bisection: a
    date's prefix is >= `from` exactly when the date is, and its prefix is <= `to` exactly
    when the date sorts before `to` followed by the highest code point. (A loop over the
    distinct dates cost ~25 ms a request at 100,000 articles.)
    """
    lo = bisect.bisect_left(gen.dates, date_from) if date_from else 0
    hi = bisect.bisect_left(gen.dates, date_to + "\U0010ffff") if date_to else len(gen.dates)
    rank = gen.date_rank
    return (rank >= lo) & (rank < hi)  # unknown dates (rank -1) never fall inside a range


def _and(base: np.ndarray, masks: list[np.ndarray]) -> np.ndarray:
    out = base
    for m in masks:
        out = out & m
    return out


def _counts(values: list[str], codes: np.ndarray, unknown: bool) -> tuple[FacetValue, ...]:
    """FacetValues sorted by count desc, then value; code -1 is the 'unknown' bucket."""
    counts = np.bincount(codes + 1, minlength=len(values) + 1)
    out = [FacetValue(v, int(c)) for v, c in zip(values, counts[1:], strict=True) if c]
    if unknown and counts[0]:
        out.append(FacetValue(UNKNOWN, int(counts[0])))
    out.sort(key=lambda f: (-f.count, f.value))
    return tuple(out)


def _facets(
    gen: _Generation, matched: np.ndarray, masks: dict[str, np.ndarray]
) -> dict[str, tuple[FacetValue, ...]]:
    facets: dict[str, tuple[FacetValue, ...]] = {}
    for name in FACETS:
        others = [m for key, m in masks.items() if key != name]
        reps = gen.representatives(_and(matched, others))
        if name == "sources":
            is_rep = np.zeros(gen.n, dtype=bool)
            is_rep[reps] = True
            facets[name] = _counts(gen.source_values, gen.pair_src[is_rep[gen.pair_doc]], False)
        else:
            ords: _Ordinals = getattr(gen, name)
            values = [v for v in ords.values]
            codes = ords.of_doc[reps]
            if UNKNOWN in values:  # the index stores the bucket name itself
                unknown_code = values.index(UNKNOWN)
                values.pop(unknown_code)
                codes = np.where(codes == unknown_code, -1, codes - (codes > unknown_code))
            facets[name] = _counts(values, codes, unknown=name != "site")
    return facets


def _timeline(gen: _Generation, reps: np.ndarray) -> tuple[FacetValue, ...]:
    """Stories per month, chronological, gaps filled; per year beyond 36 months."""
    codes = gen.month.of_doc[reps]
    counts = np.bincount(codes[codes >= 0], minlength=len(gen.month.values))
    months = Counter({gen.month.values[c]: int(counts[c]) for c in np.flatnonzero(counts).tolist()})
    months.pop(UNKNOWN, None)
    if not months:
        return ()
    first, last = min(months), max(months)
    y0, m0 = int(first[:4]), int(first[5:7])
    y1, m1 = int(last[:4]), int(last[5:7])
    span = (y1 - y0) * 12 + (m1 - m0) + 1
    if span > TIMELINE_MAX_MONTHS:
        years = Counter()
        for key, c in months.items():
            years[key[:4]] += c
        return tuple(FacetValue(str(y), years.get(str(y), 0)) for y in range(y0, y1 + 1))
    out = []
    for i in range(span):
        y, m = divmod(m0 - 1 + i, 12)
        key = f"{y0 + y:04d}-{m + 1:02d}"
        out.append(FacetValue(key, months.get(key, 0)))
    return tuple(out)


# --- the searcher ------------------------------------------------------------------------


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
        self._gen: _Generation | None = None
        self._users: dict[int, int] = {}  # id(generation) -> requests using it
        self._retired: list[_Generation] = []
        self._segments: dict[str, _Segment] = {}

    def _current(self) -> _Generation:
        """The up-to-date generation (opened afresh if the index moved on)."""
        with self._lock:
            return self._refresh()

    def _refresh(self) -> _Generation:
        # Whoosh's Searcher.refresh() would keep unchanged segments' readers open, but
        # whoosh3's reader reuse adds back the old copy of a segment whose deletions
        # changed (deleted documents reappear), so a changed index is opened afresh.
        ix_dir = resolve_index_dir(self.index_root)
        gen = self._gen
        if gen is not None and gen.ix_dir == ix_dir and gen.up_to_date():
            return gen
        if not open_checks(ix_dir):
            raise IndexMissing(
                f"no index at {self.index_root} (run `python -m indexer build` first)"
            )
        for attempt in range(OPEN_ATTEMPTS):
            try:
                fresh = _Generation(ix_dir, self.cache_size, self._segments)
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
        self._gen = fresh
        return fresh

    def _retire(self, gen: _Generation) -> None:
        """Close a replaced generation now, or when its last request ends."""
        if self._users.get(id(gen), 0):
            self._retired.append(gen)
        else:
            gen.close()

    @contextmanager
    def _using(self) -> Iterator[_Generation]:
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

    def _run(self, work: Callable[[_Generation], Any]) -> Any:
        """work(generation); once more on a newer one if this one's files were merged away
        before this thread opened its reader."""
        for attempt in range(2):
            with self._using() as gen:
                try:
                    return work(gen)
                except _Stale:
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
        deadline = deadline or self.deadline()
        return self._run(lambda gen: self._search(gen, req, deadline))

    def _search(self, gen: _Generation, req: SearchRequest, deadline: Deadline) -> SearchResult:
        started = time.perf_counter()
        plan = parse(req.q)
        per_page = max(1, min(req.per_page, MAX_PER_PAGE))
        page = max(1, req.page)
        self._stage("start", req)
        if plan.is_empty and req.q.strip():
            matched = np.zeros(gen.n, dtype=bool)  # only punctuation: nothing to find
            in_title = matched
        else:
            matched, in_title = gen.matched(plan)
        masks = _filter_masks(gen, req)
        selected = _and(matched, list(masks.values()))
        reps = gen.representatives(selected)
        self._stage("matched", req)
        if deadline.expired():
            raise SearchTimeout("the search ran out of time before it found its matches")
        sort = req.sort if req.sort in SORTS else "relevance"
        if plan.clauses and sort == "relevance":
            ranked = _rank_relevance(gen, plan, selected, in_title, page * per_page)
        else:
            ranked = _rank_by_date(gen, reps, sort != "oldest")
        if deadline.expired():
            raise SearchTimeout("the search ran out of time before it ranked its matches")
        self._stage("ranked", req)
        window = ranked[(page - 1) * per_page : page * per_page]
        partial = False
        hits = []
        for d, score in window:
            # Past the budget the remaining hits keep their place, without highlights.
            partial = partial or deadline.expired()
            hits.append(self._hit(gen, plan, d, score, highlight_spans=not partial))
        self._stage("hits", req)
        facets = _facets(gen, matched, masks)  # bounded by the index, not by any page
        timeline = _timeline(gen, reps)
        return SearchResult(
            query=req.q,
            total=int(len(reps)),
            page=page,
            per_page=per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            hits=tuple(hits),
            facets=facets,
            timeline=timeline,
            partial=partial,
        )

    def _hit(
        self, gen: _Generation, plan: Plan, docnum: int, score: float, highlight_spans: bool
    ) -> Hit:
        doc = gen.stored(docnum)
        body = doc.get("body", "")
        # Only the start of a long body is folded and cut into sentences (snippet_source):
        # a hit costs the same whatever the page's length.
        head = highlight.snippet_source(body)
        terms = plan.positive_terms if highlight_spans else ()
        spans = literal_spans(head, terms) if terms else []
        return Hit(
            id=doc["id"],
            path=doc.get("path", ""),
            title=doc.get("title", ""),
            title_inferred=bool(doc.get("title_inferred", False)),
            snippet_html=highlight.snippet_html(head, spans, more=len(head) < len(body)),
            published=doc.get("published") or None,
            sources=_sources(doc),
            site=doc.get("site") or None,
            score=round(score, 4),
            also_at=tuple(_also_at(gen, docnum)),
        )

    # --- article and stats -----------------------------------------------------------------

    def article(self, article_id: str, q: str = "") -> dict[str, Any] | None:
        return self._run(lambda gen: self._article(gen, article_id, q))

    def _article(self, gen: _Generation, article_id: str, q: str) -> dict[str, Any] | None:
        docnum = gen.docnum_of(article_id)
        if docnum is None:
            return None
        doc = gen.stored(docnum)
        body = doc.get("body", "")
        terms = parse(q).positive_terms if q else ()
        spans = literal_spans(body, terms) if terms else []
        return {
            "id": doc["id"],
            "path": doc.get("path", ""),
            "title": doc.get("title", ""),
            "title_inferred": bool(doc.get("title_inferred", False)),
            "published": doc.get("published") or None,
            "sources": list(_sources(doc)),
            "site": doc.get("site") or None,
            "body": body,
            "content_hash": doc.get("content_hash", ""),
            "also_at": [
                {
                    "id": a.id,
                    "site": a.site,
                    "published": a.published,
                    "path": a.path,
                    "title": a.title,
                }
                for a in _also_at(gen, docnum)
            ],
            "body_html": highlight.body_html(body, spans),
        }

    def stats(self) -> dict[str, Any]:
        """The landing page's figures: `counts()` plus example queries."""
        return self._run(lambda gen: {**live_counts(gen), "examples": list(gen.examples())})

    def counts(self) -> dict[str, Any]:
        """The index's statistics (`live_counts`), for `python -m indexer stats`."""
        return self._run(live_counts)

    def version(self) -> tuple[str, float]:
        """(tag, time) of the generation being served: changes exactly when the index does,
        so a feed can answer a conditional GET without running the search."""
        gen = self._current()
        toc = gen.ix_dir / f"_MAIN_{gen.generation}.toc"
        when = toc.stat().st_mtime if toc.exists() else gen.ix_dir.stat().st_mtime
        return f"{gen.ix_dir.name}-{gen.generation}", when


def live_counts(gen: _Generation) -> dict[str, Any]:
    """The one definition of the index's statistics, over live documents only: a
    replaced or removed article stays in its segment, marked deleted, until a merge, so
    term counts (doc_frequency) would count it; the web page and the CLI both use this."""
    live = np.flatnonzero(gen.live)
    groups = np.unique(gen.group_of[live]) if len(live) else live
    sources = np.unique(gen.pair_src[gen.live[gen.pair_doc]])
    sites = np.unique(gen.site.of_doc[live])
    known = gen.date_rank[live]
    dated = known[known >= 0]
    return {
        "articles": int(len(live)),
        "stories": int(len(groups)),
        "sources": int(len(sources)),
        "sites": int(np.count_nonzero(sites >= 0)),
        "date_min": gen.dates[int(dated.min())] if len(dated) else None,
        "date_max": gen.dates[int(dated.max())] if len(dated) else None,
        "undated": int(len(known) - len(dated)),
    }


def _rank_relevance(
    gen: _Generation,
    plan: Plan,
    selected: np.ndarray,
    in_title: np.ndarray,
    needed: int,
) -> list[tuple[int, float]]:
    """Top `needed` stories as (display docnum, score).

    Score: BM25F over the word fields (title words boosted by the schema) plus TITLE_BONUS
    for a term found verbatim in the title, so title matches rank first. A story takes its
    best member's score; ties go to the earlier document.
    """
    cand = np.flatnonzero(selected)
    if not len(cand):
        return []
    scores = gen.bm25(scoring_words(plan))[cand] + TITLE_BONUS * in_title[cand]
    order = cand[np.lexsort((cand, -scores))]
    ordered_scores = np.sort(scores)[::-1]
    _, first = np.unique(gen.group_of[order], return_index=True)
    first.sort()
    top = first[:needed]
    return [(_display_member(gen, int(order[i]), selected), float(ordered_scores[i])) for i in top]


def _display_member(gen: _Generation, docnum: int, selected: np.ndarray) -> int:
    """The canonical member of docnum's story if it is selected, else docnum itself."""
    for d in gen.members(docnum):
        if gen.canonical[d] and selected[d]:
            return d
        break
    return docnum


def _rank_by_date(gen: _Generation, reps: np.ndarray, newest: bool) -> list[tuple[int, float]]:
    """Stories by date (unknown last either way), then by docnum for a stable order."""
    ranks = gen.date_rank[reps]
    unknown = ranks < 0
    primary = -ranks if newest else ranks
    order = np.lexsort((reps, primary, unknown))
    return [(int(d), 0.0) for d in reps[order]]


def _sources(doc: dict[str, Any]) -> tuple[str, ...]:
    raw = doc.get("sources") or ""
    if isinstance(raw, (list, tuple)):
        return tuple(raw)
    return tuple(s for s in raw.split(",") if s)


def _also_at(gen: _Generation, docnum: int) -> list[AlsoAt]:
    out = []
    for d in gen.members(docnum):
        if d == docnum:
            continue
        doc = gen.stored(d)
        out.append(
            AlsoAt(
                id=doc["id"],
                site=doc.get("site") or None,
                published=doc.get("published") or None,
                path=doc.get("path", ""),
                title=doc.get("title", ""),
            )
        )
    out.sort(key=lambda a: (a.published is None, a.published or "", a.path))
    return out


_shared: dict[Path, Searcher] = {}
_shared_lock = threading.Lock()


def search(index_root: Path | str, req: SearchRequest) -> SearchResult:
    """Convenience: one shared Searcher per index root."""
    root = Path(index_root)
    with _shared_lock:
        searcher = _shared.setdefault(root, Searcher(root))
    return searcher.search(req)
