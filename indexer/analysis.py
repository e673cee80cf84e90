"""The name under which indexes written before indexer/index/ existed pickled their
analyzer (Whoosh stores the schema, analyzer classes by module path, in every TOC).

Kept so those indexes still open, search and update without a rebuild; the tokenizer
itself lives in indexer/index/analysis.py. Nothing in the code imports this module.
"""

from indexer.index.analysis import WordTokenizer

__all__ = ["WordTokenizer"]
