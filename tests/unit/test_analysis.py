"""The old module path of the tokenizer still unpickles: indexes written before the on-disk
contract moved to indexer/index/ name it in every table of contents."""

from __future__ import annotations

import pickle

from indexer.index.analysis import WordTokenizer


def test_the_name_old_indexes_pickled_resolves_to_the_tokenizer() -> None:
    # What Whoosh's TOC holds for the analyzer class: a global by module path and name.
    assert pickle.loads(b"cindexer.analysis\nWordTokenizer\n.") is WordTokenizer
