"""The byline dates of metadata.py that platform pages and blogs print short: two-digit
years, no year (completed from an agreeing meta tag), month first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract.metadata import parse_date, year_from_meta
from indexer.extract.titles import headline_beside_date
from tests.unit.extract.pages import PROSE, body_paragraphs, page_metadata

# --- byline dates platform pages print short ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("发布时间：18-03-08 23:16", "2018-03-08T23:16"),
        ("发布时间：18-03-0823:16", "2018-03-08T23:16"),  # a dump glues the time on
        ("发表时间:98-12-01 08:05", "1998-12-01T08:05"),
        ("发布时间：10-08 12:00", None),  # no year: never guessed
        ("比分18-03-08 23:16", None),  # no publish cue
        ("发布时间：18-13-08 23:16", None),  # no 13th month
        ("2019-09-3007:42", "2019-09-30T07:42"),  # a dump glues the time to a full date too
        ("2019-9-507:42", "2019-09-05T07:42"),
        ("2019-09-307:42", "2019-09-03T07:42"),  # one digit of day, then the time
        ("2019-09-30123", None),  # digits after the day that are no time
        ("２００８－０５－１２　１０：２０", "2008-05-12T10:20"),  # full-width digits and marks
        ("2008／5／12", "2008-05-12"),
    ],
)
def test_parse_date_short_year(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@given(
    yy=st.integers(0, 99),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    glued=st.booleans(),
)
def test_parse_date_short_year_any(
    yy: int, month: int, day: int, hour: int, minute: int, glued: bool
) -> None:
    gap = "" if glued else " "
    text = f"发布时间：{yy:02d}-{month:02d}-{day:02d}{gap}{hour}:{minute:02d} 作者"
    year = yy + (2000 if yy < 70 else 1900)
    assert parse_date(text) == f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}"


@pytest.mark.parametrize(
    ("stated", "iso"),
    [
        (("", "2019-10-08 12:00:57"), "2019-10-08T12:00"),
        (("2019-10-08",), "2019-10-08T12:00"),
        (("2019-10-09 12:00:57",), None),  # another day: not this byline's year
        (("",), None),
    ],
)
def test_year_from_meta(stated: tuple[str, ...], iso: str | None) -> None:
    assert year_from_meta("发布时间：10-0812:00", stated) == iso


def _platform_page(meta: str) -> str:
    return (
        f"<html><head><title>某地举行科技成果对接会</title>{meta}</head><body>"
        "<div class='article-title'><h2>某地举行科技成果对接会</h2></div>"
        "<div class='author-txt'><p class='author-name'>某某号</p>"
        "<div class='article-source'><span class='date'>发布时间：10-08</span>"
        "<span class='time'>12:00</span></div></div>"
        f"<div class='article-content'><p>{PROSE}</p><p>{PROSE}</p></div></body></html>"
    )


@pytest.mark.parametrize(
    ("meta", "published"),
    [
        ('<meta itemprop="dateUpdate" content="2019-10-08 12:00:57">', "2019-10-08T12:00"),
        ('<meta itemprop="dateUpdate" content="2020-03-01 09:00:00">', None),
        ("", None),
    ],
)
def test_yearless_byline_takes_the_year_a_meta_tag_agrees_on(meta: str, published) -> None:
    found = page_metadata(_platform_page(meta), "html")
    assert found.published == published
    assert found.title == "某地举行科技成果对接会"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("其它内容 十一月 6th, 2009", "2009-11-06"),
        ("三月 21, 2010 at 12:02 下午", "2010-03-21"),
        ("3月 1st, 2012", "2012-03-01"),
        ("十三月 6, 2009", None),
        ("十一月 6th 2009", None),  # no comma: not the localised shape
    ],
)
def test_parse_date_month_first(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


_HAN_MONTHS = "一 二 三 四 五 六 七 八 九 十 十一 十二".split()


@given(
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    year=st.integers(1995, 2030),
    suffix=st.sampled_from(["", "st", "nd", "rd", "th"]),
)
def test_parse_date_month_first_any(month: int, day: int, year: int, suffix: str) -> None:
    assert parse_date(f"{_HAN_MONTHS[month - 1]}月 {day}{suffix}, {year}") == (
        f"{year}-{month:02d}-{day:02d}"
    )


def test_a_category_and_month_first_date_under_the_headline_is_the_byline() -> None:
    page = f"首页\n\n某地举行科技成果对接会\n\n其它内容十一月 6th, 2009\n\n{PROSE}\n{PROSE}"
    meta = page_metadata(page)
    assert (meta.title, meta.published) == ("某地举行科技成果对接会", "2009-11-06")


@pytest.mark.parametrize(
    ("ending", "iso"),
    [
        ("市应急管理局\n2008年5月12日", "2008-05-12"),  # a notice signs off with its date
        ("市应急管理局\n2008年5月12日\n（联系人：张三）", None),  # the date is not its last line
        ("市应急管理局", None),
    ],
)
def test_a_page_without_a_byline_date_takes_the_date_it_signs_off_with(
    ending: str, iso: str | None
) -> None:
    page = f"某市召开安全生产工作会议部署下一阶段重点\n{PROSE}\n{PROSE}\n{ending}\n相关新闻"
    assert page_metadata(page).published == iso


def test_a_byline_date_outranks_the_sign_off() -> None:
    page = (
        f"某市召开安全生产工作会议部署下一阶段重点\n发布时间：2008-05-14\n{PROSE}\n{PROSE}\n"
        "市应急管理局\n2008年5月12日"
    )
    assert page_metadata(page).published == "2008-05-14"


@pytest.mark.parametrize(
    ("headline", "iso"),
    [
        ("某市召开安全生产工作会议部署下一阶段重点（2008-05-12）", "2008-05-12"),
        ("某市召开安全生产工作会议部署下一阶段重点 (2008-5-12)", "2008-05-12"),
        ("某市召开安全生产工作会议部署下一阶段重点（2008年5月12日）", "2008-05-12"),
        ("某市召开安全生产工作会议（第2008号）", None),  # brackets without a date
        ("某市纪念改革开放四十周年大会（1978-2018）", None),  # a span of years
    ],
)
def test_a_date_in_brackets_after_the_headline_dates_a_page_without_a_byline(
    headline: str, iso: str | None
) -> None:
    meta = page_metadata(f"{headline}\n{PROSE}\n{PROSE}")
    assert meta.published == iso
    # The date is not part of the headline; other brackets are.
    assert meta.title == ("某市召开安全生产工作会议部署下一阶段重点" if iso else headline)


@given(
    headline=st.sampled_from(
        [
            "某市召开安全生产工作会议部署下一阶段重点",
            # A clause mark inside the headline: the bracket, not the headline, closes it.
            "某市召开安全生产工作会议：部署下一阶段重点",
            "某市召开安全生产工作会议，部署下一阶段重点",
        ]
    ),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    timed=st.booleans(),
    style=st.sampled_from(["{y}-{m}-{d}", "{y}年{m}月{d}日"]),
    brackets=st.sampled_from(["()", "（）", "[]", "【】"]),
    space=st.sampled_from(["", " "]),
    kind=st.sampled_from(["text", "html"]),
)
def test_a_headline_closed_by_a_bracketed_date_and_time_is_no_body_line(
    headline: str,
    month: int,
    day: int,
    hour: int,
    minute: int,
    timed: bool,
    style: str,
    brackets: str,
    space: str,
    kind: str,
) -> None:
    """Neither the colon of the clock time nor the closing bracket makes the headline a
    clause of the body: it stays the title, and its date dates the page."""
    stamp = style.format(y=2008, m=month, d=day) + (f" {hour}:{minute:02d}" if timed else "")
    line = f"{headline}{space}{brackets[0]}{stamp}{brackets[1]}"
    paragraphs = [PROSE, f"{PROSE}再述。"]
    if kind == "text":
        page = "\n".join([line, *paragraphs])
    else:
        page = (
            "<html><body>" + "".join(f"<p>{x}</p>" for x in [line, *paragraphs]) + "</body></html>"
        )
    meta = page_metadata(page, kind)
    iso = f"2008-{month:02d}-{day:02d}" + (f"T{hour:02d}:{minute:02d}" if timed else "")
    assert (meta.title, meta.published) == (headline, iso)
    assert body_paragraphs(page, kind) == paragraphs


_FULL_WIDTH = str.maketrans("0123456789-/.:", "０１２３４５６７８９－／．：")


@given(
    year=st.integers(1990, 2029),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    time=st.tuples(st.integers(0, 23), st.integers(0, 59)),
    mark=st.sampled_from("-/."),
    shape=st.tuples(st.booleans(), st.booleans()),
)
def test_a_date_reads_the_same_in_full_width_and_with_its_time_glued_on(
    year: int, month: int, day: int, time: tuple[int, int], mark: str, shape: tuple[bool, bool]
) -> None:
    """Old pages print full-width digits and marks; dumps glue the time to the day."""
    full_width, glued = shape
    text = (
        f"{year}{mark}{month:02d}{mark}{day:02d}{'' if glued else ' '}{time[0]:02d}:{time[1]:02d}"
    )
    if full_width:
        text = text.translate(_FULL_WIDTH)
    assert parse_date(text) == f"{year}-{month:02d}-{day:02d}T{time[0]:02d}:{time[1]:02d}"


@pytest.mark.parametrize(
    ("note", "iso", "outlet"),
    [
        ("（某某日报 2008年5月12日）", "2008-05-12", "某某日报"),
        ("(某某晚报 2008-05-12)", "2008-05-12", "某某晚报"),
        ("（原载《某某日报》2008年5月12日第3版）", "2008-05-12", "某某日报"),
        ("《某某周刊》（2008年05月12日 03版）", "2008-05-12", "某某周刊"),
        ("（摘自某某新闻网 2008.5.12）", "2008-05-12", "某某新闻网"),
        # long enough that the date's line would read as prose, and be kept in the body
        ("（原载《某某新闻网》 1995年1月1日第12版）", "1995-01-01", "某某新闻网"),
        # not a publication note: no date, no paper, or more than a note
        ("（作者单位：某某大学）", None, None),
        ("（某某日报记者 张三）", None, None),
        ("（2008年5月12日）", "2008-05-12", None),  # the day alone: a date, no paper
        ("会议于2008年5月12日在某某日报社召开，各方代表出席。", None, None),
    ],
)
def test_the_note_a_republished_article_closes_with_gives_its_paper_and_date(
    note: str, iso: str | None, outlet: str | None
) -> None:
    meta = page_metadata(
        f"首页 > 新闻\n某市召开科技工作会议\n{PROSE}\n{PROSE}\n{note}\n责任编辑：甲"
    )
    assert (meta.published, meta.sources) == (iso, (outlet,) if outlet else ())


def test_a_publication_note_below_other_lines_is_not_the_articles() -> None:
    # Only the first line under the body closes the article; a note further down belongs
    # to something else the page lists.
    page = (
        f"某市召开科技工作会议\n{PROSE}\n{PROSE}\n下一篇：某县召开会议\n（某某日报 2008年5月12日）"
    )
    assert page_metadata(page).published is None


@pytest.mark.parametrize(
    ("row", "title"),
    [
        ("某市召开全市科技工作会议        2008-05-12", "某市召开全市科技工作会议"),
        ("某市召开全市科技工作会议    2008年5月12日 10:23", "某市召开全市科技工作会议"),
        # a cue, a clause or a second date before the gap: a byline, not a headline
        ("发布时间    2008-05-12", None),
        ("会议召开，各方出席    2008-05-12", None),
        ("2008-05-11    2008-05-12", None),
        # words after the date too: the row is not only a headline and its date
        ("某市召开全市科技工作会议    2008-05-12    来源：某某日报", None),
    ],
)
def test_a_headline_on_its_dates_row(row: str, title: str | None) -> None:
    assert headline_beside_date(row) == title


def test_a_page_whose_headline_shares_its_row_with_the_date() -> None:
    menu = "网站首页  |  政务公开  |  办事指南"
    meta = page_metadata(f"{menu}\n某市召开全市科技工作会议    2008-05-12\n{PROSE}\n{PROSE}")
    assert (meta.title, meta.published) == ("某市召开全市科技工作会议", "2008-05-12")


@given(
    outlet=st.sampled_from(["某某日报", "某某晚报", "某某新闻网", "某某周刊", "某某电视台"]),
    year=st.integers(1995, 2030),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    style=st.sampled_from(["{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{y}.{m}.{d}"]),
    cue=st.sampled_from(["", "原载", "摘自", "转自"]),
    quoted=st.booleans(),
    page_no=st.sampled_from(["", " 第3版", "第12版", " A1版"]),
    brackets=st.sampled_from(["（）", "()", ""]),
)
def test_any_publication_note_gives_its_paper_and_day(
    outlet: str,
    year: int,
    month: int,
    day: int,
    style: str,
    cue: str,
    quoted: bool,
    page_no: str,
    brackets: str,
) -> None:
    name = f"《{outlet}》" if quoted else outlet
    when = style.format(y=year, m=month, d=day)
    note = f"{cue}{name} {when}{page_no}"
    note = f"{brackets[0]}{note}{brackets[1]}" if brackets else note
    meta = page_metadata(
        f"首页 > 新闻\n某市召开科技工作会议\n{PROSE}\n{PROSE}\n{note}\n责任编辑：甲"
    )
    assert meta.published == f"{year}-{month:02d}-{day:02d}"
    assert meta.sources == (outlet,)


@pytest.mark.parametrize(
    ("page", "title", "iso"),
    [
        # the headline on its date's row, the date in brackets after it or before it
        (
            f"某市召开科技工作会议（2008-05-12 09:30）\n{PROSE}\n{PROSE}",
            "某市召开科技工作会议",
            "2008-05-12T09:30",
        ),
        (
            f"[2008-05-12] 某市召开科技工作会议\n{PROSE}\n{PROSE}",
            "某市召开科技工作会议",
            "2008-05-12",
        ),
        # the article closes with its day in brackets
        (
            f"某市召开科技工作会议\n{PROSE}\n{PROSE}\n（2008年5月12日）",
            "某市召开科技工作会议",
            "2008-05-12",
        ),
        # a document signs off with its issuer and a date in Chinese numerals
        (
            f"某市召开科技工作会议\n{PROSE}\n{PROSE}\n\n某某市科技局\n二〇〇八年五月十二日",
            "某市召开科技工作会议",
            "2008-05-12",
        ),
        # a date beside its weekday under the headline dates it, and is no headline
        (
            f"某市召开科技工作会议\n2008年5月12日 星期一\n{PROSE}\n{PROSE}",
            "某市召开科技工作会议",
            "2008-05-12",
        ),
    ],
)
def test_dates_old_pages_print_beside_the_headline_or_under_the_article(
    page: str, title: str, iso: str | None
) -> None:
    meta = page_metadata(f"首页 > 新闻\n{page}")
    assert (meta.title, meta.published) == (title, iso)


def test_the_headers_calendar_over_the_menus_dates_nothing() -> None:
    page = f"今天是2024年3月5日 星期二\n首页 > 新闻\n某市召开科技工作会议\n{PROSE}\n{PROSE}"
    assert page_metadata(page).published is None
