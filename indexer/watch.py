"""Keep the index in step with the corpus folder: react to file events, index what settled.

Sits on top of store.py (which does the writing). On Linux the corpus tree is watched with
inotify, so a new page is indexed a fraction of a second after it lands instead of after
the next walk of the corpus (0.7 s per walk at 100k files, plus the poll interval).
inotify is reached through ctypes (inotify_init1, inotify_add_watch, inotify_rm_watch on
libc; events are read from the descriptor with os.read): three calls and one struct do
not justify a dependency (inotify_simple on PyPI, for one, is this same ctypes code).

Polling with os.scandir remains. It is the fallback: on other platforms, where inotify
cannot be set up or its watch limit is hit (the watcher logs why and switches), and by
choice with `poll=True` (`watch --poll`) for network and container mounts where inotify
events never arrive. And in event mode the whole corpus is swept at start (the catch-up
update) and every `sweep` seconds, so a change whose event was lost (a queue overflow, a
folder that could not be watched) is still indexed.

A file is indexed only once it has settled. With inotify, a rename into the corpus
(IN_MOVED_TO) is complete at once (that is how copy tools publish a file), while a file
closed after writing (IN_CLOSE_WRITE) must keep the same size and mtime for a settle
delay, because some writers close and reopen. A file still open for writing raises no
event. Polling keeps the same check across two looks. Events arriving together (gaps
under `quiet`, at most `window` seconds) are indexed in one store.index_files call (one
commit), which also removes files that are gone; if another writer holds the index lock,
the batch is retried `interval` seconds later.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import logging
import os
import select
import struct
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer import store
from indexer.corpus import (
    corpus_relpath,
    follow,
    is_corpus_name,
    is_corpus_relpath,
    list_folder,
    real_root,
)

log = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]  # relpath -> (size, mtime_ns)
Stat = tuple[int, int] | None  # (size, mtime_ns), None when the file is gone

SETTLE = 0.25  # seconds a closed file must keep its size and mtime before it is indexed
WINDOW = 0.2  # at most this many seconds of a burst of events go into one batch
QUIET = 0.05  # a burst has ended when no event came for this many seconds
SWEEP = 60.0  # seconds between full sweeps of the corpus in event mode
TICK = 0.5  # longest wait for events, so `stop()` is looked at this often


def snapshot(corpus: Path) -> Snapshot:
    return {rel: (cf.size, cf.mtime_ns) for rel, cf in store.scan_corpus(corpus).items()}


def _stat(corpus: Path, rel: str) -> Stat:
    try:
        st = os.stat(os.path.join(corpus, rel))
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def restat(corpus: Path, paths: set[str], now: Snapshot) -> Snapshot:
    """`now` with the given paths looked at again (a stat each, not a walk of the corpus:
    at 100k files a walk costs half a second)."""
    out = dict(now)
    for rel in paths:
        st = _stat(corpus, rel)
        if st is None:
            out.pop(rel, None)
        else:
            out[rel] = st
    return out


def changed_paths(base: Snapshot, now: Snapshot) -> set[str]:
    """Paths that differ between the indexed state and now (new, changed or vanished)."""
    out = {p for p, st in now.items() if base.get(p) != st}
    out.update(p for p in base if p not in now)
    return out


def settled(paths: set[str], first: Snapshot, second: Snapshot) -> set[str]:
    """The changed paths that looked the same in both snapshots (or were gone in both)."""
    return {p for p in paths if first.get(p) == second.get(p)}


# --- inotify ---------------------------------------------------------------------------

IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = 0o4000
IN_CLOEXEC = 0o2000000

DIR_MASK = (
    IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
    | IN_ONLYDIR
)
_HEADER = struct.Struct("iIII")  # wd, mask, cookie, len (then len bytes of name)


class InotifyUnavailable(OSError):
    """Not Linux, no inotify in libc, or the kernel refused an instance."""


class WatchLimit(OSError):
    """The per-user inotify watch limit (fs.inotify.max_user_watches) was reached."""


class RootGone(OSError):
    """The corpus folder itself was deleted or moved away."""


@dataclass(frozen=True)
class Event:
    wd: int
    mask: int
    name: str


class Inotify:
    """One inotify instance through libc (see the module docstring for why ctypes)."""

    def __init__(self) -> None:
        if not sys.platform.startswith("linux"):
            raise InotifyUnavailable(f"no inotify on {sys.platform}")
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            self._add = libc.inotify_add_watch
            self._rm = libc.inotify_rm_watch
            init = libc.inotify_init1
        except (OSError, AttributeError) as exc:
            raise InotifyUnavailable(f"inotify not found in libc: {exc}") from exc
        self._add.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_uint32]
        self._rm.argtypes = [ctypes.c_int, ctypes.c_int]
        fd = init(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            raise InotifyUnavailable(err, f"inotify_init1: {os.strerror(err)}")
        self.fd = fd

    def add_watch(self, path: str, mask: int) -> int:
        wd = self._add(self.fd, os.fsencode(path), mask)
        if wd < 0:
            err = ctypes.get_errno()
            if err == errno.ENOSPC:
                raise WatchLimit(err, "inotify watch limit reached (fs.inotify.max_user_watches)")
            raise OSError(err, os.strerror(err), path)
        return wd

    def rm_watch(self, wd: int) -> None:
        self._rm(self.fd, wd)  # EINVAL for a watch the kernel already dropped: nothing to do

    def read(self, timeout: float) -> list[Event]:
        """The events available within `timeout` seconds (none if nothing happened)."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return []
        chunks = []
        while True:
            try:
                chunks.append(os.read(self.fd, 65536))
            except BlockingIOError:
                break
        return list(parse_events(b"".join(chunks)))

    def close(self) -> None:
        os.close(self.fd)


def parse_events(data: bytes) -> Iterable[Event]:
    """Split what read() returned on an inotify descriptor into events."""
    pos = 0
    while pos + _HEADER.size <= len(data):
        wd, mask, _cookie, length = _HEADER.unpack_from(data, pos)
        pos += _HEADER.size
        name = os.fsdecode(data[pos : pos + length].rstrip(b"\0"))
        pos += length
        yield Event(wd, mask, name)


# What a watched tree reports (relative paths; for DIR_GONE a folder prefix ending in "/").
WRITTEN = "written"  # closed after writing: complete once it has settled
MOVED = "moved"  # renamed into place: complete now
GONE = "gone"  # deleted or renamed away
FOUND = "found"  # found in a folder that appeared: may still be being written
DIR_GONE = "dir_gone"
RESCAN = "rescan"  # the kernel dropped events: sweep the corpus


@dataclass(frozen=True)
class Change:
    kind: str
    relpath: str = ""


class TreeWatcher:
    """inotify watches on every (non-hidden) folder of the corpus, kept current as
    folders appear, vanish and move; turns raw events into Changes on corpus pages."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = str(corpus)
        self.root_real = real_root(corpus)
        self.ino = Inotify()
        self.dirs: dict[int, str] = {}  # wd -> folder prefix relative to the corpus
        try:
            self.add_tree("")
        except BaseException:
            self.close()
            raise
        self.root_wd = self._wd_of("")

    def _wd_of(self, prefix: str) -> int:
        return next(wd for wd, p in self.dirs.items() if p == prefix)

    def watched(self) -> set[str]:
        return set(self.dirs.values())

    def add_tree(self, prefix: str) -> list[str]:
        """Watch the folder `prefix` ("" for the corpus, else ending in "/") and every
        folder below it; returns the corpus pages already in them (they appeared before
        the watch did, so no event will tell about them).

        Folders are watched under their real path, as corpus.walk lists them: a link to a
        folder inside the corpus is the folder itself, a link leading outside is not
        followed at all (its files are no pages of this corpus)."""
        found: list[str] = []
        stack = [prefix]
        done: set[str] = set()  # a folder and a link to it are one folder
        while stack:
            pre = stack.pop()
            if pre in done:
                continue
            done.add(pre)
            path = os.path.join(self.corpus, pre) if pre else self.corpus
            try:
                wd = self.ino.add_watch(path, DIR_MASK)
            except WatchLimit:
                raise
            except OSError as exc:
                if pre == "":
                    raise InotifyUnavailable(exc.errno, f"cannot watch the corpus: {exc}") from exc
                log.debug("not watching %s: %s", path, exc)  # vanished, or unreadable
                continue
            if self.dirs.get(wd, pre) != pre:
                continue  # a folder already watched under another name (a symlink loop)
            self.dirs[wd] = pre
            folders, pages = list_folder(path)
            real = os.path.join(self.root_real, pre) if pre else self.root_real
            for entry in folders:
                target = follow(entry, self.root_real, real, pre)
                if target is None:
                    log.info("not following %s%s: it leads outside the corpus", pre, entry.name)
                elif target[1] and not target[1].startswith(".") and "/." not in target[1]:
                    stack.append(target[1])
            for entry in pages:
                target = follow(entry, self.root_real, real, pre)
                if target is not None and is_corpus_relpath(target[1]):
                    found.append(target[1])
        return found

    def drop_tree(self, prefix: str) -> None:
        """Forget the watches on a folder that moved away (its watches would otherwise
        report under the old name)."""
        for wd, pre in list(self.dirs.items()):
            if pre.startswith(prefix):
                self.ino.rm_watch(wd)
                del self.dirs[wd]

    def read(self, timeout: float) -> list[Change]:
        """Changes within `timeout` seconds. Raises RootGone or WatchLimit, after which
        this watcher is no use (the caller falls back to polling)."""
        out: list[Change] = []
        for ev in self.ino.read(timeout):
            out.extend(self._changes(ev))
        return out

    def read_burst(
        self, window: float, quiet: float, clock: Callable[[], float] = time.monotonic
    ) -> list[Change]:
        """The rest of a burst: changes until `quiet` seconds pass without any event (even
        one that changes nothing, such as a copy tool's temporary file), for at most
        `window` seconds. A lone page waits only `quiet`; a copy of many files (events
        every few milliseconds) goes into one batch, hence one commit."""
        out: list[Change] = []
        deadline = clock() + window
        while (left := deadline - clock()) > 0:
            events = self.ino.read(min(quiet, left))
            if not events:
                break
            for ev in events:
                out.extend(self._changes(ev))
        return out

    def _changes(self, ev: Event) -> list[Change]:
        if ev.mask & IN_Q_OVERFLOW:
            log.warning("inotify queue overflowed; sweeping the corpus")
            return [Change(RESCAN)]
        if ev.wd == self.root_wd and ev.mask & (IN_DELETE_SELF | IN_MOVE_SELF):
            raise RootGone(errno.ENOENT, f"corpus folder {self.corpus} was removed or moved")
        prefix = self.dirs.get(ev.wd)
        if prefix is None or not ev.name or ev.name.startswith("."):
            if ev.mask & IN_IGNORED:
                self.dirs.pop(ev.wd, None)
            return []
        rel = prefix + ev.name
        if ev.mask & IN_ISDIR:
            if ev.mask & (IN_CREATE | IN_MOVED_TO):
                return [Change(FOUND, p) for p in self.add_tree(rel + "/")]
            if ev.mask & (IN_DELETE | IN_MOVED_FROM):
                self.drop_tree(rel + "/")
                return [Change(DIR_GONE, rel + "/")]
            return []
        if not is_corpus_name(ev.name):
            return []
        if ev.mask & IN_MOVED_TO:
            return [Change(MOVED, rel)]
        if ev.mask & IN_CLOSE_WRITE:
            return [Change(WRITTEN, rel)]
        if ev.mask & (IN_DELETE | IN_MOVED_FROM):
            return [Change(GONE, rel)]
        return []  # IN_CREATE of a file: its IN_CLOSE_WRITE will follow

    def close(self) -> None:
        self.ino.close()


# --- the loops -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    corpus: Path
    index_root: Path
    report: Callable[[store.UpdateReport], None] | None
    lock_timeout: float


def _index(target: _Target, ready: dict[str, Stat], base: Snapshot) -> bool:
    """Index (or remove) the settled paths in one call and record them in `base`; False
    if another writer held the index lock or the write failed (the caller retries).

    A failed write (a full disk, say) leaves the index at its last commit; a watcher
    runs unattended, so it says so and tries again rather than exiting.
    """
    paths = [target.corpus / p for p in sorted(ready)]
    try:
        result = store.index_files(
            target.index_root, target.corpus, paths, lock_timeout=target.lock_timeout
        )
    except store.IndexLocked as exc:
        log.warning("%s; retrying", exc)
        return False
    except store.IndexDamaged as exc:  # found by the writer's open-time check
        log.error("%s; rebuilding it", exc)
        result = _rebuild(target)
    except OSError as exc:
        log.error("indexing %d files failed: %s; the index keeps its last commit; retrying",
                  len(paths), exc)  # fmt: skip
        return False
    for p, st in ready.items():
        # `base` holds real relative paths only, as the walk lists them: a page met under
        # a link's name (or a link leading outside) is not a page of its own.
        if st is None or corpus_relpath(target.corpus / p, target.corpus) != p:
            base.pop(p, None)
        else:
            base[p] = st
    if target.report:
        target.report(result)
    return True


def _rebuild(target: _Target) -> store.UpdateReport:
    """A full build in place of a damaged index (it reads every file, the ready ones too)."""
    built = store.build(target.corpus, target.index_root, lock_timeout=target.lock_timeout)
    return store.UpdateReport(skipped=built.skipped, seconds=built.seconds)


def _poll_loop(
    target: _Target,
    base: Snapshot,
    *,
    interval: float,
    settle: float,
    stop: Callable[[], bool] | None,
) -> None:
    """Walk the corpus every `interval` seconds and index what changed and settled."""
    corpus = target.corpus
    while not (stop and stop()):
        time.sleep(interval)
        now = snapshot(corpus)
        pending = changed_paths(base, now)
        if not pending:
            continue
        time.sleep(settle)
        later = restat(corpus, pending, now)
        ready = settled(pending, now, later)
        if ready:
            _index(target, {p: later.get(p) for p in ready}, base)


def _event_loop(
    target: _Target,
    tree: TreeWatcher,
    base: Snapshot,
    *,
    interval: float,
    settle: float,
    sweep: float,
    window: float,
    quiet: float,
    stop: Callable[[], bool] | None,
    clock: Callable[[], float],
) -> None:
    """Index on inotify events; sweep the whole corpus every `sweep` seconds.

    Every decision of when a path is due takes its time from `clock` (the settle delay,
    the sweep period, a retry): tests drive it by hand. `stop` is called once per pass.
    """
    corpus = target.corpus
    pending: dict[str, tuple[Stat, float]] = {}  # relpath -> (last look, when to look again)
    next_sweep = clock() + sweep
    while not (stop and stop()):
        wake = min([next_sweep, *(due for _, due in pending.values())])
        changes = tree.read(max(0.0, min(TICK, wake - clock())))
        if changes:  # a burst: collect the rest of it
            changes += tree.read_burst(window, quiet, clock)
        now = clock()
        rescan = note_changes(changes, pending, base, corpus, settle, now)
        if rescan or now >= next_sweep:
            _sweep(tree, base, pending, corpus, settle, now)
            next_sweep = now + sweep
        ready = due_and_settled(pending, corpus, now, settle)
        ready = {p: st for p, st in ready.items() if base.get(p) != st}
        if ready and not _index(target, ready, base):
            for p, st in ready.items():
                pending[p] = (st, clock() + interval)


def note_changes(
    changes: list[Change],
    pending: dict[str, tuple[Stat, float]],
    base: Snapshot,
    corpus: Path,
    settle: float,
    now: float,
) -> bool:
    """Record the changes seen at `now` as pending looks; True if a full sweep is needed.
    A written file is due `settle` seconds later; a move or a deletion at once."""
    rescan = False
    for ch in changes:
        if ch.kind == RESCAN:
            rescan = True
        elif ch.kind == DIR_GONE:
            for p in [p for p in base if p.startswith(ch.relpath)]:
                pending[p] = (_stat(corpus, p), now)
        elif ch.kind in (MOVED, GONE):
            pending[ch.relpath] = (_stat(corpus, ch.relpath), now)
        else:  # WRITTEN, FOUND: wait for the file to settle
            pending[ch.relpath] = (_stat(corpus, ch.relpath), now + settle)
    return rescan


def due_and_settled(
    pending: dict[str, tuple[Stat, float]], corpus: Path, now: float, settle: float
) -> dict[str, Stat]:
    """Take from `pending` the paths that are due and look as they did at the last look;
    a due path that changed since is looked at again after another settle delay."""
    ready: dict[str, Stat] = {}
    for p, (look, due) in list(pending.items()):
        if due > now:
            continue
        st = _stat(corpus, p)
        if st == look:
            ready[p] = st
            del pending[p]
        else:
            pending[p] = (st, now + settle)
    return ready


def _sweep(
    tree: TreeWatcher,
    base: Snapshot,
    pending: dict[str, tuple[Stat, float]],
    corpus: Path,
    settle: float,
    now: float,
) -> None:
    """Walk the corpus; anything that differs from the indexed state and no event told
    about becomes pending, and folders that hold pages but have no watch get one."""
    now_snap = snapshot(corpus)
    due = now + settle
    for p in changed_paths(base, now_snap):
        if p not in pending:
            pending[p] = (now_snap.get(p), due)
    for folder in sorted(_folders(now_snap), key=len):
        if folder not in tree.watched():
            tree.add_tree(folder)  # the pages in it are in the snapshot already


def _folders(paths: Iterable[str]) -> set[str]:
    """Every folder prefix ("a/", "a/b/") that holds one of the paths, at any depth."""
    out: set[str] = set()
    for p in paths:
        cut = p.rfind("/")
        while cut > 0 and p[: cut + 1] not in out:
            out.add(p[: cut + 1])
            cut = p.rfind("/", 0, cut)
    return out


def watch(
    corpus: Path,
    index_root: Path,
    *,
    interval: float = 1.0,
    report: Callable[[store.UpdateReport], None] | None = None,
    stop: Callable[[], bool] | None = None,
    lock_timeout: float = 10.0,
    settle: float = SETTLE,
    poll: bool = False,
    sweep: float = SWEEP,
    window: float = WINDOW,
    quiet: float = QUIET,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Keep the index in step with `corpus` until `stop()` is true or Ctrl-C.

    Starts with a catch-up update (a build if there is no index), then follows inotify
    events (sweeping every `sweep` seconds), or polls every `interval` seconds if `poll`
    is set or inotify is not usable. `interval` is also the retry delay when the index
    is locked. In event mode `clock` (monotonic seconds) times the settle delay, bursts,
    sweeps and retries, and `stop` is called once per pass: a test that injects a clock
    and counts passes knows what the watcher has seen, without sleeping.
    """
    corpus, index_root = Path(corpus), Path(index_root)
    target = _Target(corpus, index_root, report, lock_timeout)
    tree = None if poll else _open_tree(corpus)
    try:
        base = snapshot(corpus)  # before the catch-up: a later change is seen as one
        try:
            first = store.update(corpus, index_root, lock_timeout=lock_timeout)
        except store.IndexNotFound:
            built = store.build(corpus, index_root, lock_timeout=lock_timeout)
            first = store.UpdateReport(skipped=built.skipped, seconds=built.seconds)
        if report:
            report(first)
        if tree is not None:
            try:
                _event_loop(
                    target,
                    tree,
                    base,
                    interval=interval,
                    settle=settle,
                    sweep=sweep,
                    window=window,
                    quiet=quiet,
                    stop=stop,
                    clock=clock,
                )
                return
            except (WatchLimit, RootGone) as exc:
                log.warning("%s; polling every %s s instead", exc, interval)
        _poll_loop(target, base, interval=interval, settle=settle, stop=stop)
    finally:
        if tree is not None:
            tree.close()


def _open_tree(corpus: Path) -> TreeWatcher | None:
    """Watches on the whole corpus tree, or None (with the reason logged) to poll."""
    if not corpus.is_dir():
        return None  # a missing corpus is reported by the catch-up update
    try:
        return TreeWatcher(corpus)
    except (InotifyUnavailable, WatchLimit) as exc:
        log.warning("%s; polling instead", exc)
        return None
