"""The writers' lock: one writer at a time per index root.

Every writer (build, update, the web endpoints, watch) first takes an exclusive
`fcntl.flock` on `<root>/write.lock` (indexer/index/layout.py), waiting at most
`lock_timeout` seconds before raising IndexLocked; inside, each batch also takes Whoosh's
own write lock. Both are flock locks, so the kernel releases them when their process dies,
however it dies: a stale lock *file* is harmless and needs no cleanup.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

from indexer.index.errors import IndexLocked
from indexer.index.layout import LOCK_FILE

# Descriptors of the writer locks this process holds. A forked worker inherits them, and
# an flock lasts until the last descriptor of it is closed: a worker that outlived a
# killed parent would keep the index locked. Workers close them first (worker_init).
_held_locks: set[int] = set()


@contextlib.contextmanager
def write_lock(index_root: Path, timeout: float) -> Iterator[None]:
    """Hold the index root's writer lock, waiting at most `timeout` seconds for it."""
    root = Path(index_root)
    root.mkdir(parents=True, exist_ok=True)
    # O_CLOEXEC: a program this process runs never holds it either.
    fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _held_locks.add(fd)
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        f"index at {root} is being written by another process "
                        f"(waited {timeout:g} s); try again when it finishes"
                    ) from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _held_locks.discard(fd)
        os.close(fd)  # closing the descriptor releases the flock


def release_inherited() -> None:
    """In a forked worker: close this process's copies of the parent's lock descriptors
    (the parent's lock stays held), so the worker never holds the index locked."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()
