"""Incremental updates over bad and changing input: bad files, budgets, workers, an older
index, polling watch, an empty corpus, segment merging."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh.fields import TEXT

from indexer import watch, write
from indexer.extract.pipeline import article_id
from indexer.index import errors, integrity, layout
from indexer.index.schema import build_schema
from indexer.models import SearchRequest
from indexer.read.searcher import Searcher
from indexer.write import incremental, merge_policy
from tests.helpers import HANG_GUARD, StepSleep, wait_for
from tests.integration.update_pages import (
    FIXTURES,
    ROOT,
    STORIES,
    ids_holding,
    page,
    stored,
    story_ids,
    write_pages,
)

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
        assert wait_for(lambda: reports)  # the catch-up update
        assert reports[0].nothing_to_do
        arrived = write_pages(corpus / "live", range(2))
        sleep.step(2)  # the next walk, then the settle look
        assert wait_for(lambda: {article_id(a) for a in arrived} <= set(stored(root)))
        assert stored(root)[article_id(arrived[1])]["body"].endswith("。")
        (corpus / arrived[0]).unlink()
        sleep.step(2)
        assert wait_for(lambda: article_id(arrived[0]) not in stored(root))
        assert wait_for(lambda: [i for r in reports for i in r.removed])
    finally:
        stop.set()
        sleep.release()
        thread.join(timeout=HANG_GUARD)
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
    gov, copy, _ = story_ids()
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
