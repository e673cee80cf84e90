"""The corpus against the manifest: one walk, and which files an update must read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer.corpus import CorpusFile
from indexer.extract.pipeline import iter_corpus
from indexer.index import errors
from indexer.write import corpus_diff


def test_scan_corpus_selects_what_the_pipeline_does(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "c"
    shutil.copytree(seeds_dir, corpus / "a" / "b")
    (corpus / "page.HTML").write_text("<p>x</p>")
    (corpus / ".hidden.txt").write_text("x")
    (corpus / ".git").mkdir()
    (corpus / ".git" / "x.txt").write_text("x")
    (corpus / "copying.txt.part").write_text("x")
    (corpus / "~lock.txt").write_text("x")
    (corpus / "notes.md").write_text("x")
    scanned = corpus_diff.walk_corpus(corpus).files
    expected = {p.relative_to(corpus).as_posix() for p in iter_corpus(corpus)}
    assert set(scanned) == expected
    assert len(expected) == 6
    cf = scanned["page.HTML"]
    assert (cf.size, Path(cf.path)) == (8, corpus / "page.HTML")


def test_a_missing_corpus_folder_is_an_error_not_an_empty_corpus(tmp_path: Path) -> None:
    with pytest.raises(errors.CorpusNotFound, match="does not exist"):
        corpus_diff.walk_corpus(tmp_path / "nowhere")


def _cf(rel: str, size: int, mtime: int) -> CorpusFile:
    return CorpusFile(rel, f"/c/{rel}", size, mtime)


def test_stat_diff_reads_only_what_changed_and_lists_what_went() -> None:
    recorded = {"a.txt": (1, 10), "b.txt": (2, 20), "gone.txt": (3, 30), "c.txt": (4, 40)}
    files = {
        "c.txt": _cf("c.txt", 4, 41),  # touched: mtime differs
        "a.txt": _cf("a.txt", 1, 10),  # unchanged
        "b.txt": _cf("b.txt", 5, 20),  # size differs
        "new.txt": _cf("new.txt", 1, 1),
    }
    work, gone, unchanged = corpus_diff.stat_diff(recorded, files)
    assert [cf.relpath for cf in work] == ["b.txt", "c.txt", "new.txt"]
    assert gone == ["gone.txt"]
    assert unchanged == 1
