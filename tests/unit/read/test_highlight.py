"""Snippet fragments cut at sentence punctuation, and escaped HTML with <mark> only."""

from __future__ import annotations

import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.normalize import fold
from indexer.read.highlight import (
    SNIPPET_SCAN_CHARS,
    _Spans,
    body_html,
    fragments,
    mark_html,
    ranked_sentences,
    sentences,
    snippet_html,
    snippet_source,
)
from indexer.read.query import Term, literal_spans

MARK = re.compile(r"<mark>(.*?)</mark>")


def _sig(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def test_sentences_end_at_chinese_punctuation_and_line_breaks() -> None:
    text = "第一句。第二句！第三句？第四；\n第五"
    assert [text[a:b] for a, b in sentences(text)] == [
        "第一句。",
        "第二句！",
        "第三句？",
        "第四；\n",
        "第五",
    ]


def test_mark_html_escapes_everything_but_our_marks() -> None:
    text = '<b>稀土</b> & "x"'
    spans = literal_spans(text, (Term("稀土"),))
    assert mark_html(text, spans) == '&lt;b&gt;<mark>稀土</mark>&lt;/b&gt; &amp; "x"'


def test_snippet_picks_the_sentence_with_the_match() -> None:
    text = "开头无关。" * 10 + "包头稀土高新区发展迅速。" + "结尾无关。" * 10
    html = snippet_html(text, literal_spans(text, (Term("稀土"),)))
    assert html.startswith("包头<mark>稀土</mark>高新区发展迅速。")
    assert MARK.findall(html) == ["稀土"]


def test_snippet_adds_a_second_fragment_for_another_term() -> None:
    text = "甲说稀土很重要。" + "无关的话。" * 20 + "乙说石墨烯也重要。" + "无关。" * 5
    spans = literal_spans(text, (Term("稀土"), Term("石墨烯")))
    frags = fragments(text, spans)
    assert [text[f.start : f.end] for f in frags] == ["甲说稀土很重要。", "乙说石墨烯也重要。"]
    assert MARK.findall(snippet_html(text, spans)) == ["稀土", "石墨烯"]


def test_long_sentence_is_trimmed_around_the_match_without_cutting_it() -> None:
    text = "前" * 300 + "稀土高新区" + "后" * 300 + "。"
    spans = literal_spans(text, (Term("稀土高新区"),))
    frags = fragments(text, spans, budget=160)
    assert len(frags) == 1
    f = frags[0]
    assert f.end - f.start <= 165
    assert f.spans == ((300, 305),)
    assert f.start <= 300 and f.end >= 305
    html = snippet_html(text, spans)
    assert html.startswith("…") and html.endswith("…")
    assert MARK.findall(html) == ["稀土高新区"]


def test_no_match_shows_the_start() -> None:
    text = "第一句话。第二句话。"
    assert snippet_html(text, []) == "第一句话。…"
    assert snippet_html("", []) == ""


def test_traditional_text_highlighted_for_simplified_query() -> None:
    text = "稀土高新區(qū)黨工委書記鄔軍軍說。".replace("(qū)", "")
    html = snippet_html(text, literal_spans(text, (Term("邬军军"),)))
    assert MARK.findall(html) == ["鄔軍軍"]


def test_body_html_one_paragraph_per_line_with_marks() -> None:
    body = "第一段讲稀土。\n\n第二段<也讲>稀土。"
    html = body_html(body, literal_spans(body, (Term("稀土"),)))
    assert html == (
        "<p>第一段讲<mark>稀土</mark>。</p>\n<p>第二段&lt;也讲&gt;<mark>稀土</mark>。</p>"
    )


def test_body_html_match_across_a_line_break_is_marked_on_both_sides() -> None:
    body = "包头稀\n土高新区"
    html = body_html(body, literal_spans(body, (Term("稀土"),)))
    assert html == "<p>包头<mark>稀</mark></p>\n<p><mark>土</mark>高新区</p>"


WORDS = st.sampled_from(["稀土", "高新區", "科技", "<b>", "&", "。", "！", "\n", "创新", "a"])


@given(st.lists(WORDS, max_size=60), st.sampled_from(["稀土", "高新区", "科技创新", "a"]))
def test_every_mark_is_exactly_a_match_and_nothing_else_is_markup(
    parts: list[str], query: str
) -> None:
    text = "".join(parts)
    html = snippet_html(text, literal_spans(text, (Term(query),)))
    for marked in MARK.findall(html):
        assert query in fold(unescape(marked)) or _sig(query) in _sig(unescape(marked))
    bare = MARK.sub(lambda m: m.group(1), html)
    assert "<" not in bare and ">" not in bare
    for piece in unescape(bare).split("…"):
        assert piece in text


@pytest.mark.parametrize("query", ["稀土", "稀土高新区", "高"])
def test_spans_cover_exactly_the_folded_query(query: str) -> None:
    text = "包头稀土高新區，稀土！高新区"
    for a, b in literal_spans(text, (Term(query),)):
        assert _sig(text[a:b]) == _sig(query)


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "他说：“稀土很重要。”稀土高新区要进入50强。"
    assert [text[a:b] for a, b in sentences(text)] == [
        "他说：“稀土很重要。”",
        "稀土高新区要进入50强。",
    ]


_SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(1, 8)), max_size=12).map(
    lambda pairs: [(a, a + n) for a, n in pairs]
)


@given(_SPANS, st.integers(0, 45), st.integers(0, 50))
def test_spans_inside_a_window_are_those_the_plain_filter_finds(
    spans: list[tuple[int, int]], start: int, end: int
) -> None:
    expected = sorted((a, b) for a, b in spans if a >= start and b <= end)
    assert _Spans(spans).inside(start, end) == expected


@given(st.lists(st.sampled_from(["稀土", "高新區", "\n", "。", "科技", " "]), max_size=30), _SPANS)
def test_body_html_marks_what_the_plain_per_line_filter_marks(
    parts: list[str], spans: list[tuple[int, int]]
) -> None:
    body = "".join(parts)
    expected: list[str] = []
    pos = 0
    for line in body.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        if line.strip():
            inner = [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
            expected.append("<p>" + mark_html(body, inner, start, end) + "</p>")
    assert body_html(body, spans) == "\n".join(expected)


def test_snippet_of_a_long_body_is_made_from_its_start() -> None:
    body = "无关的开头。" * 10 + "稀土" + "很长的正文。" * 100_000
    head = snippet_source(body)
    assert len(head) == SNIPPET_SCAN_CHARS
    html = snippet_html(head, literal_spans(head, (Term("稀土"),)), more=True)
    assert MARK.findall(html) == ["稀土"]
    assert html.endswith("…")


@given(
    st.text(alphabet=st.sampled_from("稀土高新區。！？；\n”） a"), max_size=80),
    st.lists(st.text(alphabet=st.sampled_from("稀土高新区"), min_size=1, max_size=3), max_size=3),
)
def test_ranked_sentences_are_every_sentence_with_a_match_in_rank_order(
    text: str, words: list[str]
) -> None:
    """The ranking looks only where matches start; it must equal looking at every sentence."""
    spans = literal_spans(text, tuple(Term(w) for w in words))
    sents = sentences(text)
    index = _Spans(spans)
    keys = {}
    for a, b in sents:
        inner = [(x, y) for x, y in spans if a <= x and y <= b]
        if inner:
            keys[(a, b)] = (len({text[x:y] for x, y in inner}), len(inner), -a)
    expected = sorted(keys, key=lambda s: keys[s], reverse=True)
    assert ranked_sentences(text, sents, index) == expected
