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
    DirCreatedEvent,
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
FOUND = "found"  # found in a folder that appeared (or created, where no close is reported)
DIR_GONE = "dir_gone"
RESCAN = "rescan"  # events were lost: sweep the corpus
ROOT_GONE = "root_gone"  # the corpus folder itself was deleted or moved away

# The events worth asking for where the system reports a close after writing (Linux):
# not a file's creation or modifications, so a file still open for writing raises
# nothing (and one write() call is not one event). Elsewhere a modification is all there
# is. Creations are still asked for: watchdog reports a new folder's files as created.
WITH_CLOSES = [
    DirCreatedEvent,
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


def translate(
    event: FileSystemEvent, root_real: str, *, closes: bool = False, fresh: str | None = None
) -> list[Change]:
    """The Changes on corpus pages that one watchdog event stands for (often none).

    A folder that appears raises no Change of its own: watchdog reports the files it
    already holds as created, right after it (or, for a folder renamed within the corpus,
    as moved). Where `closes` are reported, a file created anywhere but in the folder
    `fresh` that just appeared is left to its close: it is being written.
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
        if closes and not (fresh and src.startswith(fresh)):
            return []
        return [Change(FOUND, src)]
    if isinstance(event, FileDeletedEvent):
        return [Change(GONE, src)]
    return []


def appeared(event: FileSystemEvent, root_real: str) -> str | None:
    """The folder prefix ("a/b/") of a visible folder that appeared in the corpus, created
    or renamed in, or None."""
    if isinstance(event, DirCreatedEvent):
        rel = _relative(event.src_path, root_real)
    elif isinstance(event, DirMovedEvent) and event.dest_path:
        rel = _relative(event.dest_path, root_real)
    else:
        return None
    return rel + "/" if rel and _visible(rel) else None


def still_fresh(event: FileSystemEvent, root_real: str, fresh: str | None) -> str | None:
    """The folder whose files watchdog is reporting as created, after this event: a
    folder that appeared starts it (one inside it keeps it), a creation inside it keeps
    it, anything else ends it."""
    folder = appeared(event, root_real)
    if folder is not None:
        return fresh if fresh and folder.startswith(fresh) else folder
    if fresh and isinstance(event, DirCreatedEvent | FileCreatedEvent):
        src = _relative(event.src_path, root_real)
        if src and src.startswith(fresh):
            return fresh
    return None


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
