"""`python -m indexer stats`: the searcher's counts of live documents, and the generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.index.errors import IndexNotFound
from indexer.index.layout import new_generation_dir, swap_current
from indexer.read.stats import stats
from tests.unit.read.small_index import Doc, write_index

DOCS = [
    Doc("a1", "稀土", "正文一。", "2023-03-05", ("新华社",), "站甲", "a1", True),
    Doc("a2", "稀土", "正文一。", "2023-03-06", ("内蒙古日报",), "站乙", "a1", False),
    Doc("b", "草原", "正文二。", "2024-01-25", ("新华社",), "站甲"),
    Doc("c", "无日期", "正文三。", "", (), ""),
]


def test_counts_articles_stories_sources_sites_and_the_date_span(tmp_path: Path) -> None:
    gen = new_generation_dir(tmp_path)
    write_index(gen, DOCS)
    swap_current(tmp_path, gen)
    s = stats(tmp_path)
    assert (s.articles, s.stories, s.sources, s.sites) == (4, 3, 2, 2)
    assert (s.first_published, s.last_published, s.undated) == ("2023-03-05", "2024-01-25", 1)
    assert s.generation == gen.name


def test_no_index_is_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound):
        stats(tmp_path / "none")
