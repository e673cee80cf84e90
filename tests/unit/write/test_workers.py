"""write/workers: what each forked extraction worker does to itself (leave Ctrl-C to the
parent, let go of the writer lock, die with the parent) and how one page's failure is
contained. The workers inside a real build or update are tested in tests/integration/
(test_update_crashes.py, test_damage.py)."""

from __future__ import annotations

import gc
import os
import random
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from indexer.corpus import walk
from indexer.models import Article, Skipped
from indexer.write import lock, workers
from tests.helpers_corpus import article_text


def in_child(body: Callable[[], bool]) -> int:
    """Run `body` in a forked process; its exit status (0 when it returned True)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's side, seen through its status
        code = 1
        try:
            code = 0 if body() else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


@fork_only
def test_a_worker_ignores_ctrl_c_and_holds_no_copy_of_the_writer_lock(tmp_path: Path) -> None:
    def body() -> bool:
        workers.worker_init()
        return signal.getsignal(signal.SIGINT) == signal.SIG_IGN and not lock._held_locks

    with lock.write_lock(tmp_path, timeout=0):
        assert lock._held_locks  # the parent's descriptor, which the child inherits
        assert in_child(body) == 0
        assert lock._held_locks  # the parent still holds its lock


@fork_only
def test_a_worker_whose_parent_is_already_gone_exits_at_once() -> None:
    def body() -> bool:
        workers._die_with_parent(os.getppid() + 1_000_000)  # not its parent: "gone"
        return True  # not reached: it exits with status 1

    assert in_child(body) == 1


def test_cores_counts_the_cpus_this_process_may_use() -> None:
    n = workers.cores()
    assert n >= 1
    if hasattr(os, "sched_getaffinity"):
        assert n == len(os.sched_getaffinity(0))


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(article_text(1, random.Random(3)), encoding="utf-8")
    return corpus


def test_extract_reads_a_page_with_its_lines(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    article, lines = workers.extract(walk(corpus).files["a.txt"], corpus)
    assert isinstance(article, Article) and article.path == "a.txt"
    assert lines is not None


def test_a_bug_on_one_page_is_that_pages_skip_reason_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from indexer.extract import pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pipeline, "survey_file", broken)
    corpus = _corpus(tmp_path)
    result, lines = workers.extract(walk(corpus).files["a.txt"], corpus)
    assert result == Skipped(
        path="a.txt", reason="extraction failed: ZeroDivisionError: division by zero"
    )
    assert lines is None
    assert "extraction failed on a.txt" in caplog.text


def test_the_heap_is_frozen_only_while_children_fork() -> None:
    kept = [object() for _ in range(3)]  # tracked objects the parent holds
    before = gc.get_freeze_count()
    with workers.frozen_heap():
        assert gc.get_freeze_count() >= before + len(kept)
    assert gc.get_freeze_count() == 0


def test_the_heap_is_given_back_when_forking_fails() -> None:
    with pytest.raises(OSError), workers.frozen_heap():
        raise OSError("fork failed")
    assert gc.get_freeze_count() == 0
