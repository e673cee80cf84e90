"""The index root on disk: which folder holds the index now, and how that changes.

An index root holds a symlink `current` naming a generation folder
`gen-<UTC timestamp>-<pid>` with one Whoosh FileStorage index, its manifest
(`manifest.sqlite`, the writer's book: indexer/manifest.py) and its checksum record
(integrity.py). A full build writes a fresh generation beside the old one and swaps
`current` atomically only once it is complete; incremental updates commit into the
current generation with Whoosh's own atomic commits. `write.lock` is the writers' lock
file (flock; the writer side holds it). INDEX_FORMAT is the version of all of this that
this program reads and writes.

The writer asks for `current_generation_dir` (strict: no usable generation is an error);
the reader resolves with `resolve_index_dir` (lenient: a bare Whoosh index written
straight into the root, as unit tests write one, is read there).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

from indexer.index.errors import IndexNotFound
from indexer.index.whoosh_adapter import latest_toc_number

CURRENT = "current"
GEN_PREFIX = "gen-"
LOCK_FILE = "write.lock"
MANIFEST = "manifest.sqlite"
# A full build's articles between reading and writing (write/spool.py); gone once written.
SPOOL = "build.spool"
# Bumped when a generation written before can no longer be read or updated (2: n-gram
# postings in per-segment files, word fields without positions; 3: a checksum record
# of every file, integrity.py; 4: regions and documents fields; 5: the word fields'
# postings only in each segment's word postings file, word_postings.py; 6: n-gram
# positions as 16-bit gaps, ngrams.py; 7: common bigrams' document bitmaps; 8: common
# characters' documents as bitmaps only; 9: no stored MinHash signature, fields.py); kept
# in the manifest.
INDEX_FORMAT = "9"


def resolve_index_dir(index_root: Path) -> Path:
    """The folder holding the Whoosh index: what `current` points at, else the root."""
    current = Path(index_root) / CURRENT
    if current.is_symlink() or current.is_dir():
        return current.resolve()
    return Path(index_root)


def current_link(index_root: Path) -> str | None:
    """What `current` names (one readlink), None without a `current` symlink: cheap enough
    to ask on every request, so a reader sees a swap without resolving a path."""
    try:
        return os.readlink(Path(index_root) / CURRENT)
    except OSError:  # absent, or not a symlink (a bare index in the root)
        return None


def current_generation_dir(index_root: Path) -> Path:
    """The generation folder `current` points at (IndexNotFound if there is none)."""
    if not (Path(index_root) / CURRENT).is_symlink():
        raise IndexNotFound(f"no index at {index_root} (run: python -m indexer build)")
    gen = resolve_index_dir(index_root)
    if not gen.is_dir() or latest_toc_number(gen) < 0:
        raise IndexNotFound(f"index generation {gen} is missing or empty")
    return gen


def new_generation_dir(index_root: Path) -> Path:
    """Create an empty generation folder (named for the time and this process)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    gen = Path(index_root) / f"{GEN_PREFIX}{stamp}-{os.getpid()}"
    gen.mkdir(parents=True)
    return gen


def swap_current(index_root: Path, gen: Path) -> None:
    """Point `current` at `gen` atomically: a temp symlink renamed over the old one."""
    tmp = Path(index_root) / f".{CURRENT}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(gen.name, tmp)
    os.replace(tmp, Path(index_root) / CURRENT)
    fsync_dir(Path(index_root))


def fsync_dir(path: Path) -> None:
    """Make a rename inside `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_generations(index_root: Path, keep: Path | None) -> None:
    """Delete every generation folder but `keep`: old ones and leftovers of killed builds.

    Only called under the write lock, so no other build is writing one of them. A reader
    that still has an old generation open keeps its open files (POSIX), and refreshes to
    `current` on its next request.
    """
    for entry in Path(index_root).iterdir():
        if entry.name.startswith(GEN_PREFIX) and entry.is_dir() and entry != keep:
            shutil.rmtree(entry, ignore_errors=True)
