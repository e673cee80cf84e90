"""The small text rules of lines.py that every later stage leans on: whitespace, prose
length, Chinese-character and noise tests, bare dates and the weight of a line in the body
search. Kinds of whole lines (classify, is_dateline) are pinned in test_body.py and
test_heads.py; these are the pieces under them."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from indexer.extract import patterns as P
from indexer.extract.lines import (
    BARE,
    CONTENT,
    DATELINE,
    LIST,
    SHORT,
    STOP,
    TEMPLATE,
    WIDGET,
    Line,
    arabic_dates,
    classify,
    has_han,
    is_bare_date,
    is_glyph_noise,
    is_placeholder,
    join_split_dates,
    prose_chars,
    split_link_tail,
    squeeze,
    trim,
    undated,
    undoubled,
    weight,
)

SENTENCE = "科技部近日印发通知，要求各地加快推进创新平台建设，并按期报送进展情况。"


def test_squeeze_collapses_every_kind_of_space() -> None:
    """Pages pad with full-width, no-break and zero-width spaces; lines compare equal
    across sites only when all of them collapse the same way."""
    assert squeeze("\u3000 科技\u00a0\u00a0创新 \u200b 政策\t\n") == "科技 创新 政策"


def test_trim_keeps_inner_spaces() -> None:
    """trim only cleans the ends: spaces inside a text-dump line carry its layout."""
    assert trim("\u200b  科技  创新\ufeff ") == "科技  创新"


def test_prose_chars_ignores_spaces() -> None:
    """A spaced-out heading ("通　知") is no longer a line than its characters."""
    assert prose_chars("通\u3000知 公 告") == 4


@given(st.text())
def test_squeeze_is_idempotent(text: str) -> None:
    """Squeezing twice changes nothing: callers squeeze text that may already be clean."""
    once = squeeze(text)
    assert squeeze(once) == once
    assert once == once.strip()


@given(st.text())
def test_prose_chars_is_kept_by_squeeze(text: str) -> None:
    """Collapsing whitespace never changes how much prose a line holds."""
    assert prose_chars(squeeze(text)) == prose_chars(text)


@pytest.mark.parametrize(
    ("text", "at_least", "expected"),
    [
        ("Hello 2024", 1, False),
        ("AI 芯片", 1, True),
        ("AI 芯片", 2, True),
        ("AI 芯片", 3, False),
        ("\u3400", 1, True),  # extension A counts as Chinese
    ],
)
def test_has_han(text: str, at_least: int, expected: bool) -> None:
    assert has_han(text, at_least) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[W020190918]", True),
        ("[svg] [提 交]", True),
        ("[    ]", True),
        ("[图片] 科技创新大会现场", False),  # words after the placeholder are page text
        ("", False),
    ],
)
def test_is_placeholder(text: str, expected: bool) -> None:
    """Only a line made of placeholders is dropped; text beside one is kept."""
    assert is_placeholder(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("T + -", True),
        ("00:00/03:25", True),
        ("x" * P.MAX_NOISE_CHARS, True),
        ("x" * (P.MAX_NOISE_CHARS + 1), False),  # long Latin text may be a real line
        ("分享", False),  # one Chinese character is enough to say something
        ("2024-03-15", False),  # a date is a byline field, not noise
    ],
)
def test_is_glyph_noise(text: str, expected: bool) -> None:
    assert is_glyph_noise(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年3月15日", True),
        ("2024-03-15 10:30", True),
        ("  2024年3月15日  ", True),
        ("二〇二四年三月十五日", True),  # how documents sign off
        ("2024年3月15日 科技日报", False),
        ("发布时间：2024-03-15", False),
        ("科技创新", False),
    ],
)
def test_is_bare_date(text: str, expected: bool) -> None:
    """A date alone on a line is a byline field or a sign-off; anything beside it
    makes it a dateline or prose, which the callers treat differently."""
    assert is_bare_date(text) is expected


def test_arabic_dates_month_first() -> None:
    """Localised blog themes print the month first; the date patterns read only year first."""
    assert arabic_dates("十一月 6th, 2009") == "2009年11月6日"


@given(st.text())
def test_arabic_dates_never_raises_and_keeps_text_without_years(text: str) -> None:
    """Every line of every page passes through arabic_dates: no text may make it raise,
    and without a 年 or 月 it must leave the text as it was."""
    out = arabic_dates(text)
    if "年" not in text and "月" not in text:
        assert out == text


@given(st.text(max_size=60))
def test_is_bare_date_never_raises(text: str) -> None:
    assert is_bare_date(text) in (True, False)


@pytest.mark.parametrize("kind", [STOP, DATELINE, TEMPLATE])
def test_walls_weigh_a_stop(kind: str) -> None:
    """Nothing may join a body across a footer, a dateline or a template line."""
    assert weight(Line(text=SENTENCE), kind) == P.WEIGHT_STOP


def test_chrome_is_a_wall_whatever_its_kind() -> None:
    """Prose inside a nav or footer element is still chrome."""
    assert weight(Line(text=SENTENCE, chrome=True), CONTENT) == P.WEIGHT_STOP


def test_outside_is_a_wall_unless_the_caller_looks_past_the_block() -> None:
    """The body search may look beyond the densest block; only then does outside prose count."""
    line = Line(text=SENTENCE, outside=True)
    assert weight(line, CONTENT) == P.WEIGHT_STOP
    assert weight(line, CONTENT, outside_is_wall=False) == prose_chars(SENTENCE)


def test_prose_weighs_its_length() -> None:
    """A body is the run with the most prose, so a prose line pulls by its characters."""
    assert weight(Line(text=SENTENCE), CONTENT) == prose_chars(SENTENCE)
    dated = f"{SENTENCE}（2008-05-12 09:30）"  # a sentence before the date is still prose
    assert weight(Line(text=dated), CONTENT) == prose_chars(dated)


@pytest.mark.parametrize(
    "text",
    [
        "国务院印发《关于加快科技创新的意见》",  # short and ends without punctuation
        "人工智能会取代程序员吗？",  # only asks
        "某市召开会议：部署下一阶段重点（2008-05-12 09:30）",  # closed by its date
        "某市召开会议，部署下一阶段重点 (2008-5-12)",
    ],
)
def test_short_unclosed_or_asking_lines_weigh_a_headline(text: str) -> None:
    """A headline in a link list may not start or end a body: it pulls slightly apart."""
    assert weight(Line(text=text), CONTENT) == P.WEIGHT_HEADLINE


def test_a_short_closed_clause_is_prose() -> None:
    text = "会议由副部长主持，各地代表参加。"
    assert weight(Line(text=text), CONTENT) == prose_chars(text)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (SHORT, P.WEIGHT_SHORT),
        (BARE, P.WEIGHT_LONG_BARE),
        (LIST, P.WEIGHT_MENU),
        (WIDGET, P.WEIGHT_WIDGET),
        ("image", 0),
    ],
)
def test_other_kinds_weigh_their_constant(kind: str, expected: int) -> None:
    assert weight(Line(text="科技创新"), kind) == expected


_CLOSED = "转型之路道阻且长,而眼下行业的整顿仍将持续。"


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (f"{_CLOSED}返回首页>>", (_CLOSED, "返回首页>>")),
        (f"{_CLOSED} ●返回某某网首页>>", (_CLOSED, "返回某某网首页>>")),
        (f"{_CLOSED}更多报道»", (_CLOSED, "更多报道»")),
        ("首页 > 新闻 > 正文 >>", ("首页 > 新闻 > 正文 >>",)),  # no sentence before it
        (f"{_CLOSED}", (_CLOSED,)),
        (f"{_CLOSED}这一句话太长了所以不会是一个页面链接而是正文的一部分>>", None),
    ],
)
def test_split_link_tail(text: str, parts: tuple[str, ...] | None) -> None:
    found = tuple(x.text for x in split_link_tail(Line(text, link_ratio=0.1)))
    assert found == (parts or (text,))


@given(
    sentence=st.text(alphabet="科技创新成果转化企业发展", min_size=5, max_size=60),
    link=st.text(alphabet="返回首页更多新闻", min_size=1, max_size=12),
    arrow=st.sampled_from([">>", "＞＞", "»", "›"]),
    end=st.sampled_from("。！？"),
)
def test_a_link_glued_after_a_sentence_is_its_own_line(
    sentence: str, link: str, arrow: str, end: str
) -> None:
    prose, tail = split_link_tail(Line(f"{sentence}{end}{link}{arrow}", link_ratio=0.1))
    assert (prose.text, tail.text, tail.link_ratio) == (f"{sentence}{end}", f"{link}{arrow}", 1.0)
    assert classify(prose) == CONTENT


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("某市召开安全生产工作会议 (2008-5-12 9:30)", "某市召开安全生产工作会议"),
        ("某市召开安全生产工作会议（2008年5月12日 9：30）", "某市召开安全生产工作会议"),
        ("某市召开安全生产工作会议【2008.05.12】", "某市召开安全生产工作会议"),
        ("中国改革开放编年史（1978-2018）", "中国改革开放编年史（1978-2018）"),  # years, no date
        ("某市召开安全生产工作会议（第2008号）", "某市召开安全生产工作会议（第2008号）"),
        ("（2008-05-12）某市召开安全生产工作会议", "（2008-05-12）某市召开安全生产工作会议"),
    ],
)
def test_undated_drops_only_a_bracketed_date_closing_the_line(text: str, expected: str) -> None:
    assert undated(text) == expected


def test_a_span_of_years_in_brackets_still_closes_a_clause() -> None:
    """Only a date frees a line's closing bracket from counting as the end of a clause."""
    text = "专题链接：中国改革开放编年史（1978-2018）"
    assert weight(Line(text=text), CONTENT) == prose_chars(text)


def _texts(*texts: str) -> list[str]:
    return [line.text for line in join_split_dates([Line(text=t) for t in texts])]


def test_a_date_printed_in_pieces_is_one_date_line() -> None:
    assert _texts("标题", "2019", "09/07", "19:02", "扬眼") == ["标题", "2019-09-07 19:02", "扬眼"]
    assert _texts("2019年", "9月7日") == ["2019-09-07"]
    assert classify(Line(text=_texts("2019", "09/07", "19:02")[0])) == DATELINE


@pytest.mark.parametrize(
    "texts",
    [
        ("2019", "", "09/07"),  # pieces apart are not one date
        ("2019", "第09/07号"),
        ("共2019", "09/07"),
        ("09/07", "2019"),
        ("3000", "09/07"),  # not a year
        ("2019", "13/40"),  # no month and day
    ],
)
def test_lines_that_are_not_a_split_date_stay_as_they_are(texts: tuple[str, ...]) -> None:
    assert _texts(*texts) == list(texts)


PIECES = ["2019", "09/07", "19:02", "", "正文", "2019年", "1月2日"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES)))
def test_joining_split_dates_only_joins(texts: list[str]) -> None:
    """Lines that are no date piece are kept, in order; every other output line is an
    input line or a joined date that reads as a byline date; a join takes two or three
    lines, so the output is at most that much shorter."""
    out = _texts(*texts)
    assert [t for t in out if t in ("", "正文")] == [t for t in texts if t in ("", "正文")]
    joined = [t for t in out if t not in texts]
    assert all(classify(Line(text=t)) == DATELINE for t in joined)
    assert len(texts) - 3 * len(joined) <= len(out) <= len(texts) - len(joined)


@pytest.mark.parametrize(
    "text",
    [
        "特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
        "Notice: The content above (including the pictures and videos if any) is uploaded "
        "and posted by a user of a social media platform.",
    ],
)
def test_a_platforms_note_under_a_users_post_ends_the_article(text: str) -> None:
    assert classify(Line(text=text)) == STOP


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("图为会场。（记者摄）图为会场。（记者摄）", "图为会场。（记者摄）"),
        ("BBC报道截图 BBC报道截图", "BBC报道截图"),
        ("哈哈", "哈哈"),  # too short to be a caption printed twice
        ("一二三四 五六七八", "一二三四 五六七八"),
        ("", ""),
    ],
)
def test_undoubled(text: str, expected: str) -> None:
    assert undoubled(Line(text=text)).text == expected


@given(
    st.text(min_size=P.MIN_DOUBLED_CHARS)
    .map(str.strip)
    .filter(lambda t: len(t) >= P.MIN_DOUBLED_CHARS),
    st.sampled_from(["", " ", "  "]),
)
def test_a_text_printed_twice_is_read_once(text: str, gap: str) -> None:
    assume(undoubled(Line(text=text)).text == text)  # not itself a text printed twice
    assert undoubled(Line(text=f"{text}{gap}{text}")).text == text


@given(st.text(max_size=40))
def test_undoubled_keeps_or_halves(text: str) -> None:
    out = undoubled(Line(text=text)).text
    assert out == text or (
        text.startswith(out) and text.endswith(out) and 2 * len(out) <= len(text)
    )
