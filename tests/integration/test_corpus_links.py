"""Symbolic links in the corpus folder: loops never duplicate pages, links out are refused."""

from __future__ import annotations

import os
from pathlib import Path

from indexer import write
from indexer.corpus import OUTSIDE
from indexer.extract.pipeline import article_id
from indexer.models import SearchRequest
from indexer.read.searcher import Searcher


def stored_ids(root: Path) -> list[str]:
    """Every stored document's id, duplicates kept."""
    with write.open_index(root).searcher() as searcher:
        return sorted(d["id"] for d in searcher.all_stored_fields())


def seed_ids(corpus: Path) -> list[str]:
    return sorted(article_id(p.name) for p in corpus.glob("*.txt") if not p.is_symlink())


def test_a_loop_adds_nothing_and_its_removal_changes_nothing(corpus: Path, root: Path) -> None:
    os.symlink(".", corpus / "loop")
    report = write.update(corpus, root)
    assert (report.added, report.removed, report.unchanged) == ((), (), 5)
    assert stored_ids(root) == seed_ids(corpus)
    (corpus / "loop").unlink()
    report = write.update(corpus, root)
    assert report.nothing_to_do and report.unchanged == 5
    assert stored_ids(root) == seed_ids(corpus)


def test_two_loops_finish_with_each_page_once(corpus: Path, root: Path) -> None:
    os.symlink(".", corpus / "a")
    os.symlink(".", corpus / "b")
    assert write.update(corpus, root).unchanged == 5
    report = write.build(corpus, root)
    assert (report.files_read, report.articles, report.skipped) == (5, 5, ())
    assert stored_ids(root) == seed_ids(corpus)


def test_a_link_to_a_file_outside_is_refused_and_reported(corpus: Path, root: Path) -> None:
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    report = write.update(corpus, root)
    assert report.added == () and report.skipped == (("passwd.txt", OUTSIDE),)
    assert write.build(corpus, root).skipped == (("passwd.txt", OUTSIDE),)
    assert article_id("passwd.txt") not in stored_ids(root)
    assert Searcher(root).search(SearchRequest(q="nologin")).total == 0
    # Named explicitly (as the watcher and the upload endpoint do), it is refused too.
    report = write.index_files(root, corpus, [corpus / "passwd.txt"])
    assert report.skipped == (("passwd.txt", OUTSIDE),) and report.added == ()


def test_an_article_indexed_through_a_link_out_goes_at_the_next_update(
    corpus: Path, root: Path, tmp_path: Path
) -> None:
    """An index written before links were checked may hold such an article: it goes."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes((corpus / sorted(os.listdir(corpus))[0]).read_bytes())
    inside = corpus / "inside.txt"
    inside.write_bytes(outside.read_bytes())
    write.index_files(root, corpus, [inside])
    assert article_id("inside.txt") in stored_ids(root)
    inside.unlink()
    os.symlink(outside, inside)
    report = write.update(corpus, root)
    assert report.removed == (article_id("inside.txt"),)
    assert report.skipped == (("inside.txt", OUTSIDE),)


def test_a_file_named_twice_is_one_document(corpus: Path, root: Path) -> None:
    name = sorted(os.listdir(corpus))[0]
    os.symlink(name, corpus / "alias.txt")
    report = write.index_files(root, corpus, [corpus / name, corpus / "alias.txt"])
    assert (report.added, report.changed, report.unchanged) == ((), (), 1)
    assert stored_ids(root) == seed_ids(corpus)
