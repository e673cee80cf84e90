"""The one family of errors an unusable index or corpus raises, for every caller.

The writer and the reader raise these same classes, so the CLI catches `IndexerError`
and the web layer maps each class to one status, without knowing which side raised it.

Why IndexNotFound is also a FileNotFoundError: an index that is missing, outdated or
damaged is "the files this needs are not (usable) there", and callers that already report
any OSError in one line (the CLI's search, the reader's retry when a commit removed the
files it had just listed) treat it so without a clause of their own. A caller that tells
a full disk (an OSError too) from a missing index must catch IndexNotFound first.
"""

from __future__ import annotations

from pathlib import Path

REBUILD = "rebuild it with `python -m indexer build`"


class IndexerError(Exception):
    """Base of the errors raised on purpose: each says in one line what is wrong and what
    to do about it."""


class IndexNotFound(IndexerError, FileNotFoundError):
    """The index root has no usable `current` generation."""


class IndexOutdated(IndexNotFound):
    """The index was written by an older version of this program (another format), or a
    file it needs is not what this version reads: only a rebuild fixes it."""

    def __init__(self, where: Path | str, why: str = "") -> None:
        if why:
            message = (
                f"the index at {where} cannot be used ({why}): it was written by an older "
                f"version of this program or is damaged; {REBUILD}"
            )
        else:
            message = (
                f"the index at {where} was written by an older version of this program: {REBUILD}"
            )
        super().__init__(message)


class IndexDamaged(IndexNotFound):
    """A file of the index differs from what its writer recorded (integrity.py says how
    that is known), or cannot be read: only a rebuild makes it whole again."""

    def __init__(self, where: Path | str, why: str) -> None:
        super().__init__(f"the index at {where} is damaged: {why}; {REBUILD}")


def first_problems(problems: list[str] | tuple[str, ...]) -> str:
    """The first of several problems, and how many more: what fits in one line."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


class IndexLocked(IndexerError):
    """Another writer holds the index; raised after waiting `lock_timeout` seconds."""


class CorpusNotFound(IndexerError):
    """The corpus folder given to build or update does not exist (or would remove every
    article)."""


class WriterFailed(IndexerError):
    """A process writing part of a build failed; its message says why."""
