"""Character n-gram postings with positions: one flat numpy file per index segment.

The recall promise (any verbatim substring finds its article) rests on these postings.
A string of two or more significant characters occurs in a text exactly when bigrams
covering it occur at the right distances from one start position; one character occurs
when its unigram does. Search text is the folded text's significant characters (letters,
digits, Han: what `significant` keeps), so a query spanning punctuation still matches.

Why not Whoosh fields: Whoosh stores a posting's positions as a pickled list, so checking
a common four-character string at 100,000 articles meant ~300,000 `pickle.loads` calls
(~1 s a query), and writing them was a large part of a build. Here each segment's
postings are flat arrays per text (title, body), sorted by (term, document, position)
and memory-mapped by readers, so a phrase check is a few vectorised intersections of
sorted arrays and a build writes them with a few sorts per text (ngram_build.py):

    {t}.gram_key   uint64   distinct bigrams (first code point << 21 | second), sorted
    {t}.gram_start int64    where each bigram's occurrences start (len = keys + 1)
    {t}.gram_gap   uint16   each occurrence's position in the segment, as the gap to the
                            bigram's previous one (the first: from -1); 0 marks a gap
                            too wide for 16 bits, kept in gram_wide (`positions`)
    {t}.gram_wide  uint32   the wide gaps, in order
    {t}.gram_wide_start int64  where each bigram's wide gaps start (len = keys + 1)
    {t}.gram_dense int64    the bigrams (their numbers, ascending) that also have a bitmap
                            of their documents: those with at least a quarter as many
                            occurrences as the segment has documents
    {t}.gram_bits  uint8    those bitmaps, ceil(documents / 8) bytes each (np.packbits)
    {t}.char_key / char_start / char_doc: single characters, one entry per
                            (character, document) without positions; char_doc uint16/32
    {t}.char_dense / char_bits: the common characters (their numbers, ascending;
                            ngram_build.CHAR_DENSE_SHARE), whose documents are a bitmap
                            as for bigrams instead of a list (their char_doc runs are
                            empty; format 8)
    {t}.doc_len  uint32     each local document's count of significant characters
                            (documents past the end: none)

A position in the segment is one number: the segment's texts laid end to end, one empty
position after each (`text_starts`), so a document and its position need one array, and
the gaps between a bigram's occurrences mostly fit in two bytes (format 6; before, a
uint16/32 document and a uint16/32 position per occurrence took twice the space).

The file is named after its segment (`MAIN_<segid>.ngr`), so Whoosh's own clean-up deletes
it with the segment. Every segment is written by segment_writer.FastWriter, which calls
ngram_build.write_segment.
"""

from __future__ import annotations

import functools
import json
import mmap
import re
import threading
from pathlib import Path

import numpy as np

EXT = ".ngr"
MAGIC = b"NGRAMS4\n"
_OLDER = b"NGRAMS"  # the start of every version's magic
TEXTS = ("title", "body")
_ALIGN = 64
BITS = 21  # a Unicode code point fits in 21 bits; two fit in one uint64
_INSIGNIFICANT = re.compile(r"[\W_]+")
_SIGNIFICANT = re.compile(r"[^\W_]")
EMPTY = np.zeros(0, dtype=np.int64)


class NgramFileError(RuntimeError):
    """An n-gram file is missing or unreadable (the index must be rebuilt)."""


def significant(folded: str) -> str:
    """The characters the n-gram postings index: letters (incl. Han) and digits.

    Same set as str.isalnum(): `[^\\W_]` is exactly the alphanumerics.
    """
    return _INSIGNIFICANT.sub("", folded)


_BMP = 0x10000


@functools.cache
def _bmp_significant() -> np.ndarray:
    """str.isalnum() of every code point below U+10000, built on first use (~10 ms)."""
    return np.fromiter((chr(cp).isalnum() for cp in range(_BMP)), dtype=bool, count=_BMP)


def significant_mask(codes: np.ndarray) -> np.ndarray:
    """Which code points of folded text are significant (the test `significant` makes),
    by table lookup; the rare code points beyond the BMP are asked one by one."""
    table = _bmp_significant()
    wide = np.flatnonzero(codes >= _BMP)
    if not len(wide):
        return table[codes]
    mask = table[np.minimum(codes, _BMP - 1)]
    mask[wide] = [chr(cp).isalnum() for cp in codes[wide].tolist()]
    return mask


def has_significant(text: str) -> bool:
    """Whether text holds a letter or digit: the word fields drop words without one."""
    return _SIGNIFICANT.search(text) is not None


def codes(folded: str) -> np.ndarray:
    """Code points (uint32) of the significant characters of folded text."""
    return np.frombuffer(significant(folded).encode("utf-32-le"), dtype=np.uint32)


def bigram_key(pair: str) -> int:
    return (ord(pair[0]) << BITS) | ord(pair[1])


# --- writing -------------------------------------------------------------------------------


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """MAGIC, a JSON table of contents, then each array's raw bytes at 64-byte alignment.

    Written to a temporary name and renamed, so a reader never maps a half-written file.
    """
    table: dict[str, list] = {}
    offset = 0
    for name, arr in arrays.items():
        table[name] = [arr.dtype.str, offset, int(arr.size)]
        offset += -(-arr.nbytes // _ALIGN) * _ALIGN
    header = json.dumps(table).encode("utf-8")
    start = -(-(len(MAGIC) + 8 + len(header)) // _ALIGN) * _ALIGN
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(MAGIC)
        fh.write(len(header).to_bytes(8, "little"))
        fh.write(header)
        fh.write(b"\0" * (start - fh.tell()))
        for name, arr in arrays.items():
            fh.seek(start + table[name][1])
            fh.write(np.ascontiguousarray(arr).tobytes())
        fh.truncate(start + offset)
    tmp.replace(path)


# --- reading -------------------------------------------------------------------------------


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an n-gram file, memory-mapped (read-only; pages load on demand)."""
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, 2)
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) if size else None
    except OSError as exc:
        raise NgramFileError(f"cannot read n-gram postings {path}: {exc.strerror}") from exc
    if mm is None or mm[: len(MAGIC)] != MAGIC:
        if mm is not None and mm[: len(_OLDER)] == _OLDER:
            raise NgramFileError(f"{path.name} was written by an older version (rebuild)")
        raise NgramFileError(f"{path} is not an n-gram postings file")
    head = len(MAGIC) + 8
    n = int.from_bytes(mm[len(MAGIC) : head], "little")
    try:
        table = json.loads(mm[head : head + n])
        start = -(-(head + n) // _ALIGN) * _ALIGN
        return {
            name: np.frombuffer(mm, dtype=np.dtype(dt), count=count, offset=start + off)
            for name, (dt, off, count) in table.items()
        }
    except (ValueError, TypeError) as exc:  # a truncated or damaged file
        raise NgramFileError(f"{path} is damaged ({exc})") from exc


def text_starts(doc_len: np.ndarray) -> np.ndarray:
    """Where each local document's text starts in the segment's positions, and the end
    (len = documents + 1): texts laid end to end with one empty position after each, on
    which no bigram lies, so no match runs across two documents."""
    return np.r_[0, np.cumsum(doc_len.astype(np.int64) + 1)]


def positions(gap: np.ndarray, wide: np.ndarray) -> np.ndarray:
    """One bigram's positions (int64, ascending) from its gaps and wide gaps
    (ngram_build.gaps): a vectorised patch and one cumsum."""
    where = gap.astype(np.int64)
    if wide.size:
        where[where == 0] = wide
    np.cumsum(where, out=where)
    where -= 1
    return where


def _index(keys: np.ndarray, key: int) -> int:
    """Where `key` is in sorted `keys`, -1 if absent."""
    i = int(np.searchsorted(keys, key))
    return i if i < keys.size and int(keys[i]) == key else -1


def _distinct_sorted(a: np.ndarray) -> np.ndarray:
    if not a.size:
        return EMPTY
    keep = np.empty(a.size, dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep].astype(np.int64)


def docs_at(text_start: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The distinct documents (ascending) holding sorted positions `where`.

    Few positions: each one's document by binary search. Many (a common bigram): each
    document's first position searched among them instead, O(documents * log positions).
    """
    if where.size * 8 < text_start.size:
        return _distinct_sorted(np.searchsorted(text_start, where, side="right") - 1)
    return np.flatnonzero(np.diff(np.searchsorted(where, text_start)) > 0)


def bitmap_bytes(n_docs: int) -> int:
    """Bytes in one row of a segment's document bitmaps (a bit per document, rounded up)."""
    return -(-n_docs // 8)


def cover(length: int) -> list[int]:
    """Bigram offsets whose bigrams together cover every character of a string.

    Bigrams at 0, 2, 4, … and the last one: fixing them at one start position fixes every
    character, so agreeing on the start is the same as the whole string being there.
    """
    return sorted(set(range(0, length - 1, 2)) | {length - 2})


class SegmentNgrams:
    """The n-gram postings of one segment, answering literal queries with numpy."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.text_start = {t: text_starts(arrays[f"{t}.doc_len"]) for t in TEXTS}

    @classmethod
    def empty(cls) -> SegmentNgrams:
        """Postings of a segment without documents (Whoosh's reader of an empty index)."""
        from indexer.index.ngram_build import postings  # the writing side, loaded lazily

        none = postings([], [])
        return cls({f"{t}.{name}": arr for t in TEXTS for name, arr in none.items()})

    def _bitmap_docs(self, text: str, kind: str, i: int) -> np.ndarray | None:
        """The documents of term number `i` of `kind` ("gram" or "char") from its bitmap,
        None when it has none."""
        a = self.arrays
        dense = a[f"{text}.{kind}_dense"]
        j = int(np.searchsorted(dense, i))
        if j == dense.size or int(dense[j]) != i:
            return None
        n_docs = a[f"{text}.doc_len"].size
        width = bitmap_bytes(n_docs)
        row = a[f"{text}.{kind}_bits"][j * width : (j + 1) * width]
        # As bool, not uint8: numpy's nonzero has a fast path for bool (4x at 10,000).
        return np.flatnonzero(np.unpackbits(row, count=n_docs).view(bool))

    def char_docs(self, text: str, ch: str) -> np.ndarray:
        """The documents holding character `ch`: from its bitmap when it has one (a
        common character), else from its list."""
        a = self.arrays
        i = _index(a[f"{text}.char_key"], ord(ch))
        if i < 0:
            return EMPTY
        got = self._bitmap_docs(text, "char", i)
        if got is not None:
            return got
        start = a[f"{text}.char_start"]
        return a[f"{text}.char_doc"][start[i] : start[i + 1]].astype(np.int64)

    def occurrences(self, text: str, key: int) -> np.ndarray:
        """The positions in the segment (ascending) where bigram `key` occurs."""
        a = self.arrays
        i = _index(a[f"{text}.gram_key"], key)
        if i < 0:
            return EMPTY
        start, wide = a[f"{text}.gram_start"], a[f"{text}.gram_wide_start"]
        return positions(
            a[f"{text}.gram_gap"][start[i] : start[i + 1]],
            a[f"{text}.gram_wide"][wide[i] : wide[i + 1]],
        )

    def bigram_docs(self, text: str, key: int) -> np.ndarray:
        """The documents holding bigram `key`: from its bitmap when it has one (a common
        bigram), else from its positions."""
        a = self.arrays
        i = _index(a[f"{text}.gram_key"], key)
        if i < 0:
            return EMPTY
        got = self._bitmap_docs(text, "gram", i)
        if got is not None:
            return got
        return docs_at(self.text_start[text], self.occurrences(text, key))

    def literal_docs(self, text: str, literal: str) -> np.ndarray:
        """Sorted local documents whose `text` field holds `literal` (significant characters)."""
        if not literal:
            return EMPTY
        if len(literal) == 1:
            return self.char_docs(text, literal)
        if len(literal) == 2:
            return self.bigram_docs(text, bigram_key(literal))
        found = []
        for k in cover(len(literal)):
            where = self.occurrences(text, bigram_key(literal[k : k + 2]))
            if not where.size:
                return EMPTY
            found.append((k, where))
        found.sort(key=lambda f: f[1].size)
        return docs_at(self.text_start[text], _starts(found))


# Positions a start mask covers at once (one byte each): _starts tests a segment's
# millions of characters a window at a time, through one buffer per thread, so a
# request neither allocates nor page-faults a mask the size of the segment.
MASK_WINDOW = 1 << 20
_masks = threading.local()


def _mask_buffer() -> np.ndarray:
    """This thread's all-False mask of MASK_WINDOW bytes (its users leave it all False)."""
    buf = getattr(_masks, "buf", None)
    if buf is None or buf.size != MASK_WINDOW:
        buf = _masks.buf = np.zeros(MASK_WINDOW, dtype=bool)
    return buf


def _starts(found: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """The starts (ascending) from which every (offset k, positions) bigram of `found`
    (rarest first) lies k characters on.

    A set of starts is a mask over the segment's positions: each further bigram's
    candidate starts are tested against it with one gather (`_keep_marked`), instead of
    intersecting two sorted arrays (a sort of both: common bigrams occur millions of
    times at 100,000 articles). A start in an earlier text survives no offset's test:
    `cover` chains the bigrams without a hole, and no bigram lies on the empty position
    after each text (`text_starts`); one before the segment's first text is dropped.
    """
    k, where = found[0]  # the rarest: every match has one of its occurrences
    starts = where - k
    if k:
        starts = starts[int(np.searchsorted(starts, 0)) :]
    for k, other in found[1:]:
        cand = other - k
        starts = cand[_keep_marked(starts, cand)]
        if not starts.size:
            break
    return starts


def _keep_marked(marked: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Indices into `cand` of its values found in `marked` (both sorted and distinct;
    `marked` >= 0), by marking and gathering one MASK_WINDOW of positions at a time."""
    if not marked.size or not cand.size:
        return EMPTY
    buf = _mask_buffer()
    edges = np.arange(0, int(max(marked[-1], cand[-1])) + MASK_WINDOW + 1, MASK_WINDOW)
    # Candidates below 0 (a start before the segment's first text) fall before edges[0].
    m_at, c_at = np.searchsorted(marked, edges), np.searchsorted(cand, edges)
    out = []
    try:
        for w in np.flatnonzero((np.diff(m_at) > 0) & (np.diff(c_at) > 0)).tolist():
            base = w * MASK_WINDOW
            here = marked[m_at[w] : m_at[w + 1]] - base
            buf[here] = True
            out.append(c_at[w] + np.flatnonzero(buf[cand[c_at[w] : c_at[w + 1]] - base]))
            buf[here] = False
    except BaseException:
        buf[:] = False  # never leave a mark behind for the next call
        raise
    return np.concatenate(out) if out else EMPTY


def open_segment(folder: Path, segment_filename: str) -> SegmentNgrams:
    path = folder / segment_filename
    if not path.exists():
        raise NgramFileError(f"its segment's n-gram postings {path.name} are missing")
    return SegmentNgrams(read_arrays(path))
