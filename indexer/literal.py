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

from bisect import bisect_left
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


def term_docs(reader: IndexReader, field: str, text: str) -> np.ndarray:
    """Sorted document numbers (in this segment) of one term."""
    m = _leaf_matcher(reader, field, text)
    if m is None or not m.is_active():
        return EMPTY
    if not _fast(m):
        return np.fromiter(m.all_ids(), dtype=np.int64)
    blocks: list[np.ndarray] = []
    while m.is_active():
        m._read_ids()
        blocks.append(np.asarray(m._ids[m._i :], dtype=np.int64))
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
        m._read_ids()
        m._read_weights()
        id_blocks.append(np.asarray(m._ids[m._i :], dtype=np.int64))
        weight_blocks.append(np.asarray(m._weights[m._i :], dtype=np.float64))
        m._next_block()
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


class _Positions:
    """Positions of one term in given documents, visited in increasing document order."""

    def __init__(self, reader: IndexReader, field: str, text: str) -> None:
        self.m = _leaf_matcher(reader, field, text)
        self.fast = self.m is not None and _fast(self.m, positions=True)

    def at(self, doc: int) -> list[int] | None:
        m = self.m
        if m is None or not m.is_active():
            return None
        if not self.fast:
            m.skip_to(doc)
            if not m.is_active() or m.id() != doc:
                return None
            return m.value_as("positions")
        if doc > m._maxid:
            maxid = m.block_max_id
            m._skip_to_block(lambda: doc > maxid())  # reads block headers only
            if not m.is_active():
                return None
        if m._ids is None:
            m._read_ids()
        # doc <= this block's max id, so the bisection lands inside the block.
        m._i = bisect_left(m._ids, doc, m._i)
        if m._ids[m._i] != doc:
            return None
        if m._values is None:
            m._read_values()
        return _decode_positions(m._values[m._i])


def _decode_positions(value: bytes) -> list[int]:
    """Whoosh's Positions format: a 4-byte count, then pickled position deltas.

    The same as Positions.decode_positions, without its per-call format dispatch.
    """
    return list(accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b".")))


def _verify(reader: IndexReader, field: str, grams: list[str], docs: Iterable[int]) -> list[int]:
    """Documents where the bigram chain occurs at consecutive positions."""
    order = sorted(range(len(grams)), key=lambda j: reader.doc_frequency(field, grams[j]))
    readers = {g: _Positions(reader, field, g) for g in set(grams)}
    out: list[int] = []
    for doc in docs:
        starts: set[int] | None = None
        for j in order:
            pos = readers[grams[j]].at(doc)
            if not pos:
                starts = None
                break
            shifted = {p - j for p in pos}
            starts = shifted if starts is None else starts & shifted
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
    freq = {g: reader.doc_frequency(field, g) for g in set(grams)}
    if not all(freq.values()):
        return EMPTY
    rarest = sorted(freq, key=freq.__getitem__)[:2]
    cand = term_docs(reader, field, rarest[0])
    if len(rarest) > 1:
        cand = np.intersect1d(cand, term_docs(reader, field, rarest[1]), assume_unique=True)
    if len(cand) == 0:
        return EMPTY
    confirmed = np.intersect1d(cand, term_docs(reader, prefix, sig), assume_unique=True)
    todo = np.setdiff1d(cand, confirmed, assume_unique=True)
    verified = np.array(_verify(reader, field, grams, todo.tolist()), dtype=np.int64)
    return np.union1d(confirmed, verified)
