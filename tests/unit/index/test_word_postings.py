"""Word postings arrays: what is written is what a reader finds, for any vocabulary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.index import ngrams, word_postings

WORDS = st.text(alphabet="科技创新稀土aZ9é𠀀", min_size=1, max_size=4)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, tuple[list[int], list[int]]]:
    """word -> (ascending documents numbered from 1000, frequencies)."""
    out = {}
    for word in draw(st.lists(WORDS, unique=True, max_size=30)):
        docs = sorted(draw(st.sets(st.integers(1000, 71_000), min_size=1, max_size=8)))
        freqs = draw(st.lists(st.integers(1, 70_000), min_size=len(docs), max_size=len(docs)))
        out[word] = (docs, freqs)
    return out


@settings(max_examples=60, deadline=None)
@given(tables(), st.sampled_from([1.0, 3.0, 0.7]), WORDS)
def test_a_reader_finds_each_words_documents_and_whooshs_weights(
    tmp_path_factory: pytest.TempPathFactory,
    table: dict[str, tuple[list[int], list[int]]],
    boost: float,
    absent: str,
) -> None:
    path = tmp_path_factory.mktemp("w") / f"s{word_postings.EXT}"
    word_postings.write_segment(path, {"body": (table, boost)}, base=1000)
    words = word_postings.open_segment(path.parent, path.name)
    assert words is not None
    for word, (docs, freqs) in table.items():
        ids, weights = words.postings("body", word)
        assert ids.tolist() == [d - 1000 for d in docs]
        # Whoosh stores float32(frequency * boost); a reader decodes it to a float.
        assert weights.tolist() == [float(np.float32(f * boost)) for f in freqs]
        assert words.doc_frequency("body", word) == len(docs)
        assert words.postings("title", word)[0].size == 0  # the title field was empty
    if absent not in table:
        assert words.postings("body", absent)[0].size == 0
        assert words.doc_frequency("body", absent) == 0


def test_a_segment_without_the_file_or_with_a_damaged_one_is_refused(
    tmp_path: Path,
) -> None:
    with pytest.raises(ngrams.NgramFileError, match="missing"):
        word_postings.open_segment(tmp_path, "MAIN_x.wrd")
    (tmp_path / "MAIN_y.wrd").write_bytes(b"not postings")
    with pytest.raises(ngrams.NgramFileError):
        word_postings.open_segment(tmp_path, "MAIN_y.wrd")


def test_most_frequent_terms_by_total_weight_ties_by_the_larger_term() -> None:
    table = {"a": ([0, 1], [2, 1]), "b": ([0], [3]), "c": ([1], [1]), "d": ([2], [3])}
    words = word_postings.SegmentWords(word_postings.segment_arrays({"title": (table, 3.0)}))
    assert words.most_frequent("title", 2) == [(9.0, "d"), (9.0, "b")]
    assert words.most_frequent("title", 9) == [(9.0, "d"), (9.0, "b"), (9.0, "a"), (3.0, "c")]
    assert words.most_frequent("body", 3) == []
    assert word_postings.SegmentWords.empty().most_frequent("title", 3) == []
