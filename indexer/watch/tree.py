"""Watches on the whole corpus tree, and the bounded queue their Changes wait in.

Between the operating system's events (watchdog, translated in events.py) and the loop
(loop.py). watchdog watches every folder below the corpus, new ones as they appear, and
reports the pages a new folder already holds; its threads hand each event to `_Handler`,
which translates it and queues the Changes. The loop reads them with `read` and
`read_burst`.

The queue holds at most `capacity` events, so memory stays bounded however fast files
arrive while the loop is busy indexing: when it is full, events are dropped and the next
read says RESCAN (the loop then sweeps the corpus), as the kernel does with its own event
queue. Changes that watchdog itself could not deliver (the kernel's queue overflowed, a
folder the watch limit left unwatched) are found by the loop's periodic sweep. A folder
renamed out of the corpus makes the tree be watched afresh (see `_rewatch`).
"""

from __future__ import annotations

import errno
import logging
import os
import queue
import sys
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers.api import BaseObserver

from indexer.corpus import real_root
from indexer.watch.events import (
    RESCAN,
    ROOT_GONE,
    WITH_CLOSES,
    Change,
    leaves_tree,
    still_fresh,
    translate,
)

log = logging.getLogger(__name__)

CAPACITY = 16384  # events waiting at most (the kernel's default inotify queue length)

# `mkdir -p a/b` seen late: watchdog watches a/b while handling a's creation, then again
# for b's own event, and says so with a RuntimeWarning (the watch is the same one). It is
# no fault, and `watch` prints only its own lines.
warnings.filterwarnings(
    "ignore",
    message="Callback with id .* already exists for watch",
    category=RuntimeWarning,
    module="watchdog",
)


class EventsUnavailable(OSError):
    """No file events here: the platform has none, or the corpus folder cannot be watched."""


class WatchLimit(OSError):
    """The per-user inotify watch limit (fs.inotify.max_user_watches) was reached."""


class RootGone(OSError):
    """The corpus folder itself was deleted or moved away."""


def default_observer() -> tuple[BaseObserver, bool]:
    """The platform's native observer, and whether it reports a close after writing. On
    Linux (inotify, which does), moves are reported with an empty side when they cross
    the corpus edge (`generate_full_events`), so a page renamed in from outside is a move
    (complete) rather than a creation."""
    if sys.platform.startswith("linux"):
        from watchdog.observers.inotify import InotifyObserver

        return InotifyObserver(generate_full_events=True), True
    from watchdog.observers import Observer

    return Observer(), False


class _Handler(FileSystemEventHandler):
    """Runs in watchdog's thread: translate, queue, and never block it."""

    def __init__(self, tree: TreeWatcher, closes: bool) -> None:
        self.tree, self.closes = tree, closes
        self.fresh: str | None = None  # a folder that appeared (see events.still_fresh)

    def on_any_event(self, event: FileSystemEvent) -> None:
        root = self.tree.root_real
        if leaves_tree(event, root):  # before the put: the read that takes this event's
            self.tree.moved_out.set()  # Changes watches afresh at once
        self.tree.put(translate(event, root, closes=self.closes, fresh=self.fresh))
        self.fresh = still_fresh(event, root, self.fresh)


class TreeWatcher:
    """Every (non-hidden) page change under the corpus folder, as Changes."""

    def __init__(
        self,
        corpus: Path,
        *,
        capacity: int = CAPACITY,
        observer: Callable[[], tuple[BaseObserver, bool]] | None = None,
    ) -> None:
        self.root_real = real_root(corpus)  # the folder itself may be a link
        self.queue: queue.Queue[tuple[Change, ...]] = queue.Queue(maxsize=capacity)
        self.moved_out = threading.Event()  # a folder left the tree: watch afresh
        self._dropped = threading.Event()
        self._make = observer or default_observer
        self._start()

    def _start(self) -> None:
        """Watch the corpus tree as it is now (one watch per folder, below it too)."""
        try:
            self.observer, closes = self._make()
        except (OSError, ImportError) as exc:
            raise EventsUnavailable(f"no file events on {sys.platform}: {exc}") from exc
        try:
            self.observer.schedule(
                _Handler(self, closes),
                self.root_real,
                recursive=True,
                event_filter=WITH_CLOSES if closes else None,
            )
            self.observer.start()
        except OSError as exc:
            self.close()
            if exc.errno == errno.ENOSPC:
                raise WatchLimit(exc.errno, f"inotify watch limit reached: {exc}") from exc
            raise EventsUnavailable(exc.errno, f"cannot watch the corpus: {exc}") from exc

    def _rewatch(self) -> None:
        """Drop every watch and watch the tree afresh. watchdog keeps watching a folder
        renamed out of the corpus and reports its files under their old names; until that
        folder is deleted its watches stay too. Renames out are rare and a fresh set of
        watches costs one walk of the folders, so the watches follow the tree exactly
        (changes while none are set are found by the sweep that follows)."""
        self.close()
        self._start()

    def put(self, changes: list[Change]) -> None:
        """Queue one event's Changes (from watchdog's thread; an event that changes no
        page is queued too, since it still belongs to a burst); drop them if full."""
        try:
            self.queue.put_nowait(tuple(changes))
        except queue.Full:
            if not self._dropped.is_set():
                log.warning("more than %d events waiting; sweeping the corpus",
                            self.queue.maxsize)  # fmt: skip
            self._dropped.set()

    def take(self, timeout: float) -> list[tuple[Change, ...]]:
        """The events queued within `timeout` seconds, each as its Changes (none if
        nothing happened); a RESCAN of its own after events were dropped."""
        out: list[tuple[Change, ...]] = []
        try:
            out.append(self.queue.get(timeout=max(0.0, timeout)))
            while True:
                out.append(self.queue.get_nowait())
        except queue.Empty:
            pass
        if self._dropped.is_set():
            self._dropped.clear()
            out.append((Change(RESCAN),))
        if self.moved_out.is_set():
            self.moved_out.clear()
            self._rewatch()
            out.append((Change(RESCAN),))
        if any(ch.kind == ROOT_GONE for chs in out for ch in chs) or (
            out and not os.path.isdir(self.root_real)
        ):
            raise RootGone(errno.ENOENT, f"corpus folder {self.root_real} was removed or moved")
        return out

    def read(self, timeout: float) -> list[Change]:
        """Changes within `timeout` seconds. Raises RootGone (or, watching afresh,
        WatchLimit or EventsUnavailable), after which this watcher is no use (the caller
        falls back to polling)."""
        return [ch for chs in self.take(timeout) for ch in chs]

    def read_burst(
        self, window: float, quiet: float, clock: Callable[[], float] = time.monotonic
    ) -> list[Change]:
        """The rest of a burst: changes until `quiet` seconds pass without any event, for
        at most `window` seconds (see `collect_burst`)."""
        return collect_burst(self.take, window, quiet, clock)

    def close(self) -> None:
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join()


def collect_burst(
    take: Callable[[float], list[tuple[Change, ...]]],
    window: float,
    quiet: float,
    clock: Callable[[], float],
) -> list[Change]:
    """Changes of the events from `take` until `quiet` seconds pass without any event
    (even one that changes no page, such as a copy tool's temporary file), for at most
    `window` seconds. A lone page waits only `quiet`; a copy of many files (events every
    few milliseconds) goes into one batch, hence one commit."""
    out: list[Change] = []
    deadline = clock() + window
    while (left := deadline - clock()) > 0:
        events = take(min(quiet, left))
        if not events:
            break
        out.extend(ch for chs in events for ch in chs)
    return out
