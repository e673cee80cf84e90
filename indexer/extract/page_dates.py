"""Byline dates that need the page to be read: a date without its year ("发布时间：03-05
10:20") or relative to the day the page was served ("3小时前", "昨天 10:20").

Neither can be read alone. A year-less date takes its year from a full date the page
prints elsewhere on the same month and day (a text dump has no meta tags to lend one),
else from the day the page says it is (its header's calendar, "今天是2024年3月5日 星期二");
a relative date only from that day. A page that states no such day leaves the byline
undated: a date is never guessed from the clock of the machine reading it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from indexer.extract import patterns as P
from indexer.extract.lines import arabic_dates, is_calendar


def _full_date(text: str) -> datetime | None:
    """The first valid full date (with its time when printed) in `text`."""
    for match in P.DATE.finditer(arabic_dates(text)):
        try:
            return datetime(
                int(match["y"]),
                int(match["m"]),
                int(match["d"]),
                int(match["H"] or 0),
                int(match["M"] or 0),
            )
        except ValueError:
            continue
    return None


def reference_day(header: Sequence[str]) -> datetime | None:
    """The day a page says it was served: a calendar line among its first lines, a date
    after "今天是" or beside a weekday with no byline word ("2024年3月5日 星期二")."""
    for text in header[: P.MAX_REFERENCE_LINES]:
        if len(text) > P.MAX_DATELINE_CHARS:
            continue
        calendar = P.TODAY_CUE.search(text) or is_calendar(text)
        found = _full_date(text) if calendar else None
        if found:
            return found
    return None


def _stamp(day: datetime, hour: int, minute: int) -> str | None:
    try:
        return day.replace(hour=hour, minute=minute).strftime("%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def year_less(byline: str, others: Sequence[str], today: datetime | None) -> str | None:
    """A year-less byline date completed from the page: the year of another full date it
    prints on the same month and day, else the latest year that does not put the date
    after `today`; None when neither is known."""
    match = P.CUED_SHORT_DATE.search(byline)
    if not match or match["y"] is not None:
        return None
    month, day = int(match["m"]), int(match["d"])
    hour, minute = int(match["H"]), int(match["M"])
    years = [d.year for d in map(_full_date, others) if d and (d.month, d.day) == (month, day)]
    if years:
        year = years[0]
    elif today is not None:
        year = today.year if (month, day) <= (today.month, today.day) else today.year - 1
    else:
        return None
    try:
        return datetime(year, month, day, hour, minute).strftime("%Y-%m-%dT%H:%M")
    except ValueError:
        return None


def relative(byline: str, today: datetime | None) -> str | None:
    """A relative byline date read against the day the page was served: "昨天 10:20" is
    the day before at 10:20, "3小时前" that day (or its time less three hours when the
    calendar prints a time), "2天前" two days before. None without a day to count from."""
    match = P.RELATIVE_DATE.search(byline)
    if not match or today is None:
        return None
    if match["day"]:
        back = {"今天": 0, "昨天": 1, "前天": 2}[match["day"]]
        return _stamp(today - timedelta(days=back), int(match["H"]), int(match["M"]))
    if match["alone"]:
        return None  # "昨天" alone places a platform's byline, but says too little to date it
    n, unit = int(match["n"]), match["unit"]
    if unit == "天":
        return (today - timedelta(days=n)).strftime("%Y-%m-%d")
    if today.hour == 0 and today.minute == 0:
        return today.strftime("%Y-%m-%d")  # the calendar gives the day only
    ago = timedelta(minutes=n) if unit in ("分钟", "分鐘") else timedelta(hours=n)
    return (today - ago).strftime("%Y-%m-%dT%H:%M")
