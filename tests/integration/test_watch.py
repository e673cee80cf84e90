"""watch: file events index arrivals, moves, deletions and new folders; polling still works."""

from __future__ import annotations

import errno
import os
import random
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer import watch
from indexer import write as index_write
from indexer.corpus import OUTSIDE
from indexer.extract.pipeline import article_id
from indexer.index import errors
from indexer.watch import tree as watch_tree
from tests import helpers
from tests.helpers import HANG_GUARD, ManualClock, StepSleep
from tests.helpers_corpus import article_text

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")
FENCE = ".fence"  # a hidden file: raises events, is no page
NEVER = 3600.0  # a poll interval / sweep period the test never reaches


def write(path: Path, i: int) -> str:
    """Write the i-th marked page in place (one open, write, close); its relative name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(article_text(i, random.Random(i)), encoding="utf-8")
    return path.name


def ids(root: Path) -> set[str]:
    return {d["id"] for d in helpers.committed_fields(root)}


def wait_for(predicate, timeout: float = HANG_GUARD) -> bool:
    return helpers.wait_for(predicate, timeout)


class Running:
    """watch.watch in a thread, with the reports it made (a report comes just after its
    commit, so tests wait for it as they wait for the index)."""

    def __init__(self, corpus: Path, root: Path, seen: list[str], **kwargs) -> None:
        self.corpus, self.seen, self.fences = corpus, seen, 0
        self.sleep = kwargs.get("sleep")
        self.stop = threading.Event()
        self.passes = 0  # watch calls stop() once per pass of its loop
        self.reports: list[index_write.UpdateReport] = []
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
        """Wait until every event raised before this call has been read, noted and, if
        due, indexed: events reach the loop in the order they happened, so once a fence
        file's event was handed over, a whole pass of the loop after that has read them."""
        self.fences += 1
        fence = f"{FENCE}-{self.fences}"
        (self.corpus / fence).write_bytes(b"")
        assert wait_for(lambda: fence in self.seen or self.error)
        start = self.passes
        assert wait_for(lambda: self.passes >= start + 2 or self.error)
        assert not self.error

    def added(self) -> list[str]:
        return sorted(i for r in self.reports for i in r.added)

    def removed(self) -> list[str]:
        return sorted(i for r in self.reports for i in r.removed)


@pytest.fixture
def start(corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    """Start a watcher on the corpus. Polling and sweeping never happen unless a test
    asks, so only events can explain what gets indexed."""
    started: list[Running] = []
    seen: list[str] = []  # the names of every file event handed to the watcher
    handed = watch_tree._Handler.on_any_event

    def note(self, event) -> None:
        handed(self, event)
        seen.append(os.path.basename(os.fsdecode(event.src_path)))

    monkeypatch.setattr(watch_tree._Handler, "on_any_event", note)

    def run(refused: tuple = (), **kwargs) -> Running:
        w = Running(corpus, root, seen, **{"interval": NEVER, "sweep": NEVER, **kwargs})
        started.append(w)
        w.thread.start()
        assert wait_for(lambda: w.reports or w.error)  # the catch-up update
        assert not w.error
        first = w.reports[0]
        assert (first.added, first.changed, first.removed, first.skipped) == ((), (), (), refused)
        return w

    yield run
    for w in started:
        w.stop.set()
        if isinstance(w.sleep, StepSleep):
            w.sleep.release()
        w.thread.join(timeout=HANG_GUARD)
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
    `interval` (on the clock the test drives), and the page gets in once the write works."""
    real = index_write.index_files
    failures: list[int] = []

    def full_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    clock = ManualClock()
    w = start(interval=5.0, clock=clock)
    monkeypatch.setattr(index_write, "index_files", full_once)
    write(corpus / "later.txt", 3)
    w.caught_up()
    clock.advance(watch.SETTLE)  # due: the write fails
    assert wait_for(lambda: failures == [1])
    w.caught_up()
    assert article_id("later.txt") not in ids(root)  # and is not retried before `interval`
    clock.advance(5.0)
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
    # 3.txt (were its folder still watched) would have been handed over too.
    write(corpus / "after.txt", 8)
    assert wait_for(lambda: article_id("after.txt") in ids(root))
    assert "3.txt" not in w.seen
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


@linux_only
def test_a_file_still_open_for_writing_waits_for_its_close(corpus: Path, start) -> None:
    """Its creation is no sign that it is complete, however long the writer pauses: only
    the close after writing is (on the clock the test drives)."""
    clock = ManualClock()
    w = start(clock=clock)
    data = article_text(14, random.Random(14)).encode("utf-8")
    with (corpus / "streamed.txt").open("wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        w.caught_up()
        clock.advance(10 * watch.SETTLE)  # a writer that pauses long, the file open
        w.caught_up()
        assert w.reports[1:] == []
        fh.write(data[len(data) // 2 :])
    w.caught_up()
    clock.advance(watch.SETTLE)
    assert wait_for(lambda: w.added() == [article_id("streamed.txt")])
    assert len(w.reports) == 2 and not w.reports[1].changed  # indexed once, whole


def test_forced_polling_indexes_and_removes(corpus: Path, root: Path, start) -> None:
    sleep = StepSleep()
    w = start(poll=True, sleep=sleep)
    write(corpus / "polled" / "p.txt", 9)
    sleep.step(2)  # the next walk sees it, the look a settle delay later finds it the same
    assert wait_for(lambda: article_id("polled/p.txt") in ids(root))
    (corpus / "polled" / "p.txt").unlink()
    sleep.step(2)
    assert wait_for(lambda: article_id("polled/p.txt") not in ids(root))
    assert wait_for(lambda: w.added() == [article_id("polled/p.txt")])
    assert wait_for(lambda: w.removed() == [article_id("polled/p.txt")])


@linux_only
def test_watch_limit_falls_back_to_polling(
    corpus: Path, root: Path, start, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Full:
        def schedule(self, *args, **kwargs) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

        def is_alive(self) -> bool:
            return False

    monkeypatch.setattr(watch_tree, "default_observer", lambda: (Full(), True))
    sleep = StepSleep()
    w = start(interval=0.1, sleep=sleep)
    write(corpus / "limited.txt", 10)
    sleep.step(2)  # the next walk, then the settle look
    assert wait_for(lambda: article_id("limited.txt") in ids(root))
    assert wait_for(lambda: w.added() == [article_id("limited.txt")])


@linux_only
def test_the_sweep_finds_what_no_event_reported(
    corpus: Path, root: Path, start, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        watch_tree, "translate", lambda event, root_real, **kwargs: []
    )  # events lost
    clock = ManualClock()
    w = start(sweep=30.0, clock=clock)
    write(corpus / "unreported.txt", 11)
    w.caught_up()
    assert article_id("unreported.txt") not in ids(root)  # no event told about it
    clock.advance(30.0)  # the sweep is due: it finds the page, due a settle delay later
    w.caught_up()
    clock.advance(watch.SETTLE)
    assert wait_for(lambda: article_id("unreported.txt") in ids(root))
    assert wait_for(lambda: w.added() == [article_id("unreported.txt")])


@linux_only
def test_the_watcher_follows_no_link_out_and_no_loop(
    tmp_path: Path, corpus: Path, root: Path, start
) -> None:
    """A page reached through a link inside the corpus is indexed once, under its real
    name; a page in a folder linked from outside is no page of the corpus."""
    (tmp_path / "elsewhere").mkdir()
    (corpus / "sub").mkdir()
    os.symlink(tmp_path / "elsewhere", corpus / "ext")
    os.symlink(".", corpus / "loop")
    os.symlink("sub", corpus / "alias")
    w = start(refused=(("ext", OUTSIDE),))  # the catch-up names the link out
    write(tmp_path / "elsewhere" / "e.txt", 12)
    write(corpus / "alias" / "s.txt", 13)
    assert wait_for(lambda: article_id("sub/s.txt") in ids(root))
    w.caught_up()
    assert "e.txt" not in w.seen  # the folder out is not watched at all
    assert w.added() == [article_id("sub/s.txt")]
    assert not {article_id("ext/e.txt"), article_id("alias/s.txt")} & ids(root)


@linux_only
def test_a_corpus_folder_moved_away_ends_watching_and_keeps_the_index(
    tmp_path: Path, corpus: Path, root: Path, start
) -> None:
    """Taken for an empty corpus, a folder moved away (or unmounted) would remove every
    article: the sweep that finds it gone ends watching with CorpusNotFound instead."""
    clock = ManualClock()
    w = start(sweep=30.0, clock=clock)
    before = ids(root)
    os.rename(corpus, tmp_path / "moved")
    clock.advance(30.0)
    assert wait_for(lambda: w.error)
    assert [type(e) for e in w.error] == [errors.CorpusNotFound]
    assert ids(root) == before and len(before) == 5
    w.error.clear()
