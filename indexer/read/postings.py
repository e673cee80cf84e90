"""Whoosh postings read a whole block at a time into numpy.

Part of the read side: the searcher reads keyword fields (canonical flag, sources,
regions, documents) with these; the word fields have their own arrays
(index/word_postings.py). Whoosh's matcher API costs a few Python calls per posting;
decoding a block's document numbers with numpy costs one call per block.

Reading whole blocks uses private attributes of Whoosh's W3 postings matcher; any other
matcher falls back to the public `all_ids` API, slower and with the same result.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.reading import IndexReader, TermNotFound

EMPTY = np.zeros(0, dtype=np.int64)


def _leaf_matcher(reader: IndexReader, field: str, text: str) -> Any | None:
    """The raw postings matcher of a term in one segment, or None if the term is absent."""
    try:
        m = reader.postings(field, text)
    except TermNotFound:
        return None
    while isinstance(m, WrappingMatcher):  # deletions: live docs are masked by the caller
        m = m.child
    return m


def _fast(m: Any) -> bool:
    """Whether the block-at-a-time path applies (Whoosh's W3 postings matcher)."""
    names = ("_read_ids", "_read_weights", "_next_block", "_ids", "_i", "_maxid")
    return all(hasattr(m, a) for a in names)


def _block_ids(m: Any) -> np.ndarray:
    """The current block's document numbers, decoded with numpy (Whoosh stores deltas)."""
    if m._data is None:
        m._read_data()
    if getattr(m, "_byteids", False):
        m._read_ids()
        return np.asarray(m._ids, dtype=np.int64)
    return np.cumsum(np.asarray(m._data[0], dtype=np.int64))


def term_docs(reader: IndexReader, field: str, text: str) -> np.ndarray:
    """Sorted document numbers (in this segment) of one term."""
    m = _leaf_matcher(reader, field, text)
    if m is None or not m.is_active():
        return EMPTY
    if not _fast(m):
        return np.fromiter(m.all_ids(), dtype=np.int64)
    blocks: list[np.ndarray] = []
    while m.is_active():
        blocks.append(_block_ids(m)[m._i :])
        m._next_block()
    return np.concatenate(blocks) if blocks else EMPTY
