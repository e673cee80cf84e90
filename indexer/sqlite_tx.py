"""One write transaction on a SQLite connection opened in autocommit mode.

The manifest and the site-template counts are both SQLite files kept beside an index
generation; both take the write lock at the start (BEGIN IMMEDIATE, so a second writer
waits at once instead of failing at its first write) and undo everything on any exception,
Ctrl-C included. Defined here once so the two stay the same.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator


@contextlib.contextmanager
def immediate(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (re-raised)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
