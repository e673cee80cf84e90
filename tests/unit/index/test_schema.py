"""The one Whoosh schema (index/schema.py): one vocabulary with Article, words without
positions, titles boosted, dates and facets sortable, source names kept whole and cased."""

from __future__ import annotations

import dataclasses

from whoosh.fields import ID, KEYWORD

from indexer.index.analysis import WordAnalyzer
from indexer.index.schema import TITLE_BOOST, build_schema
from indexer.models import Article

# What the index keeps beyond an article's own attributes: duplicate-story bookkeeping and
# the time facets derived from `published` (the MinHash signature is the manifest's alone).
DERIVED = {"year", "month", "group", "canonical"}


def test_every_article_attribute_is_a_stored_field_of_the_same_name() -> None:
    """One vocabulary end to end: the attribute, the Whoosh field and the JSON key share
    a name, so no stage translates between them."""
    schema = build_schema()
    attrs = {f.name for f in dataclasses.fields(Article)}
    assert set(schema.names()) == attrs | DERIVED
    assert set(schema.stored_names()) == set(schema.names())


def test_word_fields_keep_frequencies_only_and_titles_weigh_more() -> None:
    """BM25F needs no positions (phrases match on n-gram postings): storing them would
    cost index size for nothing. A word in the title counts more than one in the body."""
    schema = build_schema()
    for name in ("title", "body"):
        field = schema[name]
        text = "科技部推进创新平台建设"
        assert [t.text for t in field.analyzer(text)] == [t.text for t in WordAnalyzer()(text)]
        assert field.scorable and not field.format.supports("positions")
    assert (
        schema["title"].format.field_boost == TITLE_BOOST > 1 == schema["body"].format.field_boost
    )


def test_id_is_unique_and_date_and_facet_fields_sort() -> None:
    """Updates replace a document by its id; newest/oldest and the facets sort by column."""
    schema = build_schema()
    assert schema["id"].unique and isinstance(schema["id"], ID)
    for name in ("published", "year", "month", "site", "group"):
        assert schema[name].column_type is not None, name


def test_sources_regions_documents_are_comma_keywords_kept_as_written() -> None:
    """Facet values are shown and filtered exactly as written: a space inside a source name
    must not split it, and a Latin name keeps its case."""
    schema = build_schema()
    for name in ("sources", "regions", "documents"):
        field = schema[name]
        assert isinstance(field, KEYWORD) and not field.scorable
        assert [t.text for t in field.analyzer("New Scientist,科技日报")] == [
            "New Scientist",
            "科技日报",
        ]


def test_only_fields_read_through_a_term_lookup_have_postings() -> None:
    """`id` (updates delete by it), the keyword facets (read from their postings) and the
    booleans keep postings; the fields the reader takes from columns or stored values do
    not, though the sortable ones keep their columns."""
    schema = build_schema()
    posted = {name for name in schema.names() if schema[name].indexed}
    assert posted == {
        "id",
        "title",
        "body",
        "sources",
        "regions",
        "documents",
        "title_inferred",
        "canonical",
    }
    for name in ("published", "year", "month", "site", "group"):
        assert not schema[name].indexed and schema[name].column_type is not None
    for name in ("path", "content_hash", "file_hash"):
        assert not schema[name].indexed and schema[name].stored
