"""The streaming build: the same stories as grouping every article in memory, and a
memory held by the batch, not by the corpus."""

from __future__ import annotations

import gc
import sqlite3
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer import faults, write
from indexer.extract import templates
from indexer.extract.pipeline import survey_file
from indexer.index.layout import MANIFEST, SPOOL, resolve_index_dir
from indexer.models import Article
from indexer.write import build_segments, stories
from indexer.write.corpus_diff import walk_corpus
from tests.bench.corpus import make_corpus

N = 240


@pytest.fixture(scope="module")
def copies_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages in the benchmark's shape, some republished elsewhere with a sentence dropped."""
    corpus = tmp_path_factory.mktemp("copies") / "corpus"
    made = make_corpus(corpus, N, seed=3)
    assert made["copies"] >= 5
    return corpus


def in_memory_stories(corpus: Path) -> dict[str, stories.Assignment]:
    """Stories as a build grouped them holding every article: all pages read alone, the
    templates learnt, the pages holding a template line read again, then group_all."""
    files = walk_corpus(corpus).files
    first = {rel: survey_file(Path(files[rel].path), corpus) for rel in sorted(files)}
    learnt = templates.learn((f.site, f.keys) for _, f in first.values() if f)
    learnt = {site: keys for site, keys in learnt.items() if keys}
    assert learnt, "the corpus should have a templated site, so pages are read twice"
    articles = []
    for rel, (result, found) in first.items():
        if found and found.site in learnt and found.keys & learnt[found.site]:
            result = survey_file(Path(files[rel].path), corpus, templates=learnt)[0]
        if isinstance(result, Article):
            articles.append(result)
    return stories.group_all([stories.member_of(a, stories.signature(a.body)) for a in articles])


def stored_stories(root: Path) -> dict[str, tuple[str, bool]]:
    ix = whoosh_index.open_dir(str(resolve_index_dir(root)))
    with ix.searcher() as searcher:
        return {d["id"]: (d["group"], bool(d["canonical"])) for d in searcher.all_stored_fields()}


def test_streaming_build_groups_as_in_memory(copies_corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "index"
    report = write.build(copies_corpus, root)
    want = {i: (w.group, w.canonical) for i, w in in_memory_stories(copies_corpus).items()}
    assert report.copies >= 5
    assert stored_stories(root) == want
    db = sqlite3.connect(resolve_index_dir(root) / MANIFEST)
    try:
        rows = db.execute("SELECT id, grp, canonical FROM docs").fetchall()
    finally:
        db.close()
    assert {i: (g, bool(c)) for i, g, c in rows} == want
    assert not (resolve_index_dir(root) / SPOOL).exists()


def test_articles_held_are_bounded_by_the_batch(
    copies_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted where the old build held every article: once grouping is done, and each
    time a segment is written (several segments here, so the writing is a stream too)."""
    alive: dict[str, int] = {}

    def count(point: str) -> None:
        gc.collect()
        n = sum(1 for o in gc.get_objects() if isinstance(o, Article))
        alive[point] = max(alive.get(point, 0), n)

    monkeypatch.setattr(faults, "reached", count)
    monkeypatch.setattr(build_segments, "SEGMENT_DOCS", 50)
    report = write.build(copies_corpus, tmp_path / "index")
    assert report.articles > 200
    assert alive.keys() >= {"grouped", "segment-written", "swap"}
    assert max(alive.values()) <= 2, alive


def test_a_build_stopped_after_grouping_leaves_the_old_index(
    copies_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "index"
    write.build(copies_corpus, root)
    old = resolve_index_dir(root)
    before = stored_stories(root)

    def stop(point: str) -> None:
        if point == "grouped":
            raise faults.InjectedFault(5, "injected fault at grouped")

    monkeypatch.setattr(faults, "reached", stop)
    with pytest.raises(faults.InjectedFault):
        write.build(copies_corpus, root)
    assert resolve_index_dir(root) == old
    assert sorted(p.name for p in root.glob("gen-*")) == [old.name]
    assert stored_stories(root) == before
