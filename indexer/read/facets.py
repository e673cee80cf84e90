"""Filters, facet counts and the timeline: boolean masks and bincounts over the columns.

Part of the read side. Each active filter is one mask over documents (`filter_masks`).
Facets count stories (representatives, hits.py) under the query and the *other* facets'
filters, so a facet's own selection does not shrink its own counts; the date range applies
to all facets. The timeline counts stories per month under all filters.
"""

from __future__ import annotations

import bisect
from collections import Counter

import numpy as np

from indexer.index.constants import UNKNOWN
from indexer.models import FacetValue, SearchRequest
from indexer.normalize import facet_key
from indexer.read import keywords
from indexer.read.columns import Columns, Ordinals
from indexer.read.hits import representatives

FACETS = ("sources", "site", "year", "month")
TIMELINE_MAX_MONTHS = 36


def _ordinal_mask(ords: Ordinals, wanted: tuple[str, ...]) -> np.ndarray | None:
    if not wanted:
        return None
    index = {v: i for i, v in enumerate(ords.values)}
    codes = [index[v] for v in wanted if v in index]
    if UNKNOWN in wanted and UNKNOWN not in index:
        codes.append(-1)
    return np.isin(ords.of_doc, np.array(codes, dtype=np.int32))


def filter_masks(cols: Columns, req: SearchRequest) -> dict[str, np.ndarray]:
    """One boolean mask per active filter, keyed by facet name ("date" for the range)."""
    masks: dict[str, np.ndarray] = {}
    if req.sources:
        index = {v: i for i, v in enumerate(cols.source_values)}
        wanted = {facet_key(v) for v in req.sources}
        codes = np.array([index[v] for v in wanted if v in index], dtype=np.int32)
        m = np.zeros(cols.n, dtype=bool)
        m[cols.pair_doc[np.isin(cols.pair_src, codes)]] = True
        masks["sources"] = m
    for name, ords, wanted in (
        ("site", cols.site, tuple(facet_key(v) for v in req.sites)),
        ("year", cols.year, req.years),
        ("month", cols.month, req.months),
    ):
        m = _ordinal_mask(ords, wanted)
        if m is not None:
            masks[name] = m
    for name in keywords.KEYWORD_FACETS:
        if wanted := keywords.wanted(req, name):
            masks[name] = cols.keyword_pairs[name].mask(cols.n, wanted)
    if req.date_from or req.date_to:
        masks["date"] = date_mask(cols, req.date_from, req.date_to)
    return masks


def date_mask(cols: Columns, date_from: str | None, date_to: str | None) -> np.ndarray:
    """Inclusive range on ISO prefixes: to=2023-01-31 keeps 2023-01-31T10:00.

    cols.dates is sorted, so the range is one slice of date ranks found by bisection: a
    date's prefix is >= `from` exactly when the date is, and its prefix is <= `to` exactly
    when the date sorts before `to` followed by the highest code point. (A loop over the
    distinct dates cost ~25 ms a request at 100,000 articles.)
    """
    lo = bisect.bisect_left(cols.dates, date_from) if date_from else 0
    hi = bisect.bisect_left(cols.dates, date_to + "\U0010ffff") if date_to else len(cols.dates)
    rank = cols.date_rank
    return (rank >= lo) & (rank < hi)  # unknown dates (rank -1) never fall inside a range


def all_of(base: np.ndarray, masks: list[np.ndarray]) -> np.ndarray:
    """`base` and every mask."""
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


def facet_counts(
    cols: Columns,
    matched: np.ndarray,
    masks: dict[str, np.ndarray],
    reps: np.ndarray | None = None,
) -> dict[str, tuple[FacetValue, ...]]:
    """Stories per value of each facet, under the query and the other facets' filters.

    Facets whose "other filters" are the same set share one story selection: with no filter
    (the common request) every facet counts the same stories, so they are chosen once, not
    once per facet (each choice is a pass over every matched document). `reps`, when
    given, are the stories under every filter, which the request has chosen already.
    """
    chosen: dict[frozenset[str], tuple[np.ndarray, np.ndarray]] = {}
    if reps is not None:
        every = np.zeros(cols.n, dtype=bool)
        every[reps] = True
        chosen[frozenset(masks)] = (reps, every)

    def stories_without(name: str) -> tuple[np.ndarray, np.ndarray]:
        key = frozenset(k for k in masks if k != name)
        if key not in chosen:
            reps = representatives(cols, all_of(matched, [masks[k] for k in sorted(key)]))
            is_rep = np.zeros(cols.n, dtype=bool)
            is_rep[reps] = True
            chosen[key] = (reps, is_rep)
        return chosen[key]

    facets: dict[str, tuple[FacetValue, ...]] = {}
    for name in FACETS:
        reps, is_rep = stories_without(name)
        if name == "sources":
            facets[name] = _counts(cols.source_values, cols.pair_src[is_rep[cols.pair_doc]], False)
        else:
            ords: Ordinals = getattr(cols, name)
            values = [v for v in ords.values]
            codes = ords.of_doc[reps]
            if UNKNOWN in values:  # the index stores the bucket name itself
                unknown_code = values.index(UNKNOWN)
                values.pop(unknown_code)
                codes = np.where(codes == unknown_code, -1, codes - (codes > unknown_code))
            facets[name] = _counts(values, codes, unknown=name != "site")
    for name in keywords.KEYWORD_FACETS:
        facets[name] = cols.keyword_pairs[name].counts(stories_without(name)[1])
    return facets


def timeline(cols: Columns, reps: np.ndarray) -> tuple[FacetValue, ...]:
    """Stories per month, chronological, gaps filled; per year beyond 36 months."""
    codes = cols.month.of_doc[reps]
    counts = np.bincount(codes[codes >= 0], minlength=len(cols.month.values))
    months = Counter(
        {cols.month.values[c]: int(counts[c]) for c in np.flatnonzero(counts).tolist()}
    )
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
