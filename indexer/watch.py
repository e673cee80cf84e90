"""Keep the index in step with the corpus folder: poll, wait for files to settle, index.

Sits on top of store.py (which does the writing). Polling with os.scandir rather than
inotify: it needs no dependency, works on network and container mounts where inotify
events do not arrive, and a poll of the corpus is the same walk a no-change update makes.

A file is indexed only once its size and mtime have stayed the same across two looks a
short settle delay apart: a file still being copied keeps growing and is retried on a
later poll instead of being indexed half-written. Everything that settled in one poll is
indexed in one call (one commit per batch), so a burst of arrivals costs one update.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from indexer import store

log = logging.getLogger(__name__)

Snapshot = dict[str, tuple[int, int]]  # relpath -> (size, mtime_ns)

SETTLE = 0.25  # seconds between the two looks that decide a changed file has settled


def snapshot(corpus: Path) -> Snapshot:
    return {rel: (cf.size, cf.mtime_ns) for rel, cf in store.scan_corpus(corpus).items()}


def restat(corpus: Path, paths: set[str], now: Snapshot) -> Snapshot:
    """`now` with the given paths looked at again (a stat each, not a walk of the corpus:
    at 100k files a walk costs half a second)."""
    out = dict(now)
    for rel in paths:
        try:
            st = (Path(corpus) / rel).stat()
        except OSError:
            out.pop(rel, None)
            continue
        out[rel] = (st.st_size, st.st_mtime_ns)
    return out


def changed_paths(base: Snapshot, now: Snapshot) -> set[str]:
    """Paths that differ between the indexed state and now (new, changed or vanished)."""
    out = {p for p, st in now.items() if base.get(p) != st}
    out.update(p for p in base if p not in now)
    return out


def settled(paths: set[str], first: Snapshot, second: Snapshot) -> set[str]:
    """The changed paths that looked the same in both snapshots (or were gone in both)."""
    return {p for p in paths if first.get(p) == second.get(p)}


def watch(
    corpus: Path,
    index_root: Path,
    *,
    interval: float = 1.0,
    report: Callable[[store.UpdateReport], None] | None = None,
    stop: Callable[[], bool] | None = None,
    lock_timeout: float = 10.0,
    settle: float = SETTLE,
) -> None:
    """Poll `corpus` every `interval` seconds and index what settled, until `stop()` is
    true or Ctrl-C. Starts with a catch-up update (a build if there is no index)."""
    corpus, index_root = Path(corpus), Path(index_root)
    try:
        first = store.update(corpus, index_root, lock_timeout=lock_timeout)
    except store.IndexNotFound:
        built = store.build(corpus, index_root, lock_timeout=lock_timeout)
        first = store.UpdateReport(skipped=built.skipped, seconds=built.seconds)
    if report:
        report(first)
    base = snapshot(corpus)
    while not (stop and stop()):
        time.sleep(interval)
        now = snapshot(corpus)
        pending = changed_paths(base, now)
        if not pending:
            continue
        time.sleep(settle)
        later = restat(corpus, pending, now)
        ready = settled(pending, now, later)
        if not ready:
            continue
        try:
            result = store.index_files(
                index_root, corpus, [corpus / p for p in sorted(ready)], lock_timeout=lock_timeout
            )
        except store.IndexLocked as exc:
            log.warning("%s; retrying on the next poll", exc)
            continue
        for p in ready:
            if p in later:
                base[p] = later[p]
            else:
                base.pop(p, None)
        if report:
            report(result)
