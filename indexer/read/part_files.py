"""A segment's per-document arrays saved beside it (`MAIN_*.prt`), read back on opening.

Part of the read side (columns.py builds and uses the arrays). Why a file: a segment never
changes, and reading its part from Whoosh's columns and postings costs about 20 µs a
document in Python (22 s to open a million), loading it back a few ms a segment. The file
is a NumPy archive without pickles; a file that is damaged, incomplete or another
segment's is refused (and the segment read again), so it is a cache that checks itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.read import keywords

# The word fields BM25F scores (ranking.py); their per-document lengths are kept.
SCORED_FIELDS = ("title", "body")
# Single-valued keyword fields read from Whoosh's columns.
KEYWORD_COLUMNS = ("group", "published", "site", "year", "month")

# The arrays a saved part holds: those with one entry per document, then the rest.
PER_DOC_ARRAYS = (
    "canonical",
    *(f"field.{f}.codes" for f in KEYWORD_COLUMNS),
    *(f"length.{f}" for f in SCORED_FIELDS),
)
_PAIR_ARRAYS = [
    f"pairs.{f}.{x}" for f in keywords.KEYWORD_FACETS for x in ("values", "doc", "code")
]
_VALUE_ARRAYS = [f"field.{f}.values" for f in KEYWORD_COLUMNS]
PART_ARRAYS = frozenset(
    [*PER_DOC_ARRAYS, "source_values", "pair_doc", "pair_src", *_VALUE_ARRAYS, *_PAIR_ARRAYS]
)

log = logging.getLogger(__name__)


def strings(values: Sequence[str]) -> np.ndarray:
    """Values as a unicode array (as they are saved and combined); an array passes as is."""
    if isinstance(values, np.ndarray):
        return values
    return np.array(values, dtype=str) if values else np.zeros(0, dtype="<U1")


def load_arrays(path: Path, count: int) -> dict[str, np.ndarray] | None:
    """A part's saved arrays, or None when the file is missing, damaged or not this
    segment's (its per-document arrays must hold `count` documents)."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            arrays = {name: saved[name] for name in saved.files}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        log.warning("re-reading segment arrays %s: %s", path.name, exc)
        return None
    if (
        not PART_ARRAYS <= arrays.keys()
        or any(arrays[n].shape != (count,) for n in PER_DOC_ARRAYS)
        or not _codes_in_range(arrays, count)
    ):
        log.warning("re-reading segment arrays %s: not this segment's", path.name)
        return None
    return arrays


def _codes_in_range(a: dict[str, np.ndarray], count: int) -> bool:
    """Whether every code points into its list of values and every document number into
    the segment: a file of another segment with as many documents must not be read."""

    def within(codes: np.ndarray, size: int, low: int) -> bool:
        return codes.size == 0 or (int(codes.min()) >= low and int(codes.max()) < size)

    checks = [(a[f"field.{f}.codes"], len(a[f"field.{f}.values"]), -1) for f in KEYWORD_COLUMNS]
    checks += [(a["pair_src"], len(a["source_values"]), 0), (a["pair_doc"], count, 0)]
    for f in keywords.KEYWORD_FACETS:
        checks += [(a[f"pairs.{f}.code"], len(a[f"pairs.{f}.values"]), 0)]
        checks += [(a[f"pairs.{f}.doc"], count, 0)]
    return all(within(codes, size, low) for codes, size, low in checks)


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write a part's arrays whole or not at all (a temporary file renamed over)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            np.savez(out, **arrays)
        os.replace(tmp, path)
    except OSError as exc:  # a read-only or full disk: the part is read again next time
        log.info("segment arrays not saved (%s): %s", path.name, exc)
        with contextlib.suppress(OSError):
            tmp.unlink()
