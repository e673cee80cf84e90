"""watch: inotify events index arrivals, moves, deletions and new folders; polling still works."""

from __future__ import annotations

import errno
import os
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import store, watch
from indexer.extract.pipeline import article_id
from tests import helpers
from tests.helpers_corpus import article_text

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")
NEVER = 3600.0  # a poll interval / sweep period the test never reaches
DEADLINE = 120.0  # bounds a failing test only: a change reaches the index in well under 1 s


class ManualClock:
    """A monotonic clock that moves only when the test says (watch(clock=...))."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def write(path: Path, i: int) -> str:
    """Write the i-th marked page in place (one open, write, close); its relative name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(i, random.Random(i)), encoding="utf-8")
    return path.name


def ids(root: Path) -> set[str]:
    return {d["id"] for d in helpers.committed_fields(root)}


def wait_for(predicate, timeout: float = DEADLINE) -> bool:
    return helpers.wait_for(predicate, timeout)


class Running:
    """watch.watch in a thread, with the reports it made (a report comes just after its
    commit, so tests wait for it as they wait for the index)."""

    def __init__(self, corpus: Path, root: Path, **kwargs) -> None:
        self.stop = threading.Event()
        self.passes = 0  # watch calls stop() once per pass of its loop
        self.reports: list[store.UpdateReport] = []
        self.error: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(corpus, root), kwargs=kwargs)

    def _run(self, corpus: Path, root: Path, **kwargs) -> None:
        try:
            watch.watch(corpus, root, report=self.reports.append, stop=self._stop, **kwargs)
        except BaseException as exc:  # handed to the test thread
            self.error.append(exc)

    def _stop(self) -> bool:
        self.passes += 1
        return self.stop.is_set()

    def caught_up(self) -> None:
        """Wait until a whole pass of the loop began after this call: every event raised
        before it has been read, noted and, if due, indexed."""
        start = self.passes
        assert wait_for(lambda: self.passes >= start + 2 or self.error)
        assert not self.error

    def added(self) -> list[str]:
        return sorted(i for r in self.reports for i in r.added)

    def removed(self) -> list[str]:
        return sorted(i for r in self.reports for i in r.removed)


@pytest.fixture
def start(corpus: Path, root: Path) -> Iterator:
    """Start a watcher on the corpus. Polling and sweeping never happen unless a test
    asks, so only events can explain what gets indexed."""
    started: list[Running] = []

    def run(**kwargs) -> Running:
        w = Running(corpus, root, **{"interval": NEVER, "sweep": NEVER, **kwargs})
        started.append(w)
        w.thread.start()
        assert wait_for(lambda: w.reports or w.error, 30)  # the catch-up update
        assert not w.error
        assert w.reports[0].nothing_to_do
        return w

    yield run
    for w in started:
        w.stop.set()
        w.thread.join(timeout=30)
        assert not w.thread.is_alive()
        assert not w.error


@linux_only
def test_written_file_is_indexed_and_deleted_file_removed(corpus: Path, root: Path, start) -> None:
    w = start()
    write(corpus / "written.txt", 0)
    assert wait_for(lambda: article_id("written.txt") in ids(root))
    (corpus / "written.txt").unlink()
    assert wait_for(lambda: article_id("written.txt") not in ids(root))
    assert wait_for(lambda: w.added() == [article_id("written.txt")])
    assert wait_for(lambda: w.removed() == [article_id("written.txt")])


@linux_only
def test_a_failed_write_is_retried_not_fatal(
    corpus: Path, root: Path, start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk while indexing an event: the watcher keeps running and retries after
    `interval`, and the page gets in once the write succeeds."""
    real = store.index_files
    failures: list[int] = []

    def full_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    w = start(interval=0.2)
    monkeypatch.setattr(store, "index_files", full_once)
    write(corpus / "later.txt", 3)
    assert wait_for(lambda: article_id("later.txt") in ids(root))
    assert failures == [1] and w.thread.is_alive() and not w.error


@linux_only
def test_file_moved_in_is_indexed_and_temporary_name_ignored(
    tmp_path: Path, corpus: Path, root: Path, start
) -> None:
    w = start()
    write(tmp_path / "outside" / "page.txt", 1)
    partial = corpus / "incoming.txt.part"  # how a copy tool writes before it renames
    os.replace(tmp_path / "outside" / "page.txt", partial)
    w.caught_up()  # it saw the temporary name, and indexed nothing
    assert len(w.reports) == 1
    os.replace(partial, corpus / "incoming.txt")
    assert wait_for(lambda: article_id("incoming.txt") in ids(root))
    assert wait_for(lambda: w.added() == [article_id("incoming.txt")])
    assert len(w.reports) == 2  # the catch-up, then the one page


@linux_only
def test_new_folders_are_watched(tmp_path: Path, corpus: Path, root: Path, start) -> None:
    w = start()
    write(corpus / "2024" / "03" / "a.txt", 2)  # two new folders: may beat their watches
    # Indexed, so both folders are watched now: the next file raises its own event.
    assert wait_for(lambda: article_id("2024/03/a.txt") in ids(root))
    write(corpus / "2024" / "03" / "b.txt", 3)
    assert wait_for(lambda: article_id("2024/03/b.txt") in ids(root))
    # A whole folder moved in (already full), then moved away again.
    for k in range(3):
        write(tmp_path / "staging" / "batch" / f"{k}.txt", 4 + k)
    os.replace(tmp_path / "staging" / "batch", corpus / "batch")
    moved = sorted(article_id(f"batch/{k}.txt") for k in range(3))
    assert wait_for(lambda: set(moved) <= ids(root))
    os.replace(corpus / "batch", tmp_path / "batch-out")
    assert wait_for(lambda: not set(moved) & ids(root))
    write(tmp_path / "batch-out" / "3.txt", 7)  # the moved-away folder is not followed
    # Events are read in order: once a page written after it is indexed, an event for
    # 3.txt (were its folder still watched) would have been indexed too.
    write(corpus / "after.txt", 8)
    assert wait_for(lambda: article_id("after.txt") in ids(root))
    expected = [
        article_id("2024/03/a.txt"),
        article_id("2024/03/b.txt"),
        article_id("after.txt"),
        *moved,
    ]
    assert wait_for(lambda: w.added() == sorted(expected))
    assert wait_for(lambda: w.removed() == moved)


@linux_only
def test_a_burst_is_indexed_in_one_call(corpus: Path, root: Path, start) -> None:
    w = start(window=2.0, quiet=0.3)
    texts = [article_text(20 + k, random.Random(20 + k)) for k in range(20)]
    (corpus / "burst").mkdir()
    for k, text in enumerate(texts):
        (corpus / "burst" / f"{k:02d}.txt").write_text(text, encoding="utf-8")
    expected = sorted(article_id(f"burst/{k:02d}.txt") for k in range(20))
    assert wait_for(lambda: w.added() == expected)  # each once (how many calls depends on
    # the gaps between the writes: read_burst's grouping is tested with a driven clock)


@linux_only
def test_a_file_closed_and_reopened_is_indexed_once_complete(
    corpus: Path, root: Path, start
) -> None:
    """Each close restarts the settle delay: with the clock driven by the test, a file
    reopened before its delay ran out is not indexed, however slow the machine."""
    clock = ManualClock()
    w = start(settle=0.4, clock=clock)
    data = article_text(8, random.Random(8)).encode("utf-8")
    target = corpus / "slow.txt"
    for k in range(0, len(data), 400):  # each chunk closes the file: an IN_CLOSE_WRITE
        with target.open("ab") as fh:
            fh.write(data[k : k + 400])
        w.caught_up()
        clock.advance(0.3)  # the previous close's delay would have run out by now
        w.caught_up()
        assert article_id("slow.txt") not in ids(root)
    clock.advance(0.1)  # 0.4 s after the last close
    assert wait_for(lambda: article_id("slow.txt") in ids(root))
    assert wait_for(lambda: w.added() == [article_id("slow.txt")])
    assert len(w.reports) == 2  # the catch-up, then the whole file once
    assert not [r for r in w.reports if r.skipped or r.changed]  # never half-written


def test_forced_polling_indexes_and_removes(corpus: Path, root: Path, start) -> None:
    w = start(poll=True, interval=0.1)
    write(corpus / "polled" / "p.txt", 9)
    assert wait_for(lambda: article_id("polled/p.txt") in ids(root))
    (corpus / "polled" / "p.txt").unlink()
    assert wait_for(lambda: article_id("polled/p.txt") not in ids(root))
    assert wait_for(lambda: w.added() == [article_id("polled/p.txt")])
    assert wait_for(lambda: w.removed() == [article_id("polled/p.txt")])


@linux_only
def test_watch_limit_falls_back_to_polling(
    corpus: Path, root: Path, start, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self, path: str, mask: int) -> int:
        raise watch.WatchLimit(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch.Inotify, "add_watch", full)
    w = start(interval=0.1)
    write(corpus / "limited.txt", 10)
    assert wait_for(lambda: article_id("limited.txt") in ids(root))
    assert wait_for(lambda: w.added() == [article_id("limited.txt")])


@linux_only
def test_the_sweep_finds_what_no_event_reported(
    corpus: Path, root: Path, start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch.TreeWatcher, "_changes", lambda self, ev: [])  # events lost
    w = start(sweep=0.3)
    write(corpus / "unreported.txt", 11)
    assert wait_for(lambda: article_id("unreported.txt") in ids(root))
    assert wait_for(lambda: w.added() == [article_id("unreported.txt")])


def test_parse_events_and_folders() -> None:
    raw = watch._HEADER.pack(3, watch.IN_MOVED_TO, 7, 16) + b"a.txt".ljust(16, b"\0")
    raw += watch._HEADER.pack(1, watch.IN_Q_OVERFLOW, 0, 0)
    assert list(watch.parse_events(raw)) == [
        watch.Event(3, watch.IN_MOVED_TO, "a.txt"),
        watch.Event(1, watch.IN_Q_OVERFLOW, ""),
    ]
    assert watch._folders(["a/b/c.txt", "x.txt", "a/d.txt"]) == {"a/", "a/b/"}
    assert watch.is_corpus_name("a.HTML") and not watch.is_corpus_name("a.txt.part")
    assert not watch.is_corpus_name(".hidden.txt")


class FakeInotify:
    """Events arriving at given gaps, on a ManualClock: read(timeout) moves the clock."""

    def __init__(self, clock: ManualClock, arrivals: list[tuple[float, watch.Event]]) -> None:
        self.clock, self.arrivals = clock, list(arrivals)

    def read(self, timeout: float) -> list[watch.Event]:
        if not self.arrivals or self.arrivals[0][0] > timeout:
            if self.arrivals:
                gap, ev = self.arrivals[0]
                self.arrivals[0] = (gap - timeout, ev)
            self.clock.advance(timeout)
            return []
        gap, ev = self.arrivals.pop(0)
        self.clock.advance(gap)
        return [ev]

    def close(self) -> None:
        pass


@linux_only
@pytest.mark.parametrize(
    ("gaps", "window", "quiet", "burst"),
    [
        ([0.01] * 20, 2.0, 0.05, 20),  # a copy of 20 files: one batch
        ([0.01] * 5 + [0.1] + [0.01] * 5, 2.0, 0.05, 5),  # a pause longer than quiet ends it
        ([0.01] * 100, 0.2, 0.05, 20),  # a stream never quiet: cut at the window
    ],
)
def test_read_burst_groups_events_by_time(
    tmp_path: Path, gaps: list[float], window: float, quiet: float, burst: int
) -> None:
    tree = watch.TreeWatcher(tmp_path)
    tree.ino.close()
    clock = ManualClock()
    events = [watch.Event(tree.root_wd, watch.IN_CLOSE_WRITE, f"{k}.txt") for k in range(100)]
    tree.ino = FakeInotify(clock, list(zip(gaps, events, strict=False)))
    changes = tree.read_burst(window, quiet, clock)
    assert [c.relpath for c in changes] == [f"{k}.txt" for k in range(burst)]
    assert {c.kind for c in changes} == {watch.WRITTEN}
