"""ngrams.py: per-segment n-gram postings find exactly the documents holding a string."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.index import ngram_build, ngrams
from indexer.normalize import fold


def _segment(texts: list[str], folder: Path, docnums: list[int] | None = None):
    """Write texts as one segment's body postings (title empty) and open them again."""
    docnums = list(range(len(texts))) if docnums is None else docnums
    kept = [(ngrams.codes(fold(t)), d) for t, d in zip(texts, docnums, strict=True)]
    kept = [(c, d) for c, d in kept if c.size]
    path = folder / f"MAIN_test{len(list(folder.iterdir()))}{ngrams.EXT}"
    body = ([c for c, _ in kept], [d for _, d in kept])
    ngram_build.write_segment(path, {"body": body})
    return ngrams.open_segment(folder, path.name)


def _brute(texts: list[str], query: str, docnums: list[int] | None = None) -> list[int]:
    docnums = list(range(len(texts))) if docnums is None else docnums
    sig = ngrams.significant(fold(query))
    return [d for t, d in zip(texts, docnums, strict=True) if sig in ngrams.significant(fold(t))]


# A small alphabet makes repeats, near misses (the same bigrams in another order) and
# matches across punctuation common.
ALPHABET = "科技创新創a1，。 "


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=8),
    st.text(alphabet=ALPHABET, min_size=1, max_size=6),
)
def test_literal_docs_equal_substring_search(texts: list[str], query: str) -> None:
    sig = ngrams.significant(fold(query))
    with tempfile.TemporaryDirectory() as tmp:
        seg = _segment(texts, Path(tmp))
        assert seg.literal_docs("body", sig).tolist() == (_brute(texts, query) if sig else [])
        assert seg.literal_docs("title", sig).tolist() == []


def test_chain_of_the_right_bigrams_in_the_wrong_places_is_not_a_match(tmp_path: Path) -> None:
    # 科技 and 技创 and 创新 all occur, but never as one run 科技创新.
    seg = _segment(["科技，技创，创新", "科技创新", "创新科技"], tmp_path)
    assert seg.literal_docs("body", "科技创新").tolist() == [1]
    assert seg.literal_docs("body", "新科").tolist() == [2]
    assert seg.literal_docs("body", "技").tolist() == [0, 1, 2]


def test_matches_span_punctuation_and_fold(tmp_path: Path) -> None:
    seg = _segment(["稀土，新材料", "R&D經費５０００萬元"], tmp_path)
    assert seg.literal_docs("body", "土新").tolist() == [0]
    assert seg.literal_docs("body", ngrams.significant(fold("R&D经费5000万元"))).tolist() == [1]


def test_wide_columns_and_gaps_past_16_bits(tmp_path: Path) -> None:
    """Document numbers beyond 65,535 switch char_doc to uint32; a bigram's gap beyond
    65,535 positions is kept whole in gram_wide."""
    long_text = "甲乙" * 40_000 + "稀土新材料"
    seg = _segment(["稀土", long_text, "土新"], tmp_path, docnums=[3, 70_000, 70_001])
    assert seg.arrays["body.char_doc"].dtype == np.uint32
    assert seg.arrays["body.gram_gap"].dtype == np.uint16
    # 稀土's second occurrence, 149,999 positions after its first, and the first of each
    # bigram of the long text, past position 70,000: seven wide gaps.
    assert seg.arrays["body.gram_wide"].size == 7
    assert seg.literal_docs("body", "土新材").tolist() == [70_000]
    assert seg.literal_docs("body", "稀土").tolist() == [3, 70_000]
    assert seg.literal_docs("body", "土新").tolist() == [70_000, 70_001]
    assert seg.literal_docs("body", "甲乙甲稀").tolist() == []
    assert seg.literal_docs("body", "甲乙稀土新").tolist() == [70_000]
    small = _segment(["稀土"], tmp_path)
    assert small.arrays["body.char_doc"].dtype == np.uint16
    assert small.arrays["body.gram_wide"].size == 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 5), min_size=1, max_size=6),
    st.lists(st.sampled_from(["科技", "技创", "创新", "新科"]), min_size=1, max_size=6),
)
def test_literal_docs_with_wide_gaps_equal_substring_search(
    fillers: list[int], pieces: list[str]
) -> None:
    """Texts padded with tens of thousands of other characters, so gaps pass 16 bits."""
    texts = ["甲" * (f * 30_000) + "".join(pieces[: i + 1]) for i, f in enumerate(fillers)]
    with tempfile.TemporaryDirectory() as tmp:
        seg = _segment(texts, Path(tmp))
        for query in ("科技", "技创新", "科技创新", "新科技", "甲科", "甲甲科技"):
            assert seg.literal_docs("body", query).tolist() == _brute(texts, query), query


def test_a_common_bigram_answers_from_its_document_bitmap(tmp_path: Path) -> None:
    """科技 is in 3 of 8 documents (at least a quarter): it has a bitmap, and its documents
    come from it; 稀土, in one, has none and is found from its positions."""
    texts = ["科技", "", "科技创新", "稀土", "", "", "", "新科技"]
    seg = _segment(texts, tmp_path)
    keys = seg.arrays["body.gram_key"].tolist()
    dense = [keys[i] for i in seg.arrays["body.gram_dense"].tolist()]
    assert ngrams.bigram_key("科技") in dense and ngrams.bigram_key("稀土") not in dense
    assert seg.arrays["body.gram_bits"].size == len(dense)  # one byte per 8 documents
    assert seg.literal_docs("body", "科技").tolist() == [0, 2, 7]
    assert seg.literal_docs("body", "稀土").tolist() == [3]
    assert seg.literal_docs("body", "技创").tolist() == [2]


def test_a_common_character_answers_from_its_document_bitmap(tmp_path: Path) -> None:
    """Of 16 documents, 科 is in 3 (at least an eighth): its documents are a bitmap and it
    lists none; 稀, in one, is listed and has no bitmap."""
    texts = ["科技", "", "科", "稀土", *[""] * 11, "新科"]
    seg = _segment(texts, tmp_path)
    keys = seg.arrays["body.char_key"].tolist()
    dense = [keys[i] for i in seg.arrays["body.char_dense"].tolist()]
    assert ord("科") in dense and ord("稀") not in dense
    assert seg.arrays["body.char_bits"].size == 2 * len(dense)  # 16 documents: 2 bytes
    start = seg.arrays["body.char_start"]
    listed = {k: int(start[i + 1] - start[i]) for i, k in enumerate(keys)}
    assert listed[ord("科")] == 0 and listed[ord("稀")] == 1
    assert seg.arrays["body.char_doc"].size == sum(listed.values())
    assert seg.literal_docs("body", "科").tolist() == [0, 2, 15]
    assert seg.literal_docs("body", "稀").tolist() == [3]
    assert seg.literal_docs("body", "甲").tolist() == []


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="科技创新a1，", max_size=6), min_size=1, max_size=80),
    st.sets(st.integers(0, 79), max_size=16),
    st.integers(0, 2),
)
def test_char_docs_equal_substring_search(texts: list[str], rare: set[int], hole: int) -> None:
    """Every character's documents, listed or from a bitmap, are those whose text holds
    it: 稀 is in as many documents as `rare` says, often fewer than an eighth of them
    (listed), often more (a bitmap); local document numbers have holes."""
    texts = [t + ("稀" if i in rare else "") for i, t in enumerate(texts)]
    docnums = [i * (hole + 1) for i in range(len(texts))]
    with tempfile.TemporaryDirectory() as tmp:
        seg = _segment(texts, Path(tmp), docnums=docnums)
        for ch in "科技创新稀a1甲":
            assert seg.literal_docs("body", ch).tolist() == _brute(texts, ch, docnums), ch


@given(st.integers(2, 40))
def test_cover_fixes_every_character(length: int) -> None:
    offsets = ngrams.cover(length)
    covered = {k + i for k in offsets for i in (0, 1)}
    assert covered == set(range(length))
    assert 0 in offsets and max(offsets) == length - 2


def test_empty_segment_and_missing_terms(tmp_path: Path) -> None:
    seg = _segment([], tmp_path)
    assert seg.literal_docs("body", "科技").tolist() == []
    assert seg.literal_docs("body", "科").tolist() == []
    assert ngrams.SegmentNgrams.empty().literal_docs("title", "科技").tolist() == []
    assert _segment(["科技"], tmp_path).literal_docs("body", "").tolist() == []


def test_missing_or_foreign_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ngrams.NgramFileError, match="missing"):
        ngrams.open_segment(tmp_path, "MAIN_gone.ngr")
    (tmp_path / "MAIN_x.ngr").write_bytes(b"not postings at all")
    with pytest.raises(ngrams.NgramFileError, match="not an n-gram postings file"):
        ngrams.open_segment(tmp_path, "MAIN_x.ngr")
    (tmp_path / "MAIN_old.ngr").write_bytes(b"NGRAMS1\n" + bytes(64))
    with pytest.raises(ngrams.NgramFileError, match="older version"):
        ngrams.open_segment(tmp_path, "MAIN_old.ngr")
    (tmp_path / "MAIN_y.ngr").write_bytes(b"")
    with pytest.raises(ngrams.NgramFileError):
        ngrams.open_segment(tmp_path, "MAIN_y.ngr")
    whole = _segment(["科技创新", "稀土"], tmp_path).arrays
    path = tmp_path / "MAIN_whole.ngr"
    ngrams.write_arrays(path, dict(whole))
    data = path.read_bytes()
    for cut in (len(data) // 2, 20, len(ngrams.MAGIC) + 9):
        path.write_bytes(data[:cut])  # truncated after the rename: a damaged disk
        with pytest.raises(ngrams.NgramFileError, match="damaged"):
            ngrams.open_segment(tmp_path, path.name)


@given(st.one_of(st.text(max_size=60), st.text(alphabet=st.sampled_from("稀a1_，𠀀\ud800 "))))
def test_significant_mask_is_the_significant_test(text: str) -> None:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mask = ngrams.significant_mask(codes)
    kept = "".join(ch for ch, keep in zip(text, mask, strict=True) if keep)
    assert kept == ngrams.significant(text)


def test_a_start_before_a_documents_first_character_is_no_start(tmp_path: Path) -> None:
    # Laid end to end, the first two documents read 科技创新 across their boundary.
    seg = _segment(["科技", "创新", "科技创新"], tmp_path)
    assert seg.literal_docs("body", "科技创新").tolist() == [2]


@settings(max_examples=200, deadline=None)
@given(
    st.sets(st.integers(0, 300), max_size=60),
    st.sets(st.integers(0, 300), max_size=60),
    st.sampled_from([1, 4, 16, 1 << 20]),
)
def test_keep_marked_finds_the_shared_values_whatever_the_window(
    marked: set[int], cand: set[int], window: int
) -> None:
    """Positions are tested a window at a time; values on any side of a window's edge."""
    a, b = np.array(sorted(marked), dtype=np.int64), np.array(sorted(cand), dtype=np.int64)
    old = ngrams.MASK_WINDOW
    ngrams.MASK_WINDOW = window
    try:
        got = ngrams._keep_marked(a, b)
        assert b[got].tolist() == sorted(marked & cand)
        assert not ngrams._mask_buffer().any()  # left all False for the next call
    finally:
        ngrams.MASK_WINDOW = old


def test_literal_docs_across_many_mask_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["科技创新" * (i % 5) + "，创新科技" * (i % 3) for i in range(40)]
    seg = _segment(texts, tmp_path)
    monkeypatch.setattr(ngrams, "MASK_WINDOW", 8)
    for query in ("科技创新", "创新科技", "技创新科", "新，创"):
        sig = ngrams.significant(fold(query))
        assert seg.literal_docs("body", sig).tolist() == _brute(texts, query)
