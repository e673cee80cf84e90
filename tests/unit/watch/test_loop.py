"""loop: what the event and polling loops index, and when, on a clock the test drives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.index.errors import CorpusNotFound
from indexer.watch.events import MOVED, RESCAN, WRITTEN, Change
from indexer.watch.loop import event_loop, poll_loop, snapshot
from indexer.watch.settle import Stat, look
from tests.helpers import ManualClock

SETTLE, INTERVAL, SWEEP = 0.25, 1.0, 60.0


class Source:
    """Changes scripted per pass; a read waits its whole timeout on the clock (nothing
    else happens in between), so the test knows the time of every pass."""

    def __init__(self, clock: ManualClock, script: list[list[Change]]) -> None:
        self.clock, self.script, self.timeouts = clock, list(script), []

    def read(self, timeout: float) -> list[Change]:
        self.timeouts.append(timeout)
        changes = self.script.pop(0) if self.script else []
        if not changes:
            self.clock.advance(timeout)
        return changes

    def read_burst(self, window: float, quiet: float, clock) -> list[Change]:
        return []


class Index:
    """Stands for write.index_files: records each call's paths and the time; refuses the
    first `locked` calls as a held index lock would."""

    def __init__(self, clock: ManualClock, locked: int = 0) -> None:
        self.clock, self.locked, self.calls = clock, locked, []

    def __call__(self, ready: dict[str, Stat]) -> bool:
        self.calls.append((self.clock(), dict(ready)))
        if self.locked:
            self.locked -= 1
            return False
        return True


def run(corpus: Path, script: list[list[Change]], passes: int, **kwargs) -> tuple[Index, Source]:
    clock = ManualClock()
    source, index = Source(clock, script), Index(clock, kwargs.pop("locked", 0))
    left = iter(range(passes))
    event_loop(
        corpus,
        source,
        index,
        kwargs.pop("base", {}),
        interval=INTERVAL,
        settle=SETTLE,
        sweep=kwargs.pop("sweep", SWEEP),
        window=0.2,
        quiet=0.05,
        stop=lambda: next(left, None) is None,
        clock=clock,
    )
    return index, source


def test_a_written_page_is_indexed_once_it_has_settled(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    index, source = run(tmp_path, [[Change(WRITTEN, "a.txt")]], passes=3)
    # pass 1 notes it at 1000.0 and waits until it is due; pass 2 finds it unchanged
    assert index.calls == [(1000.25, {"a.txt": look(tmp_path, "a.txt")})]
    assert source.timeouts[1] == SETTLE  # woke exactly when it was due, not a tick later


def test_a_moved_page_is_indexed_in_the_same_pass(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("m")
    index, _ = run(tmp_path, [[Change(MOVED, "m.txt")]], passes=1)
    assert index.calls == [(1000.0, {"m.txt": look(tmp_path, "m.txt")})]


def test_an_indexed_state_is_not_indexed_again(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("m")
    base = {"m.txt": look(tmp_path, "m.txt")}
    index, _ = run(tmp_path, [[Change(MOVED, "m.txt")]], passes=2, base=base)
    assert index.calls == []


def test_a_locked_index_is_retried_after_the_interval(tmp_path: Path) -> None:
    (tmp_path / "m.txt").write_text("m")
    index, _ = run(tmp_path, [[Change(MOVED, "m.txt")]], passes=3, locked=1)
    assert [when for when, _ in index.calls] == [1000.0, 1000.0 + INTERVAL]


def test_a_rescan_sweeps_the_corpus_for_what_no_event_told(tmp_path: Path) -> None:
    (tmp_path / "unreported.txt").write_text("u")
    index, _ = run(tmp_path, [[Change(RESCAN)]], passes=2)
    assert index.calls == [(1000.25, {"unreported.txt": look(tmp_path, "unreported.txt")})]


def test_the_periodic_sweep_finds_it_too(tmp_path: Path) -> None:
    (tmp_path / "unreported.txt").write_text("u")
    index, _ = run(tmp_path, [], passes=5, sweep=2.0)
    # nothing due: four passes wait a tick (0.5 s) each until the sweep at 1002.0, the
    # fifth until the page it found is due
    assert index.calls == [(1002.25, {"unreported.txt": look(tmp_path, "unreported.txt")})]


def test_polling_walks_then_looks_again_after_the_settle_delay(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("p")
    clock = ManualClock()
    slept: list[float] = []
    index = Index(clock)

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.advance(seconds)

    left = iter(range(2))
    base: dict = {}
    poll_loop(
        tmp_path,
        index,
        base,
        interval=INTERVAL,
        settle=SETTLE,
        stop=lambda: next(left, None) is None,
        sleep=sleep,
    )
    # pass 1: a walk after the interval, a look after the settle delay, indexed; pass 2:
    # the apply callable records nothing in `base` here, so the page is still new
    assert slept == [INTERVAL, SETTLE, INTERVAL, SETTLE]
    assert [when for when, _ in index.calls] == [1001.25, 1002.5]


def test_snapshot_lists_pages_and_a_missing_corpus_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(b"12345")
    (tmp_path / ".hidden.txt").write_bytes(b"x")
    (tmp_path / "b.txt.part").write_bytes(b"x")
    st = os.stat(tmp_path / "sub" / "a.txt")
    assert snapshot(tmp_path) == {"sub/a.txt": (5, st.st_mtime_ns)}  # pages only
    with pytest.raises(CorpusNotFound):  # not an empty corpus: that would remove all
        snapshot(tmp_path / "gone")
