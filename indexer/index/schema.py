"""The one Whoosh schema. Field names are the Article attribute / JSON key names.

Matching and ranking use different data on purpose: `title`/`body` are jieba word fields
(analysis.py) that drive BM25F scores; which articles hold a verbatim substring comes from
each segment's character n-gram postings, kept beside the segment by ngrams.py (not as
Whoosh fields: see that module for why).
Stored display fields are what the UI shows; facet fields are plain keywords.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, FieldType, Schema

from indexer.index.analysis import WordAnalyzer

TITLE_BOOST = 3.0


def unposted(field: FieldType) -> FieldType:
    """`field` stored (and kept in its column, if sortable) but without postings.

    Why: the read side takes these values from Whoosh's columns and stored fields, never
    through a term lookup, and their postings (one distinct term per article for paths,
    hashes, groups and dates) were most of Whoosh's term file. Whoosh's own writer and
    FastWriter both skip a field whose `indexed` is false, so the segments stay the ones
    Whoosh writes for this schema. `id` keeps its postings: updates delete by it.
    """
    field.indexed = False
    return field


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        path=unposted(ID(stored=True)),
        # Frequencies only (phrase=False): BM25F needs no positions, and phrases are
        # matched on the n-gram postings.
        title=TEXT(analyzer=WordAnalyzer(), stored=True, phrase=False, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=WordAnalyzer(), stored=True, phrase=False),
        title_inferred=BOOLEAN(stored=True),
        # ISO 8601 string: sorts and range-filters lexicographically; "" when unknown.
        published=unposted(ID(stored=True, sortable=True)),
        year=unposted(ID(stored=True, sortable=True)),  # "2023" or constants.UNKNOWN
        month=unposted(ID(stored=True, sortable=True)),  # "2023-12" or constants.UNKNOWN
        sources=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        site=unposted(ID(stored=True, sortable=True)),
        # Per-article facts (extract/regions.py, extract/documents.py), comma-separated:
        # facet values for the `region` and `document` filters.
        regions=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        documents=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        content_hash=unposted(ID(stored=True)),
        file_hash=unposted(ID(stored=True)),
        encoding=STORED(),
        # Duplicate stories: every member carries its group's id; one member is canonical.
        group=unposted(ID(stored=True, sortable=True)),
        canonical=BOOLEAN(stored=True),
    )
