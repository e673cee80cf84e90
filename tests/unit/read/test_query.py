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
        assert term.literal


@given(st.text(max_size=40))
def test_parse_never_raises_on_any_text(q: str) -> None:
    plan = parse(q)
    assert isinstance(plan, Plan)
    assert all(t.searchable for t in plan.positive_terms + plan.negated)


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("科技創新", "科技创新"),  # folded to simplified
        ("R&D ５０００万元", "rd5000万元"),  # lower case, half width, punctuation skipped
        ("“呼包鄂乌”一体化", "呼包鄂乌一体化"),
        ("，。！", ""),
    ],
)
def test_term_literal_is_the_folded_significant_characters(text: str, literal: str) -> None:
    assert Term(text).literal == literal
    assert Term(text).searchable == bool(literal)


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


# Traditional and simplified forms, full-width and upper-case Latin, characters whose fold
# is longer (… ① ㎡ İ), punctuation, a character beyond the BMP and a lone surrogate.
_MIXED = "稀土高新區区發发ＡＢabR１1…①㎡İ𠀀，。 \n\ud800"


def _reference_spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """literal_spans spelled out one character at a time, as the rule reads.

    Each display character is folded on its own (folding is context-free); the folded
    characters that are letters or digits form the searched string; a match covers the
    display characters its first and last folded characters came from, and also any
    display characters folding to nothing just after it.
    """
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for f in fold(ch):
            folded.append(f)
            origin.append(i)
    origin.append(len(text))
    keep = [k for k, f in enumerate(folded) if f.isalnum()]
    sig = "".join(folded[k] for k in keep)
    found: list[tuple[int, int]] = []
    for term in terms:
        needle = "".join(c for c in fold(term.text) if c.isalnum())
        for s in range(len(sig) - len(needle) + 1) if needle else ():
            if sig[s : s + len(needle)] == needle:
                first, last = keep[s], keep[s + len(needle) - 1]
                end = max(origin[last + 1], origin[last] + 1)
                found.append((origin[first], end))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


@given(
    st.text(alphabet=st.sampled_from(_MIXED), max_size=60),
    st.lists(st.text(alphabet=st.sampled_from(_MIXED), min_size=1, max_size=4), max_size=3),
)
def test_literal_spans_equal_the_character_by_character_rule(text: str, words: list[str]) -> None:
    from indexer.read.highlight import body_html, snippet_html

    terms = tuple(Term(w) for w in words)
    spans = literal_spans(text, terms)
    expected = _reference_spans(text, terms)
    assert spans == expected
    assert all(type(a) is int and type(b) is int for a, b in spans)
    assert snippet_html(text, spans) == snippet_html(text, expected)
    assert body_html(text, spans) == body_html(text, expected)


@given(st.text(alphabet=st.sampled_from(_MIXED), min_size=1, max_size=30), st.integers(1, 80))
def test_literal_spans_of_long_texts_equal_the_rule(text: str, times: int) -> None:
    """Long texts hold several expanding characters far apart: offsets must stay exact."""
    long = text * times
    terms = (Term(text[: max(1, len(text) // 2)]), Term("高新区"))
    assert literal_spans(long, terms) == _reference_spans(long, terms)
