"""The tokenizer writer and reader share: jieba words of folded text, with phrase positions
and display-text offsets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.index.analysis import WordAnalyzer, WordTokenizer, cut
from indexer.normalize import fold

# Characters of the kinds the corpus holds: simplified and traditional Han, full-width
# Latin and digits, ASCII, punctuation of both widths, spaces.
CHARS = "内蒙古科技厅內廳政策发布會议年月日" + "ＡＩａｉAI２０2024" + "，。：、 ·-"
TEXT = st.text(alphabet=st.sampled_from(list(CHARS)), max_size=40)


def tokens(value: str, **kwargs) -> list[tuple[str, int, int, int]]:
    return [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in WordTokenizer()(value, positions=True, chars=True, **kwargs)
    ]


def test_cut_gives_search_mode_words_that_share_their_owners_position() -> None:
    assert cut("中华人民共和国科学技术部，发布。") == [
        ("中华", 0, 0, 2),
        ("华人", 0, 1, 3),
        ("人民", 0, 2, 4),
        ("共和", 0, 4, 6),
        ("共和国", 0, 4, 7),
        ("中华人民共和国", 0, 0, 7),
        ("科学", 1, 7, 9),
        ("技术", 1, 9, 11),
        ("技术部", 1, 9, 12),
        ("科学技术部", 1, 7, 12),
        ("发布", 2, 13, 15),  # the comma is no word and takes no position
    ]


@pytest.mark.parametrize("folded", ["", "，。", "   ", "·-"])
def test_cut_of_nothing_significant_is_empty(folded: str) -> None:
    assert cut(folded) == []


def test_one_character_words_are_kept() -> None:
    assert [w for w, *_ in cut("区市新")] == ["区", "市", "新"]


def test_offsets_point_into_the_display_text() -> None:
    value = "內蒙古科技廳：ＡＩ政策"
    assert tokens(value) == [
        ("内蒙", 0, 0, 2),
        ("蒙古", 0, 1, 3),
        ("内蒙古", 0, 0, 3),
        ("科技", 1, 3, 5),
        ("科技厅", 1, 3, 6),
        ("ai", 2, 7, 9),
        ("政策", 3, 9, 11),
    ]
    assert value[7:9] == "ＡＩ" and value[3:6] == "科技廳"


def test_start_pos_and_start_char_shift_every_token() -> None:
    shifted = tokens("科技政策", start_pos=10, start_char=100)
    assert shifted == [(w, p + 10, a + 100, b + 100) for w, p, a, b in tokens("科技政策")]


def test_an_untokenized_value_is_one_token_of_the_whole_folded_value() -> None:
    assert tokens("內蒙古 ＡＩ", tokenize=False, start_pos=3, start_char=5) == [
        (fold("內蒙古 ＡＩ"), 3, 5, 11)
    ]


def test_index_and_query_mode_cut_alike() -> None:
    value = "内蒙古自治区科学技术厅发布政策"
    assert [t.text for t in WordAnalyzer()(value, mode="index")] == [
        t.text for t in WordAnalyzer()(value, mode="query")
    ]


@settings(deadline=None)
@given(TEXT)
def test_every_token_is_the_fold_of_its_display_span(value: str) -> None:
    out = tokens(value)
    assert [w for w, *_ in out] == [w for w, *_ in cut(fold(value))]
    positions = [p for _, p, _, _ in out]
    assert positions == sorted(positions)
    for word, _, start, end in out:
        assert 0 <= start < end <= len(value)
        assert fold(value[start:end]) == word


def test_indexes_written_before_the_move_still_unpickle_their_analyzer() -> None:
    """A TOC pickles the schema, naming the analyzer's class by module path."""
    import pickle

    old = pickle.dumps(WordTokenizer(), protocol=0).replace(
        b"indexer.index.analysis", b"indexer.analysis"
    )
    assert b"indexer.analysis\n" in old
    assert isinstance(pickle.loads(old), WordTokenizer)
