"""A build's writing: spooled articles become segments, each document with its story."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as windex

from indexer.index.schema import build_schema
from indexer.models import Article
from indexer.write import build_segments, stories
from indexer.write.reports import Steps
from indexer.write.spool import SpoolWriter


def _article(i: int) -> Article:
    return Article(
        id=f"a{i}",
        path=f"p/{i}.txt",
        title=f"科技{i}",
        title_inferred=False,
        published="2024-03-01",
        sources=("新华社",),
        site="草原新闻网",
        body="稀土新材料产业" * (i + 2),
        content_hash=f"h{i}",
        file_hash=f"f{i}",
    )


@pytest.mark.parametrize("procs", [1, 2])
def test_each_document_gets_its_story_and_segments_hold_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, procs: int
) -> None:
    monkeypatch.setattr(build_segments, "SEGMENT_DOCS", 2)
    spool = tmp_path / "spool"
    places = {}
    with SpoolWriter(spool) as out:
        jobs = []
        for i in range(7):
            a = _article(i)
            place = stories.Assignment(group=f"a{i - i % 3}", canonical=i % 3 == 0)
            places[a.id] = place
            jobs.append((out.put(a), place))
    gen = tmp_path / "gen"
    gen.mkdir()
    ix = windex.create_in(str(gen), build_schema())
    done = []
    build_segments.write_segments(ix, spool, jobs, procs, Steps(lambda *a: done.append(a), "i", 7))
    ix = windex.open_dir(str(gen))
    with ix.searcher() as searcher:
        stored = {d["id"]: d for d in searcher.all_stored_fields()}
        n_segments = len(searcher.reader().leaf_readers())
    assert {i: stories.Assignment(d["group"], d["canonical"]) for i, d in stored.items()} == places
    assert stored["a4"]["body"] == _article(4).body
    assert n_segments == 4  # one process: ceil(7 / 2); two: shares of 4 and 3, 2 + 2
    assert done[-1] == ("i", 7, 7)
