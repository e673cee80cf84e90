"""The writers' lock: one writer at a time per index root.

Every writer (build, update, the web endpoints, watch) first takes an exclusive
`fcntl.flock` on `<root>/write.lock` (indexer/index/layout.py), waiting at most
`lock_timeout` seconds before raising IndexLocked; inside, each batch also takes Whoosh's
own write lock. Both are flock locks, so the kernel releases them when their process dies,
however it dies: a stale lock *file* is harmless and needs no cleanup.

Where there is no fcntl (Windows), `msvcrt.locking` takes the same exclusive lock on the
file's first byte, also released when its process ends; where neither exists, the lock
is held within this process only (one thread at a time), which is what a one-process
server needs: such a platform has no fork, so the web server runs as one process
(webui/workers.py). `locker` picks the first that the platform has.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

from indexer.index.errors import IndexLocked
from indexer.index.layout import LOCK_FILE

# Descriptors of the writer locks this process holds. A forked worker inherits them, and
# an flock lasts until the last descriptor of it is closed: a worker that outlived a
# killed parent would keep the index locked. Workers close them first (worker_init).
_held_locks: set[int] = set()


class Locker:
    """An exclusive, non-waiting lock on an open lock file's descriptor.

    This base holds it within this process only (one descriptor per file at a time): the
    fallback where the platform offers no file lock. Its subclasses take the platform's
    lock, which the kernel also releases when the holding process dies.
    """

    def __init__(self) -> None:
        self._held: dict[tuple[int, int], int] = {}  # (device, inode) -> descriptor
        self._guard = threading.Lock()

    def acquire(self, fd: int) -> bool:
        """Take the lock now if nobody holds it: True if taken."""
        key = _file_key(fd)
        with self._guard:
            if self._held.get(key, fd) != fd:
                return False
            self._held[key] = fd
            return True

    def release(self, fd: int) -> None:
        """Let the lock go (before the descriptor is closed)."""
        key = _file_key(fd)
        with self._guard:
            if self._held.get(key) == fd:
                del self._held[key]


def _file_key(fd: int) -> tuple[int, int]:
    st = os.fstat(fd)
    return st.st_dev, st.st_ino


_BUSY = (errno.EAGAIN, errno.EACCES, errno.EDEADLK)


def _taken(try_lock: Callable[[], object]) -> bool:
    """Run one non-blocking lock call: True if it took the lock, False if another holder
    has it (the errnos of _BUSY); any other error is real and raised."""
    try:
        try_lock()
    except OSError as exc:
        if exc.errno not in _BUSY:
            raise
        return False
    return True


class FlockLocker(Locker):
    """POSIX `flock`: closing the descriptor releases it."""

    def __init__(self, fcntl: ModuleType) -> None:
        super().__init__()
        self.fcntl = fcntl

    def acquire(self, fd: int) -> bool:
        return _taken(lambda: self.fcntl.flock(fd, self.fcntl.LOCK_EX | self.fcntl.LOCK_NB))

    def release(self, fd: int) -> None:
        pass  # the close that follows releases it


class MsvcrtLocker(Locker):
    """Windows `msvcrt.locking` on the file's first byte (locking past the end is allowed)."""

    def __init__(self, msvcrt: ModuleType) -> None:
        super().__init__()
        self.msvcrt = msvcrt

    def acquire(self, fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        return _taken(lambda: self.msvcrt.locking(fd, self.msvcrt.LK_NBLCK, 1))

    def release(self, fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            self.msvcrt.locking(fd, self.msvcrt.LK_UNLCK, 1)


def _optional(name: str) -> ModuleType | None:
    """The platform module `name`, or None where the platform lacks it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def pick_locker(fcntl: ModuleType | None, msvcrt: ModuleType | None) -> Locker:
    """The lock of the first platform module present (fcntl, then msvcrt), else the
    in-process one."""
    if fcntl is not None:
        return FlockLocker(fcntl)
    if msvcrt is not None:
        return MsvcrtLocker(msvcrt)
    return Locker()


LOCKER = pick_locker(_optional("fcntl"), _optional("msvcrt"))
# O_CLOEXEC: a program this process runs never holds the lock (POSIX; Windows lacks it,
# and its descriptors are not inherited by default).
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)


@contextlib.contextmanager
def write_lock(index_root: Path, timeout: float) -> Iterator[None]:
    """Hold the index root's writer lock, waiting at most `timeout` seconds for it."""
    root = Path(index_root)
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK_FILE, _OPEN_FLAGS, 0o644)
    _held_locks.add(fd)
    locked = False
    try:
        deadline = time.monotonic() + max(timeout, 0.0)
        while not (locked := LOCKER.acquire(fd)):
            if time.monotonic() >= deadline:
                raise IndexLocked(
                    f"index at {root} is being written by another process "
                    f"(waited {timeout:g} s); try again when it finishes"
                )
            time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _held_locks.discard(fd)
        if locked:
            LOCKER.release(fd)
        os.close(fd)  # closing the descriptor releases an flock


def release_inherited() -> None:
    """In a forked worker: close this process's copies of the parent's lock descriptors
    (the parent's lock stays held), so the worker never holds the index locked."""
    for fd in list(_held_locks):
        with contextlib.suppress(OSError):
            os.close(fd)
    _held_locks.clear()
