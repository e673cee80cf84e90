"""document_patterns: the data documents.py reads, held to its own invariants (the kinds
word list, the bracket pairs, the bounded shapes), apart from the rules that use it."""

from __future__ import annotations

import pytest

from indexer.extract import document_patterns as PD


def test_document_kinds_are_distinct_words_and_suffixes_try_longest_first() -> None:
    assert len(set(PD.DOCUMENT_KINDS)) == len(PD.DOCUMENT_KINDS)
    assert all(kind and kind.strip() == kind for kind in PD.DOCUMENT_KINDS)
    assert sorted(PD.KIND_SUFFIXES) == sorted(PD.DOCUMENT_KINDS)
    lengths = [len(kind) for kind in PD.KIND_SUFFIXES]
    assert lengths == sorted(lengths, reverse=True)  # 实施意见 is tried before 意见


def test_open_and_close_brackets_pair_up_one_for_one() -> None:
    assert len(PD.OPEN_BRACKETS) == len(PD.CLOSE_BRACKETS) == len(set(PD.OPEN_BRACKETS))
    assert not set(PD.OPEN_BRACKETS) & set(PD.CLOSE_BRACKETS)


@pytest.mark.parametrize("pair", list(zip(PD.OPEN_BRACKETS, PD.CLOSE_BRACKETS, strict=True)))
def test_number_reads_year_and_serial_in_every_bracket_pair(pair: tuple[str, str]) -> None:
    opening, closing = pair
    m = PD.NUMBER.search(f"内政发{opening}2023{closing}12号")
    assert m is not None and m.groups() == ("2023", "12")


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("国办发〔2022〕第 007 号", ("2022", "007")),  # 第 and spaces inside the number
        ("〔1999〕5号", ("1999", "5")),
        ("〔1875〕12号", None),  # a year no such document carries
        ("〔2023〕123456号", None),  # a serial longer than five digits
        ("2023年12号", None),  # no brackets: a date
    ],
)
def test_number_shape(text: str, groups: tuple[str, str] | None) -> None:
    m = PD.NUMBER.search(text)
    assert (m.groups() if m else None) == groups


def test_title_is_one_bracketed_run_of_at_most_title_max_characters() -> None:
    assert PD.TITLE.findall("学习《关于印发〈办法〉的通知》和《条例》") == [
        "关于印发〈办法〉的通知",
        "条例",
    ]
    assert PD.TITLE.search("《" + "字" * PD.TITLE_MAX + "》")
    assert not PD.TITLE.search("《" + "字" * (PD.TITLE_MAX + 1) + "》")
    assert not PD.TITLE.search("《跨\n行》")
    assert PD.INNER_TITLE.findall("关于印发〈促进办法〉的通知") == ["促进办法"]


def test_issuer_is_two_to_issuer_max_han_characters_at_the_end() -> None:
    assert PD.ISSUER.search("按照内政办发").group(0) == "按照内政办发"
    assert PD.ISSUER.search("要求：内政发").group(0) == "内政发"
    assert PD.ISSUER.search("字" * (PD.ISSUER_MAX + 3)).group(0) == "字" * PD.ISSUER_MAX
    assert PD.ISSUER.search("发") is None  # one character is no issuer's code
    assert PD.ISSUER.search("内政发2") is None  # the code ends right before the bracket


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("按照内政发", "内政发"),
        ("要按照内政发", "内政发"),
        ("根据国科发区", "国科发区"),
        ("内政发", "内政发"),
    ],
)
def test_lead_words_strip_to_the_issuer_code(text: str, code: str) -> None:
    assert PD.LEAD_WORDS.sub("", text) == code


@pytest.mark.parametrize(
    ("title", "note"),
    [
        ("管理办法(试行)", "(试行)"),
        ("实施细则（暂行）", "（暂行）"),
        ("条例(2023年修订)", "(2023年修订)"),
        ("方案（征求意见稿）", "（征求意见稿）"),
        ("没有括注的办法", None),
    ],
)
def test_note_is_a_short_closing_parenthesis(title: str, note: str | None) -> None:
    m = PD.NOTE.search(title)
    assert (m.group(0) if m else None) == note


def test_bounds_are_positive_and_a_title_fits_its_bound() -> None:
    assert 0 < PD.ISSUER_MAX < PD.TITLE_MAX and PD.MAX_DOCUMENTS > 0
    assert max(map(len, PD.DOCUMENT_KINDS)) < PD.TITLE_MAX
