"""Incremental updates: exact counts, duplicate groups, one writer at a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from indexer import write
from indexer.extract.pipeline import article_id
from indexer.index import errors, layout
from indexer.write import lock
from tests.helpers import HANG_GUARD
from tests.integration.update_pages import (
    ROOT,
    STORIES,
    ids_holding,
    run_cli,
    seed_ids,
    stored,
    story_ids,
    write_pages,
)

# --- incremental -----------------------------------------------------------------------


def test_add_change_remove_with_exact_counts(corpus: Path, root: Path) -> None:
    ids = seed_ids(corpus)
    new = write_pages(corpus / "new", range(3))
    first = sorted(corpus.glob("*.txt"))[0]
    opening = stored(root)[ids[0]]["body"][:12]  # edit inside the article's own text
    text = first.read_text(encoding="utf-8")
    assert opening in text
    first.write_text(text.replace(opening, opening + "补充报道", 1), encoding="utf-8")
    sorted(corpus.glob("*.txt"))[4].unlink()

    report = write.update(corpus, root)

    assert sorted(report.added) == sorted(article_id(r) for r in new)
    assert report.changed == (ids[0],)
    assert report.removed == (ids[4],)
    assert report.unchanged == 3
    assert report.skipped == ()
    docs = stored(root)
    assert len(docs) == 7
    assert ids[4] not in docs
    assert "补充报道" in docs[ids[0]]["body"]
    assert all(docs[i]["canonical"] for i in docs)
    assert ids_holding(root, "补充") == {ids[0]}  # the new text is searchable


def test_second_update_has_nothing_to_do(corpus: Path, root: Path) -> None:
    write_pages(corpus / "new", range(2))
    assert len(write.update(corpus, root).added) == 2
    again = write.update(corpus, root)
    assert again.nothing_to_do and again.regrouped == ()
    assert again.unchanged == 7
    # A touch changes the mtime but not the bytes: hashed, recorded, not reindexed.
    os.utime(sorted(corpus.glob("*.txt"))[0], ns=(1, 1))
    touched = write.update(corpus, root)
    assert touched.nothing_to_do and touched.unchanged == 7
    gen = write.open_index(root).latest_generation()
    assert write.update(corpus, root).nothing_to_do
    assert write.open_index(root).latest_generation() == gen


def test_update_cli_says_up_to_date(corpus: Path, root: Path) -> None:
    proc = run_cli("update", "--corpus", str(corpus), "--index", str(root))
    out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 0, err
    assert out.startswith("index up to date (5 files unchanged")


def test_update_of_named_pages_reads_only_those(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """`update PATH...` adds, replaces or removes just the pages named (paths from the
    current folder), without walking the corpus: a page added beside them stays out."""
    from indexer.cli import main

    first, second = write_pages(corpus / "new", range(2))
    (corpus / "new" / "notes.pdf").write_text("x", encoding="utf-8")
    monkeypatch.chdir(corpus)
    argv = ["update", "--corpus", ".", "--index", str(root)]
    assert main([*argv, first, "new/notes.pdf", "/etc/hostname"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("added: 1; changed: 0; removed: 0;")
    assert len(out) == 3
    assert "  skipped new/notes.pdf: not a page (.txt, .html, .htm; not hidden or temporary)" in out
    assert any(line.endswith("/etc/hostname: outside the corpus folder") for line in out)
    assert ids_holding(root, "第0号科技动态") and not ids_holding(root, "第1号科技动态")

    (corpus / first).unlink()
    assert main([*argv, first]) == 0
    assert capsys.readouterr().out.startswith("added: 0; changed: 0; removed: 1;")
    assert not ids_holding(root, "第0号科技动态")
    assert write.update(corpus, root).added == (article_id(second),)  # the walk finds it


def test_update_refuses_a_folder_named_as_a_page(
    corpus: Path, root: Path, capsys: pytest.CaptureFixture
) -> None:
    from indexer.cli import main

    write_pages(corpus / "new", range(1))
    assert main(["update", "--corpus", str(corpus), "--index", str(root), str(corpus / "new")]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert not ids_holding(root, "第0号科技动态")


# --- duplicate groups ------------------------------------------------------------------


def test_earlier_copy_arrives_becomes_canonical_then_leaves(tmp_path: Path) -> None:
    gov, copy, other = story_ids()
    corpus = tmp_path / "stories"
    corpus.mkdir()
    for name in ("news_portal_copy_edited.txt", "same_topic_other_article.txt"):
        shutil.copy(STORIES / name, corpus / name)
    root = tmp_path / "index"
    assert write.build(corpus, root).stories == 2

    shutil.copy(STORIES / "gov_portal_original.txt", corpus)  # published 6 hours earlier
    arrived = write.update(corpus, root)
    assert arrived.added == (gov,)
    assert arrived.regrouped == (copy,)
    docs = stored(root)
    assert (docs[gov]["group"], docs[gov]["canonical"]) == (gov, True)
    assert (docs[copy]["group"], docs[copy]["canonical"]) == (gov, False)
    assert (docs[other]["group"], docs[other]["canonical"]) == (other, True)

    (corpus / "gov_portal_original.txt").unlink()
    left = write.update(corpus, root)
    assert left.removed == (gov,)
    assert left.regrouped == (copy,)
    docs = stored(root)
    assert set(docs) == {copy, other}
    assert (docs[copy]["group"], docs[copy]["canonical"]) == (copy, True)


def test_later_copy_joins_without_taking_over(tmp_path: Path) -> None:
    gov, copy, _ = story_ids()
    corpus = tmp_path / "stories"
    corpus.mkdir()
    shutil.copy(STORIES / "gov_portal_original.txt", corpus)
    root = tmp_path / "index"
    write.build(corpus, root)
    shutil.copy(STORIES / "news_portal_copy_edited.txt", corpus)
    report = write.update(corpus, root)
    assert report.added == (copy,) and report.regrouped == ()
    docs = stored(root)
    assert (docs[copy]["group"], docs[copy]["canonical"]) == (gov, False)
    assert (docs[gov]["group"], docs[gov]["canonical"]) == (gov, True)
    # Full build and incremental path agree.
    rebuilt = tmp_path / "index2"
    write.build(corpus, rebuilt)
    assert {i: (d["group"], d["canonical"]) for i, d in stored(rebuilt).items()} == {
        i: (d["group"], d["canonical"]) for i, d in docs.items()
    }


def test_index_files_and_remove_ids(corpus: Path, root: Path) -> None:
    rel = write_pages(corpus / "uploads", range(1))[0]
    report = write.index_files(root, corpus, [corpus / rel])
    assert report.added == (article_id(rel),)
    assert [a.path for a in report.articles] == [rel]
    assert article_id(rel) in stored(root)
    gone = write.remove_ids(root, [article_id(rel), "no-such-id"])
    assert gone.removed == (article_id(rel),)
    assert article_id(rel) not in stored(root)
    # The file is still there: a later update puts it back (the web deletes the file).
    assert write.update(corpus, root).added == (article_id(rel),)


# --- one writer at a time --------------------------------------------------------------


class SteppedTime:
    """Stands in for the `time` module inside write/lock.py: its clock moves only by the
    sleeps the waiting writer asks for, so the test reads how long it waited, exactly,
    without waiting (how long a real wait overshoots: tests/bench/locks.py)."""

    def __init__(self) -> None:
        self.now, self.slept = 0.0, 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


def test_second_writer_gets_index_locked_within_timeout(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with write.write_lock(root, timeout=0):
        clock = SteppedTime()
        monkeypatch.setattr(lock, "time", clock)
        with pytest.raises(errors.IndexLocked, match="another process"):
            write.update(corpus, root, lock_timeout=0.3)
        monkeypatch.undo()
        assert 0.3 <= clock.slept < 0.3 + 0.1  # it waited its timeout, then gave up
        proc = run_cli(
            "update", "--corpus", str(corpus), "--index", str(root), "--lock-timeout", "0"
        )
        out, err = proc.communicate(timeout=HANG_GUARD)
    assert proc.returncode == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: index at")
    assert write.update(corpus, root, lock_timeout=0).nothing_to_do  # released


# Holds both locks until killed: it blocks reading its stdin, which the test never closes
# (a sleep would let go after so many seconds, however slow the machine running the test).
HOLD_LOCKS = """
import sys
from pathlib import Path
from indexer import watch
from indexer.write import incremental
from indexer.write import merge_policy
from indexer import write
root = Path(sys.argv[1])
with write.write_lock(root, 1.0):
    writer = write.open_index(root).writer()  # Whoosh's own lock too
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_locks_of_a_killed_writer_are_released(corpus: Path, root: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCKS, str(root)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout.readline().strip() == "locked"
    with pytest.raises(errors.IndexLocked):
        write.update(corpus, root, lock_timeout=0)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=HANG_GUARD)
    gen = layout.current_generation_dir(root)
    assert (gen / "MAIN_WRITELOCK").exists()  # the file stays; the lock went with the process
    write_pages(corpus / "new", range(1))
    assert len(write.update(corpus, root, lock_timeout=0).added) == 1  # free once it died


def test_an_update_with_nothing_to_do_loads_neither_jieba_nor_the_folding_tables(
    corpus: Path, root: Path
) -> None:
    """Building those costs 0.4 s a run, more than the walk at 100,000 pages; a run that
    reads no page must not pay it. One that reads a page does (the control)."""
    code = (
        "import sys; from pathlib import Path; from indexer import write; "
        "r = write.update(Path(sys.argv[1]), Path(sys.argv[2])); "
        "heavy = ('rjieba', 'indexer.normalize'); "
        "print(len(r.added), sorted(m for m in heavy if m in sys.modules))"
    )

    def run() -> str:
        proc = subprocess.run(
            [sys.executable, "-c", code, str(corpus), str(root)], cwd=ROOT,
            capture_output=True, text=True, timeout=HANG_GUARD, check=True,
        )  # fmt: skip
        return proc.stdout.strip()

    assert run() == "0 []"
    write_pages(corpus / "new", range(1))
    assert run() == "1 ['indexer.normalize', 'rjieba']"
