"""FastWriter: writes standard Whoosh segments, several times faster than Whoosh's writer.

Where it sits: store.py turns each Article into its Whoosh document (article_fields) and
hands both to FastWriter.add_article(); builds, updates and the small-segment merges all
write through it. Readers need nothing special: the segments, postings, lengths, columns
and stored fields are exactly those Whoosh's own SegmentWriter writes (same codec, same
segment and posting-block encoding), and the unit tests compare the two writers' output
field by field.

Why it exists: Whoosh's SegmentWriter sends every posting through Python several times:
the analyzer yields a Token per character n-gram, the format groups them, each posting is
added to an external-sort pool as a tuple, pickled to a run file, read back, merged, then
passed one by one to the codec's postings writer. With ~2,000 postings per article (words,
unigrams, bigrams) that was ~40 ms per article, most of a build. FastWriter instead
  - folds each text once; the word field, both n-gram fields and the signature share it;
  - turns the n-gram fields into numpy arrays (a bigram is one uint64: two code points),
    so per article they cost a few array operations instead of ~1,500 Token objects;
  - keeps postings in memory instead of the sort pool: at commit one stable argsort per
    n-gram field groups them by term (documents stay in order), and word postings are
    grouped by a dict as they arrive;
  - writes each term's postings a block (128 postings) at a time through the codec's own
    block writer, instead of one call per posting.
It never lets Whoosh merge other segments into its own (that goes through the sort pool):
builds commit with merge=False, updates with store's _merge_small policy.
"""

from __future__ import annotations

import pickle
import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.index import Index
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from indexer.groups import _INSIGNIFICANT, fold_fast
from indexer.models import Article

# Segments stay as separate files. whoosh3 opens a compound segment file by copying each
# of its parts into a BytesIO (BufferFile over the mmap): at 100k articles that is 2.7 s
# and the whole postings file in memory every time a reader opens, i.e. after every
# commit, in the writer and in the web server. Plain files open in milliseconds.
COMPOUND = False
TERM_CHUNK = 1 << 20  # postings turned into Python objects at a time when writing n-grams

_TEXT_FIELDS = ("title", "body")
_CODE_BITS = 21  # a Unicode code point fits in 21 bits; two fit in one uint64


def _encode_positions_factory(fmt: Any) -> Any:
    """Positions-format value bytes, with the one-position case cached (most postings)."""
    cache: dict[int, bytes] = {}
    encode = fmt.encode

    def encode_positions(poslist: list[int]) -> bytes:
        if len(poslist) == 1:
            p = poslist[0]
            got = cache.get(p)
            if got is None:
                got = cache[p] = encode(poslist)
            return got
        return encode(poslist)

    return encode_positions


def _codes(kept: str) -> np.ndarray:
    return np.frombuffer(kept.encode("utf-32-le"), dtype=np.uint32)


def _bigram_keys(codes: np.ndarray) -> np.ndarray:
    """One uint64 per bigram (first code point high, second low), in text order.

    As NgramTokenizer, a text with one significant character has that character as its
    only "bigram" (second half 0, so it sorts before every real bigram starting with it,
    as its UTF-8 bytes do). Numeric order of keys is UTF-8 byte order of the terms.
    """
    c = codes.astype(np.uint64)
    if c.size < 2:
        return c << np.uint64(_CODE_BITS)
    return (c[:-1] << np.uint64(_CODE_BITS)) | c[1:]


def _key_text(key: int) -> bytes:
    first, second = key >> _CODE_BITS, key & ((1 << _CODE_BITS) - 1)
    return (chr(first) + chr(second) if second else chr(first)).encode("utf-8")


def _group_sorted(keys: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets of postings (runs of equal key and doc) and of terms (equal key)."""
    n = keys.size
    new_post = np.ones(n, dtype=bool)
    new_post[1:] = (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])
    pstart = np.flatnonzero(new_post)
    pkeys = keys[pstart]
    new_term = np.ones(pstart.size, dtype=bool)
    new_term[1:] = pkeys[1:] != pkeys[:-1]
    return pstart, np.flatnonzero(new_term)


_SIGNIFICANT = re.compile(r"[^\W_]").search


def _word_positions(folded: str) -> dict[str, list[int]]:
    """Positions of each search-mode word: analysis.segment() without the offsets.

    Same rule (a word's position is the count of significant default-cut words before
    the default word it lies in), computed with C-level helpers per token, because the
    word field is the one part of an article's analysis that is per token in Python.
    """
    poses: dict[str, list[int]] = {}
    if not folded:
        return poses
    import rjieba  # here, not at the top: a no-change update never segments

    default = rjieba.tokenize(folded, mode="default", hmm=False)
    starts = [s for _, s, _ in default]
    flags = [_SIGNIFICANT(w) is not None for w, _, _ in default]
    pos_of = list(accumulate(flags, initial=0))
    for word, start, _ in rjieba.tokenize(folded, mode="search", hmm=False):
        if _SIGNIFICANT(word) is None:
            continue
        owner = bisect_right(starts, start) - 1
        pos = pos_of[owner if owner > 0 else 0]
        got = poses.get(word)
        if got is None:
            poses[word] = [pos]
        else:
            got.append(pos)
    return poses


class FastWriter(SegmentWriter):
    """A SegmentWriter with a fast path for whole articles (see the module docstring)."""

    def __init__(self, ix: Index, **kwargs: Any) -> None:
        kwargs.setdefault("compound", COMPOUND)
        super().__init__(ix, **kwargs)
        self.merge = False
        self._post: dict[str, dict[bytes, list]] = {}  # words and small fields
        self._grams: dict[str, list[np.ndarray]] = {}  # bigram keys per document
        self._chars: dict[str, list[np.ndarray]] = {}  # code points per document
        self._docs: dict[str, list[int]] = {}  # the document of each array above
        self._lengths: dict[str, array] = {}
        self._enc = {
            name: _encode_positions_factory(self.schema[name].format)
            for name in ("title", "body", "title_grams", "body_grams")
        }
        self._freq_bytes: dict[int, bytes] = {}

    # postings of one document ----------------------------------------------------------

    def _postings(self, name: str, items: Iterable[tuple[bytes, int, float, bytes]]) -> int:
        """Add one document's postings for a dict-grouped field; return the field length."""
        docnum = self.docnum
        table = self._post.setdefault(name, {})
        length = 0
        for btext, freq, weight, vbytes in items:
            length += freq
            entry = table.get(btext)
            if entry is None:
                # Arrays, not lists: ~500 word postings per article, held until commit.
                table[btext] = [array("I", (docnum,)), array("f", (weight,)), [vbytes]]
            else:
                entry[0].append(docnum)
                entry[1].append(weight)
                entry[2].append(vbytes)
        return length

    def _word_items(self, name: str, folded: str) -> list[tuple[bytes, int, float, bytes]]:
        poses = _word_positions(folded)
        fb = self.schema[name].format.field_boost
        enc = self._enc[name]
        return [
            (w.encode("utf-8"), len(ps), float(len(ps)) * fb, enc(ps)) for w, ps in poses.items()
        ]

    def _array_field(self, table: dict[str, list[np.ndarray]], name: str, arr: np.ndarray) -> int:
        if arr.size:
            table.setdefault(name, []).append(arr)
            self._docs.setdefault(name, []).append(self.docnum)
        return int(arr.size)

    def add_article(self, article: Article, fields: dict[str, Any]) -> None:
        """Add one article; `fields` is article_fields(article, ...)."""
        self._check_state()
        schema = self.schema
        pdw = self.perdocwriter
        docnum = self.docnum
        pdw.start_doc(docnum)
        folded = {"title": fold_fast(article.title), "body": fold_fast(article.body)}
        codes = {k: _codes(_INSIGNIFICANT.sub("", v)) for k, v in folded.items()}
        try:
            for name in sorted(fields):
                value = fields[name]
                field_obj = schema[name]
                length = 0
                if name in _TEXT_FIELDS:
                    length = self._postings(name, self._word_items(name, folded[name]))
                elif name.endswith("_chars"):
                    length = self._array_field(self._chars, name, codes[name[:-6]])
                    value = None
                elif name.endswith("_grams"):
                    length = self._array_field(self._grams, name, _bigram_keys(codes[name[:-6]]))
                    value = None
                elif field_obj.indexed:
                    length = self._postings(name, field_obj.index(value))
                if not field_obj.scorable:
                    length = 0
                if length:
                    lens = self._lengths.setdefault(name, array("I"))
                    offset = docnum - self.docbase
                    if len(lens) < offset:
                        lens.extend([0] * (offset - len(lens)))
                    lens.append(length)
                pdw.add_field(name, field_obj, value if field_obj.stored else None, length)
                column = field_obj.column_type
                if column and value is not None:
                    pdw.add_column_value(name, column, field_obj.to_column_value(value))
        except ValueError:
            pdw.cancel_doc()
            raise
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def add_document(self, **fields: Any) -> None:
        raise TypeError("FastWriter takes whole articles: use add_article()")

    # grouping by term at commit ----------------------------------------------------------

    def _dict_terms(self, name: str) -> Iterator[tuple[bytes, list, list, list]]:
        table = self._post[name]
        for btext in sorted(table):
            docs, weights, values = table[btext]
            yield btext, docs, weights, values

    def _flat(self, table: dict[str, list[np.ndarray]], name: str) -> tuple[np.ndarray, ...]:
        parts = table[name]
        sizes = np.fromiter((p.size for p in parts), dtype=np.int64, count=len(parts))
        keys = np.concatenate(parts)
        docs = np.repeat(np.asarray(self._docs[name], dtype=np.int32), sizes)
        # Position of each key inside its document: a running index reset per document.
        starts = np.repeat((np.cumsum(sizes) - sizes).astype(np.int32), sizes)
        positions = np.arange(keys.size, dtype=np.int32) - starts
        order = np.argsort(keys, kind="stable")  # stable: documents and positions stay sorted
        return keys[order], docs[order], positions[order]

    def _gram_terms(self, name: str) -> Iterator[tuple[bytes, list, list, list]]:
        keys, docs, positions = self._flat(self._grams, name)
        enc = self._enc[name]
        single: list[bytes] = []  # position -> encoded one-position value

        def values(s0: int, s1: int, starts: list[int], freqs: list[int]) -> list[bytes]:
            """Positions-format values (as Positions.encode: count, then pickled deltas)
            with the deltas taken by numpy and one-position values from a table."""
            occ = positions[s0:s1]
            first = np.asarray(starts, dtype=np.int64)
            deltas = occ.copy()
            deltas[1:] -= occ[:-1]
            deltas[first] = occ[first]
            firsts = occ[first].tolist()
            top = max(firsts, default=-1)
            if top >= len(single):
                single.extend(enc([p]) for p in range(len(single), top + 1))
            out = [single[p] for p in firsts]
            multi = np.flatnonzero(np.asarray(freqs) > 1).tolist()
            if multi:
                dl = deltas.tolist()
                for i in multi:
                    s, f = starts[i], freqs[i]
                    out[i] = pack_uint(f) + pickle.dumps(dl[s : s + f], 2)
            return out

        yield from self._terms(name, keys, docs, values)

    def _char_terms(self, name: str) -> Iterator[tuple[bytes, list, list, list]]:
        keys, docs, _ = self._flat(self._chars, name)
        keys = keys.astype(np.uint64) << np.uint64(_CODE_BITS)
        fbytes = self._freq_bytes

        def values(s0: int, s1: int, starts: list[int], freqs: list[int]) -> list[bytes]:
            out = []
            for f in freqs:
                vb = fbytes.get(f)
                if vb is None:
                    vb = fbytes[f] = pack_uint(f)
                out.append(vb)
            return out

        yield from self._terms(name, keys, docs, values)

    def _terms(
        self, name: str, keys: np.ndarray, docs: np.ndarray, values: Any
    ) -> Iterator[tuple[bytes, list, list, list]]:
        """(term bytes, docs, weights, values) per term of key-sorted occurrences.

        Python objects are made for a slice of ~TERM_CHUNK postings at a time, so the
        memory of a 20,000-article segment stays in its numpy arrays.
        """
        pstart, tstart = _group_sorted(keys, docs)
        n_occ, n_post = keys.size, pstart.size
        freq = np.diff(np.append(pstart, n_occ))
        fb = self.schema[name].format.field_boost
        bounds = np.append(tstart, n_post)
        t = 0
        while t < tstart.size:
            t_end = int(np.searchsorted(bounds, bounds[t] + TERM_CHUNK, side="right")) - 1
            t_end = min(max(t_end, t + 1), tstart.size)
            p0, p1 = int(bounds[t]), int(bounds[t_end])
            s0 = int(pstart[p0])
            s1 = int(pstart[p1]) if p1 < n_post else n_occ
            freqs = freq[p0:p1]
            vals = values(s0, s1, (pstart[p0:p1] - s0).tolist(), freqs.tolist())
            weights = (freqs.astype(np.float64) * fb).tolist()
            pdocs = docs[pstart[p0:p1]].tolist()
            local = (bounds[t : t_end + 1] - p0).tolist()
            for i, key in enumerate(keys[pstart[tstart[t:t_end]]].tolist()):
                a, b = local[i], local[i + 1]
                yield _key_text(key), pdocs[a:b], weights[a:b], vals[a:b]
            t = t_end

    # writing the segment ---------------------------------------------------------------

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        base = self.docbase
        names = set(self._post) | set(self._grams) | set(self._chars)
        for name in sorted(names):
            if name in self._grams:
                terms = self._gram_terms(name)
            elif name in self._chars:
                terms = self._char_terms(name)
            else:
                terms = self._dict_terms(name)
            lens = self._lengths.get(name)
            fw.start_field(name, self.schema[name])
            for btext, docs, weights, values in terms:
                fw.start_term(btext)
                _write_term(fw._postwriter, docs, weights, values, lens, base)
                fw.finish_term()
            fw.finish_field()
        fw.close()
        self._post.clear()
        self._grams.clear()
        self._chars.clear()


def _write_term(
    pw: Any, docs: list, weights: list, values: list, lens: array | None, base: int
) -> None:
    """Write one term's postings through the codec's block writer, a block at a time.

    Mirrors W3PostingsWriter.add_posting's bookkeeping (max weight, min/max non-zero field
    length per block) for a whole block at once; the last block stays buffered so the
    writer's own finish_postings() writes it as the final one.
    """
    limit = pw._blocklimit
    n = len(docs)
    keep_values = bool(values[0])
    nlens = len(lens) if lens is not None else 0
    for start in range(0, n, limit):
        end = min(start + limit, n)
        if start:
            pw._write_block()
        block = docs[start:end]
        pw._ids = block
        pw._weights = weights[start:end]
        pw._values = values[start:end] if keep_values else []
        pw._maxweight = max(pw._weights)
        if lens is None:
            pw._minlength, pw._maxlength = None, 0
            continue
        got = [lens[d - base] if d - base < nlens else 0 for d in block]
        nonzero = [x for x in got if x]
        pw._minlength = min(nonzero) if nonzero else None
        pw._maxlength = max(got)
