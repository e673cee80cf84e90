"""Build and update the index, safely. The only module that writes an index.

Layout (shared with search.py and the web app): an index root holds a symlink `current`
pointing at a generation directory `gen-<UTC timestamp>-<pid>` with one Whoosh FileStorage
index. A full build writes a fresh generation beside the old one and swaps `current`
atomically only when it is complete; incremental updates commit into the current generation
with Whoosh's own atomic commits (a TOC file renamed into place), in batches.

Beside the Whoosh files each generation keeps `manifest.sqlite`, the writer's own book of
what the index holds: for every corpus file its size, mtime and hash (or why it was
skipped), and for every article what duplicate grouping needs (signature, band keys, date,
metadata richness, group). Why a manifest rather than reading the index's stored fields:
a no-change update must answer in well under a second at 100k articles, which leaves time
to stat the corpus but not to read and hash every file nor to load 100k stored documents
(their bodies come with them); and regrouping an arrival needs an LSH lookup over every
signature, which is an indexed SQL query instead of a scan. Why SQLite rather than JSON:
each committed batch changes a few hundred rows, and a transaction makes that small and
atomic, where a JSON file would be rewritten whole each time. The manifest records the
Whoosh generation it matches; if a writer died between its Whoosh commit and its manifest
commit, the next writer sees the mismatch and rebuilds the manifest from the index.

One writer at a time: every writer (build, update, the web endpoints) first takes an
exclusive `fcntl.flock` on `<root>/write.lock`, waiting at most `lock_timeout` seconds
before raising IndexLocked; inside, each batch also takes Whoosh's own write lock. Both are
flock locks, so the kernel releases them when their process dies, however it dies: a stale
lock *file* is harmless and needs no cleanup. Orphan segment files of a killed writer are
deleted by Whoosh at the next commit; its temporary sort directory is deleted here.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import multiprocessing
import os
import pickle
import re
import shutil
import sqlite3
import sys
import time
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.index import Index, LockError
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from indexer import groups
from indexer.groups import _INSIGNIFICANT, fold_fast
from indexer.models import Article, Skipped

UNKNOWN = "unknown"  # = indexer.schema.UNKNOWN (not imported: it loads the analyzers)

log = logging.getLogger(__name__)

CURRENT = "current"
LOCK_FILE = "write.lock"
MANIFEST = "manifest.sqlite"
GEN_PREFIX = "gen-"
BATCH = 500  # documents per Whoosh commit in an update: what a kill can cost, at most
WRITER_LIMIT_MB = 256  # Whoosh's in-memory posting pool before it spills sorted runs
SEGMENT_DOCS = 20_000  # a build writes one segment per this many articles (bounds memory)
MAX_SEGMENTS = 12  # more segments than this after an update: merge the small ones
# Segments stay as separate files. whoosh3 opens a compound segment file by copying each
# of its parts into a BytesIO (BufferFile over the mmap): at 100k articles that is 2.7 s
# and the whole postings file in memory every time a reader opens, i.e. after every
# commit, in the writer and in the web server. Plain files open in milliseconds.
COMPOUND = False
TERM_CHUNK = 1 << 20  # postings turned into Python objects at a time when writing n-grams
MERGE_DOCS = 5_000  # ...at most this many articles at once (bounds one commit's extra cost)
MERGE_DOCS_QUICK = 200  # the same for single-file calls (watch, web): ~1 s at most
PARALLEL_MIN_FILES = 2_000  # smaller corpora build in one process (forking costs more)


class StoreError(Exception):
    """Base of the errors this module raises on purpose."""


class IndexNotFound(StoreError):
    """The index root has no usable `current` generation."""


class IndexLocked(StoreError):
    """Another writer holds the index; raised after waiting `lock_timeout` seconds."""


class CorpusNotFound(StoreError):
    """The corpus folder given to build or update does not exist."""


# --- reports ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildReport:
    """What a full build did. `duplicates` = articles shown under another canonical."""

    files_read: int
    articles: int
    stories: int
    duplicates: int
    skipped: tuple[tuple[str, str], ...]
    seconds: float
    generation: str


@dataclass(frozen=True)
class UpdateReport:
    """What an incremental change did, by article id (paths for skipped files).

    `regrouped` lists existing articles whose group or canonical flag changed because of
    the others (they were rewritten); `articles` holds the records as indexed.
    """

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: tuple[tuple[str, str], ...] = ()
    regrouped: tuple[str, ...] = ()
    seconds: float = 0.0
    articles: tuple[Article, ...] = ()

    @property
    def nothing_to_do(self) -> bool:
        return not (self.added or self.changed or self.removed or self.skipped)


# --- layout ----------------------------------------------------------------------------


def current_generation_dir(index_root: Path) -> Path:
    """The generation directory `current` points at (IndexNotFound if there is none)."""
    link = Path(index_root) / CURRENT
    try:
        target = os.readlink(link)
    except OSError as exc:
        raise IndexNotFound(f"no index at {index_root} (run: python -m indexer build)") from exc
    gen = (link.parent / target).resolve()
    if not gen.is_dir() or _toc_generation(gen) < 0:
        raise IndexNotFound(f"index generation {gen} is missing or empty")
    return gen


def open_index(index_root: Path) -> Index:
    """Open the Whoosh index of the current generation."""
    gen = current_generation_dir(index_root)
    try:
        return whoosh_index.open_dir(str(gen))
    except (OSError, whoosh_index.EmptyIndexError) as exc:
        raise IndexNotFound(f"cannot open index at {gen}: {exc}") from exc


def _toc_generation(gen: Path) -> int:
    """The latest committed Whoosh generation, from the TOC file names alone."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    return TOC._latest_generation(FileStorage(str(gen)), whoosh_index._DEF_INDEX_NAME)


def _new_generation_dir(index_root: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    gen = Path(index_root) / f"{GEN_PREFIX}{stamp}-{os.getpid()}"
    gen.mkdir(parents=True)
    return gen


def _swap_current(index_root: Path, gen: Path) -> None:
    """Point `current` at `gen` atomically: a temp symlink renamed over the old one."""
    tmp = Path(index_root) / f".{CURRENT}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(gen.name, tmp)
    os.replace(tmp, Path(index_root) / CURRENT)
    _fsync_dir(Path(index_root))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_other_generations(index_root: Path, keep: Path) -> None:
    """Delete every generation but `keep`: old ones and leftovers of killed builds.

    Only called under the write lock, so no other build is writing one of them. A reader
    that still has an old generation open keeps its open files (POSIX), and refreshes to
    `current` on its next request.
    """
    for entry in Path(index_root).iterdir():
        if entry.name.startswith(GEN_PREFIX) and entry.is_dir() and entry != keep:
            shutil.rmtree(entry, ignore_errors=True)


def _remove_temp_dirs(gen: Path) -> None:
    """Whoosh's posting-sort directories (`*.tmp`) left by a writer that was killed."""
    for entry in gen.iterdir():
        if entry.name.endswith(".tmp") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


@contextlib.contextmanager
def write_lock(index_root: Path, timeout: float) -> Iterator[None]:
    """Hold the index root's writer lock, waiting at most `timeout` seconds for it."""
    root = Path(index_root)
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"index at {root} is being written by another process "
                        f"(waited {timeout:g} s); try again when it finishes"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _whoosh_writer(ix: Index, timeout: float) -> FastWriter:
    try:
        return FastWriter(ix, timeout=timeout)
    except LockError as exc:
        raise IndexLocked(f"Whoosh write lock busy in {ix.storage.folder}") from exc


def _merge_small(writer: FastWriter, segments: list, limit: int | None = None) -> list:
    """Merge policy for update commits: once there would be more than MAX_SEGMENTS
    segments, the smallest ones (together at most `limit` live articles: MERGE_DOCS for
    updates, MERGE_DOCS_QUICK for the single-file calls of watch and the web) are merged
    into the segment being written, by re-adding their articles from stored fields
    through FastWriter. Whoosh's own merge feeds every posting through its sort pool,
    several times slower per article; this costs what indexing them again costs.
    Articles deleted or replaced in this same commit are already marked deleted in
    their old segments, so they are not carried over.
    """
    from whoosh.reading import SegmentReader

    if len(segments) + 1 <= MAX_SEGMENTS:
        return list(segments)
    chosen, total = [], 0
    for seg in sorted(segments, key=lambda s: s.doc_count()):
        if total + seg.doc_count() > (MERGE_DOCS if limit is None else limit):
            break  # big segments (a build's) are never rewritten by an update
        chosen.append(seg)
        total += seg.doc_count()
    if len(chosen) < 2:
        return list(segments)
    for seg in chosen:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        try:
            for stored in reader.all_stored_fields():
                article = article_from_stored(stored)
                sig = bytes(stored.get("simhash") or b"")
                where = groups.Assignment(
                    stored.get("group") or article.id, bool(stored["canonical"])
                )
                writer.add_article(article, article_fields(article, sig, where))
        finally:
            reader.close()
    merged = {id(s) for s in chosen}
    log.info("merged %d small segments (%d articles)", len(chosen), total)
    return [s for s in segments if id(s) not in merged]


# --- documents -------------------------------------------------------------------------


def article_fields(article: Article, signature: bytes, where: groups.Assignment) -> dict:
    """The Whoosh document for an article: one place maps Article -> fields."""
    published = article.published or ""
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "body": article.body,
        "title_chars": article.title,
        "title_grams": article.title,
        "body_chars": article.body,
        "body_grams": article.body,
        "title_inferred": bool(article.title_inferred),
        "published": published,
        "year": published[:4] if published else UNKNOWN,
        "month": published[:7] if len(published) >= 7 else UNKNOWN,
        "sources": ",".join(s.replace(",", " ") for s in article.sources),
        "site": article.site or "",
        "content_hash": article.content_hash,
        "file_hash": article.file_hash,
        "encoding": article.encoding,
        "group": where.group,
        "canonical": where.canonical,
        "simhash": signature,
    }


def article_from_stored(stored: dict) -> Article:
    """Rebuild an Article from a document's stored fields (to rewrite its group)."""
    sources = stored.get("sources") or ""
    return Article(
        id=stored["id"],
        path=stored["path"],
        title=stored.get("title", ""),
        title_inferred=bool(stored.get("title_inferred")),
        published=stored.get("published") or None,
        sources=tuple(s for s in sources.split(",") if s),
        site=stored.get("site") or None,
        body=stored.get("body", ""),
        content_hash=stored.get("content_hash", ""),
        file_hash=stored.get("file_hash", ""),
        encoding=stored.get("encoding", "utf-8"),
    )


def member_of(article: Article, signature: bytes) -> groups.Member:
    return groups.Member(
        id=article.id,
        path=article.path,
        content_hash=article.content_hash,
        signature=signature,
        published=article.published,
        title_inferred=article.title_inferred,
        n_sources=len(article.sources),
        site=article.site,
    )


# --- fast segment writing --------------------------------------------------------------
#
# Whoosh's SegmentWriter sends every posting through Python several times: the analyzer
# yields a Token per character n-gram, the format groups them, each posting is added to an
# external-sort pool as a tuple, pickled to a run file, read back, merged, then passed one
# by one to the codec's postings writer. With ~2,000 postings per article (words, unigrams,
# bigrams) that was ~40 ms per article, most of a build. FastWriter keeps the on-disk format
# exactly Whoosh's (same codec, same segment and posting-block encoding: the unit tests
# compare its postings, lengths, columns and stored fields with Whoosh's own writer), but
#   - folds each text once; the word field, both n-gram fields and the signature share it;
#   - turns the n-gram fields into numpy arrays (a bigram is one uint64: two code points),
#     so per article they cost a few array operations instead of ~1,500 Token objects;
#   - keeps postings in memory instead of the sort pool: at commit one stable argsort per
#     n-gram field groups them by term (documents stay in order), and word postings are
#     grouped by a dict as they arrive;
#   - writes each term's postings a block (128 postings) at a time through the codec's own
#     block writer, instead of one call per posting.
# It never lets Whoosh merge other segments into its own (that goes through the sort pool):
# builds commit with merge=False, updates with the _merge_small policy.

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
    """A SegmentWriter with a fast path for whole articles (see the comment above)."""

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


# --- the manifest ----------------------------------------------------------------------

_MANIFEST_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, file_hash TEXT,
    id TEXT, reason TEXT);
CREATE TABLE IF NOT EXISTS docs (
    id TEXT PRIMARY KEY, path TEXT, content_hash TEXT, sig BLOB, published TEXT,
    title_inferred INTEGER, n_sources INTEGER, site TEXT, grp TEXT, canonical INTEGER);
CREATE INDEX IF NOT EXISTS docs_grp ON docs(grp);
CREATE INDEX IF NOT EXISTS docs_hash ON docs(content_hash);
CREATE TABLE IF NOT EXISTS bands (key INTEGER, id TEXT);
CREATE INDEX IF NOT EXISTS bands_key ON bands(key);
CREATE INDEX IF NOT EXISTS bands_id ON bands(id);
"""


@dataclass(frozen=True)
class FileState:
    size: int | None
    mtime_ns: int | None
    file_hash: str
    id: str | None
    reason: str | None


class Manifest:
    """The writer's book of the index (see module docstring). Used only under the lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_MANIFEST_SQL)

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def generation(self) -> int | None:
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else None

    def set_generation(self, db: sqlite3.Connection, gen: int) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (str(gen),))

    def files(self, paths: Iterable[str] | None = None) -> dict[str, FileState]:
        """Recorded state of the given files (all files if None)."""
        sql = "SELECT path, size, mtime_ns, file_hash, id, reason FROM files"
        if paths is None:
            return {r[0]: FileState(*r[1:]) for r in self.db.execute(sql)}
        out: dict[str, FileState] = {}
        wanted = list(paths)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"{sql} WHERE path IN ({marks})", chunk):
                out[r[0]] = FileState(*r[1:])
        return out

    def stat_map(self) -> dict[str, tuple[int | None, int | None]]:
        """path -> (size, mtime_ns) of every recorded file: all a no-change update reads."""
        rows = self.db.execute("SELECT path, size, mtime_ns FROM files")
        return {p: (size, mtime) for p, size, mtime in rows}

    def indexed_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM files WHERE id IS NOT NULL").fetchone()[0]

    def put_file(
        self,
        db: sqlite3.Connection,
        cf: CorpusFile | None,
        relpath: str,
        file_hash: str,
        doc_id: str | None,
        reason: str | None,
    ) -> None:
        """Record a file; `cf` None (size and mtime unknown) makes the next update rehash it."""
        db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
            (
                relpath,
                cf.size if cf else None,
                cf.mtime_ns if cf else None,
                file_hash,
                doc_id,
                reason,
            ),
        )

    def delete_file(self, db: sqlite3.Connection, relpath: str) -> None:
        db.execute("DELETE FROM files WHERE path = ?", (relpath,))

    def put_doc(self, db: sqlite3.Connection, m: groups.Member, where: groups.Assignment) -> None:
        db.execute(
            "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.id,
                m.path,
                m.content_hash,
                m.signature,
                m.published,
                int(m.title_inferred),
                m.n_sources,
                m.site,
                where.group,
                int(where.canonical),
            ),
        )
        db.execute("DELETE FROM bands WHERE id = ?", (m.id,))
        db.executemany(
            "INSERT INTO bands VALUES (?, ?)", [(k, m.id) for k in groups.band_keys(m.signature)]
        )

    def put_docs(
        self, db: sqlite3.Connection, rows: Sequence[tuple[groups.Member, groups.Assignment]]
    ) -> None:
        """Bulk insert for a fresh manifest (a build): no deletes needed."""
        db.executemany(
            "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    m.id,
                    m.path,
                    m.content_hash,
                    m.signature,
                    m.published,
                    int(m.title_inferred),
                    m.n_sources,
                    m.site,
                    w.group,
                    int(w.canonical),
                )
                for m, w in rows
            ],
        )
        db.executemany(
            "INSERT INTO bands VALUES (?, ?)",
            [(k, m.id) for m, _ in rows for k in groups.band_keys(m.signature)],
        )

    def delete_doc(self, db: sqlite3.Connection, doc_id: str) -> None:
        db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
        db.execute("DELETE FROM bands WHERE id = ?", (doc_id,))

    def set_assignment(self, db: sqlite3.Connection, doc_id: str, where: groups.Assignment) -> None:
        db.execute(
            "UPDATE docs SET grp = ?, canonical = ? WHERE id = ?",
            (where.group, int(where.canonical), doc_id),
        )

    def _member(self, row: Sequence[Any]) -> tuple[groups.Member, groups.Assignment]:
        m = groups.Member(
            id=row[0],
            path=row[1],
            content_hash=row[2] or "",
            signature=bytes(row[3]),
            published=row[4],
            title_inferred=bool(row[5]),
            n_sources=row[6] or 0,
            site=row[7],
        )
        return m, groups.Assignment(group=row[8], canonical=bool(row[9]))

    def members(self, ids: Iterable[str]) -> dict[str, tuple[groups.Member, groups.Assignment]]:
        out = {}
        ids = list(ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(f"SELECT * FROM docs WHERE id IN ({marks})", chunk):
                m, w = self._member(row)
                out[m.id] = (m, w)
        return out

    def group_mates(self, group_ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        gids = list(group_ids)
        for i in range(0, len(gids), 500):
            chunk = gids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0] for r in self.db.execute(f"SELECT id FROM docs WHERE grp IN ({marks})", chunk)
            )
        return out

    def candidates(self, m: groups.Member) -> set[str]:
        """Existing articles sharing a band key or the content hash with `m`."""
        keys = groups.band_keys(m.signature)
        out: set[str] = set()
        if keys:
            marks = ",".join("?" * len(keys))
            out.update(
                r[0] for r in self.db.execute(f"SELECT id FROM bands WHERE key IN ({marks})", keys)
            )
        if m.content_hash:
            out.update(
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM docs WHERE content_hash = ?", (m.content_hash,)
                )
            )
        out.discard(m.id)
        return out

    def id_paths(self, ids: Iterable[str]) -> dict[str, str]:
        got = self.members(ids)
        return {i: m.path for i, (m, _) in got.items()}

    def count(self, table: str) -> int:
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


# --- the corpus ------------------------------------------------------------------------


@dataclass(frozen=True)
class CorpusFile:
    relpath: str
    path: str  # a str, not a Path: 100k Path objects are most of a no-change update's time
    size: int
    mtime_ns: int


def _is_corpus_name(name: str) -> bool:
    from indexer.patterns import CORPUS_SUFFIXES, TEMP_SUFFIXES

    low = name.lower()
    if low.startswith((".", "~")) or low.endswith(TEMP_SUFFIXES):
        return False
    return low.endswith(CORPUS_SUFFIXES)


def scan_corpus(root: Path) -> dict[str, CorpusFile]:
    """Every corpus page under `root` with its size and mtime, keyed by relative path.

    The same selection as pipeline.iter_corpus (hidden and temporary names left out), but
    with os.scandir so the stat comes with the listing: this walk is most of what a
    no-change update costs. A missing corpus folder is an error, not an empty corpus:
    a mistyped path must not remove every article.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusNotFound(f"corpus folder {root} does not exist")
    out: dict[str, CorpusFile] = {}
    if root.is_file():
        st = root.stat()
        out[root.name] = CorpusFile(root.name, str(root), st.st_size, st.st_mtime_ns)
        return out
    stack: list[tuple[str | Path, str]] = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            log.warning("cannot list %s: %s", folder, exc)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_dir():
                    stack.append((entry.path, rel + "/"))
                elif entry.is_file() and _is_corpus_name(entry.name):
                    st = entry.stat()
                    out[rel] = CorpusFile(rel, entry.path, st.st_size, st.st_mtime_ns)
            except OSError:
                continue  # vanished between listing and stat
    return out


def _hash_file(path: Path) -> str | None:
    """sha256 of a file's bytes, or None if it cannot be read or is over the size limit."""
    from indexer.load import file_hash
    from indexer.patterns import MAX_FILE_BYTES

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > MAX_FILE_BYTES else file_hash(data)


def _process(cf: CorpusFile, corpus: Path) -> Article | Skipped:
    """The pipeline on one file. It reports bad input as Skipped itself; anything it
    raises is a bug on one page, which must not stop the other pages either."""
    from indexer.pipeline import process_file

    try:
        return process_file(Path(cf.path), corpus)
    except Exception as exc:  # noqa: BLE001 - the edge where one page's failure is contained
        log.exception("extraction failed on %s", cf.relpath)
        return Skipped(path=cf.relpath, reason=f"extraction failed: {type(exc).__name__}: {exc}")


class _Progress:
    """A one-line progress bar on stderr, drawn only when asked (the CLI asks on a TTY)."""

    def __init__(self, enabled: bool, total: int, label: str) -> None:
        self.enabled, self.total, self.label = enabled, total, label
        self.done = 0
        self.last = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1 and self.done < self.total:
            return
        self.last = now
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        sys.stderr.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total}"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


# --- build -----------------------------------------------------------------------------


def build(
    corpus: Path, index_root: Path, *, progress: bool = False, lock_timeout: float = 10.0
) -> BuildReport:
    """Index the whole corpus into a new generation, then make it `current`.

    The old generation stays current (and searchable) until the new one is complete, so a
    build that is killed or fails leaves the index as it was.
    """
    t0 = time.perf_counter()
    root = Path(index_root)
    with write_lock(root, lock_timeout):
        try:
            old: Path | None = current_generation_dir(root)
        except IndexNotFound:
            old = None
        # Leftovers of killed builds (nobody else can be writing: we hold the lock).
        for entry in root.iterdir():
            if entry.name.startswith(GEN_PREFIX) and entry.is_dir() and entry != old:
                shutil.rmtree(entry, ignore_errors=True)
        gen = _new_generation_dir(root)
        try:
            report = _build_into(Path(corpus), gen, progress)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)  # a failed build leaves nothing behind
            raise
        _swap_current(root, gen)
        _remove_other_generations(root, gen)
    return BuildReport(**{**report, "seconds": time.perf_counter() - t0})


def _extract_one(cf: CorpusFile, corpus: Path) -> tuple[CorpusFile, Article | Skipped, bytes]:
    """Pipeline + signature for one file (runs in a worker process during a build)."""
    result = _process(cf, corpus)
    sig = groups.signature(result.body) if isinstance(result, Article) else b""
    return cf, result, sig


def _build_procs(n_files: int) -> int:
    """Worker processes for a build: all cores, unless the corpus is too small to pay
    for forking (tests and seeds build in one process)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return cores if cores > 1 and n_files >= PARALLEL_MIN_FILES else 1


def _extract_all(
    files: dict[str, CorpusFile], corpus: Path, procs: int, bar: _Progress
) -> list[tuple[CorpusFile, Article | Skipped, bytes]]:
    ordered = [files[r] for r in sorted(files)]
    if procs <= 1:
        out = []
        for cf in ordered:
            out.append(_extract_one(cf, corpus))
            bar.step()
        return out
    ctx = multiprocessing.get_context("fork")
    out = []
    with ctx.Pool(procs) as pool:
        for item in pool.imap(_extract_star, [(cf, corpus) for cf in ordered], chunksize=32):
            out.append(item)
            bar.step()
    return out


def _extract_star(args: tuple[CorpusFile, Path]) -> tuple[CorpusFile, Article | Skipped, bytes]:
    return _extract_one(*args)


def _write_part(
    ix: Index, items: Sequence[tuple[Article, bytes, groups.Assignment]], counter: Any
) -> list[Any]:
    """Write `items` as finished segments (SEGMENT_DOCS each) without touching the TOC."""
    segments = []
    for start in range(0, len(items), SEGMENT_DOCS):
        writer = FastWriter(ix, _lk=False)
        for article, sig, where in items[start : start + SEGMENT_DOCS]:
            writer.add_article(article, article_fields(article, sig, where))
            if counter is not None:
                with counter.get_lock():
                    counter.value += 1
        segments.append(writer._finalize_segment())
    return segments


def _part_main(ix: Index, items: Sequence, counter: Any, conn: Any) -> None:
    try:
        conn.send(("ok", _write_part(ix, items, counter)))
    except BaseException as exc:  # reported to the parent, which raises
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _write_segments(
    ix: Index, items: Sequence[tuple[Article, bytes, groups.Assignment]], procs: int, bar: _Progress
) -> None:
    """Write all articles into the new index: in `procs` forked processes, each writing
    its contiguous share as its own segments, then one TOC commit listing them all in
    order (what Whoosh's MpWriter does with multisegment=True, with FastWriter inside)."""
    if procs <= 1 or len(items) < 2 * procs:
        segments = _write_part(ix, items, None)
        bar.step(len(items))
    else:
        ctx = multiprocessing.get_context("fork")
        counter = ctx.Value("l", 0)
        share = -(-len(items) // procs)
        jobs = []
        for i in range(procs):
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(
                target=_part_main, args=(ix, items[i * share : (i + 1) * share], counter, child)
            )
            proc.start()
            child.close()
            jobs.append((proc, parent))
        while any(p.is_alive() and not c.poll() for p, c in jobs):
            bar.step(counter.value - bar.done)
            time.sleep(0.1)
        segments = []
        for proc, conn in jobs:
            status, payload = conn.recv()
            proc.join()
            if status != "ok":
                raise StoreError(f"indexing process failed: {payload}")
            segments.extend(payload)
        bar.step(len(items) - bar.done)
    writer = SegmentWriter(ix)
    try:
        writer._close_segment()
        writer._commit_toc(segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    _remove_temp_dirs(Path(ix.storage.folder))


def _build_into(corpus: Path, gen: Path, progress: bool) -> dict[str, Any]:
    files = scan_corpus(corpus)
    procs = _build_procs(len(files))
    bar = _Progress(progress, len(files), "reading")
    articles: list[tuple[CorpusFile, Article, bytes]] = []
    skipped: list[tuple[CorpusFile, Skipped]] = []
    for cf, result, sig in _extract_all(files, corpus, procs, bar):
        if isinstance(result, Article):
            articles.append((cf, result, sig))
        else:
            skipped.append((cf, result))
    members = [member_of(a, sig) for _, a, sig in articles]
    assignment = groups.group_all(members)

    from indexer.schema import build_schema

    ix = whoosh_index.create_in(str(gen), build_schema())
    bar = _Progress(progress, len(articles), "indexing")
    items = [(a, sig, assignment[a.id]) for _, a, sig in articles]
    _write_segments(ix, items, procs, bar)
    manifest = Manifest(gen / MANIFEST)
    try:
        with manifest.transaction() as db:
            for cf, a, _ in articles:
                manifest.put_file(db, cf, cf.relpath, a.file_hash, a.id, None)
            for cf, s in skipped:
                manifest.put_file(db, cf, cf.relpath, s.file_hash, None, s.reason)
            manifest.put_docs(db, [(m, assignment[m.id]) for m in members])
            manifest.set_generation(db, ix.latest_generation())
    finally:
        manifest.close()
    stories = sum(1 for w in assignment.values() if w.canonical)
    return {
        "files_read": len(files),
        "articles": len(articles),
        "stories": stories,
        "duplicates": len(articles) - stories,
        "skipped": tuple((s.path, s.reason) for _, s in skipped),
        "generation": gen.name,
    }


# --- incremental changes ---------------------------------------------------------------


@dataclass
class _Tally:
    """What an incremental run has done so far (mutable while it runs)."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    regrouped: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def report(self, t0: float) -> UpdateReport:
        added = set(self.added)
        changed = set(self.changed)
        return UpdateReport(
            added=tuple(self.added),
            changed=tuple(self.changed),
            removed=tuple(self.removed),
            unchanged=self.unchanged,
            skipped=tuple(self.skipped),
            regrouped=tuple(
                sorted({i for i in self.regrouped if i not in added and i not in changed})
            ),
            seconds=time.perf_counter() - t0,
            articles=tuple(self.articles),
        )


@dataclass(frozen=True)
class _Upsert:
    cf: CorpusFile | None
    article: Article
    signature: bytes
    is_new: bool


@dataclass(frozen=True)
class _Removal:
    id: str | None
    relpath: str


class _Session:
    """An open writable generation: its Whoosh index and its manifest (under the lock)."""

    def __init__(self, gen: Path, merge_docs: int | None = None) -> None:
        self.gen = gen
        self.merge_docs = merge_docs
        self._ix: Index | None = None
        _remove_temp_dirs(gen)
        self.manifest = Manifest(gen / MANIFEST)
        if self.manifest.generation() != _toc_generation(gen):
            log.warning("manifest does not match index generation; rebuilding it from the index")
            self._rebuild_manifest()

    @property
    def ix(self) -> Index:
        """The Whoosh index, opened on first use: opening unpickles the schema, which
        imports the analyzers (jieba, the folding tables); a no-change update never
        needs it."""
        if self._ix is None:
            self._ix = whoosh_index.open_dir(str(self.gen))
        return self._ix

    def close(self) -> None:
        self.manifest.close()
        if self._ix is not None:
            self._ix.close()

    def _rebuild_manifest(self) -> None:
        """Recreate the manifest from stored fields: after a writer died between commits.

        Sizes and mtimes are unknown afterwards, so the next diff hashes each file once.
        """
        self.manifest.close()
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(str(self.gen / MANIFEST) + suffix)
        self.manifest = Manifest(self.gen / MANIFEST)
        rows = []
        with self.ix.searcher() as searcher, self.manifest.transaction() as db:
            for doc in searcher.all_stored_fields():
                article = article_from_stored(doc)
                m = member_of(article, bytes(doc.get("simhash") or b""))
                where = groups.Assignment(doc.get("group") or m.id, bool(doc.get("canonical")))
                rows.append((m, where))
                self.manifest.put_file(db, None, article.path, article.file_hash, m.id, None)
            self.manifest.put_docs(db, rows)
            self.manifest.set_generation(db, self.ix.latest_generation())

    def apply(
        self, upserts: Sequence[_Upsert], removals: Sequence[_Removal], tally: _Tally
    ) -> None:
        """One batch: regroup what it touches, commit it to Whoosh, then to the manifest."""
        if not upserts and not removals:
            return
        manifest = self.manifest
        new = {u.article.id: member_of(u.article, u.signature) for u in upserts}
        gone = {r.id for r in removals if r.id} - set(new)
        old = manifest.members(set(new) | gone)  # previous versions of changed articles
        cand_ids: set[str] = set()
        for m in new.values():
            cand_ids |= manifest.candidates(m)
        cands = manifest.members(cand_ids - gone - set(new))
        linked = {b for _, b in groups._links(list(new.values()), [m for m, _ in cands.values()])}
        gids = {w.group for _, w in old.values()} | {cands[i][1].group for i in linked}
        pool = manifest.members(manifest.group_mates(gids) - gone - set(new))
        affected: dict[str, list[groups.Member]] = {}
        for m, w in pool.values():
            affected.setdefault(w.group, []).append(m)
        assignment = groups.regroup(
            list(new.values()),
            [cands[i][0] for i in sorted(linked)],
            affected,
            {i: w.group for i, (_, w) in pool.items()},
        )
        regroup = {i: assignment[i] for i, (_, w) in pool.items() if assignment[i] != w}

        with self.ix.searcher() as searcher:
            rewrites = []
            for doc_id, where in sorted(regroup.items()):
                stored = searcher.document(id=doc_id)
                if stored is None:
                    log.warning("manifest lists %s but the index has no such document", doc_id)
                    continue
                rewrites.append((article_from_stored(stored), pool[doc_id][0].signature, where))
        writer = _whoosh_writer(self.ix, timeout=5.0)
        try:
            for doc_id in sorted(gone):
                writer.delete_by_term("id", doc_id)
            for u in upserts:
                fields = article_fields(u.article, u.signature, assignment[u.article.id])
                writer.delete_by_term("id", u.article.id)
                writer.add_article(u.article, fields)
            for article, sig, where in rewrites:
                writer.delete_by_term("id", article.id)
                writer.add_article(article, article_fields(article, sig, where))
            writer.commit(mergetype=partial(_merge_small, limit=self.merge_docs))
        except BaseException:
            writer.cancel()
            raise
        with manifest.transaction() as db:
            for r in removals:
                manifest.delete_file(db, r.relpath)
                if r.id and r.id in gone:
                    manifest.delete_doc(db, r.id)
            for u in upserts:
                manifest.put_file(db, u.cf, u.article.path, u.article.file_hash, u.article.id, None)
                manifest.put_doc(db, new[u.article.id], assignment[u.article.id])
            for article, _, where in rewrites:
                manifest.set_assignment(db, article.id, where)
            manifest.set_generation(db, self.ix.latest_generation())
        for u in upserts:
            (tally.added if u.is_new else tally.changed).append(u.article.id)
            tally.articles.append(u.article)
        tally.removed.extend(sorted(gone))
        tally.regrouped.extend(regroup)

    def record_files(self, rows: Sequence[tuple[CorpusFile, str, str | None, str | None]]) -> None:
        """Files that changed on disk but not in the index (touched, or skipped)."""
        if rows:
            with self.manifest.transaction() as db:
                for cf, digest, doc_id, reason in rows:
                    self.manifest.put_file(db, cf, cf.relpath, digest, doc_id, reason)


def _classify(
    cf: CorpusFile, known: FileState | None, corpus: Path, tally: _Tally
) -> tuple[_Upsert | None, tuple[CorpusFile, str, str | None, str | None] | None]:
    """Decide what one new-looking file means: an upsert, or just a manifest row.

    A file whose bytes are unchanged (a touch, or sizes/mtimes unknown after a manifest
    rebuild) costs one hash, not a pipeline run. A file that is now bad keeps its last
    good article in the index: bad input never removes what readers could find.
    """
    if known is not None and known.file_hash and known.reason is None:
        digest = _hash_file(Path(cf.path))
        if digest == known.file_hash:
            tally.unchanged += 1
            return None, (cf, digest, known.id, None)
    result = _process(cf, corpus)
    if isinstance(result, Skipped):
        tally.skipped.append((result.path, result.reason))
        return None, (cf, result.file_hash, known.id if known else None, result.reason)
    if known is not None and known.id and known.file_hash == result.file_hash:
        tally.unchanged += 1
        return None, (cf, result.file_hash, known.id, None)
    sig = groups.signature(result.body)
    is_new = known is None or known.id is None
    return _Upsert(cf, result, sig, is_new), None


def _run_changes(
    session: _Session,
    corpus: Path,
    work: Sequence[CorpusFile],
    known: dict[str, FileState],
    removals: Sequence[_Removal],
    tally: _Tally,
    batch_size: int,
    progress: bool,
) -> None:
    """Removals first (one batch), then the files to (re)index in batches of `batch_size`.

    Each batch is regrouped and committed on its own, so a killed run keeps every batch it
    finished, and the index is consistent (one canonical per group) after every commit.
    """
    for i in range(0, len(removals), batch_size):
        session.apply([], removals[i : i + batch_size], tally)
    bar = _Progress(progress, len(work), "updating")
    upserts: list[_Upsert] = []
    rows: list[tuple[CorpusFile, str, str | None, str | None]] = []
    for cf in work:
        upsert, row = _classify(cf, known.get(cf.relpath), corpus, tally)
        if upsert:
            upserts.append(upsert)
        if row:
            rows.append(row)
        bar.step()
        if len(upserts) >= batch_size:
            session.apply(upserts, [], tally)
            upserts = []
    session.apply(upserts, [], tally)
    session.record_files(rows)


@contextlib.contextmanager
def _session(
    index_root: Path, lock_timeout: float, merge_docs: int | None = None
) -> Iterator[_Session]:
    with write_lock(index_root, lock_timeout):
        session = _Session(current_generation_dir(index_root), merge_docs)
        try:
            yield session
        finally:
            session.close()


def update(
    corpus: Path,
    index_root: Path,
    *,
    lock_timeout: float = 10.0,
    batch_size: int = BATCH,
    progress: bool = False,
) -> UpdateReport:
    """Bring the index in step with the corpus folder: add, replace, remove, regroup.

    Files whose size and mtime match the manifest are not read at all, so a run with
    nothing to do costs one directory walk. Files skipped before are retried only when
    they change. Raises IndexNotFound when there is no index yet (run build first).
    """
    t0 = time.perf_counter()
    corpus = Path(corpus)
    tally = _Tally()
    with _session(index_root, lock_timeout) as session:
        recorded = session.manifest.stat_map()
        files = scan_corpus(corpus)
        if not files and recorded and (indexed := session.manifest.indexed_count()):
            raise CorpusNotFound(
                f"corpus folder {corpus} holds no pages; refusing to remove all {indexed} "
                "articles (if that is what you want, run build)"
            )
        work = []
        for relpath, cf in files.items():
            if recorded.get(relpath) == (cf.size, cf.mtime_ns):
                tally.unchanged += 1
            else:
                work.append(cf)
        work.sort(key=lambda cf: cf.relpath)
        gone = sorted(recorded.keys() - files.keys())
        known = session.manifest.files([cf.relpath for cf in work] + gone)
        removals = [_Removal(known[p].id, p) for p in gone]
        _run_changes(session, corpus, work, known, removals, tally, batch_size, progress)
    return tally.report(t0)


def index_files(
    index_root: Path, corpus: Path, paths: list[Path], *, lock_timeout: float = 10.0
) -> UpdateReport:
    """Index (or re-index) the given corpus files now; a path that no longer exists is
    removed. For the web upload endpoint: the report's `articles` are the records as
    indexed, and `skipped` says why a file was not."""
    t0 = time.perf_counter()
    corpus = Path(corpus)
    tally = _Tally()
    from indexer.pipeline import relative_path

    with _session(index_root, lock_timeout, MERGE_DOCS_QUICK) as session:
        targets = []
        for raw in paths:
            path = Path(raw) if Path(raw).is_absolute() else corpus / raw
            targets.append((path, relative_path(path, corpus)))
        known = session.manifest.files([rel for _, rel in targets])
        work: list[CorpusFile] = []
        removals: list[_Removal] = []
        for path, relpath in targets:
            try:
                st = path.stat()
            except FileNotFoundError:
                if relpath in known:
                    removals.append(_Removal(known[relpath].id, relpath))
                continue
            work.append(CorpusFile(relpath, str(path), st.st_size, st.st_mtime_ns))
        # An explicit request re-reads the file even if its size and mtime look unchanged.
        _run_changes(session, corpus, work, known, removals, tally, BATCH, False)
    return tally.report(t0)


def remove_ids(index_root: Path, ids: list[str], *, lock_timeout: float = 10.0) -> UpdateReport:
    """Remove articles by id (the web delete endpoint; it deletes the file itself).

    Unknown ids are ignored; the report's `removed` lists those that were indexed.
    """
    t0 = time.perf_counter()
    tally = _Tally()
    with _session(index_root, lock_timeout, MERGE_DOCS_QUICK) as session:
        paths = session.manifest.id_paths(ids)
        removals = [_Removal(i, p) for i, p in sorted(paths.items())]
        _run_changes(session, Path("."), [], {}, removals, tally, BATCH, False)
    return tally.report(t0)


# --- statistics ------------------------------------------------------------------------


@dataclass(frozen=True)
class Stats:
    articles: int
    stories: int
    sources: int
    sites: int
    first_published: str | None
    last_published: str | None
    undated: int
    generation: str


def stats(index_root: Path) -> Stats:
    """Counts for `python -m indexer stats`, read from the index's term lists."""
    gen = current_generation_dir(index_root)
    ix = open_index(index_root)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        dates = [t.decode() for t in reader.lexicon("published") if t]
        undated = reader.doc_frequency("year", UNKNOWN)
        return Stats(
            articles=searcher.doc_count(),
            stories=reader.doc_frequency("canonical", True),
            sources=sum(1 for _ in reader.lexicon("sources")),
            sites=sum(1 for t in reader.lexicon("site") if t),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
            undated=undated,
            generation=gen.name,
        )
