"""Word postings as flat numpy arrays, one file per index segment: what BM25F scores.

The word fields (title, body: jieba words, index/analysis.py) live in Whoosh's postings,
whose blocks are zlib-compressed pickles: scoring a common word at 100,000 articles
decoded a hundred blocks per word and field, and looking a term up cost a trip through
Whoosh's term table and matcher objects for every segment. The segment writer
(write/segment_writer.py) therefore also writes each word field's postings here, sorted
by term, as the n-gram postings are (ngrams.py, same container: memory-mapped by readers):

    {f}.words       uint8     every term's UTF-8 bytes, concatenated in byte order
    {f}.word_start  int64     where each term's bytes start (len = terms + 1)
    {f}.start       int64     where each term's postings start (len = terms + 1)
    {f}.doc         uint16/32 document (local to the segment) of each posting, ascending
    {f}.freq        uint8/16/32 the word's frequency in that document
    {f}.boost       float64   the field's boost (one value): a posting's weight is
                              float32(frequency x boost), exactly what Whoosh stores, so
                              scores are Whoosh's to the last bit

The file (`MAIN_<segid>.wrd`) is the word fields' only postings (INDEX_FORMAT 5): Whoosh's
term file holds the keyword fields alone, and everything that asks about words (BM25F,
related stories, the landing page's examples) asks here. A segment without the file is
from an older format: opening it says so (ngrams.NgramFileError, "rebuild").
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from indexer.index import ngrams

EXT = ".wrd"
FIELDS = ("title", "body")
EMPTY_DOCS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)

# One field's postings as the writer holds them: word -> (documents, frequencies).
FieldPostings = Mapping[str, tuple[Sequence[int], Sequence[int]]]


def field_arrays(table: FieldPostings, boost: float, base: int = 0) -> dict[str, np.ndarray]:
    """The arrays of one word field of a segment (see the module docstring); the
    segment's documents are numbered from `base` in `table`.

    Terms go in UTF-8 byte order (= code point order of str, as Whoosh's term file has
    them); a term's documents stay in the order given, which the writer keeps ascending.
    """
    words = sorted(table)
    encoded = [w.encode("utf-8") for w in words]
    sizes = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    counts = np.fromiter((len(table[w][0]) for w in words), dtype=np.int64, count=len(words))
    docs = [np.asarray(table[w][0], dtype=np.int64) for w in words]
    freqs = [np.asarray(table[w][1], dtype=np.int64) for w in words]
    doc = np.concatenate(docs) - base if docs else EMPTY_DOCS
    freq = np.concatenate(freqs) if freqs else EMPTY_DOCS
    return {
        "words": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "word_start": np.r_[0, np.cumsum(sizes)].astype(np.int64),
        "start": np.r_[0, np.cumsum(counts)].astype(np.int64),
        "doc": doc.astype(_narrow(doc)),
        "freq": freq.astype(_narrow(freq)),
        "boost": np.array([boost], dtype=np.float64),
    }


def _narrow(values: np.ndarray) -> type:
    """The narrowest unsigned type holding every value (postings are most of the file)."""
    top = int(values.max()) if values.size else 0
    return np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32


def write_segment(
    path: Path, per_field: Mapping[str, tuple[FieldPostings, float]], base: int = 0
) -> None:
    """Write the word postings file of one segment: `per_field[f]` = (postings, boost)."""
    ngrams.write_arrays(path, segment_arrays(per_field, base))


def segment_arrays(
    per_field: Mapping[str, tuple[FieldPostings, float]], base: int = 0
) -> dict[str, np.ndarray]:
    """Every field's arrays of one segment, named `{field}.{array}`."""
    arrays: dict[str, np.ndarray] = {}
    for name in FIELDS:
        table, boost = per_field.get(name, ({}, 1.0))
        for key, arr in field_arrays(table, boost, base).items():
            arrays[f"{name}.{key}"] = arr
    return arrays


class _Terms(Sequence[bytes]):
    """A field's sorted terms as a sequence of bytes, sliced from the mapped blob on
    demand, so `bisect` finds a term without building a dictionary at open."""

    def __init__(self, blob: np.ndarray, starts: np.ndarray) -> None:
        self._blob = blob
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        return self._blob[self._starts[i] : self._starts[i + 1]].tobytes()


class SegmentWords:
    """The word postings of one segment (read-only, memory-mapped)."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        self.arrays = arrays
        self._terms = {f: _Terms(arrays[f"{f}.words"], arrays[f"{f}.word_start"]) for f in FIELDS}

    @classmethod
    def empty(cls) -> SegmentWords:
        """Postings of a segment without documents (Whoosh's reader of an empty index)."""
        return cls(segment_arrays({}))

    def _range(self, field: str, word: str) -> tuple[int, int]:
        terms = self._terms.get(field)
        if terms is None:
            return 0, 0
        key = word.encode("utf-8")
        i = bisect.bisect_left(terms, key)
        if i == len(terms) or terms[i] != key:
            return 0, 0
        start = self.arrays[f"{field}.start"]
        return int(start[i]), int(start[i + 1])

    def doc_frequency(self, field: str, word: str) -> int:
        """Postings of the word in this segment, deleted documents included (as Whoosh's)."""
        lo, hi = self._range(field, word)
        return hi - lo

    def most_frequent(self, field: str, number: int) -> list[tuple[float, str]]:
        """The `number` terms of largest total weight (frequency x boost over all the
        segment's documents), largest first, ties by the larger term: what Whoosh's
        `most_frequent_terms` answers from its term file."""
        a = self.arrays
        starts = a[f"{field}.start"]
        if len(starts) < 2:
            return []
        freq = a[f"{field}.freq"].astype(np.int64)
        totals = np.add.reduceat(freq, starts[:-1]) if freq.size else np.zeros(0, np.int64)
        totals[starts[:-1] == starts[1:]] = 0  # reduceat's value for an empty range
        boost = float(a[f"{field}.boost"][0])
        terms = self._terms[field]
        # Candidates: every term whose total reaches the number-th largest (ties kept).
        if len(totals) > number:
            floor = np.partition(totals, len(totals) - number)[len(totals) - number]
            candidates = np.flatnonzero(totals >= floor)
        else:
            candidates = np.arange(len(totals))
        ranked = sorted(
            ((int(totals[i]) * boost, terms[i]) for i in candidates.tolist()), reverse=True
        )
        return [(weight, term.decode("utf-8")) for weight, term in ranked[:number]]

    def postings(self, field: str, word: str) -> tuple[np.ndarray, np.ndarray]:
        """Local document numbers (ascending, int64) and weights (float64) of a word."""
        lo, hi = self._range(field, word)
        if lo == hi:
            return EMPTY_DOCS, EMPTY_WEIGHTS
        a = self.arrays
        # Whoosh multiplies in Python floats, then stores a float32: so does this.
        weight = a[f"{field}.freq"][lo:hi] * float(a[f"{field}.boost"][0])
        return a[f"{field}.doc"][lo:hi].astype(np.int64), weight.astype(np.float32).astype(float)


def open_segment(folder: Path, segment_filename: str) -> SegmentWords:
    """The segment's word postings (memory-mapped).

    Raises ngrams.NgramFileError when the file is missing (a segment of an older
    format) or unreadable."""
    path = folder / segment_filename
    if not path.exists():
        raise ngrams.NgramFileError(f"its segment's word postings {path.name} are missing")
    return SegmentWords(ngrams.read_arrays(path))
