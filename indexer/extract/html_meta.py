"""What an HTML page says about itself outside its visible text: <title>, headings, meta
tags (Open Graph, the fields government CMSes emit), script-set times, platform accounts.
Read before any pruning, because pruning removes the <head> and the headings' context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bs4 import BeautifulSoup

from indexer.extract import html_patterns as PH
from indexer.extract.lines import squeeze
from indexer.normalize import strip_pinyin_notes

_CHINA_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class HtmlHints:
    """What an HTML page says about itself outside the visible text."""

    title_tag: str = ""
    og_title: str = ""
    headings: tuple[str, ...] = ()  # <h1>, then <h2>, then <h3> texts in page order
    site_name: str = ""
    published: str = ""
    modified: str = ""  # when the page was last changed, by its meta tags
    source: str = ""
    account: str = ""  # the publishing account on a platform page (WeChat and the like)


def _meta(soup: BeautifulSoup, names: tuple[str, ...]) -> str:
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        if key in names and tag.get("content"):
            return squeeze(str(tag["content"]))
    return ""


def html_hints(soup: BeautifulSoup) -> HtmlHints:
    """Title tag, Open Graph and meta fields, and headings, read before any pruning."""
    title = squeeze(soup.title.get_text()) if soup.title else ""
    headings = tuple(
        squeeze(h.get_text(" "))
        for level in ("h1", "h2", "h3")
        for h in soup.find_all(level)
        if squeeze(h.get_text(" "))
    )
    ld = json_ld(soup)
    return HtmlHints(
        title_tag=strip_pinyin_notes(title),
        og_title=_meta(soup, PH.HTML_TITLE_META) or ld.get("headline", ""),
        headings=headings,
        site_name=_meta(soup, PH.HTML_SITE_META) or ld.get("publisher", ""),
        published=(
            _meta(soup, PH.HTML_DATE_META)
            or ld.get("datePublished", "")
            or _time_element(soup)
            or _script_time(soup)
        ),
        modified=_meta(soup, PH.HTML_MODIFIED_META),
        source=_meta(soup, PH.HTML_SOURCE_META),
        account=_account(soup),
    )


def json_ld(soup: BeautifulSoup) -> dict[str, str]:
    """headline, datePublished and the publisher's name from a page's JSON-LD article
    object (schema.org NewsArticle and kin); empty where there is none or it is broken."""
    for script in soup.find_all("script", attrs={"type": PH.JSON_LD_TYPE}):
        raw = script.string or script.get_text()
        if not raw or len(raw) > PH.MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _ld_items(data):
            if str(item.get("@type", "")) in PH.JSON_LD_ARTICLE_TYPES:
                publisher = item.get("publisher")
                name = publisher.get("name", "") if isinstance(publisher, dict) else ""
                return {
                    k: squeeze(str(v))
                    for k, v in (
                        ("headline", item.get("headline", "")),
                        ("datePublished", item.get("datePublished", "")),
                        ("publisher", name),
                    )
                    if isinstance(v, str) and v
                }
    return {}


def _ld_items(data: object) -> list[dict]:
    """The objects of a JSON-LD document: itself, a list of them, or its @graph."""
    items = data if isinstance(data, list) else [data]
    out: list[dict] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        graph = item.get("@graph")
        if isinstance(graph, list):
            out.extend(x for x in graph if isinstance(x, dict))
        else:
            out.append(item)
    return out


def _time_element(soup: BeautifulSoup) -> str:
    """The first <time> element's machine-readable date, or its text."""
    tag = soup.find("time")
    if tag is None:
        return ""
    return squeeze(str(tag.get("datetime") or tag.get_text(" ")))


def _script_time(soup: BeautifulSoup) -> str:
    """Publication time a page only states in script (platform pages fill the visible
    date in with JavaScript), as "YYYY-MM-DD HH:MM" in China time."""
    for script in soup.find_all("script"):
        match = PH.SCRIPT_TIMESTAMP.search(script.get_text())
        if match:
            stamp = datetime.fromtimestamp(int(match[1]), tz=_CHINA_TIME)
            return stamp.strftime("%Y-%m-%d %H:%M" if not stamp.second else "%Y-%m-%d %H:%M:%S")
    return ""


def _account(soup: BeautifulSoup) -> str:
    """The account name a platform page shows next to its byline."""
    for tag in soup.find_all(True):
        marks = [str(tag.get("id") or ""), *(tag.get("class") or [])]
        if any(PH.HTML_ACCOUNT_HINT.search(m) for m in marks if m):
            name = squeeze(tag.get_text(" "))
            if name:
                return name
    return ""
