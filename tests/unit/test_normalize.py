"""Display text vs search text: pinyin notes, folding, and offsets back to display text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.normalize import (
    codes_text,
    display_span,
    fold,
    fold_codes,
    fold_with_offsets,
    strip_pinyin_notes,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高新區(qū)新聞", "高新區新聞"),
        ("向國家級(jí)高新區(qū)50強(qiáng)邁(mài)進(jìn)", "向國家級高新區50強邁進"),
        ("研究與試驗發展(R&D)經費", "研究與試驗發展(R&D)經費"),
        ("乌兰察布(京蒙)人才科创园", "乌兰察布(京蒙)人才科创园"),
        ("(摘编自:青城融媒、包头日报)", "(摘编自:青城融媒、包头日报)"),
        ("管理办法(试行)", "管理办法(试行)"),
        ("Python (abc) 与 (qū)", "Python (abc) 与 (qū)"),  # not after a Han character
        ("區（qū）域", "區域"),
    ],
)
def test_strip_pinyin_notes(text: str, expected: str) -> None:
    assert strip_pinyin_notes(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("鄔軍軍說", "邬军军说"),
        ("高新區", "高新区"),
        ("ＲＡＮＤ，（京蒙）：", "rand,(京蒙):"),
        ("R&D", "r&d"),
        ("５０００万元", "5000万元"),
        ("头发", "头发"),
        ("…①", "...1"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_offsets_identity_when_lengths_agree() -> None:
    folded, origin = fold_with_offsets("高新區，ＡＢ")
    assert folded == "高新区,ab"
    assert origin is None


def test_offsets_map_expanding_characters_back() -> None:
    text = "發展…創新①號"
    folded, origin = fold_with_offsets(text)
    assert folded == "发展...创新1号"
    start = folded.index("创新")
    a, b = display_span(origin, start, start + 2)
    assert text[a:b] == "創新"
    a, b = display_span(origin, folded.index("1"), folded.index("1") + 2)
    assert text[a:b] == "①號"


@given(st.text(max_size=40))
def test_every_folded_span_maps_into_display(text: str) -> None:
    folded, origin = fold_with_offsets(text)
    for start in range(len(folded)):
        for end in range(start + 1, min(len(folded), start + 4) + 1):
            a, b = display_span(origin, start, end)
            assert 0 <= a < b <= len(text)
            # Folding the display span again yields at least the folded span.
            assert folded[start:end] in fold(text[a:b])


@given(st.text(max_size=30), st.text(max_size=30))
def test_fold_is_context_free(a: str, b: str) -> None:
    # A query substring must fold exactly as it folded inside the article.
    assert fold(a + b) == fold(a) + fold(b)


@given(st.text(max_size=30), st.integers(1, 40))
def test_long_texts_fold_as_short_ones(text: str, times: int) -> None:
    """Texts of 256+ characters fold through numpy arrays; the result must not change."""
    long = (text + "高新區ＡＢ") * times
    assert fold(long) == fold_with_offsets(long)[0] == "".join(fold(ch) for ch in long)


def test_long_text_with_a_lone_surrogate_still_folds() -> None:
    text = "高新區" * 100 + "\ud800" + "ＡＢ…"
    assert fold(text) == "高新区" * 100 + "\ud800" + "ab..."


_MIXED = st.sampled_from("高新區发發ＡＢab１…①㎡İ𠀀，\n\ud800")


@given(st.one_of(st.text(max_size=40), st.text(alphabet=_MIXED, max_size=300)))
def test_fold_codes_is_fold_with_offsets_as_arrays(text: str) -> None:
    folded, origin = fold_with_offsets(text)
    codes, array_origin = fold_codes(text)
    assert codes_text(codes) == folded
    if origin is None:
        assert array_origin is None
    else:
        assert array_origin is not None and array_origin.tolist() == origin


def test_fold_codes_of_expanding_characters() -> None:
    codes, origin = fold_codes("發…㎡")
    assert codes_text(codes) == "发...m2"
    assert origin is not None and origin.tolist() == [0, 1, 1, 1, 2, 2, 3]


def test_no_code_point_past_the_scanned_range_folds_to_anything_else() -> None:
    """The fold tables scan code points up to LAST_CHANGED only; above it, NFKC and
    lower() must leave every character as it is (checked here, for this Python's Unicode
    data), and so must the fold."""
    import sys
    import unicodedata

    from indexer import normalize

    changed = [
        cp
        for cp in range(normalize.LAST_CHANGED + 1, sys.maxunicode + 1)
        if unicodedata.normalize("NFKC", chr(cp)).lower() != chr(cp)
    ]
    assert changed == []
    sample = "".join(map(chr, range(normalize.LAST_CHANGED + 1, sys.maxunicode + 1, 97)))
    assert fold(sample) == sample
