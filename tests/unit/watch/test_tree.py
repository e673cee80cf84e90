"""tree: the bounded queue of Changes, bursts on a driven clock, and why watching fails."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from watchdog.events import DirCreatedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent

from indexer.watch.events import DIR_GONE, FOUND, RESCAN, ROOT_GONE, WRITTEN, Change
from indexer.watch.tree import (
    EventsUnavailable,
    RootGone,
    TreeWatcher,
    WatchLimit,
    _Handler,
    collect_burst,
)
from tests.helpers import ManualClock


class Observer:
    """Stands for watchdog's observer: records what it was asked, starts no thread."""

    def __init__(self, fail: int | None = None) -> None:
        self.fail, self.scheduled, self.alive = fail, [], False

    def schedule(self, handler, path, **kwargs) -> None:
        if self.fail is not None:
            raise OSError(self.fail, "refused")
        self.scheduled.append((handler, path, kwargs))

    def start(self) -> None:
        self.alive = True

    def is_alive(self) -> bool:
        return self.alive

    def stop(self) -> None:
        self.alive = False

    def join(self) -> None:
        pass


def tree_on(corpus: Path, capacity: int = 8, fail: int | None = None) -> TreeWatcher:
    observer = Observer(fail)
    return TreeWatcher(corpus, capacity=capacity, observer=lambda: (observer, False))


def test_the_handler_queues_translated_changes_in_order(tmp_path: Path) -> None:
    tree = tree_on(tmp_path)
    handler, path, kwargs = tree.observer.scheduled[0]
    assert isinstance(handler, _Handler) and path == str(tmp_path.resolve())
    assert kwargs["recursive"] is True
    for name in ("a.txt", ".tmp", "b.txt"):
        handler.on_any_event(FileClosedEvent(f"{tree.root_real}/{name}"))
    assert tree.take(0) == [(Change(WRITTEN, "a.txt"),), (), (Change(WRITTEN, "b.txt"),)]
    assert tree.read(0) == []
    tree.close()
    assert not tree.observer.is_alive()


def test_where_closes_are_reported_only_a_new_folders_files_count_as_found(
    tmp_path: Path,
) -> None:
    observer = Observer()
    tree = TreeWatcher(tmp_path, observer=lambda: (observer, True))
    handler, root = observer.scheduled[0][0], tree.root_real
    for event in [
        FileCreatedEvent(f"{root}/open.txt"),  # being written: its close will tell
        DirCreatedEvent(f"{root}/new"),  # then the files watchdog found in it
        DirCreatedEvent(f"{root}/new/sub"),
        FileCreatedEvent(f"{root}/new/sub/a.txt"),
        FileCreatedEvent(f"{root}/new/b.txt"),
        FileClosedEvent(f"{root}/open.txt"),
        FileCreatedEvent(f"{root}/new/later.txt"),  # after another event: a new file
    ]:
        handler.on_any_event(event)
    assert tree.read(0) == [
        Change(FOUND, "new/sub/a.txt"),
        Change(FOUND, "new/b.txt"),
        Change(WRITTEN, "open.txt"),
    ]
    assert observer.scheduled[0][2]["event_filter"] is not None  # no modifications asked


def test_a_full_queue_drops_changes_and_asks_for_a_sweep(tmp_path: Path) -> None:
    tree = tree_on(tmp_path, capacity=2)
    for k in range(5):
        tree.put([Change(WRITTEN, f"{k}.txt")])
    assert tree.read(0) == [Change(WRITTEN, "0.txt"), Change(WRITTEN, "1.txt"), Change(RESCAN)]
    tree.put([Change(WRITTEN, "5.txt")])
    assert tree.read(0) == [Change(WRITTEN, "5.txt")]  # one sweep per overflow


def test_the_corpus_folder_gone_ends_watching(tmp_path: Path) -> None:
    tree = tree_on(tmp_path)
    tree.put([Change(ROOT_GONE)])
    with pytest.raises(RootGone):
        tree.read(0)
    tree.put([Change(WRITTEN, "a.txt")])
    tmp_path.rmdir()  # a watch that never said so: the next event's look finds it
    with pytest.raises(RootGone):
        tree.read(0)


def test_a_folder_renamed_out_of_the_corpus_is_watched_no_more(tmp_path: Path) -> None:
    """watchdog would keep its watches: the tree is watched afresh, then swept."""
    made: list[Observer] = []

    def observer():
        made.append(Observer())
        return made[-1], False

    tree = TreeWatcher(tmp_path, observer=observer)
    handler = made[0].scheduled[0][0]
    handler.on_any_event(DirMovedEvent(f"{tree.root_real}/2024/03", f"{tree.root_real}/03"))
    # a rename within: watchdog follows it (the files come as moves of their own)
    assert tree.read(0) == [Change(DIR_GONE, "2024/03/")] and len(made) == 1
    handler.on_any_event(DirMovedEvent(f"{tree.root_real}/batch", ""))
    assert tree.read(0) == [Change(DIR_GONE, "batch/"), Change(RESCAN)]
    assert len(made) == 2 and not made[0].is_alive() and made[1].is_alive()
    assert made[1].scheduled[0][1] == tree.root_real
    assert tree.read(0) == []  # once


@pytest.mark.parametrize(
    ("fail", "error"), [(errno.ENOSPC, WatchLimit), (errno.EACCES, EventsUnavailable)]
)
def test_a_refused_watch_says_why(tmp_path: Path, fail: int, error: type) -> None:
    with pytest.raises(error):
        tree_on(tmp_path, fail=fail)


def test_no_observer_on_this_platform(tmp_path: Path) -> None:
    def missing():
        raise ImportError("no native observer")

    with pytest.raises(EventsUnavailable, match="no file events"):
        TreeWatcher(tmp_path, observer=missing)


class Arrivals:
    """Events at given gaps on a ManualClock: take(timeout) moves the clock."""

    def __init__(self, clock: ManualClock, gaps: list[float]) -> None:
        self.clock = clock
        self.arrivals = [(gap, (Change(WRITTEN, f"{k}.txt"),)) for k, gap in enumerate(gaps)]

    def __call__(self, timeout: float) -> list[tuple[Change, ...]]:
        if not self.arrivals or self.arrivals[0][0] > timeout:
            if self.arrivals:
                gap, ev = self.arrivals[0]
                self.arrivals[0] = (gap - timeout, ev)
            self.clock.advance(timeout)
            return []
        gap, ev = self.arrivals.pop(0)
        self.clock.advance(gap)
        return [ev]


@pytest.mark.parametrize(
    ("gaps", "window", "quiet", "burst"),
    [
        ([0.01] * 20, 2.0, 0.05, 20),  # a copy of 20 files: one batch
        ([0.01] * 5 + [0.1] + [0.01] * 5, 2.0, 0.05, 5),  # a pause longer than quiet ends it
        ([0.01] * 100, 0.2, 0.05, 20),  # a stream never quiet: cut at the window
    ],
)
def test_collect_burst_groups_events_by_time(
    gaps: list[float], window: float, quiet: float, burst: int
) -> None:
    clock = ManualClock()
    changes = collect_burst(Arrivals(clock, gaps), window, quiet, clock)
    assert [c.relpath for c in changes] == [f"{k}.txt" for k in range(burst)]


def test_an_event_that_changes_no_page_still_belongs_to_the_burst() -> None:
    clock = ManualClock()
    take = Arrivals(clock, [0.04] * 3)
    take.arrivals[1] = (0.04, ())  # a temporary file's event
    changes = collect_burst(take, 2.0, 0.05, clock)
    assert [c.relpath for c in changes] == ["0.txt", "2.txt"]
