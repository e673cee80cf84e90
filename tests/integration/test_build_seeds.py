"""A full build over seeds/: every page indexed once, with its fields and its group."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from indexer import write
from indexer.extract.pipeline import article_id, iter_corpus, process_file
from indexer.index import errors, layout
from tests.helpers import HANG_GUARD


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds_dir: Path) -> tuple[Path, write.BuildReport]:
    root = tmp_path_factory.mktemp("idx") / "index"
    return root, write.build(seeds_dir, root)


def test_build_reports_every_seed(built, seeds_dir: Path) -> None:
    _, report = built
    n = len(iter_corpus(seeds_dir))
    assert n == 5
    assert report.files_read == n
    assert report.articles == n
    assert report.skipped == ()
    assert report.stories == n  # the seeds are five different stories
    assert report.copies == 0


def test_ids_and_stored_fields_match_the_pipeline(built, seeds_dir: Path) -> None:
    root, _ = built
    ix = write.open_index(root)
    with ix.searcher() as searcher:
        docs = {d["id"]: d for d in searcher.all_stored_fields()}
    expected = {}
    for path in iter_corpus(seeds_dir):
        article = process_file(path, seeds_dir)
        expected[article.id] = article
        assert article.id == article_id(path.name)
    assert set(docs) == set(expected)
    for doc_id, article in expected.items():
        doc = docs[doc_id]
        assert doc["path"] == article.path
        assert doc["title"] == article.title
        assert doc["body"] == article.body
        assert doc["published"] == (article.published or "")
        assert doc["file_hash"] == article.file_hash
        assert doc["content_hash"] == article.content_hash
        assert doc["group"] == doc_id
        assert doc["canonical"] is True
        assert doc["year"] == (article.published[:4] if article.published else "unknown")


def test_current_points_at_the_only_generation(built) -> None:
    root, report = built
    gens = [p.name for p in root.iterdir() if p.name.startswith(layout.GEN_PREFIX)]
    assert gens == [report.generation]
    assert layout.current_generation_dir(root).name == report.generation
    assert os.readlink(root / layout.CURRENT) == report.generation


def test_rebuild_swaps_generation_and_deletes_the_old(tmp_path: Path, seeds_dir: Path) -> None:
    root = tmp_path / "index"
    first = write.build(seeds_dir, root)
    second = write.build(seeds_dir, root)
    assert first.generation != second.generation
    assert [p.name for p in root.iterdir() if p.name.startswith("gen-")] == [second.generation]
    assert write.open_index(root).doc_count() == 5


def test_a_copy_of_a_seed_joins_its_group(tmp_path: Path, seeds_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    original = sorted(corpus.iterdir())[1]
    (corpus / "mirror").mkdir()
    shutil.copy(original, corpus / "mirror" / original.name)
    report = write.build(corpus, tmp_path / "index")
    assert (report.articles, report.stories, report.copies) == (6, 5, 1)
    with write.open_index(tmp_path / "index").searcher() as searcher:
        docs = {d["path"]: d for d in searcher.all_stored_fields()}
    a, b = docs[original.name], docs[f"mirror/{original.name}"]
    assert a["group"] == b["group"]
    assert sorted([a["canonical"], b["canonical"]]) == [False, True]
    # Same date and metadata: path order decides, so the top-level file is canonical.
    assert a["canonical"] is True and b["group"] == a["id"]


def test_open_index_without_build_is_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(errors.IndexNotFound):
        write.open_index(tmp_path / "nothing")


def test_build_and_stats_commands(tmp_path: Path, seeds_dir: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    index = tmp_path / "index"
    run = [sys.executable, "-m", "indexer"]
    built = subprocess.run(
        [*run, "build", "--corpus", str(seeds_dir), "--index", str(index)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(
        "files read: 5; articles indexed: 5; stories: 5; duplicates grouped: 0; files skipped: 0;"
    )
    stats = subprocess.run(
        [*run, "stats", "--index", str(index)], cwd=root, capture_output=True, text=True
    )
    lines = stats.stdout.splitlines()
    assert lines[:2] == ["articles: 5", "stories: 5"]
    assert lines[4].startswith("dates: 2022-") and lines[4].endswith("(1 undated)")


def test_search_batch_into_a_closed_pipe_ends_quietly(tmp_path: Path, seeds_dir: Path) -> None:
    """`search --batch FILE | head -1`: the reader leaving is not an error (status 0,
    nothing on stderr); a missing batch file is one line and status 2."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    index = tmp_path / "index"
    write.build(seeds_dir, index)
    queries = tmp_path / "queries.txt"
    queries.write_text("科技\n" * 500, encoding="utf-8")
    run = [sys.executable, "-m", "indexer", "search", "--index", str(index), "--batch"]
    proc = subprocess.Popen(
        [*run, str(queries)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b'{"query": "')
    proc.stdout.close()  # as `head -1` does
    assert proc.wait(timeout=HANG_GUARD) == 0
    assert proc.stderr.read() == b""
    missing = subprocess.run(
        [*run, str(tmp_path / "none.txt")], cwd=root, capture_output=True, text=True
    )
    assert missing.returncode == 2 and missing.stderr.startswith("error: ")
