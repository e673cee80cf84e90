"""Incremental updates: exact counts, duplicate groups, one writer at a time, crashes, bad files."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as windex
from whoosh.fields import TEXT

from indexer import watch, write
from indexer.extract.pipeline import article_id
from indexer.index import errors, integrity, layout
from indexer.index.schema import build_schema
from indexer.models import SearchRequest
from indexer.read.query import Term
from indexer.read.searcher import Searcher
from indexer.write import incremental, merge_policy
from tests.helpers import StepSleep, committed_fields, wait_for

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
STORIES = FIXTURES / "stories"

PHRASES = (
    "自治区科技厅",
    "稀土新材料",
    "科技创新",
    "高质量发展",
    "重大专项",
    "包头市",
    "鄂尔多斯市",
    "研发投入",
    "企业创新主体",
    "成果转化",
    "人才引进",
    "创新平台",
    "产业链",
    "新能源",
    "关键技术攻关",
    "政策支持",
    "项目建设",
    "呼和浩特市",
    "科技型中小企业",
    "高新技术企业",
)


def page(i: int) -> str:
    """A small news page (menu, title, date and source line, three paragraphs, footer)."""
    rng = random.Random(i)

    def sentence() -> str:
        clauses = ("".join(rng.choice(PHRASES) for _ in range(3)) for _ in range(3))
        return "，".join(clauses) + f"，编号{i}第{rng.randint(1, 999)}项。"

    paras = ["".join(sentence() for _ in range(4)) for _ in range(3)]
    return (
        f"首页\n新闻中心\n第{i}号科技动态：{rng.choice(PHRASES)}取得新进展\n"
        f"发布时间：2023-{1 + i % 12:02d}-{1 + i % 28:02d} 来源：内蒙古日报\n\n"
        + "\n\n".join(paras)
        + "\n\n上一篇：无\n"
    )


def write_pages(folder: Path, numbers: range) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    rels = []
    for i in numbers:
        (folder / f"n{i:04d}.txt").write_text(page(i), encoding="utf-8")
        rels.append(f"{folder.name}/n{i:04d}.txt")
    return rels


def ids_holding(root: Path, text: str, title_only: bool = False) -> set[str]:
    """Ids of the live articles holding `text` verbatim (in titles only, if asked)."""
    gen = Searcher(root, cache_size=0)._current()
    anywhere, in_title = gen.term_masks(Term(text, title_only=title_only))
    mask = (in_title if title_only else anywhere) & gen.columns.live
    return {gen.stored(int(d))["id"] for d in np.flatnonzero(mask)}


def assert_no_orphan_files(root: Path) -> None:
    """Every segment file (n-gram postings included) belongs to a live segment, and no
    temporary folder or file is left."""
    gen_dir = layout.current_generation_dir(root)
    assert not [p for p in gen_dir.iterdir() if p.name.endswith(".tmp")]
    live = {s.segment_id() for s in write.open_index(root)._segments()}
    on_disk = {
        p.name.split(".")[0]
        for p in gen_dir.iterdir()
        if p.name.startswith("MAIN_") and "." in p.name
    }
    assert on_disk == live


def stored(root: Path) -> dict[str, dict]:
    return {d["id"]: d for d in committed_fields(root)}


def run_cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "indexer", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def seed_ids(corpus: Path) -> list[str]:
    return [article_id(p.name) for p in sorted(corpus.glob("*.txt"))]


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
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert out.startswith("index up to date (5 files unchanged")


# --- duplicate groups ------------------------------------------------------------------


def _story_ids() -> tuple[str, str, str]:
    return (
        article_id("gov_portal_original.txt"),
        article_id("news_portal_copy_edited.txt"),
        article_id("same_topic_other_article.txt"),
    )


def test_earlier_copy_arrives_becomes_canonical_then_leaves(tmp_path: Path) -> None:
    gov, copy, other = _story_ids()
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
    gov, copy, _ = _story_ids()
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


def test_second_writer_gets_index_locked_within_timeout(corpus: Path, root: Path) -> None:
    with write.write_lock(root, timeout=1.0):
        t0 = time.monotonic()
        with pytest.raises(errors.IndexLocked, match="another process"):
            write.update(corpus, root, lock_timeout=0.3)
        assert time.monotonic() - t0 >= 0.3  # it waited (how long past: tests/bench)
        proc = run_cli(
            "update", "--corpus", str(corpus), "--index", str(root), "--lock-timeout", "0.2"
        )
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: index at")
    assert write.update(corpus, root, lock_timeout=0.3).nothing_to_do


HOLD_LOCKS = """
import sys, time
from pathlib import Path
from indexer import watch
from indexer.write import incremental
from indexer.write import merge_policy
from indexer import write
root = Path(sys.argv[1])
with write.write_lock(root, 1.0):
    writer = write.open_index(root).writer()  # Whoosh's own lock too
    print("locked", flush=True)
    time.sleep(60)
"""


def test_locks_of_a_killed_writer_are_released(corpus: Path, root: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCKS, str(root)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "locked"
    with pytest.raises(errors.IndexLocked):
        write.update(corpus, root, lock_timeout=0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    gen = layout.current_generation_dir(root)
    assert (gen / "MAIN_WRITELOCK").exists()  # the file stays; the lock went with the process
    write_pages(corpus / "new", range(1))
    assert len(write.update(corpus, root, lock_timeout=2.0).added) == 1


# --- crashes ---------------------------------------------------------------------------


def segment_files(root: Path) -> set[str]:
    """Names of the Whoosh segments whose files are in the current generation."""
    gen = layout.current_generation_dir(root)
    return {
        p.name.split(".")[0] for p in gen.iterdir() if p.name.startswith("MAIN_") and "." in p.name
    }


@pytest.mark.slow
def test_kill9_during_a_large_update(corpus: Path, root: Path, pause_at) -> None:
    """kill -9 while the second batch's segment is on disk but not committed (workers
    extracting ahead): readers keep the first batch, the next run adds exactly the rest
    and the dead writer's segment files are gone."""
    new = write_pages(corpus / "batch", range(240))  # >= 200: extraction in workers
    pause = pause_at("segment-written:2")
    args = ("update", "--corpus", str(corpus), "--index", str(root), "--batch-size", "40")
    proc = run_cli(*args, start_new_session=True, env=pause.env())
    pause.wait(proc)
    live = {s.segment_id() for s in write.open_index(root)._segments()}
    orphans = segment_files(root) - live
    assert len(orphans) == 1  # the second batch, written and not committed: mid-work
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    ix = write.open_index(root)  # opens and answers with the last committed state
    assert ix.doc_count() == 5 + 40
    with ix.searcher() as searcher:
        done = [d["id"] for d in searcher.all_stored_fields() if d["path"].startswith("batch/")]
    assert sorted(done) == sorted(article_id(r) for r in new[:40])
    assert set(done) <= ids_holding(root, "动态", title_only=True)
    report = write.update(corpus, root)
    assert len(report.added) == 200
    assert report.changed == () and report.removed == ()
    docs = stored(root)
    assert len(docs) == 245
    assert {article_id(r) for r in new} <= set(docs)
    assert write.update(corpus, root).nothing_to_do
    assert not orphans & segment_files(root)
    assert_no_orphan_files(root)  # of the killed writer


def test_a_write_error_after_a_batch_keeps_it_and_the_next_run_finishes(
    corpus: Path, root: Path, pause_at
) -> None:
    """A write error right after the first commit: one line and status 2, the committed
    batch stays searchable, the next run adds exactly the rest."""
    new = write_pages(corpus / "batch", range(100))
    pause = pause_at("commit:1")
    args = ("update", "--corpus", str(corpus), "--index", str(root), "--batch-size", "40")
    proc = run_cli(*args, start_new_session=True, env=pause.env())
    pause.wait(proc)
    pause.release("fail")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert err.startswith("error: ") and "injected fault at commit" in err
    assert len(err.splitlines()) == 1 and out == ""
    assert len(stored(root)) == 5 + 40
    report = write.update(corpus, root, batch_size=40)
    assert len(report.added) == 60
    assert {article_id(r) for r in new} <= set(stored(root))


def test_disk_full_midway_keeps_committed_batches_and_the_next_run_finishes(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC while the third batch's segment is written: the update fails with the
    error, readers keep the two batches committed before it, and the next run (with room
    again) adds exactly the rest, leaving no file of the failed segment behind."""
    import errno

    from indexer.index import ngrams

    new = write_pages(corpus / "batch", range(100))
    real = ngrams.write_arrays
    calls = {"n": 0}

    def full_disk(path: Path, arrays: dict) -> None:
        calls["n"] += path.suffix == ngrams.EXT  # a segment's last file (after its .wrd)
        if calls["n"] == 3 and path.suffix == ngrams.EXT:
            path.with_name(path.name + ".tmp").write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(path, arrays)

    monkeypatch.setattr(ngrams, "write_arrays", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write.update(corpus, root, batch_size=40)
    assert len(stored(root)) == 5 + 80
    assert len(ids_holding(root, "动态", title_only=True) & {article_id(r) for r in new}) == 80

    monkeypatch.setattr(ngrams, "write_arrays", real)
    report = write.update(corpus, root, batch_size=40)
    assert len(report.added) == 20 and report.changed == ()
    assert {article_id(r) for r in new} <= set(stored(root))
    assert_no_orphan_files(root)  # of the failed segment


def test_cli_reports_os_errors_in_one_line(corpus: Path, root: Path) -> None:
    """The CLI turns an OSError (a full disk; here: the index root is a file) into one
    line and status 2, saying what became of the index."""
    bad_root = corpus.parent / "not-a-folder"
    bad_root.write_text("x")
    cli = subprocess.run(
        [sys.executable, "-m", "indexer", "update", "--corpus", str(corpus), "--index",
         str(bad_root)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert cli.returncode == 2
    assert cli.stderr.startswith("error: ") and "Traceback" not in cli.stderr
    assert "run update again" in cli.stderr and len(cli.stderr.splitlines()) == 1


@pytest.mark.slow
def test_ctrl_c_during_a_large_update(corpus: Path, root: Path, pause_at) -> None:
    """Ctrl-C after the first commit, workers extracting ahead: the CLI says "interrupted"
    (status 130), leaves no lock, temp file or orphan segment, the index answers with the
    batch committed, and the next run adds exactly the rest."""
    new = write_pages(corpus / "batch", range(240))  # >= 200: extraction in workers
    pause = pause_at("commit:1")
    args = ("update", "--corpus", str(corpus), "--index", str(root), "--batch-size", "40")
    # Its own process group, like a terminal's, so Ctrl-C reaches the workers too.
    proc = run_cli(*args, start_new_session=True, env=pause.env())
    pause.wait(proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert len(stored(root)) == 5 + 40
    report = write.update(corpus, root, lock_timeout=5)  # the lock was released
    assert len(report.added) == 200
    assert {article_id(r) for r in new} <= set(stored(root))
    assert_no_orphan_files(root)


@pytest.mark.slow
def test_build_killed_midway_keeps_the_old_generation(corpus: Path, root: Path, pause_at) -> None:
    """kill -9 of a build whose new generation is complete but not yet `current`: the old
    one keeps answering; the next build replaces both."""
    old = layout.current_generation_dir(root)
    write_pages(corpus / "batch", range(100))
    pause = pause_at("swap")
    proc = run_cli(
        "build",
        "--corpus",
        str(corpus),
        "--index",
        str(root),
        start_new_session=True,
        env=pause.env(),
    )
    pause.wait(proc)
    generations = sorted(p for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX))
    assert len(generations) == 2  # the new one is written: the kill lands mid-build
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert layout.current_generation_dir(root) == old
    assert write.open_index(root).doc_count() == 5
    report = write.build(corpus, root)
    assert report.articles == 105
    assert [p.name for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX)] == [
        report.generation
    ]


# --- bad input -------------------------------------------------------------------------


def test_bad_files_are_skipped_with_reasons_and_retried_when_changed(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = corpus / "incoming"
    bad.mkdir()
    for name in ("empty.txt", "binary_page.txt", "undecodable.txt", "whitespace_only.txt"):
        shutil.copy(FIXTURES / name, bad / name)
    import indexer.extract.patterns

    monkeypatch.setattr(indexer.extract.patterns, "MAX_FILE_BYTES", 4096)
    monkeypatch.setattr(indexer.extract.load, "MAX_FILE_BYTES", 4096, raising=False)
    (bad / "huge.txt").write_text(page(1) * 10, encoding="utf-8")
    half = page(2).encode("utf-8")[:40]  # a copy interrupted early: title line cut
    (bad / "half.txt").write_bytes(half)
    good = write_pages(corpus / "new", range(3, 4))

    report = write.update(corpus, root)
    reasons = dict(report.skipped)
    assert report.added == (article_id(good[0]),)
    assert set(reasons) == {
        f"incoming/{n}"
        for n in ("empty.txt", "binary_page.txt", "undecodable.txt", "whitespace_only.txt")
    } | {"incoming/huge.txt", "incoming/half.txt"}
    assert reasons["incoming/empty.txt"] == "empty file"
    assert "too large" in reasons["incoming/huge.txt"]
    assert all(reasons.values())
    assert len(stored(root)) == 6

    assert write.update(corpus, root).nothing_to_do  # not retried while unchanged
    (bad / "half.txt").write_text(page(2), encoding="utf-8")  # the copy finished
    retried = write.update(corpus, root)
    assert retried.added == (article_id("incoming/half.txt"),)
    assert retried.skipped == ()


def test_a_file_turning_bad_keeps_its_last_good_article(corpus: Path, root: Path) -> None:
    target = sorted(corpus.glob("*.txt"))[2]
    title = stored(root)[article_id(target.name)]["title"]
    target.write_bytes(b"")
    report = write.update(corpus, root)
    assert report.skipped == ((target.name, "empty file"),)
    assert stored(root)[article_id(target.name)]["title"] == title
    target.unlink()
    assert write.update(corpus, root).removed == (article_id(target.name),)


def test_schema_of_built_index_is_the_shared_schema(root: Path) -> None:
    assert sorted(write.open_index(root).schema.names()) == sorted(build_schema().names())


def test_update_extracts_in_workers_with_the_same_outcome(
    corpus: Path, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past UPDATE_PARALLEL_MIN_FILES files, extraction runs in worker processes; the
    report, the skipped reasons and the index are those of the in-process run."""
    write_pages(corpus / "many", range(230))
    (corpus / "many" / "empty.txt").write_bytes(b"")
    (corpus / "many" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    serial_root = tmp_path / "serial"
    shutil.copytree(root, serial_root, symlinks=True)

    parallel = write.update(corpus, root, batch_size=40)
    monkeypatch.setattr(incremental, "UPDATE_PARALLEL_MIN_FILES", 10**9)
    serial = write.update(corpus, serial_root, batch_size=40)

    assert len(parallel.added) == 230
    assert sorted(parallel.added) == sorted(serial.added)
    assert sorted(parallel.skipped) == sorted(serial.skipped)
    assert {p for p, _ in parallel.skipped} == {"many/empty.txt", "many/binary.txt"}
    assert stored(root).keys() == stored(serial_root).keys()
    assert ids_holding(root, "科技") == ids_holding(serial_root, "科技")


def test_a_page_over_its_budget_is_skipped_in_workers_and_the_rest_indexed(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of repeated lines runs out of its step budget inside a worker process; it
    is reported with the reason and every other new page is indexed."""
    import indexer.extract.budget

    monkeypatch.setattr(incremental, "UPDATE_PARALLEL_MIN_FILES", 5)
    monkeypatch.setattr(indexer.extract.budget, "EXTRACT_STEPS", 1_000)  # forked workers inherit it
    good = write_pages(corpus / "new", range(12))
    hostile = corpus / "new" / "repeated.txt"
    hostile.write_text("标题在此\n" + "稀土创新科技发展。\n" * 5_000, encoding="utf-8")

    report = write.update(corpus, root)
    assert sorted(report.added) == sorted(article_id(r) for r in good)
    assert report.skipped == (
        ("new/repeated.txt", "extraction needed more than 1000 steps (stopped at repeated blocks)"),
    )


def test_an_index_from_an_older_version_asks_for_a_rebuild(corpus: Path, root: Path) -> None:
    """A segment without its n-gram postings, or a stored schema of another shape, is an
    index written by an older version: every entry point says to rebuild, none crashes."""
    gen = layout.current_generation_dir(root)
    for ngr in gen.glob("*.ngr"):
        ngr.unlink()
    (gen / integrity.RECORD).unlink()  # nor checksums: older versions kept none
    with pytest.raises(errors.IndexNotFound, match="older version.*indexer build"):
        Searcher(root).search(SearchRequest(q="科技"))
    cli = subprocess.run(
        [sys.executable, "-m", "indexer", "search", "--index", str(root), "科技"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert cli.returncode == 2 and "older version" in cli.stderr
    assert "Traceback" not in cli.stderr

    with sqlite3.connect(gen / "manifest.sqlite") as db:  # built before formats were kept
        db.execute("DELETE FROM meta WHERE key = 'format'")
    with pytest.raises(errors.IndexOutdated):  # not "index up to date"
        write.update(corpus, root)

    old_schema = build_schema()
    old_schema.add("body_grams", TEXT())  # a field this version no longer has
    windex.create_in(str(gen), old_schema)
    write_pages(corpus / "new", range(1))
    with pytest.raises(errors.IndexOutdated, match="rebuild"):
        write.update(corpus, root)
    watch.watch(corpus, root, stop=lambda: True, poll=True)  # rebuilds it by itself
    assert layout.current_generation_dir(root) != gen
    assert Searcher(root).search(SearchRequest(q="科技")).total > 0


# --- watch -----------------------------------------------------------------------------


def test_watch_polling_indexes_arrivals_and_removes(corpus: Path, root: Path) -> None:
    """Polling mode end to end. Whether a file has settled is decided by `settled` over
    two looks (tests/unit/watch/test_settle.py); a growing file is tested in event mode with a clock
    the test drives (test_watch.py), since here only the machine's speed would decide."""
    stop = threading.Event()
    reports: list[write.UpdateReport] = []
    sleep = StepSleep()
    kwargs = {"report": reports.append, "stop": stop.is_set, "poll": True, "sleep": sleep}
    thread = threading.Thread(target=watch.watch, args=(corpus, root), kwargs=kwargs)
    thread.start()
    try:
        assert wait_for(lambda: reports, 120)  # the catch-up update
        assert reports[0].nothing_to_do
        arrived = write_pages(corpus / "live", range(2))
        sleep.step(2)  # the next walk, then the settle look
        assert wait_for(lambda: {article_id(a) for a in arrived} <= set(stored(root)), 120)
        assert stored(root)[article_id(arrived[1])]["body"].endswith("。")
        (corpus / arrived[0]).unlink()
        sleep.step(2)
        assert wait_for(lambda: article_id(arrived[0]) not in stored(root), 120)
        assert wait_for(lambda: [i for r in reports for i in r.removed], 120)
    finally:
        stop.set()
        sleep.release()
        thread.join(timeout=60)
    added = [i for r in reports for i in r.added]
    assert sorted(added) == sorted(article_id(a) for a in arrived)
    assert [i for r in reports for i in r.removed] == [article_id(arrived[0])]
    assert not [r for r in reports if r.skipped]


def test_a_missing_or_empty_corpus_never_empties_the_index(tmp_path: Path, root: Path) -> None:
    with pytest.raises(errors.CorpusNotFound, match="does not exist"):
        write.update(tmp_path / "typo", root)
    (tmp_path / "unmounted").mkdir()
    with pytest.raises(errors.CorpusNotFound, match="refusing to remove all 5"):
        write.update(tmp_path / "unmounted", root)
    with pytest.raises(errors.CorpusNotFound):
        write.build(tmp_path / "typo", root)
    assert write.open_index(root).doc_count() == 5
    assert len([p for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX)]) == 1


def test_small_segments_are_merged_and_stay_searchable(
    corpus: Path, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(merge_policy, "MAX_SEGMENTS", 3)
    gov, copy, _ = _story_ids()
    shutil.copy(STORIES / "news_portal_copy_edited.txt", corpus)
    for k in range(5):
        write_pages(corpus / f"wave{k}", range(10 * k, 10 * k + 2))
        if k == 2:
            shutil.copy(STORIES / "gov_portal_original.txt", corpus)
        if k == 3:
            shutil.rmtree(corpus / "wave0")
        write.update(corpus, root)
        assert len(write.open_index(root)._segments()) <= 3
    docs = stored(root)
    assert len(docs) == 5 + 2 + 8 - 0  # seeds, two stories, four waves of two left
    assert (docs[copy]["group"], docs[copy]["canonical"]) == (gov, False)
    rebuilt = corpus.parent / "rebuilt"
    write.build(corpus, rebuilt)
    assert {i: (d["group"], d["canonical"], d["body"]) for i, d in docs.items()} == {
        i: (d["group"], d["canonical"], d["body"]) for i, d in stored(rebuilt).items()
    }
    for text in ("科技", "稀土", "创新", "编号", "科技创新"):
        hits = ids_holding(root, text)
        assert hits == ids_holding(rebuilt, text) and hits
