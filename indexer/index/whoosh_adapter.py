"""Every private Whoosh name the project uses, in one module, each with a public fallback.

Why private names at all: three things Whoosh's public API does slowly or not at all.
  - A build writes segments in several processes and lists them in one commit (what
    Whoosh's own MpWriter does internally): a segment written without a commit, then one
    TOC listing them all (`SegmentWriter._finalize_segment`, `_commit_toc`).
  - FastWriter (indexer/segment_writer.py) hands a whole block of postings to the codec's
    postings writer at once instead of one `add_posting` call per posting.
  - Reading the latest commit's table of contents (its TOC number and segments) without
    unpickling the schema again, and opening a reader over exactly a TOC's segments.

A Whoosh upgrade that renames one of these touches this file only: each function checks
that the private names it needs are there and otherwise takes the public, slower road
with the same result (`can_write_parts` tells the build to write in one writer and one
commit). Two other modules know Whoosh's insides, by design and under test:
indexer/write/segment_writer.py subclasses SegmentWriter (its state and `_flush_segment`
hook; tests/unit/write/test_segment_writer.py compares its output with Whoosh's own,
through both roads of `write_postings`), and indexer/read/postings.py decodes posting
blocks with numpy, with the public matcher API as its fallback.

Words: Whoosh calls its commit counter a "generation"; here it is the *TOC number*, since
a generation in this project is a `gen-*` folder (indexer/index/layout.py).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

INDEX_NAME = "MAIN"  # Whoosh's default index name (whoosh.index._DEF_INDEX_NAME)
_TOC_FILE = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc$")

# --- the table of contents -----------------------------------------------------------------


def toc_name(number: int) -> str:
    """The file name of a TOC (Whoosh's naming: `_MAIN_<number>.toc`)."""
    return f"_{INDEX_NAME}_{number}.toc"


def latest_toc_number(folder: Path) -> int:
    """The latest committed TOC number in a Whoosh folder, from file names alone (-1: none).

    No schema is unpickled, so it costs a directory listing: what Whoosh's own
    TOC._latest_generation does, written here on the public naming of TOC files.
    """
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return -1
    numbers = [int(m.group(1)) for n in names if (m := _TOC_FILE.match(n))]
    return max(numbers, default=-1)


def read_toc(ix: Any) -> Any:
    """The latest TOC of an open index: its `generation` (TOC number), `schema`, `segments`."""
    private = getattr(ix, "_read_toc", None)
    if private is not None:
        return private()
    return whoosh_index.TOC.read(ix.storage, ix.indexname)


def open_segments_reader(ix: Any, toc: Any) -> Any:
    """A reader over exactly the segments of `toc` (not whatever is latest by now)."""
    private = getattr(whoosh_index.FileIndex, "_reader", None)
    if private is not None:
        return private(ix.storage, toc.schema, list(toc.segments), toc.generation)
    return ix.reader()


# --- writing segments in parts, one commit ---------------------------------------------------


def can_write_parts() -> bool:
    """Whether segments can be written without a commit and listed by one commit later."""
    names = ("_finalize_segment", "_close_segment", "_commit_toc", "_finish")
    return all(hasattr(SegmentWriter, n) for n in names)


def part_writer_options() -> dict[str, Any]:
    """SegmentWriter options for a writer of one part: it takes no Whoosh write lock (the
    index root's writer lock is held; the committing writer takes Whoosh's)."""
    return {"_lk": False}


def finish_part(writer: Any) -> Any:
    """Close a part writer's segment without committing it; returns the segment."""
    return writer._finalize_segment()


def commit_parts(ix: Any, segments: Sequence[Any]) -> None:
    """One commit whose TOC lists exactly `segments`, in order (after `finish_part`)."""
    writer = SegmentWriter(ix)
    try:
        writer._close_segment()
        writer._commit_toc(list(segments))
    except BaseException:
        cancel(writer)
        raise
    writer._finish()


def remove_sort_dirs(folder: Path) -> None:
    """Whoosh's posting-sort directories (`*.tmp`) left in a folder by a killed writer."""
    for entry in Path(folder).iterdir():
        if entry.name.endswith(".tmp") and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def cancel(writer: Any) -> None:
    """Cancel a writer after an error, unless its failed commit already cleaned up
    (whoosh3 releases the lock and closes the writer itself; cancelling again would
    raise and hide the error that matters, such as a full disk)."""
    if not writer.is_closed:
        writer.cancel()


# --- postings a block at a time --------------------------------------------------------------

_BLOCK_NAMES = ("_blocklimit", "_write_block", "_ids", "_weights", "_values", "_maxweight")
_fast_types: dict[type, bool] = {}  # postings writer class -> whether the block path applies


def _block_writer(fw: Any) -> Any | None:
    """The field writer's postings writer when it takes whole blocks, else None."""
    pw = getattr(fw, "_postwriter", None)
    if pw is None:
        return None
    fast = _fast_types.get(type(pw))
    if fast is None:
        fast = _fast_types[type(pw)] = all(hasattr(pw, n) for n in _BLOCK_NAMES)
    return pw if fast else None


def write_postings(
    fw: Any, docs: Sequence[int], weights: Sequence[float], values: list, lens: Any, base: int
) -> None:
    """Write one term's postings (between fw.start_term and fw.finish_term).

    `lens` holds each document's field length (indexed by document number - `base`), or
    None for a field without lengths. The fast path fills the codec's postings writer a
    whole block at a time, mirroring W3PostingsWriter.add_posting's bookkeeping (max
    weight, min/max non-zero field length per block); the last block stays buffered so the
    writer's own finish_postings() writes it as the final one. Without those names: the
    public FieldWriter.add, one call per posting, same bytes.
    """
    keep_values = bool(values[0])
    nlens = len(lens) if lens is not None else 0
    pw = _block_writer(fw)
    if pw is None:
        for i, d in enumerate(docs):
            length = (lens[d - base] if d - base < nlens else 0) if lens is not None else None
            fw.add(int(d), float(weights[i]), values[i] if keep_values else b"", length)
        return
    limit = pw._blocklimit
    n = len(docs)
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
