"""When a changed page is complete enough to index: looks at files over time, no waiting.

Between the file events (events.py) and the loop (loop.py). A file is indexed only once it
has settled: a rename into the corpus is complete at once (that is how copy tools publish
a file), while a file closed after writing, or found in a folder that appeared, must keep
the same size and mtime for a settle delay, because some writers close and reopen. Polling
keeps the same check across two looks of the whole corpus.

Every function here is given the time (`now`) instead of reading a clock or sleeping, so
the loop takes its time from one injected clock and tests drive that clock by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

from indexer.watch.events import DIR_GONE, GONE, MOVED, RESCAN, Change

Snapshot = dict[str, tuple[int, int]]  # relpath -> (size, mtime_ns)
Stat = tuple[int, int] | None  # (size, mtime_ns), None when the file is gone
Pending = dict[str, tuple[Stat, float]]  # relpath -> (last look, when to look again)


def look(corpus: Path, rel: str) -> Stat:
    """One page's (size, mtime_ns) now, or None if it is gone."""
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
        st = look(corpus, rel)
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


def note_changes(
    changes: list[Change],
    pending: Pending,
    base: Snapshot,
    corpus: Path,
    settle: float,
    now: float,
) -> bool:
    """Record the changes seen at `now` as pending looks; True if a full sweep is needed.
    A written or found file is due `settle` seconds later; a move or a deletion at once."""
    rescan = False
    for ch in changes:
        if ch.kind == RESCAN:
            rescan = True
        elif ch.kind == DIR_GONE:
            for p in [p for p in base if p.startswith(ch.relpath)]:
                pending[p] = (look(corpus, p), now)
        elif ch.kind in (MOVED, GONE):
            pending[ch.relpath] = (look(corpus, ch.relpath), now)
        else:  # WRITTEN, FOUND: wait for the file to settle
            pending[ch.relpath] = (look(corpus, ch.relpath), now + settle)
    return rescan


def due_and_settled(pending: Pending, corpus: Path, now: float, settle: float) -> dict[str, Stat]:
    """Take from `pending` the paths that are due and look as they did at the last look;
    a due path that changed since is looked at again after another settle delay."""
    ready: dict[str, Stat] = {}
    for p, (last, due) in list(pending.items()):
        if due > now:
            continue
        st = look(corpus, p)
        if st == last:
            ready[p] = st
            del pending[p]
        else:
            pending[p] = (st, now + settle)
    return ready


def note_unreported(pending: Pending, base: Snapshot, now_snap: Snapshot, due: float) -> None:
    """After a walk of the corpus: whatever differs from the indexed state and no event
    told about becomes pending, due at `due`."""
    for p in changed_paths(base, now_snap):
        if p not in pending:
            pending[p] = (now_snap.get(p), due)


def next_wake(pending: Pending, next_sweep: float) -> float:
    """When the loop has something to do without an event: the next due look or sweep."""
    return min([next_sweep, *(due for _, due in pending.values())])
