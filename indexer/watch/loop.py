"""The watcher's loops: read Changes, note them, index what settled, sweep now and then.

The last step of watching, on top of the writer (indexer/write/). In event mode the loop reads
Changes from the tree watcher (tree.py), records them as pending looks (settle.py) and
hands the settled ones to `write.index_files` in one call (one commit), which also removes
files that are gone; if another writer holds the index lock, the batch is retried
`interval` seconds later. The whole corpus is swept at start (the catch-up update) and
every `sweep` seconds, so a change whose event was lost is still indexed.

Polling (`poll=True`, `watch --poll`) walks the corpus every `interval` seconds: for
network and container mounts where file events never arrive, and as the fallback where
no watch can be set up. Both loops take their time from an injected clock and wait with an
injected sleep, so tests drive time instead of sleeping.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from indexer import write
from indexer.corpus import corpus_relpath
from indexer.index import errors
from indexer.watch.events import Change
from indexer.watch.settle import (
    Pending,
    Snapshot,
    Stat,
    changed_paths,
    due_and_settled,
    next_wake,
    note_changes,
    note_unreported,
    restat,
    settled,
)
from indexer.write.corpus_diff import walk_corpus

log = logging.getLogger(__name__)

TICK = 0.5  # longest wait for events, so `stop()` is looked at this often

Apply = Callable[[dict[str, Stat]], bool]  # index settled paths; False to retry them later


class Source(Protocol):
    """Where the event loop reads Changes from (tree.TreeWatcher, or a test's fake)."""

    def read(self, timeout: float) -> list[Change]: ...

    def read_burst(
        self, window: float, quiet: float, clock: Callable[[], float]
    ) -> list[Change]: ...


def snapshot(corpus: Path) -> Snapshot:
    """Every page of the corpus with its size and mtime (one walk, as `update` does). A
    corpus folder that is gone raises CorpusNotFound, which ends watching: taken for an
    empty corpus, it would remove every article."""
    return {rel: (cf.size, cf.mtime_ns) for rel, cf in walk_corpus(corpus).files.items()}


@dataclass(frozen=True)
class _Target:
    corpus: Path
    index_root: Path
    report: Callable[[write.UpdateReport], None] | None
    lock_timeout: float


def _index(target: _Target, ready: dict[str, Stat], base: Snapshot) -> bool:
    """Index (or remove) the settled paths in one call and record them in `base`; False
    if another writer held the index lock or the write failed (the caller retries).

    A failed write (a full disk, say) leaves the index at its last commit; a watcher
    runs unattended, so it says so and tries again rather than exiting.
    """
    paths = [target.corpus / p for p in sorted(ready)]
    try:
        result = write.index_files(
            target.index_root, target.corpus, paths, lock_timeout=target.lock_timeout
        )
    except errors.IndexLocked as exc:
        log.warning("%s; retrying", exc)
        return False
    except errors.IndexDamaged as exc:  # found by the writer's open-time check
        log.error("%s; rebuilding it", exc)
        result = _rebuild(target)
    except errors.IndexNotFound:  # an OSError too, but no retry brings an index back
        raise
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


def _rebuild(target: _Target) -> write.UpdateReport:
    """A full build in place of a damaged index (it reads every file, the ready ones too)."""
    built = write.build(target.corpus, target.index_root, lock_timeout=target.lock_timeout)
    return write.UpdateReport(skipped=built.skipped, seconds=built.seconds)


def poll_loop(
    corpus: Path,
    apply: Apply,
    base: Snapshot,
    *,
    interval: float,
    settle: float,
    stop: Callable[[], bool] | None,
    sleep: Callable[[float], None],
) -> None:
    """Walk the corpus every `interval` seconds and index what changed and settled."""
    while not (stop and stop()):
        sleep(interval)
        now = snapshot(corpus)
        pending = changed_paths(base, now)
        if not pending:
            continue
        sleep(settle)
        later = restat(corpus, pending, now)
        ready = settled(pending, now, later)
        if ready:
            apply({p: later.get(p) for p in ready})


def event_loop(
    corpus: Path,
    source: Source,
    apply: Apply,
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
    """Index on Changes from `source`; sweep the whole corpus every `sweep` seconds.

    Every decision of when a path is due takes its time from `clock` (the settle delay,
    the sweep period, a retry): tests drive it by hand. `stop` is called once per pass.
    """
    pending: Pending = {}
    next_sweep = clock() + sweep
    while not (stop and stop()):
        wake = next_wake(pending, next_sweep)
        changes = source.read(max(0.0, min(TICK, wake - clock())))
        if changes:  # a burst: collect the rest of it
            changes += source.read_burst(window, quiet, clock)
        now = clock()
        rescan = note_changes(changes, pending, base, corpus, settle, now)
        if rescan or now >= next_sweep:
            note_unreported(pending, base, snapshot(corpus), now + settle)
            next_sweep = now + sweep
        ready = due_and_settled(pending, corpus, now, settle)
        ready = {p: st for p, st in ready.items() if base.get(p) != st}
        if ready and not apply(ready):
            for p, st in ready.items():
                pending[p] = (st, clock() + interval)


def catch_up(target: _Target) -> None:
    """The update at start (a build if there is no index yet), reported like any other."""
    try:
        first = write.update(target.corpus, target.index_root, lock_timeout=target.lock_timeout)
    except errors.IndexNotFound:
        built = write.build(target.corpus, target.index_root, lock_timeout=target.lock_timeout)
        first = write.UpdateReport(skipped=built.skipped, seconds=built.seconds)
    if target.report:
        target.report(first)
