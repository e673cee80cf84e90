"""Per-document columns: what filters, facets, stories and ranking read, as numpy arrays.

Part of the read side. An opened generation (generation.py) holds one `Columns`, built
from per-segment parts: a segment never changes once written (apart from deletions), so
its part (`SegmentPart`) is read once and kept, by segment id, across generations; a
commit that adds one small segment costs only that segment's reading.

Keyword fields become ordinals (`Ordinals`: sorted distinct values and each document's
code into them, -1 for none), so a filter is one `np.isin` and a facet one `bincount`.
`sources` is multi-valued and kept as (document, source ordinal) pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from indexer.index import ngrams, word_postings
from indexer.index.constants import PART_EXT
from indexer.normalize import facet_key
from indexer.read import keywords
from indexer.read.part_files import (
    KEYWORD_COLUMNS,
    SCORED_FIELDS,
    load_arrays,
    save_arrays,
    strings,
)
from indexer.read.postings import term_docs

NO_DOCS = np.zeros(0, dtype=np.int64)


@dataclass
class Ordinals:
    """Values of one keyword field and each document's ordinal into them (-1: none)."""

    values: Sequence[str]  # a list, or for the story ids a unicode array (see combine)
    of_doc: np.ndarray


Part = tuple[Sequence[str], np.ndarray]  # a segment's distinct values and each doc's code


def local_codes(raw: list[str]) -> Part:
    """Distinct non-empty values of a segment's column and each document's code (-1: none)."""
    values = sorted({v for v in raw if v})
    index = {v: i for i, v in enumerate(values)}
    return values, np.array([index.get(v, -1) for v in raw], dtype=np.int32)


def combine(parts: list[Part], as_list: bool = True) -> Ordinals:
    """Concatenate per-segment codes under one sorted list of values (a unicode array
    when not `as_list`: a million story ids take 0.3 s to become Python strings, and
    only their count is read).

    With numpy's sort of the values as one unicode array: a story id per document makes
    the group column a million distinct strings at a million articles, which Python's
    set, sort and dict took 5 s to combine. A stable sort, since each segment's values
    come sorted and a merge sort runs through sorted runs fast."""
    if not parts:
        return Ordinals([], np.zeros(0, np.int32))
    values, inverse = _sorted_distinct(np.concatenate([strings(v) for v, _ in parts]))
    out, start = [], 0
    for local_values, codes in parts:
        # The extra last entry maps code -1 ("no value") to -1.
        mapping = np.append(inverse[start : start + len(local_values)], -1).astype(np.int32)
        start += len(local_values)
        out.append(mapping[codes])
    return Ordinals(values.tolist() if as_list else values, np.concatenate(out))


def _sorted_distinct(every: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(every, return_inverse=True), by a stable sort."""
    order = np.argsort(every, kind="stable")
    ordered = every[order]
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(ordered), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def distinct_sorted(keys: np.ndarray) -> np.ndarray:
    """The distinct integers of `keys`, ascending (np.unique's hash table took 0.8 s over
    a million source pairs, a sort 0.06 s)."""
    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def story_spans(group_of: np.ndarray, rep_order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each document, where its story's documents begin and end in `rep_order` (which
    holds each story's documents together): two arrays, not a dict of a million stories."""
    ordered = group_of[rep_order]
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(ordered)].astype(np.int64)
    run = np.cumsum(first) - 1  # each position's story, numbered in rep_order
    begin, end = np.empty(len(ordered), np.int64), np.empty(len(ordered), np.int64)
    begin[rep_order], end[rep_order] = starts[run], ends[run]
    return begin, end


def merge_variants(ords: Ordinals) -> Ordinals:
    """One facet value for names that differ only in script or width (包頭日報 and
    包头日报, ＣＣＴＶ and CCTV): outlets and portals are counted and filtered as one,
    under the simplified half-width form. Hits still show each page's own spelling."""
    keys = [facet_key(v) for v in ords.values]
    merged = sorted(set(keys) - {""})
    index = {k: i for i, k in enumerate(merged)}
    mapping = np.array([index.get(k, -1) for k in keys] + [-1], dtype=np.int32)  # -1: none
    return Ordinals(merged, mapping[ords.of_doc])


def segment_key(leaf: Any) -> str:
    """The id a segment's part is kept under across generations."""
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else str(id(leaf))


def _column(leaf: Any, name: str, count: int) -> list[str]:
    if not leaf.has_column(name):
        return [""] * count
    return [
        v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in leaf.column_reader(name)
    ]


def _segment_words(leaf: Any, folder: Path) -> word_postings.SegmentWords:
    segment = leaf.segment()
    if segment is None:  # the reader of an index without segments
        return word_postings.SegmentWords.empty()
    return word_postings.open_segment(folder, segment.make_filename(word_postings.EXT))


def _segment_ngrams(leaf: Any, folder: Path) -> ngrams.SegmentNgrams:
    segment = leaf.segment()
    if segment is None:  # the reader of an index without segments
        return ngrams.SegmentNgrams.empty()
    return ngrams.open_segment(folder, segment.make_filename(ngrams.EXT))


@dataclass
class SegmentPart:
    """What the per-document arrays need from one index segment (immutable once read)."""

    fields: dict[str, Part]
    canonical: np.ndarray
    source_values: Sequence[str]
    pair_doc: np.ndarray
    pair_src: np.ndarray
    lengths: dict[str, np.ndarray]
    ngrams: ngrams.SegmentNgrams
    words: word_postings.SegmentWords  # the word fields' postings (BM25F, related, examples)
    title_top: list[tuple[str, float]] | None = None  # most frequent title words, on demand
    # regions, documents: (document, value) pairs (keywords.py)
    keyword_pairs: dict[str, keywords.SegmentPairs] = field(default_factory=dict)

    @classmethod
    def read(cls, leaf: Any, folder: Path) -> SegmentPart:
        """The segment's part: from its saved arrays (PART_EXT) when they are there and
        whole, else read from the segment and saved for the next opening (best effort: a
        read-only index is read each time). Why saved: a segment never changes, and
        reading a part from Whoosh's columns and postings costs about 20 µs a document in
        Python (22 s to open a million), loading it back a few ms a segment. Raises
        ngrams.NgramFileError when the segment's n-gram or word postings file is missing
        or bad."""
        path = _part_path(leaf, folder)
        arrays = load_arrays(path, leaf.doc_count_all()) if path is not None else None
        if arrays is not None:
            return cls.from_arrays(arrays, leaf, folder)
        part = cls.compute(leaf, folder)
        if path is not None:
            save_arrays(path, part.arrays())
        return part

    def arrays(self) -> dict[str, np.ndarray]:
        """Everything of this part but its postings, as named arrays (strings as unicode
        arrays: no pickles)."""
        out: dict[str, np.ndarray] = {
            "canonical": self.canonical,
            "source_values": strings(self.source_values),
            "pair_doc": self.pair_doc,
            "pair_src": self.pair_src,
        }
        for name, (values, codes) in self.fields.items():
            out[f"field.{name}.values"], out[f"field.{name}.codes"] = strings(values), codes
        for name, lengths in self.lengths.items():
            out[f"length.{name}"] = lengths
        for name, pairs in self.keyword_pairs.items():
            out[f"pairs.{name}.values"] = strings(pairs.values)
            out[f"pairs.{name}.doc"], out[f"pairs.{name}.code"] = pairs.doc, pairs.code
        return out

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], leaf: Any, folder: Path) -> SegmentPart:
        """The part saved by `arrays`, with the segment's postings opened."""
        return cls(
            fields={f: (a[f"field.{f}.values"], a[f"field.{f}.codes"]) for f in KEYWORD_COLUMNS},
            canonical=a["canonical"],
            source_values=a["source_values"],
            pair_doc=a["pair_doc"],
            pair_src=a["pair_src"],
            lengths={f: a[f"length.{f}"] for f in SCORED_FIELDS},
            ngrams=_segment_ngrams(leaf, folder),
            words=_segment_words(leaf, folder),
            keyword_pairs={
                f: keywords.SegmentPairs(
                    a[f"pairs.{f}.values"].tolist(), a[f"pairs.{f}.doc"], a[f"pairs.{f}.code"]
                )
                for f in keywords.KEYWORD_FACETS
            },
        )

    @classmethod
    def compute(cls, leaf: Any, folder: Path) -> SegmentPart:
        """The part read from the segment's columns and postings."""
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
            fields={f: local_codes(_column(leaf, f, count)) for f in KEYWORD_COLUMNS},
            canonical=canonical,
            source_values=source_values,
            pair_doc=np.concatenate(docs) if docs else NO_DOCS,
            pair_src=np.concatenate(codes) if codes else np.zeros(0, np.int32),
            lengths={
                f: np.array([length(d, f, 0) or 0 for d in range(count)], dtype=np.float64)
                for f in SCORED_FIELDS
            },
            ngrams=_segment_ngrams(leaf, folder),
            words=_segment_words(leaf, folder),
            keyword_pairs={f: keywords.SegmentPairs.read(leaf, f) for f in keywords.KEYWORD_FACETS},
        )


def _part_path(leaf: Any, folder: Path) -> Path | None:
    """Where a segment's part is saved (None for the reader of an index without segments)."""
    segment = leaf.segment()
    return folder / segment.make_filename(PART_EXT) if segment is not None else None


def save_parts(folder: Path) -> int:
    """Save the part of every segment of the index in `folder` that has none yet (each
    read, saved and let go in turn), so the first opening after a build loads them like
    every later one; the number saved."""
    from whoosh import index as windex

    saved = 0
    with windex.open_dir(str(folder)).reader() as reader:
        for leaf, _ in reader.leaf_readers():
            path = _part_path(leaf, folder)
            if path is not None and not path.exists():
                SegmentPart.read(leaf, folder)
                saved += 1
    return saved


class Columns:
    """Per-document arrays for the whole index of one generation, read-only once built.

    Documents are numbered as Whoosh numbers them across the reader's segments (`offsets`
    says where each segment's numbers begin). A document without a group is a story of
    its own; `rep_order` orders documents by (group, canonical first, docnum), so the
    first live matched document of a group in that order is its representative.
    """

    def __init__(self, reader: Any, folder: Path, segments: dict[str, SegmentPart]) -> None:
        """`segments` caches each segment's part by segment id across generations; parts
        of segments this reader no longer has are dropped from it."""
        self.n = reader.doc_count_all()
        n = self.n
        leaves = reader.leaf_readers()
        parts: list[SegmentPart] = []
        self.live = np.ones(n, dtype=bool)
        for leaf, offset in leaves:
            key = segment_key(leaf)
            if key not in segments:
                segments[key] = SegmentPart.read(leaf, folder)
            parts.append(segments[key])
            if leaf.has_deletions():
                dead = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                self.live[offset + dead] = False
        keep = {segment_key(leaf) for leaf, _ in leaves}
        for key in list(segments):
            if key not in keep:
                del segments[key]
        self.parts = parts
        self.offsets = [offset for _, offset in leaves]
        self.group = combine([p.fields["group"] for p in parts], as_list=False)
        # A document without a group is a story of its own.
        missing = self.group.of_doc < 0
        self.group_of = self.group.of_doc.astype(np.int64)
        self.group_of[missing] = len(self.group.values) + np.flatnonzero(missing)
        self.canonical = np.concatenate([p.canonical for p in parts]) | missing
        published = combine([p.fields["published"] for p in parts])
        self.dates = published.values
        self.date_rank = published.of_doc.astype(np.int64)
        self.site = merge_variants(combine([p.fields["site"] for p in parts]))
        self.year = combine([p.fields["year"] for p in parts])
        self.month = combine([p.fields["month"] for p in parts])
        # sources is multi-valued: (document, source ordinal) pairs, one per distinct pair
        # (包頭日報 and 包头日报 credited together are one source once merged).
        src = merge_variants(combine([(p.source_values, p.pair_src) for p in parts]))
        pair_doc = np.concatenate(
            [p.pair_doc + off for p, off in zip(parts, self.offsets, strict=True)] or [NO_DOCS]
        )
        pairs = distinct_sorted(pair_doc * (len(src.values) + 1) + src.of_doc)
        self.source_values = src.values
        self.pair_doc = pairs // (len(src.values) + 1)
        self.pair_src = (pairs % (len(src.values) + 1)).astype(np.int32)
        self.keyword_pairs = {
            f: keywords.Pairs.combine([p.keyword_pairs[f] for p in parts], self.offsets)
            for f in keywords.KEYWORD_FACETS
        }
        # Field lengths (Whoosh's quantised ones, as its BM25F uses) for numpy scoring.
        self.lengths = {
            f: np.concatenate([p.lengths[f] for p in parts] or [np.zeros(0)]) for f in SCORED_FIELDS
        }
        self.avg_length = {
            f: (reader.field_length(f) / max(reader.doc_count(), 1)) or 1.0 for f in SCORED_FIELDS
        }
        self.rep_order = np.lexsort((np.arange(n), ~self.canonical, self.group_of))
        self.story_begin, self.story_end = story_spans(self.group_of, self.rep_order)

    def story(self, docnum: int) -> np.ndarray:
        """The documents of docnum's story, canonical first, dead copies included."""
        return self.rep_order[self.story_begin[docnum] : self.story_end[docnum]]


def live_counts(cols: Columns) -> dict[str, Any]:
    """The one definition of the index's statistics, over live documents only: a
    replaced or removed article stays in its segment, marked deleted, until a merge, so
    term counts (doc_frequency) would count it; the web page and the CLI both use this."""
    live = np.flatnonzero(cols.live)
    groups = np.unique(cols.group_of[live]) if len(live) else live
    sources = np.unique(cols.pair_src[cols.live[cols.pair_doc]])
    sites = np.unique(cols.site.of_doc[live])
    known = cols.date_rank[live]
    dated = known[known >= 0]
    return {
        "articles": int(len(live)),
        "stories": int(len(groups)),
        "sources": int(len(sources)),
        "sites": int(np.count_nonzero(sites >= 0)),
        "date_min": cols.dates[int(dated.min())] if len(dated) else None,
        "date_max": cols.dates[int(dated.max())] if len(dated) else None,
        "undated": int(len(known) - len(dated)),
    }
