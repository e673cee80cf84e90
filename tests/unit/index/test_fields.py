"""Article <-> stored fields: the one mapping, both directions."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as windex

from indexer.index import fields
from indexer.index.schema import build_schema
from indexer.write import segment_writer, stories
from tests.unit.write.test_segment_writer import _article, _articles


def test_stored_fields_round_trip_to_the_article(seeds_dir: Path, tmp_path: Path) -> None:
    a = _articles(seeds_dir)[0]
    ix = windex.create_in(str(tmp_path), build_schema())
    w = segment_writer.FastWriter(ix)
    w.add_article(a, fields.article_fields(a, stories.Assignment(a.id, True)))
    w.commit(merge=False)
    with ix.searcher() as s:
        assert fields.article_from_stored(s.document(id=a.id)) == a


def test_no_document_stores_a_minhash_signature() -> None:
    """The manifest holds each signature; stored too (as "simhash", up to format 8) it
    took about 390 compressed bytes a document."""
    doc = fields.article_fields(_article(1, "t", "b"), stories.Assignment("a0001", True))
    assert "simhash" not in doc and "simhash" not in build_schema().names()
    assert all(not isinstance(v, bytes) for v in doc.values())


@pytest.mark.parametrize(
    ("published", "year", "month"),
    [
        ("2023-12-05T22:45", "2023", "2023-12"),
        ("2024-01", "2024", "2024-01"),
        (None, "unknown", "unknown"),
    ],
)
def test_date_facets(published, year, month) -> None:
    a = _article(1, "t", "b", published=published)
    doc = fields.article_fields(a, stories.Assignment("a0001", True))
    assert (doc["published"], doc["year"], doc["month"]) == (published or "", year, month)


@pytest.mark.parametrize(
    ("stored", "sources"),
    [
        ({"sources": "内蒙古日报,新华社"}, ("内蒙古日报", "新华社")),
        ({"sources": ""}, ()),
        ({}, ()),
        ({"sources": ["a", "b"]}, ("a", "b")),  # a reader that gives the list itself
    ],
)
def test_stored_sources(stored: dict, sources: tuple[str, ...]) -> None:
    assert fields.stored_sources(stored) == sources


def test_a_comma_inside_a_source_name_does_not_split_it() -> None:
    a = _article(1, "t", "b", sources=("科技, 日报", "新华社"))
    doc = fields.article_fields(a, stories.Assignment(a.id, True))
    assert fields.stored_sources(doc) == ("科技  日报", "新华社")
