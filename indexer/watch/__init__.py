"""Keep the index in step with the corpus folder: react to file events, index what settled.

Sits on top of the writer (indexer/write/), in four steps:

    events.py   a file event (watchdog: inotify, FSEvents, ReadDirectoryChangesW) becomes
                Changes on corpus pages, by the corpus walker's rules
    tree.py     watches on the whole corpus tree; their Changes wait in a bounded queue
    settle.py   when a changed page is complete enough to index (given the time, never
                reading a clock)
    loop.py     read, note, index what settled, sweep; or poll where no events come

With file events a new page is indexed a fraction of a second after it lands instead of
after the next walk of the corpus (0.7 s per walk at 100k files, plus the poll interval).
Polling remains: by choice (`watch --poll`) for network and container mounts where events
never arrive, and as the fallback where no watch can be set up (the watcher logs why).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from indexer import write
from indexer.watch.loop import _index, _Target, catch_up, event_loop, poll_loop, snapshot
from indexer.watch.tree import EventsUnavailable, RootGone, TreeWatcher, WatchLimit

log = logging.getLogger(__name__)

SETTLE = 0.25  # seconds a closed file must keep its size and mtime before it is indexed
WINDOW = 0.2  # at most this many seconds of a burst of events go into one batch
QUIET = 0.05  # a burst has ended when no event came for this many seconds
SWEEP = 60.0  # seconds between full sweeps of the corpus in event mode

__all__ = ["watch", "SETTLE", "WINDOW", "QUIET", "SWEEP"]


def watch(
    corpus: Path,
    index_root: Path,
    *,
    interval: float = 1.0,
    report: Callable[[write.UpdateReport], None] | None = None,
    stop: Callable[[], bool] | None = None,
    lock_timeout: float = 10.0,
    settle: float = SETTLE,
    poll: bool = False,
    sweep: float = SWEEP,
    window: float = WINDOW,
    quiet: float = QUIET,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Keep the index in step with `corpus` until `stop()` is true or Ctrl-C.

    Starts with a catch-up update (a build if there is no index), then follows file
    events (sweeping every `sweep` seconds), or polls every `interval` seconds if `poll`
    is set or no events can be had. `interval` is also the retry delay when the index
    is locked. `clock` (monotonic seconds) times the settle delay, bursts, sweeps and
    retries, polling waits with `sleep`, and `stop` is called once per pass: a test that
    injects both and counts passes knows what the watcher has seen, without sleeping.
    """
    corpus, index_root = Path(corpus), Path(index_root)
    target = _Target(corpus, index_root, report, lock_timeout)
    tree = None if poll else _open_tree(corpus)
    try:
        base = snapshot(corpus)  # before the catch-up: a later change is seen as one
        catch_up(target)
        apply = partial(_index, target, base=base)
        if tree is not None:
            try:
                event_loop(
                    corpus,
                    tree,
                    apply,
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
            except (RootGone, WatchLimit, EventsUnavailable) as exc:
                log.warning("%s; polling every %s s instead", exc, interval)
        poll_loop(
            corpus,
            apply,
            base,
            interval=interval,
            settle=settle,
            stop=stop,
            sleep=sleep,
        )
    finally:
        if tree is not None:
            tree.close()


def _open_tree(corpus: Path) -> TreeWatcher | None:
    """Watches on the whole corpus tree, or None (with the reason logged) to poll."""
    if not corpus.is_dir():
        return None  # a missing corpus is reported by the catch-up update
    try:
        return TreeWatcher(corpus)
    except (EventsUnavailable, WatchLimit) as exc:
        log.warning("%s; polling instead", exc)
        return None
