"""Whoosh postings read a whole block at a time into numpy.

Part of the read side: the searcher scores BM25F over the word fields and reads keyword
fields (canonical flag, sources) with these. Whoosh's matcher API costs a few Python
calls per posting, which at 100,000 articles dominates a common word's query time;
decoding a block's document numbers and weights with numpy costs one call per 128.

Reading whole blocks uses private attributes of Whoosh's W3 postings matcher; any other
matcher falls back to the public `all_ids`/`weight` API, slower and with the same result.
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


def term_weights(
    reader: IndexReader, field: str, text: str, within: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers (in this segment) and posting weights (boosted frequencies) of a term.

    What BM25 needs, read a block at a time; the searcher scores with numpy instead of
    Whoosh's per-posting matcher calls. With `within` (sorted document numbers), only
    the postings of those documents are returned, and a block holding none of them is
    passed over by its header alone: its data (zlib, then pickle) is never decoded. A
    rare word's few matches then cost a few blocks of a frequent scoring word, not all.
    """
    if within is not None and not len(within):  # a segment without a match: no lookup
        return EMPTY, np.zeros(0, dtype=np.float64)
    m = _leaf_matcher(reader, field, text)
    if m is None or not m.is_active():
        return EMPTY, np.zeros(0, dtype=np.float64)
    if not _fast(m):
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        found, tf = np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
        return _restrict(found, tf, within)
    id_blocks: list[np.ndarray] = []
    weight_blocks: list[np.ndarray] = []
    lo = 0  # within[lo:]: the wanted documents not behind the current block
    while m.is_active():
        wanted = True
        if within is not None:
            hi = int(np.searchsorted(within, m._maxid, side="right"))
            wanted, lo = hi > lo, hi
        if wanted:
            m._read_weights()
            id_blocks.append(_block_ids(m)[m._i :])
            weight_blocks.append(np.asarray(m._weights[m._i :], dtype=np.float64))
        if within is not None and lo == len(within):
            break  # no wanted document lies beyond this block
        m._next_block()
    if not id_blocks:
        return EMPTY, np.zeros(0, dtype=np.float64)
    return _restrict(np.concatenate(id_blocks), np.concatenate(weight_blocks), within)


def _restrict(
    ids: np.ndarray, weights: np.ndarray, within: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """The postings of the documents in `within` (all when None)."""
    if within is None:
        return ids, weights
    # Both are sorted: a binary search per posting, no sort of their union as np.isin does.
    at = np.minimum(np.searchsorted(within, ids), len(within) - 1)
    keep = within[at] == ids
    return ids[keep], weights[keep]
