"""File events in the corpus tree, said in the watcher's own words: which page changed how.

The first step of watching. The operating system's events reach us through watchdog
(inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows); `translate` turns
each into Changes on corpus pages, relative to the corpus folder's real path, so the rest
of the watcher (settle.py, loop.py) never sees a watchdog type or an absolute path.

Which pages count is the corpus walker's rule (corpus.py): hidden and temporary names are
no pages, and paths are real paths, so a page is reported under the name the walk lists
it by. Links are not followed by the observer: a link to a folder inside the corpus is the
folder itself (watched under its real name), a link leading outside is no part of it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from watchdog.events import (
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
)

from indexer.corpus import inside, is_corpus_relpath

# What a watched tree reports (relative paths; for DIR_GONE a folder prefix ending in "/").
WRITTEN = "written"  # closed after writing (or modified, where no close is reported)
MOVED = "moved"  # renamed into place: complete now
GONE = "gone"  # deleted or renamed away
FOUND = "found"  # created, or found in a folder that appeared: may still be being written
DIR_GONE = "dir_gone"
RESCAN = "rescan"  # events were lost: sweep the corpus
ROOT_GONE = "root_gone"  # the corpus folder itself was deleted or moved away

# The events worth asking for. Where the system reports a close after writing (Linux),
# a file's modifications are not: a file still open for writing raises nothing, and one
# write() call would otherwise be one event. Elsewhere a modification is all there is.
WITH_CLOSES = [
    FileCreatedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


@dataclass(frozen=True)
class Change:
    kind: str
    relpath: str = ""


def translate(event: FileSystemEvent, root_real: str) -> list[Change]:
    """The Changes on corpus pages that one watchdog event stands for (often none).

    A folder that appears raises no Change of its own: watchdog reports the files it
    already holds as created (or, for a folder renamed within the corpus, as moved).
    """
    src = _relative(event.src_path, root_real)
    dest = _relative(event.dest_path, root_real) if event.dest_path else None
    if event.is_directory:
        if src == "" and isinstance(event, DirDeletedEvent | DirMovedEvent):
            return [Change(ROOT_GONE)]
        if src and isinstance(event, DirDeletedEvent | DirMovedEvent) and _visible(src):
            return [Change(DIR_GONE, src + "/")]
        return []
    out: list[Change] = []
    if isinstance(event, FileMovedEvent):
        if src and is_corpus_relpath(src):
            out.append(Change(GONE, src))
        if dest and is_corpus_relpath(dest):
            out.append(Change(MOVED, dest))
        return out
    if not src or not is_corpus_relpath(src):
        return []
    if isinstance(event, FileClosedEvent | FileModifiedEvent):
        return [Change(WRITTEN, src)]
    if isinstance(event, FileCreatedEvent):
        return [Change(FOUND, src)]
    if isinstance(event, FileDeletedEvent):
        return [Change(GONE, src)]
    return []


def leaves_tree(event: FileSystemEvent, root_real: str) -> bool:
    """Whether a folder inside the corpus was renamed to somewhere outside it."""
    if not (event.is_directory and isinstance(event, DirMovedEvent)):
        return False
    src = _relative(event.src_path, root_real)
    return bool(src) and (not event.dest_path or _relative(event.dest_path, root_real) is None)


def _relative(path: bytes | str, root_real: str) -> str | None:
    """A reported path relative to the corpus ("/" separators), None if outside it."""
    return inside(root_real, os.fsdecode(path)) if path else None


def _visible(rel_folder: str) -> bool:
    return not any(part.startswith(".") for part in rel_folder.split("/"))
