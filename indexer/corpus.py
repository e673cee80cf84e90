"""Which files in the corpus folder are pages: one rule for the pipeline, the store and watch.

Hidden and temporary names are left out because a crawler or a copy tool may still be
writing them; only .txt/.html/.htm pages count. Kept free of heavy imports: a no-change
update and the watcher call this without loading the extraction stack.
"""

from __future__ import annotations

import logging
import os

from indexer.patterns import CORPUS_SUFFIXES, TEMP_SUFFIXES

log = logging.getLogger(__name__)


def is_corpus_name(name: str) -> bool:
    """Whether a file name is a corpus page (not hidden, temporary or foreign)."""
    low = name.lower()
    if low.startswith((".", "~")) or low.endswith(TEMP_SUFFIXES):
        return False
    return low.endswith(CORPUS_SUFFIXES)


def list_folder(path: str | os.PathLike[str]) -> tuple[list[os.DirEntry], list[os.DirEntry]]:
    """The visible subfolders and the corpus pages directly inside `path`.

    An unreadable folder logs a warning and lists nothing; an entry that vanishes between
    listing and checking is passed over.
    """
    try:
        entries = list(os.scandir(path))
    except OSError as exc:
        log.warning("cannot list %s: %s", path, exc)
        return [], []
    folders: list[os.DirEntry] = []
    pages: list[os.DirEntry] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                folders.append(entry)
            elif entry.is_file() and is_corpus_name(entry.name):
                pages.append(entry)
        except OSError:
            continue
    return folders, pages
