"""One segment's n-gram postings (the arrays of ngrams.py), sorted in bounded memory.

Where it sits: segment_writer.FastWriter hands each segment's significant code points
(one array per document and text) to `write_segment` when the segment is flushed; the
file it writes is the one ngrams.py describes and readers map.

Why in buckets: sorting a whole segment's occurrences at once needs about 40 bytes per
character at the peak (the keys, their sort order, gathered copies of documents and
positions): 626 MB for the bodies of 10,000 articles, each of the build's two writing
processes paying it at the same time. The occurrences are instead split by their first
character's code point into ranges holding about BUCKET occurrences each (one pass of
counts), and each range is selected, keyed and sorted alone, its arrays appended to the
output. Ranges are disjoint and ascending, so the concatenation is the whole sort: the
same arrays, bit for bit. What stays whole is the segment's code points (4 bytes per
character) and the output (about 4 bytes per character); a bucket's own work is bounded
by BUCKET whatever the segment's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.index import ngrams

BUCKET = 1 << 21  # occurrences keyed and sorted at once (~80 MB of temporaries)
_EMPTY = np.zeros(0, dtype=np.int64)
# A bigram occurring at least this many times per document of its segment also gets a
# bitmap of its documents (doc_bitmaps), beside its positions: for speed.
DENSE_SHARE = 0.25
# A character in at least this share of its segment's documents keeps them as a bitmap
# instead of a list (char_docs): for size. A listed document takes two bytes (four in a
# segment past 65,536 documents), a bitmap an eighth of a byte per document of the
# segment, so from an eighth of them on a bitmap takes at most half the list's space;
# rarer characters gain little and would unpack a bitmap of the whole segment to find a
# few documents.
CHAR_DENSE_SHARE = 0.125


def _column_type(limit: int) -> type:
    """uint16 when every value of a column fits (the usual case), else uint32."""
    return np.uint16 if limit <= 1 << 16 else np.uint32


def code_ranges(flat: np.ndarray, bucket: int = BUCKET) -> list[tuple[int, int]]:
    """Ascending, disjoint [lo, hi) code point ranges covering every value of `flat`, each
    holding about `bucket` occurrences (one code point may hold more: it is never split)."""
    if not flat.size:
        return []
    counts = np.cumsum(np.bincount(flat))
    ranges, lo = [], 0
    while lo < counts.size:
        before = int(counts[lo - 1]) if lo else 0
        # The first code point at which the range would exceed `bucket` ends it.
        hi = int(np.searchsorted(counts, before + bucket, side="right"))
        hi = max(hi, lo + 1)
        ranges.append((lo, min(hi, counts.size)))
        lo = hi
    return ranges


def postings(
    texts: Sequence[np.ndarray], docnums: Sequence[int], bucket: int = BUCKET
) -> dict[str, np.ndarray]:
    """The arrays of one text field for a segment, from each document's code points.

    `texts[i]` belongs to local document `docnums[i]` (ascending). Within a term,
    positions stay ascending (the order of a stable sort by term); the document column
    is as narrow as its values allow.
    """
    sizes = np.fromiter((t.size for t in texts), dtype=np.int64, count=len(texts))
    flat = np.concatenate(texts) if len(texts) else np.zeros(0, np.uint32)
    return _postings(flat, sizes, docnums, bucket)


def _postings(
    flat: np.ndarray, sizes: np.ndarray, docnums: Sequence[int], bucket: int
) -> dict[str, np.ndarray]:
    """postings() of the texts laid end to end in `flat`, `sizes[i]` code points each."""
    n_docs = int(docnums[-1]) + 1 if len(docnums) else 0
    doc_type = _column_type(n_docs)
    local = np.asarray(docnums, dtype=np.int64)
    ends = np.cumsum(sizes)  # where each text ends in `flat`
    first = ends - sizes
    last = ends - 1  # a text's last character starts no bigram
    doc_len = np.zeros(n_docs, dtype=np.uint32)
    doc_len[local] = sizes
    # Where each local document's text starts in the segment's positions (ngrams.py).
    text_start = ngrams.text_starts(doc_len)

    gram: dict[str, list[np.ndarray]] = {"key": [], "count": [], "gap": [], "wide": []}
    wide_counts: list[np.ndarray] = []
    dense: list[np.ndarray] = []  # bigram numbers with a document bitmap, and the bitmaps
    bits: list[np.ndarray] = []
    n_keys = 0
    char: dict[str, list[np.ndarray]] = {"key": [], "count": [], "doc": []}
    char_dense: list[np.ndarray] = []
    char_bits: list[np.ndarray] = []
    n_chars = 0
    for lo, hi in code_ranges(flat, bucket):
        at = np.flatnonzero((flat >= lo) & (flat < hi))  # ascending: (document, position)
        text = np.searchsorted(ends, at, side="right")  # which text each occurrence is in
        doc = local[text].astype(doc_type)

        # Bigrams starting here: every occurrence but a text's last character, each at
        # its position in the segment (ascending within a bigram: a stable sort).
        starts = at != last[text]
        g_at, g_text = at[starts], text[starts]
        g_doc = local[g_text]
        where = text_start[g_doc] + (g_at - first[g_text])
        keys = (flat[g_at].astype(np.uint64) << np.uint64(ngrams.BITS)) | flat[g_at + 1]
        del g_at, g_text
        order = np.argsort(keys, kind="stable")
        keys, where, g_doc = keys[order], where[order], g_doc[order]
        del order
        runs = _append_runs(gram, keys)
        got = doc_bitmaps(g_doc, runs, n_docs, DENSE_SHARE)
        dense.append(got[0] + n_keys)
        bits.append(got[1])
        n_keys += runs.size
        del g_doc
        gap, wide, n_wide = gaps(where, runs)
        gram["gap"].append(gap)
        gram["wide"].append(wide)
        wide_counts.append(n_wide)
        del keys, where

        # Characters: one entry per distinct (character, document), from one packed sort.
        packed = (flat[at].astype(np.uint64) << np.uint64(32)) | doc
        del at, text, doc, starts
        packed.sort()
        if packed.size:
            packed = packed[np.r_[True, packed[1:] != packed[:-1]]]
        c_doc = (packed & np.uint64(0xFFFFFFFF)).astype(doc_type)
        runs = _append_runs(char, (packed >> np.uint64(32)).astype(np.uint32))
        del packed
        chosen, rows = doc_bitmaps(c_doc, runs, n_docs, CHAR_DENSE_SHARE)
        char_dense.append(chosen + n_chars)
        char_bits.append(rows)
        n_chars += runs.size
        if chosen.size:  # a dense character's documents are its bitmap alone
            char["count"][-1], listed = _without_runs(char["count"][-1], chosen)
            c_doc = c_doc[listed]
        char["doc"].append(c_doc)
    return {
        "gram_key": _joined(gram["key"], np.uint64),
        "gram_start": _starts(gram["count"]),
        "gram_gap": _joined(gram["gap"], np.uint16),
        "gram_wide": _joined(gram["wide"], np.uint32),
        "gram_wide_start": _starts(wide_counts),
        "gram_dense": _joined(dense, np.int64),
        "gram_bits": _joined(bits, np.uint8),
        "char_key": _joined(char["key"], np.uint32),
        "char_start": _starts(char["count"]),
        "char_doc": _joined(char["doc"], doc_type),
        "char_dense": _joined(char_dense, np.int64),
        "char_bits": _joined(char_bits, np.uint8),
        "doc_len": doc_len,
    }


def doc_bitmaps(
    doc: np.ndarray, runs: np.ndarray, n_docs: int, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Which runs (bigrams or characters) get a bitmap of their documents, and the
    bitmaps end to end: those with at least `share` as many entries as the segment has
    documents (the one test for both; DENSE_SHARE and CHAR_DENSE_SHARE say why each).

    A bigram alone (a two-character literal) needs only its documents, and deriving them
    from positions costs a search per document of the segment for a common one; a bitmap
    answers at once, and at DENSE_SHARE of two-byte gaps it costs at most a quarter of
    them. A character's bitmap replaces its list of documents.
    """
    counts = np.diff(np.append(runs, doc.size))
    chosen = np.flatnonzero(counts >= max(1, int(n_docs * share)))
    width = ngrams.bitmap_bytes(n_docs)
    out = np.zeros((chosen.size, width), dtype=np.uint8)
    row = np.zeros(n_docs, dtype=bool)
    for k, r in enumerate(chosen.tolist()):  # one numpy step per common term
        row[doc[runs[r] : runs[r] + counts[r]]] = True
        out[k] = np.packbits(row)
        row[:] = False
    return chosen.astype(np.int64), out.ravel()


def _without_runs(counts: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The run lengths with the `chosen` runs emptied, and a mask of the entries kept."""
    gone = np.zeros(counts.size, dtype=bool)
    gone[chosen] = True
    return np.where(gone, 0, counts), np.repeat(~gone, counts)


def gaps(where: np.ndarray, runs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A bigram's ascending positions as the gaps between them, two bytes each.

    Why: a position and a document per occurrence took four bytes; the gap to the same
    bigram's previous occurrence in the segment is under 2**16 for all but about 2% of
    them. Each run (one bigram, from `runs[i]`) starts from -1, so every gap is at least 1
    and 0 can mark a wide gap, kept whole (uint32) in `wide`, in order. Returns (gaps,
    wide gaps, the count of wide gaps per run); ngrams.positions undoes it with a cumsum.
    """
    gap = np.diff(where + 1, prepend=0)
    if runs.size:
        gap[runs] = where[runs] + 1
    is_wide = gap > 0xFFFF
    wide = gap[is_wide].astype(np.uint32)
    gap[is_wide] = 0
    n_wide = np.add.reduceat(is_wide.astype(np.int64), runs) if runs.size else np.zeros(0, np.int64)
    return gap.astype(np.uint16), wide, n_wide


def _append_runs(out: dict[str, list[np.ndarray]], keys: np.ndarray) -> np.ndarray:
    """Append sorted `keys` as distinct keys with their run lengths; returns where each
    run starts in `keys`."""
    if not keys.size:
        return np.zeros(0, np.int64)
    run = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    out["key"].append(keys[run])
    out["count"].append(np.diff(np.append(run, keys.size)))
    return run


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)


def _starts(counts: list[np.ndarray]) -> np.ndarray:
    """Where each key's run starts, and the total after the last (int64, len = keys + 1)."""
    if not counts:
        return np.zeros(1, dtype=np.int64)
    return np.r_[0, np.cumsum(np.concatenate(counts))].astype(np.int64)


def write_segment(path: Path, per_text: dict[str, tuple[list[np.ndarray], Sequence[int]]]) -> None:
    """Write the n-gram file of one segment: `per_text[t]` = (code arrays, local docnums).

    Each list of code arrays is emptied once laid end to end (the writer drops them next
    anyway): a segment's code points are held once at the peak, not twice."""
    arrays: dict[str, np.ndarray] = {}
    for text in ngrams.TEXTS:
        chunks, docnums = per_text.get(text, ([], ()))
        sizes = np.fromiter((t.size for t in chunks), dtype=np.int64, count=len(chunks))
        flat = np.concatenate(chunks) if chunks else np.zeros(0, np.uint32)
        chunks.clear()
        for name, arr in _postings(flat, sizes, docnums, BUCKET).items():
            arrays[f"{text}.{name}"] = arr
        del flat
    ngrams.write_arrays(path, arrays)
