"""Facets over multi-valued keyword fields: `regions` and `documents`.

Part of the read side. An article is about several leagues and mentions several policies,
so these facets are (document, value) pairs rather than one ordinal per document: read
once per segment from the field's postings (one term_docs call per distinct value),
combined per generation under one sorted list of values, then filtered with one `isin`
and counted with one `bincount` over the pairs of the request's representatives.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from indexer.extract.documents import canonical as canonical_document
from indexer.extract.regions import canonical as canonical_region
from indexer.index.fields import stored_values
from indexer.models import FacetValue, SearchRequest
from indexer.read.postings import term_docs

# Facet name (= stored field = JSON key) -> the SearchRequest attribute that filters it.
KEYWORD_FACETS = {"regions": "regions", "documents": "documents"}
FACET_MAX = 100  # values a keyword facet lists at most (the most frequent first)

_NO_DOCS = np.zeros(0, dtype=np.int64)
_NO_CODES = np.zeros(0, dtype=np.int32)


@dataclass(frozen=True)
class SegmentPairs:
    """One segment's values of a keyword field and its (document, value code) pairs."""

    values: list[str]
    doc: np.ndarray  # document numbers within the segment
    code: np.ndarray  # index into `values`

    @classmethod
    def read(cls, leaf: Any, field: str) -> SegmentPairs:
        if field not in leaf.schema.names():
            return cls([], _NO_DOCS, _NO_CODES)
        values = sorted(
            t.decode("utf-8") if isinstance(t, bytes) else t for t in leaf.lexicon(field)
        )
        docs = [term_docs(leaf, field, v) for v in values]
        codes = [np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs)]
        return cls(
            values,
            np.concatenate(docs) if docs else _NO_DOCS,
            np.concatenate(codes) if codes else _NO_CODES,
        )


@dataclass(frozen=True)
class Pairs:
    """A generation's (document, value) pairs of one keyword field (immutable; each pair
    once, as they come from the field's postings)."""

    values: list[str]
    doc: np.ndarray  # global document numbers
    code: np.ndarray
    # With few values (regions: 12 leagues), each document's values as one bit mask,
    # made on the first count (`_value_bits`).
    _bits: list[np.ndarray] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def combine(cls, parts: Sequence[SegmentPairs], offsets: Sequence[int]) -> Pairs:
        values = sorted(set().union(*(p.values for p in parts)))
        index = {v: i for i, v in enumerate(values)}
        docs, codes = [], []
        for part, offset in zip(parts, offsets, strict=True):
            mapping = np.array([index[v] for v in part.values], dtype=np.int32)
            docs.append(part.doc + offset)
            codes.append(mapping[part.code] if len(part.code) else _NO_CODES)
        doc = np.concatenate(docs) if docs else _NO_DOCS
        code = np.concatenate(codes) if codes else _NO_CODES
        # In document order, as the segments' postings are not (they come value by value):
        # `counts` then reads the request's story flags front to back, not at random.
        order = np.lexsort((code, doc))
        return cls(values, doc[order], code[order])

    def mask(self, n: int, wanted: Sequence[str]) -> np.ndarray:
        """Documents holding any of `wanted` (values compared in stored form)."""
        index = {v: i for i, v in enumerate(self.values)}
        codes = np.array([index[v] for v in wanted if v in index], dtype=np.int32)
        out = np.zeros(n, dtype=bool)
        out[self.doc[np.isin(self.code, codes)]] = True
        return out

    def _value_bits(self, n: int) -> np.ndarray | None:
        """Per document, a mask with bit c set when it holds value c; None when the field
        has more values than bits (documents). Counting a value is then one pass over the
        request's stories, not over every pair: regions have about four pairs per article
        at 100,000 articles, and gathering them was most of the facet's cost."""
        dtype = _bit_dtype(len(self.values))
        if dtype is None:
            return None
        if not self._bits:  # made once per generation; a race only makes it twice
            bits = np.zeros(n, dtype=dtype)
            np.bitwise_or.at(bits, self.doc, (dtype(1) << self.code.astype(dtype)))
            self._bits.append(bits)
        return self._bits[0]

    def counts(self, is_rep: np.ndarray, limit: int = FACET_MAX) -> tuple[FacetValue, ...]:
        """Stories per value among the representatives, most first (ties by value)."""
        bits = self._value_bits(len(is_rep))
        if bits is not None:
            chosen = bits[is_rep]
            counts = np.array(
                [
                    np.count_nonzero(chosen & bits.dtype.type(1 << c))
                    for c in range(len(self.values))
                ],
                dtype=np.int64,
            )
        else:
            counts = np.bincount(self.code[is_rep[self.doc]], minlength=len(self.values))
        top = top_codes(counts, limit)
        return tuple(FacetValue(self.values[i], int(counts[i])) for i in top.tolist())


def _bit_dtype(values: int) -> type[np.unsignedinteger] | None:
    for dtype in (np.uint8, np.uint16, np.uint32, np.uint64):
        if values <= np.dtype(dtype).itemsize * 8:
            return dtype
    return None


def top_codes(counts: np.ndarray, limit: int) -> np.ndarray:
    """The codes of the `limit` largest non-zero counts, most first, ties by code.

    Values are sorted, so a value's code orders it: (-count, code) is (-count, value).
    Ordered in numpy and cut before any object is made: a corpus mentions thousands of
    documents, and a request shows a dozen. Only the codes counting at least the
    limit-th largest count are sorted (ties included, so the cut is the full order's).
    """
    found = np.flatnonzero(counts)
    if len(found) > limit > 0:
        kth = np.partition(counts[found], len(found) - limit)[len(found) - limit]
        found = found[counts[found] >= kth]
    return found[np.lexsort((found, -counts[found]))][:limit]


def wanted(req: SearchRequest, name: str) -> tuple[str, ...]:
    """The request's filter values for a keyword facet, in the form the index stores
    (a document number typed with other brackets or width finds its canonical value)."""
    values: tuple[str, ...] = getattr(req, KEYWORD_FACETS[name])
    canonical = canonical_document if name == "documents" else canonical_region
    return tuple(canonical(v) for v in values)


def article_values(stored: dict[str, Any], name: str) -> list[str]:
    """A stored document's values of a keyword field, in the article's order."""
    return list(stored_values(stored, name))
