"""The query language (parse), its plain-text fallback, and literal match spans."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.normalize import fold
from indexer.read.query import (
    Plan,
    Term,
    literal_spans,
    parse,
    scoring_words,
)


def _shape(plan: Plan) -> tuple:
    """(clauses as tuples of (text, title_only), negated texts, plain flag)."""
    return (
        tuple(tuple((t.text, t.title_only) for t in clause) for clause in plan.clauses),
        tuple((t.text, t.title_only) for t in plan.negated),
        plan.plain,
    )


@pytest.mark.parametrize(
    ("q", "clauses", "negated"),
    [
        ("稀土", ((("稀土", False),),), ()),
        ("稀土 新材料", ((("稀土", False),), (("新材料", False),)), ()),
        ('"稀土 新材料"', ((("稀土 新材料", False),),), ()),
        ("稀土 OR 石墨烯", ((("稀土", False), ("石墨烯", False)),), ()),
        ("a OR b OR c d", ((("a", False), ("b", False), ("c", False)), (("d", False),)), ()),
        ("稀土 -包头", ((("稀土", False),),), (("包头", False),)),
        ('-"包头 稀土" 科技', ((("科技", False),),), (("包头 稀土", False),)),
        ("title:突围", ((("突围", True),),), ()),
        ('title:"科技 突围"', ((("科技 突围", True),),), ()),
        ("科技 -title:突围", ((("科技", False),),), (("突围", True),)),
        ("TITLE:突围", ((("突围", True),),), ()),
        ("-包头", (), (("包头", False),)),
        ('"OR" 稀土', ((("OR", False),), (("稀土", False),)), ()),
        ("  稀土\u3000新材料 ", ((("稀土", False),), (("新材料", False),)), ()),
        ("", (), ()),
    ],
)
def test_parse(q: str, clauses: tuple, negated: tuple) -> None:
    assert _shape(parse(q)) == (clauses, negated, False)


@pytest.mark.parametrize(
    ("q", "plain_terms"),
    [
        ('"稀土 新材料', ('"稀土', "新材料")),  # unmatched quote
        ("稀土 OR", ("稀土", "OR")),  # OR at the end
        ("OR 稀土", ("OR", "稀土")),  # OR at the start
        ("稀土 OR OR 包头", ("稀土", "OR", "OR", "包头")),
        ("稀土 -", ("稀土",)),  # lone "-": nothing searchable in it
        ("title: 稀土", ("title:", "稀土")),  # title: with nothing
        ('稀"土', ('稀"土',)),  # quote inside a word
        ("-a OR b", ("-a", "OR", "b")),
        ("a OR -b", ("a", "OR", "-b")),
    ],
)
def test_unparseable_queries_are_plain_text(q: str, plain_terms: tuple[str, ...]) -> None:
    plan = parse(q)
    assert plan.plain
    assert plan.negated == ()
    assert tuple(t.text for c in plan.clauses for t in c) == plain_terms
    assert all(len(c) == 1 and not c[0].title_only for c in plan.clauses)


def test_terms_without_significant_characters_are_dropped() -> None:
    assert parse("，。 稀土 ！").positive_terms == (Term("稀土"),)
    assert parse("！？").is_empty
    assert _shape(parse("稀土 OR ，")) == (((("稀土", False),),), (), False)


@given(st.text(alphabet=st.sampled_from('稀土高新區 "-:OR titlea,，。\t'), max_size=30))
def test_parse_never_raises_on_operator_soup(q: str) -> None:
    plan = parse(q)
    scoring_words(plan)
    for term in plan.positive_terms + plan.negated:
        assert term.sig


@given(st.text(max_size=40))
def test_parse_never_raises_on_any_text(q: str) -> None:
    plan = parse(q)
    assert isinstance(plan, Plan)
    assert all(t.searchable for t in plan.positive_terms + plan.negated)


@pytest.mark.parametrize(
    ("text", "sig"),
    [
        ("科技創新", "科技创新"),  # folded to simplified
        ("R&D ５０００万元", "rd5000万元"),  # lower case, half width, punctuation skipped
        ("“呼包鄂乌”一体化", "呼包鄂乌一体化"),
        ("，。！", ""),
    ],
)
def test_term_sig_is_the_folded_significant_characters(text: str, sig: str) -> None:
    assert Term(text).sig == sig
    assert Term(text).searchable == bool(sig)


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("包头稀土高新区", "稀土", ["稀土"]),
        ("稀土高新區的稀土", "稀土高新区", ["稀土高新區"]),  # traditional, queried simplified
        ("稀土高新区", "稀土高新區", ["稀土高新区"]),  # and the other way round
        ("科技，创新", "科技创新", ["科技，创新"]),  # punctuation skipped as in the index
        ("全市Ｒ＆Ｄ经费", "r&d", ["Ｒ＆Ｄ"]),  # full width, upper case
        ("5000万元与５０００万元", "5000万元", ["5000万元", "５０００万元"]),
        ("哈哈哈", "哈哈", ["哈哈哈"]),  # overlapping runs merge
        ("没有", "稀土", []),
        ("高新區(qū)", "区", ["區"]),
    ],
)
def test_literal_spans_are_the_matched_display_characters(
    text: str, query: str, expected: list[str]
) -> None:
    spans = literal_spans(text, parse(query).positive_terms)
    assert [text[a:b] for a, b in spans] == expected
    needle = "".join(ch for ch in fold(query) if ch.isalnum())
    for a, b in spans:
        assert needle in "".join(ch for ch in fold(text[a:b]) if ch.isalnum())


def test_literal_spans_with_expanding_characters() -> None:
    text = "第①项…稀土"
    spans = literal_spans(text, (Term("稀土"), Term("1")))
    assert [text[a:b] for a, b in spans] == ["①", "稀土"]


def test_scoring_words_are_the_terms_jieba_words_per_field() -> None:
    assert scoring_words(parse("高新区 title:突围")) == [
        ("title", "高新"),
        ("body", "高新"),
        ("title", "新区"),
        ("body", "新区"),
        ("title", "高新区"),
        ("body", "高新区"),
        ("title", "突围"),
    ]


@given(st.text(alphabet=st.sampled_from("稀土高區…①㎡\n，a Ｒ"), max_size=40))
def test_line_wise_folding_equals_whole_text_folding(text: str) -> None:
    from indexer.normalize import display_span, fold_with_offsets
    from indexer.read.query import _fold_lines

    folded, origin = fold_with_offsets(text)
    lines_folded, lines_origin = _fold_lines(text)
    assert lines_folded == folded
    for i in range(len(folded)):
        for j in range(i + 1, min(len(folded), i + 4) + 1):
            assert display_span(lines_origin, i, j) == display_span(origin, i, j)
