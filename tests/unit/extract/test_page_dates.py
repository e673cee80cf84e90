"""page_dates: byline dates only the page can complete, a year-less one from another date
it prints or the day its header says it is, a relative one from that day alone."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.extract.page_dates import reference_day, relative, year_less
from tests.unit.extract.pages import PROSE, page_metadata

TODAY = datetime(2024, 3, 5)


@pytest.mark.parametrize(
    ("header", "day"),
    [
        (["今天是2024年3月5日 星期二", "首页 新闻"], datetime(2024, 3, 5)),
        (["首页", "2024年3月5日 星期二 农历正月廿五"], datetime(2024, 3, 5)),
        (["今日是：2024-03-05"], datetime(2024, 3, 5)),
        (["发布时间：2024年3月5日 星期二"], None),  # a byline, not the header's calendar
        (["时间：2024年3月5日 星期二"], None),
        (["首页 新闻 2024-03-05"], None),  # a date with no calendar word
        ([], None),
    ],
)
def test_reference_day_is_the_headers_calendar(header: list[str], day: datetime | None) -> None:
    assert reference_day(header) == day


@pytest.mark.parametrize(
    ("byline", "others", "today", "iso"),
    [
        ("发布时间：03-05 10:20", [], TODAY, "2024-03-05T10:20"),
        ("发布时间：12-30 10:20", [], TODAY, "2023-12-30T10:20"),  # after today: last year
        ("发布时间：03-05 10:20", ["2021-03-05 其他标题"], TODAY, "2021-03-05T10:20"),
        ("发布时间：03-05 10:20", ["2021-03-06 其他标题"], None, None),  # another day
        ("发布时间：03-05 10:20", [], None, None),  # nothing states a year: never guessed
        ("发布时间：23-03-05 10:20", [], TODAY, None),  # has its year: not for this rule
    ],
)
def test_year_less(byline: str, others: list[str], today: datetime | None, iso) -> None:
    assert year_less(byline, others, today) == iso


@pytest.mark.parametrize(
    ("byline", "today", "iso"),
    [
        ("昨天 10:20 来源：某某日报", TODAY, "2024-03-04T10:20"),
        ("前天 08:05", TODAY, "2024-03-03T08:05"),
        ("今天 23:59", TODAY, "2024-03-05T23:59"),
        ("3天前", TODAY, "2024-03-02"),
        ("3小时前", TODAY, "2024-03-05"),  # the calendar gives the day only
        ("3小时前", datetime(2024, 3, 5, 1, 30), "2024-03-04T22:30"),
        ("25分钟前", datetime(2024, 3, 5, 10, 0), "2024-03-05T09:35"),
        ("3小时前", None, None),  # no day to count from: undated
        ("昨天", TODAY, None),  # a word, without a time
    ],
)
def test_relative(byline: str, today: datetime | None, iso: str | None) -> None:
    assert relative(byline, today) == iso


@given(days=st.integers(0, 400), hour=st.integers(0, 23), minute=st.integers(0, 59))
def test_a_year_less_date_is_never_after_the_reference_day(
    days: int, hour: int, minute: int
) -> None:
    day = TODAY - timedelta(days=days)
    found = year_less(f"发布时间：{day:%m-%d} {hour}:{minute:02d}", [], TODAY)
    assert found is not None
    assert datetime.fromisoformat(found).date() <= TODAY.date()
    assert found[5:10] == f"{day:%m-%d}"


@given(n=st.integers(1, 30))
def test_n_days_ago_counts_back_from_the_reference_day(n: int) -> None:
    assert relative(f"{n}天前", TODAY) == f"{TODAY - timedelta(days=n):%Y-%m-%d}"


def _dump(header: str, byline: str, footer: str = "") -> str:
    return (
        f"{header}\n某市召开安全生产工作会议部署下一阶段重点\n{byline}\n{PROSE}\n{PROSE}\n{footer}"
    )


@pytest.mark.parametrize(
    ("header", "byline", "iso"),
    [
        ("今天是2024年3月5日 星期二", "3小时前 来源：市应急局", "2024-03-05"),
        ("2024年3月5日 星期二", "昨天 10:20 来源：市应急局", "2024-03-04T10:20"),
        ("今天是2024年3月5日 星期二", "发布时间：03-04 10:20 来源：市应急局", "2024-03-04T10:20"),
        ("首页 > 新闻", "3小时前 来源：市应急局", None),  # no reference date: left undated
        ("首页 > 新闻", "发布时间：03-04 10:20 来源：市应急局", None),
    ],
)
def test_a_dump_dates_its_byline_from_its_header(header: str, byline: str, iso) -> None:
    assert page_metadata(_dump(header, byline)).published == iso


def test_a_dump_completes_a_year_less_byline_from_a_date_printed_on_the_same_day() -> None:
    page = _dump("首页 > 新闻", "发布时间：03-04 10:20", "相关新闻\n2023-03-04 同日的另一则新闻")
    assert page_metadata(page).published == "2023-03-04T10:20"


def test_a_relative_byline_keeps_the_body_after_it() -> None:
    meta = page_metadata(_dump("今天是2024年3月5日 星期二", "2小时前 来源：市应急局"))
    assert meta.sources == ("市应急局",)
    assert meta.title == "某市召开安全生产工作会议部署下一阶段重点"
