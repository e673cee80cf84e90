"""The corpus against the manifest: which files an update must read, and what each is.

One corpus walk (indexer/corpus.py) serves the build, the update and the watcher; here a
missing folder is an error, since a mistyped path must not remove every article. A file
whose size and mtime match the manifest is not read; one whose bytes match costs a hash;
only the rest go through the pipeline (`classify`, pure, so it runs in workers).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from indexer.corpus import CorpusFile, CorpusWalk, corpus_relpath, walk
from indexer.index.errors import CorpusNotFound
from indexer.models import Skipped
from indexer.write import stories
from indexer.write.manifest import FileState
from indexer.write.session import Upsert
from indexer.write.workers import extract

if TYPE_CHECKING:
    from indexer.extract.pipeline import PageLines


def walk_corpus(root: Path) -> CorpusWalk:
    """corpus.walk (pages by real path, links outside refused), but a missing corpus
    folder is an error, not an empty corpus: a mistyped path must not remove every article.
    """
    root = Path(root)
    if not root.exists():
        raise CorpusNotFound(f"corpus folder {root} does not exist")
    return walk(root)


def stat_diff(
    recorded: dict[str, tuple[int, int]], files: dict[str, CorpusFile]
) -> tuple[list[CorpusFile], list[str], int]:
    """The files whose size or mtime differ from the manifest's record (sorted by path),
    the recorded paths no longer in the corpus (sorted), and how many files matched."""
    work = [cf for rel, cf in files.items() if recorded.get(rel) != (cf.size, cf.mtime_ns)]
    work.sort(key=lambda cf: cf.relpath)
    gone = sorted(recorded.keys() - files.keys())
    return work, gone, len(files) - len(work)


def hash_file(path: Path) -> str | None:
    """sha256 of a file's bytes, or None if it cannot be read or is over the size limit."""
    from indexer.extract.load import file_hash
    from indexer.extract.patterns import MAX_FILE_BYTES

    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > MAX_FILE_BYTES else file_hash(data)


Row = tuple[CorpusFile, str, str | None, str | None]  # manifest row: file, hash, id, reason


@dataclass(frozen=True)
class Verdict:
    """What one new-looking file turned out to be (computed in a worker, tallied after)."""

    upsert: Upsert | None = None
    row: Row | None = None
    unchanged: bool = False
    skipped: tuple[str, str] | None = None
    found: PageLines | None = None  # what the page adds to its site's template counts


def classify(cf: CorpusFile, known: FileState | None, corpus: Path) -> Verdict:
    """Decide what one new-looking file means: an upsert, or just a manifest row.

    A file whose bytes are unchanged (a touch, or sizes/mtimes unknown after a manifest
    rebuild) costs one hash, not a pipeline run. A file that is now bad keeps its last
    good article in the index: bad input never removes what readers could find.
    Pure (no tally, no index access), so it can run in a worker process.
    """
    if known is not None and known.file_hash and known.reason is None:
        digest = hash_file(Path(cf.path))
        if digest == known.file_hash:
            return Verdict(row=(cf, digest, known.id, None), unchanged=True)
    result, found = extract(cf, corpus)
    if isinstance(result, Skipped):
        row = (cf, result.file_hash, known.id if known else None, result.reason)
        return Verdict(row=row, skipped=(result.path, result.reason))
    if known is not None and known.id and known.file_hash == result.file_hash:
        return Verdict(row=(cf, result.file_hash, known.id, None), unchanged=True)
    minhash = stories.signature(result.body)
    is_new = known is None or known.id is None
    return Verdict(upsert=Upsert(cf, result, minhash, is_new), found=found)


def index_targets(corpus: Path, paths: list[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    """The paths as (file, real relative path), each real file once (a file named twice,
    or under a link and its own name, must not become two documents with one id), and the
    relative paths, as given, of those whose real path lies outside the corpus."""
    targets: dict[str, Path] = {}
    outside: list[str] = []
    for raw in paths:
        path = Path(raw) if Path(raw).is_absolute() else corpus / raw
        relpath = corpus_relpath(path, corpus)
        if relpath:
            targets.setdefault(relpath, corpus / relpath)
        else:
            outside.append(os.path.relpath(path, corpus).replace(os.sep, "/"))
    return list((path, rel) for rel, path in targets.items()), outside
