"""Literal matching: which documents hold a string verbatim (after folding), fast.

Part of the read side (search.py uses it to enumerate matches). The recall promise rests on
the n-gram fields: a string of two or more significant characters occurs in a text exactly
when its chain of bigrams occurs at consecutive positions. Whoosh's own Phrase query checks
that with span objects per posting, which costs seconds at 100k documents for common words.
Here the same answer comes from three cheaper steps, one index segment at a time:

1. candidates: documents holding the two rarest bigrams of the chain (document ids read a
   whole postings block at a time into numpy);
2. confirmed without positions: documents whose word field holds the whole string as one
   jieba word (a word is a run of the folded text, so the string is there);
3. the rest are verified by position: the chain's start positions must agree across all
   bigrams (rarest first, stopping at the first that rules a document out).

Reading whole blocks uses private attributes of Whoosh's W3 postings matcher; any other
matcher falls back to the public `all_ids`/`skip_to` API, slower and with the same result.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate
from pickle import loads
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


def _fast(m: Any, positions: bool = False) -> bool:
    """Whether the block-at-a-time path applies (Whoosh's W3 postings matcher)."""
    names = ("_read_ids", "_read_weights", "_read_values", "_next_block", "_ids", "_i", "_maxid")
    if not all(hasattr(m, a) for a in names):
        return False
    return not positions or type(getattr(m, "format", None)).__name__ == "Positions"


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


def term_weights(reader: IndexReader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """Document numbers (in this segment) and posting weights (boosted frequencies) of a term.

    What BM25 needs, read a block at a time; search.py scores with numpy instead of
    Whoosh's per-posting matcher calls.
    """
    m = _leaf_matcher(reader, field, text)
    if m is None or not m.is_active():
        return EMPTY, np.zeros(0, dtype=np.float64)
    if not _fast(m):
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    id_blocks: list[np.ndarray] = []
    weight_blocks: list[np.ndarray] = []
    while m.is_active():
        m._read_weights()
        id_blocks.append(_block_ids(m)[m._i :])
        weight_blocks.append(np.asarray(m._weights[m._i :], dtype=np.float64))
        m._next_block()
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _postings(reader: IndexReader, field: str, text: str) -> tuple[np.ndarray, list[Any]]:
    """Document numbers and raw posting values (encoded positions) of one term."""
    m = _leaf_matcher(reader, field, text)
    if m is None or not m.is_active():
        return EMPTY, []
    if not _fast(m, positions=True):
        ids: list[int] = []
        values: list[Any] = []
        while m.is_active():
            ids.append(m.id())
            values.append(m.value_as("positions"))
            m.next()
        return np.array(ids, dtype=np.int64), values
    id_blocks: list[np.ndarray] = []
    values = []
    while m.is_active():
        id_blocks.append(_block_ids(m)[m._i :])
        m._read_values()
        values.extend(m._values[m._i :])
        m._next_block()
    return np.concatenate(id_blocks), values


def _decode(value: Any) -> Iterable[int]:
    """Positions from a raw posting value: Whoosh's Positions format is a 4-byte count and
    then pickled deltas (pickle ignores the extra stop byte when one is already there)."""
    if isinstance(value, list):  # the public-API path already decoded it
        return value
    return accumulate(loads(value[4:] + b"."))


def _verify(
    grams: list[str], postings: dict[str, tuple[np.ndarray, list[Any]]], docs: np.ndarray
) -> list[int]:
    """Documents (of `docs`, which all hold every bigram) where the chain is consecutive.

    Per document: the chain start positions the rarest bigram allows, then kept only
    where every other bigram sits at the right distance, stopping when none is left.
    """
    order = sorted(range(len(grams)), key=lambda j: len(postings[grams[j]][0]))
    # Where each document sits in each bigram's postings, found for all at once.
    rows = [
        (j, np.searchsorted(postings[grams[j]][0], docs).tolist(), postings[grams[j]][1])
        for j in order
    ]
    (j0, where0, values0), rest = rows[0], rows[1:]
    out: list[int] = []
    for i, doc in enumerate(docs.tolist()):
        starts = [p - j0 for p in _decode(values0[where0[i]])]
        for j, where, values in rest:
            present = set(_decode(values[where[i]]))
            starts = [s for s in starts if s + j in present]
            if not starts:
                break
        if starts:
            out.append(doc)
    return out


def literal_docs(reader: IndexReader, prefix: str, sig: str) -> np.ndarray:
    """Documents (in this segment) whose `prefix` text ("title"/"body") holds `sig`.

    `sig` is the folded string's significant characters (what analysis.query_grams chains).
    """
    if not sig:
        return EMPTY
    if len(sig) == 1:
        return term_docs(reader, f"{prefix}_chars", sig)
    field = f"{prefix}_grams"
    grams = [sig[i : i + 2] for i in range(len(sig) - 1)]
    if len(grams) == 1:
        return term_docs(reader, field, grams[0])
    if not all(reader.doc_frequency(field, g) for g in set(grams)):
        return EMPTY
    postings = {g: _postings(reader, field, g) for g in set(grams)}
    cand: np.ndarray | None = None
    for ids, _ in sorted(postings.values(), key=lambda p: len(p[0])):
        cand = ids if cand is None else np.intersect1d(cand, ids, assume_unique=True)
        if not len(cand):
            return EMPTY
    assert cand is not None
    confirmed = np.intersect1d(cand, term_docs(reader, prefix, sig), assume_unique=True)
    todo = np.setdiff1d(cand, confirmed, assume_unique=True)
    verified = np.array(_verify(grams, postings, todo), dtype=np.int64)
    return np.union1d(confirmed, verified)
