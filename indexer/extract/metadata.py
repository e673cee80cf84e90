"""Third stage: title, published date, sources and site, each by an ordered fallback chain.

Every field is read from the page's own furniture (the byline above the body, headings,
footers, meta tags), never from the body text: a date inside a sentence is news, not the
page's date. When a chain runs dry the field says so (an inferred title is flagged, an
unknown date is None) rather than inventing a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from indexer.extract import page_dates
from indexer.extract import patterns as P
from indexer.extract.body import Layout, Selection
from indexer.extract.heads import TITLE_KINDS, good_title, nearest_text
from indexer.extract.lines import (
    CREDIT,
    DATELINE,
    arabic_dates,
    is_bare_date,
    is_calendar,
)
from indexer.extract.sites import site, unglued_sources
from indexer.extract.sources import sources
from indexer.extract.titles import infer_title, title_from_html, title_from_lines, unlabelled


@dataclass(frozen=True)
class Metadata:
    title: str
    title_inferred: bool
    published: str | None
    sources: tuple[str, ...]
    site: str | None


# --- dates ------------------------------------------------------------------------------


def parse_date(text: str) -> str | None:
    """ISO 8601 for the first valid date in `text`, as precise as the text is.

    "2024/01/25 10:20" -> "2024-01-25T10:20"; "2023年12月5日" -> "2023-12-05".
    Impossible dates (2023-02-30) are ignored rather than guessed at.
    """
    for match in P.DATE.finditer(arabic_dates(text)):
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        hour, minute, sec = match["H"], match["M"], match["S"]
        try:
            stamp = datetime(y, m, d, int(hour or 0), int(minute or 0), int(sec or 0))
        except ValueError:
            continue
        if hour is None:
            return stamp.strftime("%Y-%m-%d")
        return stamp.strftime("%Y-%m-%dT%H:%M:%S" if sec is not None else "%Y-%m-%dT%H:%M")
    return short_date(text)


def short_date(text: str, year: int | None = None) -> str | None:
    """ISO 8601 for a cued byline date printed with two digits of its year ("发布时间：
    18-03-08 23:16" -> "2018-03-08T23:16"), or without one when `year` supplies it."""
    match = P.CUED_SHORT_DATE.search(text)
    if not match:
        return None
    if match["y"] is not None:
        yy = int(match["y"])
        year = yy + (2000 if yy < P.TWO_DIGIT_YEAR_PIVOT else 1900)
    if year is None:
        return None
    try:
        stamp = datetime(year, int(match["m"]), int(match["d"]), int(match["H"]), int(match["M"]))
    except ValueError:
        return None
    return stamp.strftime("%Y-%m-%dT%H:%M")


def year_from_meta(text: str, stated: tuple[str, ...]) -> str | None:
    """A year-less byline date ("发布时间：10-08 12:00") completed with the year of a date
    the page states elsewhere (its meta tags) on the same month and day; None when none
    agrees, since a year cannot be guessed."""
    match = P.CUED_SHORT_DATE.search(text)
    if not match or match["y"] is not None:
        return None
    for value in stated:
        full = parse_date(value) if value else None
        if full and (int(full[5:7]), int(full[8:10])) == (int(match["m"]), int(match["d"])):
            return short_date(text, int(full[:4]))
    return None


def published(page: Layout, sel: Selection) -> str | None:
    """The byline's date, else a meta tag's, else a labelled date line just under the
    body (some portals print 发布时间 at the foot of the article), else the date the body
    signs off with, else None."""
    if sel.dateline is not None:
        byline = page.lines[sel.dateline].text
        found = parse_date(byline)
        if found:
            return found
        if page.hints:
            found = year_from_meta(byline, (page.hints.published, page.hints.modified))
            if found:
                return found
        found = dated_by_page(page, sel, byline)
        if found:
            return found
    if page.hints and page.hints.published:
        found = parse_date(page.hints.published)
        if found:
            return found
    return trailing_date(page, sel) or headline_date(page, sel) or signoff_date(sel)


def headline_date(page: Layout, sel: Selection) -> str | None:
    """A date in brackets closing one of the lines just above the body, as old pages print
    it after the headline ("…工作会议（2008-05-12）"), or a date with its weekday on the line
    right under the headline ("2008年5月12日 星期一": a header's calendar stands over the
    menus, never under a headline), when no byline carries one."""
    for i in range(max(0, sel.start - P.HEADLINE_DATE_LINES), sel.start):
        text = page.lines[i].text
        match = P.BRACKETED_DATE_END.search(text)
        found = parse_date(match.group(0)) if match else None
        if found:
            return found
        if is_calendar(text) and P.DATE.search(arabic_dates(text)) and _under_headline(page, i):
            return parse_date(text)
    return None


def _under_headline(page: Layout, i: int) -> bool:
    """Whether the nearest line above line i with text is headline-shaped."""
    above = nearest_text(page.kinds, i, -1)
    return (
        above is not None
        and page.kinds[above] in TITLE_KINDS
        and good_title(page.lines[above].text)
    )


def signoff_date(sel: Selection) -> str | None:
    """The date a notice or a document signs off with ("市应急管理局" over "2008年5月12日"),
    when its last paragraph is that date alone: on a page that prints no byline date, the
    day it was issued is the page's date."""
    last = sel.paragraphs[-1] if sel.paragraphs else ""
    return parse_date(last) if last and is_bare_date(last) else None


def dated_by_page(page: Layout, sel: Selection, byline: str) -> str | None:
    """A byline date that only the rest of the page can complete: a year-less one from a
    full date printed outside the body on the same day, or from the day the page's header
    says it is; a relative one ("3小时前", "昨天 10:20") from that day alone."""
    if not (P.CUED_SHORT_DATE.search(byline) or P.RELATIVE_DATE.search(byline)):
        return None
    texts = [line.text for line in page.lines]
    today = page_dates.reference_day([t for t in texts[: sel.start] if t])
    outside = [t for t in (*texts[: sel.start], *texts[sel.end :]) if t and t != byline]
    return page_dates.year_less(byline, outside, today) or page_dates.relative(byline, today)


def trailing_date(page: Layout, sel: Selection) -> str | None:
    """A date line with a label (发布时间:, 日期:) among the lines after the body, before
    prev/next links, related lists and the footer (whose dates are the site's); or a
    date and time alone on the first line after the body, as galleries and platform
    posts print it over their share bar (a list's dates come after a heading or beside
    a headline, never first and alone), or there the note of the paper and the day a
    republished article appeared ("（某某日报 2008年5月12日）") or the day alone in brackets."""
    seen = 0
    for i in range(sel.end, len(page.lines)):
        if not page.lines[i].text:
            continue
        text = page.lines[i].text
        if page.kinds[i] == CREDIT:
            continue  # the article's own credit ("（来源：某某日报）") closes it first
        if page.kinds[i] == DATELINE and (
            P.DATELINE_CUE.search(text)
            or (seen == 0 and (_dated_and_timed(text) or _closing_date(text)))
        ):
            return parse_date(text)
        if P.PREV_NEXT.match(text) or P.RELATED.match(text) or P.FOOTER.search(text):
            break  # past the article into the page's links and footer
        seen += 1
        if seen >= P.TRAILING_DATE_LINES:
            break
    return None


def _closing_date(text: str) -> bool:
    """The line that closes an article with its day: the paper's note ("（某某日报 2008年5月
    12日）"), or the date alone in brackets ("（2008年5月12日）")."""
    inner = text.strip()
    bracketed = inner[:1] in "(（" and inner[-1:] in ")）" and is_bare_date(inner[1:-1])
    return bracketed or P.PUBLICATION_NOTE.match(text) is not None


def _dated_and_timed(text: str) -> bool:
    """A line that is a full date with its time and nothing else ("2019-09-08 11:42")."""
    match = P.DATE.search(arabic_dates(text))
    return bool(match and match["H"]) and is_bare_date(text)


# --- all --------------------------------------------------------------------------------


def extract(page: Layout, sel: Selection) -> Metadata:
    """All metadata for a page whose body has been selected."""
    found_title = title_from_html(page, sel) if page.hints else title_from_lines(page, sel)
    found_title = unlabelled(found_title) if found_title else None
    credited = sources(page, sel)
    site_name = site(page, sel, credited)
    return Metadata(
        title=found_title or infer_title(sel.paragraphs),
        title_inferred=found_title is None,
        published=published(page, sel),
        sources=unglued_sources(credited, site_name),
        site=site_name,
    )
