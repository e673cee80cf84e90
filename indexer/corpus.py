"""Which files in the corpus folder are pages, and where they really are: one walk for the
pipeline, the writer and watch.

Hidden and temporary names are left out because a crawler or a copy tool may still be
writing them; only .txt/.html/.htm pages count. The corpus is walked by real path, once per
file: a symbolic link is followed only when its target lies inside the corpus folder, and a
folder reached twice (a link back to a parent, `ln -s . loop`) is walked once. A page's
relative path, hence its article id, is that of its real file, whichever name it was found
under. Links leading outside the corpus folder are refused and reported ("outside the corpus
folder"): a link to /etc/passwd must never become an article anyone can read.

Kept free of heavy imports: a no-change update and the watcher call this without loading
the extraction stack.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

CORPUS_SUFFIXES = (".txt", ".html", ".htm")
# Temp and partial files a crawler leaves behind.
TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".swp", ".partial", "~")

OUTSIDE = "outside the corpus folder"
NOT_A_PAGE = "not a page (" + ", ".join(CORPUS_SUFFIXES) + "; not hidden or temporary)"


def is_corpus_name(name: str) -> bool:
    """Whether a file name is a corpus page (not hidden, temporary or foreign)."""
    low = name.lower()
    if low.startswith((".", "~")) or low.endswith(TEMP_SUFFIXES):
        return False
    return low.endswith(CORPUS_SUFFIXES)


def is_corpus_relpath(relpath: str) -> bool:
    """Whether a path relative to the corpus root names a page: no hidden folder on the way
    (`.git/x.txt` is not a page) and a page's own name."""
    *folders, name = relpath.split("/")
    return not any(part.startswith(".") for part in folders) and is_corpus_name(name)


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


# --- containment -----------------------------------------------------------------------


def real_root(root: str | os.PathLike[str]) -> str:
    """The corpus folder's own real path (the folder itself may be a link: that is fine)."""
    return os.path.realpath(root)


def inside(root_real: str, real: str) -> str | None:
    """`real` relative to `root_real` with "/" separators ("" for the root itself), or None
    when it lies outside. Both must already be real paths."""
    if real == root_real:
        return ""
    prefix = root_real.rstrip(os.sep) + os.sep
    if not real.startswith(prefix):
        return None
    return real[len(prefix) :].replace(os.sep, "/")


def corpus_relpath(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> str | None:
    """The real path of `path` relative to the corpus root, or None if it lies outside (or
    cannot be a path at all: an embedded NUL, a name the system refuses)."""
    try:
        return inside(real_root(root), os.path.realpath(path))
    except (OSError, ValueError):
        return None


def contained(root: str | os.PathLike[str], relpath: str) -> Path | None:
    """The real path of `relpath` under the corpus root if it is a regular file inside it,
    else None. Every reader of a corpus file by a name it was given goes through here, so a
    link, a `..` or a name the system refuses (NUL, too long) is "not there", never an error.
    """
    if not relpath or "\x00" in relpath:
        return None
    try:
        root_real = real_root(root)
        real = os.path.realpath(os.path.join(root_real, relpath))
        if not inside(root_real, real):
            return None
        target = Path(real)
        return target if target.is_file() else None
    except (OSError, ValueError):
        return None


# --- the walk --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusFile:
    """One page as the walk found it. Slots: at 1,000,000 pages a walk holds 1,000,000 of
    these, 64 bytes each instead of 160 with a __dict__."""

    relpath: str
    path: str  # a str, not a Path: 100k Path objects are most of a no-change update's time
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class CorpusWalk:
    """The pages of a corpus by real relative path, and the links that were refused
    (the name they were found under, and why)."""

    files: dict[str, CorpusFile]
    refused: tuple[tuple[str, str], ...] = ()


def walk(root: str | os.PathLike[str]) -> CorpusWalk:
    """Every page under `root` with its size and mtime, keyed by real relative path.

    os.scandir gives the stat with the listing (this walk is most of what a no-change
    update costs); only links cost a realpath. Each file's `path` is `root` joined with its
    real relative path, so reading it passes through no link but the root's own.
    A plain file (no link) needs no containment check: it lies in a real folder of the
    corpus, whose name and every parent's were checked on the way down; so it costs a
    stat and a record, about 3 microseconds, which at 1,000,000 pages is the walk.
    """
    base = os.fspath(root)
    if os.path.isfile(base):
        st = os.stat(base)
        name = os.path.basename(base)
        return CorpusWalk({name: CorpusFile(name, base, st.st_size, st.st_mtime_ns)})
    root_real = real_root(base)
    base_sep = os.path.join(base, "")
    files: dict[str, CorpusFile] = {}
    refused: list[tuple[str, str]] = []
    seen = {root_real}
    stack: list[tuple[str, str, str]] = [(root_real, "", "")]  # real folder, real rel, seen as
    while stack:
        folder, rel_prefix, seen_prefix = stack.pop()
        folders, pages = list_folder(folder)
        for entry in folders:
            found = follow(entry, root_real, folder, rel_prefix)
            if found is None:
                refused.append((seen_prefix + entry.name, OUTSIDE))
            elif found[0] not in seen and not _hidden(found[1]):
                seen.add(found[0])
                stack.append((found[0], found[1], seen_prefix + entry.name + "/"))
        for entry in pages:
            try:
                plain = not entry.is_symlink()
            except OSError:
                plain = False
            if plain:
                rel = rel_prefix + entry.name
            else:
                found = follow(entry, root_real, folder, rel_prefix)
                if found is None:
                    refused.append((seen_prefix + entry.name, OUTSIDE))
                    continue
                rel = found[1].rstrip("/")
                if not is_corpus_relpath(rel):
                    continue  # a link to a hidden file
            if rel in files:
                continue  # met already under another name
            try:
                st = entry.stat()
            except OSError:
                continue  # vanished between listing and stat
            files[rel] = CorpusFile(rel, base_sep + rel, st.st_size, st.st_mtime_ns)
    return CorpusWalk(files, tuple(sorted(refused)))


def _hidden(rel_folder: str) -> bool:
    """Whether a real folder path ("a/b/") has a hidden part (a link to `.git/` is no
    way into it)."""
    return any(part.startswith(".") for part in rel_folder.split("/"))


def follow(
    entry: os.DirEntry, root_real: str, folder: str, rel_prefix: str
) -> tuple[str, str] | None:
    """(real path, real relative path; folders end in "/") of an entry listed in the real
    folder `folder`, or None if it is a link leading outside the corpus."""
    try:
        is_link = entry.is_symlink()
    except OSError:
        is_link = True
    if not is_link:
        real, rel = os.path.join(folder, entry.name), rel_prefix + entry.name
    else:
        real = os.path.realpath(entry.path)
        found = inside(root_real, real)
        if found is None:
            return None
        rel = found
    if entry.is_dir():
        return real, (rel + "/" if rel else "")
    return real, rel


def iter_pages(root: str | os.PathLike[str]) -> list[Path]:
    """Every page under `root`, sorted by relative path (see `walk`)."""
    found = walk(root).files
    return [Path(found[rel].path) for rel in sorted(found)]
