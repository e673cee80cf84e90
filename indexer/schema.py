"""The one Whoosh schema. Field names are the Article attribute / JSON key names.

Matching and ranking use different fields on purpose (see analysis.py): `title`/`body` are
jieba word fields that drive BM25F scores; the `*_chars` (unigrams) and `*_grams` (bigrams
with positions) fields guarantee that any verbatim substring finds its article.
Stored display fields are what the UI shows; facet fields are plain keywords.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import BigramAnalyzer, UnigramAnalyzer, WordAnalyzer

TITLE_BOOST = 3.0
UNKNOWN = "unknown"  # facet bucket for articles whose page gives no date


def build_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        path=ID(stored=True),
        title=TEXT(analyzer=WordAnalyzer(), stored=True, phrase=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=WordAnalyzer(), stored=True, phrase=True),
        title_chars=TEXT(analyzer=UnigramAnalyzer(), phrase=False),
        title_grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        body_chars=TEXT(analyzer=UnigramAnalyzer(), phrase=False),
        body_grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        title_inferred=BOOLEAN(stored=True),
        # ISO 8601 string: sorts and range-filters lexicographically; "" when unknown.
        published=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),  # "2023" or UNKNOWN
        month=ID(stored=True, sortable=True),  # "2023-12" or UNKNOWN
        sources=KEYWORD(stored=True, commas=True, lowercase=False, scorable=False),
        site=ID(stored=True, sortable=True),
        content_hash=ID(stored=True),
        file_hash=ID(stored=True),
        encoding=STORED(),
        # Duplicate stories: every member carries its group's id; one member is canonical.
        group=ID(stored=True, sortable=True),
        canonical=BOOLEAN(stored=True),
        simhash=STORED(),
    )
