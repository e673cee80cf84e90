"""The build's spool: extracted articles on disk between reading and writing segments.

Where it sits: a full build (full_build.py) reads every page first and can write no
document before story grouping is done, since each document stores its story and its
canonical flag (index/fields.py). Grouping needs only small facts per article (stories.
Member); the articles themselves wait here, one pickled record each, appended as the
extraction workers hand them over, and are read back one at a time by the processes
that write the segments. So the build holds a batch of articles, never the corpus: the
memory of a build is the members, a few hundred bytes per article, plus one segment's
postings per writing process.

The spool file lives in the new generation's folder (layout.SPOOL) and is removed once
the segments are written; a build that fails or is killed removes the whole generation
with it, so an interrupted build leaves the old generation current and nothing behind.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterable, Iterator
from pathlib import Path

from indexer.models import Article


class SpoolWriter:
    """Appends records; each is found again by the offset `put` returns."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file = open(self.path, "wb")  # closed by close() or the with block

    def put(self, article: Article) -> int:
        """Append one article; returns the offset it begins at. Its MinHash signature
        is not spooled: grouping has it (stories.Member), the segments do not store it."""
        offset = self._file.tell()
        pickle.dump(article, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        return offset

    def flush(self) -> None:
        """Write out what is buffered: before forking, so no child holds a copy of it."""
        self._file.flush()

    def close(self) -> None:
        """Flush what was written: readers (other processes too) may open it from now."""
        self._file.close()

    def __enter__(self) -> SpoolWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_records(path: Path, offsets: Iterable[int]) -> Iterator[Article]:
    """The records at these offsets, in the order given, one at a time.

    Records are seeked to only when they are not where the previous one ended: a build
    reads its spool nearly in the order it was written (pages read again with their
    site's template were appended after the others).
    """
    with open(path, "rb") as f:
        for offset in offsets:
            if f.tell() != offset:
                f.seek(offset)
            yield pickle.load(f)  # our own file, written by this build


def read_record(path: Path, offset: int) -> Article:
    """The one record at `offset`: what a worker compares a page read again with (the
    writer flushed it before the workers were forked)."""
    return next(read_records(path, [offset]))
