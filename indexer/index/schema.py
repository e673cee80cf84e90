"""The one Whoosh schema. Field names are the Article attribute / JSON key names.

Matching and ranking use different data on purpose: `title`/`body` are jieba word fields
(analysis.py) that drive BM25F scores; which articles hold a verbatim substring comes from
each segment's character n-gram postings, kept beside the segment by ngrams.py (not as
Whoosh fields: see that module for why).
Stored display fields are what the UI shows; facet fields are plain keywords.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, Schema

from indexer.index.analysis import WordAnalyzer
from indexer.index.fields import MINHASH_FIELD

TITLE_BOOST = 3.0


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        # Frequencies only (phrase=False): BM25F needs no positions, and phrases are
        # matched on the n-gram postings.
        title=TEXT(analyzer=WordAnalyzer(), stored=True, phrase=False, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=WordAnalyzer(), stored=True, phrase=False),
        title_inferred=BOOLEAN(stored=True),
        # ISO 8601 string: sorts and range-filters lexicographically; "" when unknown.
        published=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),  # "2023" or constants.UNKNOWN
        month=ID(stored=True, sortable=True),  # "2023-12" or constants.UNKNOWN
        sources=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        site=ID(stored=True, sortable=True),
        # Per-article facts (extract/regions.py, extract/documents.py), comma-separated:
        # facet values for the `region` and `document` filters.
        regions=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        documents=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        content_hash=ID(stored=True),
        file_hash=ID(stored=True),
        encoding=STORED(),
        # Duplicate stories: every member carries its group's id; one member is canonical.
        group=ID(stored=True, sortable=True),
        canonical=BOOLEAN(stored=True),
        **{MINHASH_FIELD: STORED()},  # the MinHash signature (fields.py: why this name)
    )
