"""What an HTML page says about itself outside its visible text: <title>, headings, meta
tags (Open Graph, the fields government CMSes emit), script-set times, platform accounts.
Read before any pruning, because pruning removes the <head> and the headings' context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from lxml import etree

from indexer.extract import html_dom as D
from indexer.extract import html_patterns as PH
from indexer.extract.html_dom import Element
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


def _meta(page: Element, names: tuple[str, ...]) -> str:
    for tag in page.iter("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        content = tag.get("content")
        if key in names and content:
            return squeeze(content)
    return ""


def html_hints(page: Element) -> HtmlHints:
    """Title tag, Open Graph and meta fields, and headings, read before any pruning."""
    title_tag = next(page.iter("title"), None)
    title = squeeze(D.text_of(title_tag)) if title_tag is not None else ""
    headings = tuple(
        text
        for level in ("h1", "h2", "h3")
        for h in page.iter(level)
        if (text := squeeze(D.text_of(h, " ")))
    )
    ld = json_ld(page)
    return HtmlHints(
        title_tag=strip_pinyin_notes(title),
        og_title=_meta(page, PH.HTML_TITLE_META) or ld.get("headline", ""),
        headings=headings,
        site_name=_meta(page, PH.HTML_SITE_META) or ld.get("publisher", ""),
        published=(
            _meta(page, PH.HTML_DATE_META)
            or ld.get("datePublished", "")
            or _time_element(page)
            or _script_time(page)
        ),
        modified=_meta(page, PH.HTML_MODIFIED_META),
        source=_meta(page, PH.HTML_SOURCE_META),
        account=_account(page),
    )


def json_ld(page: Element) -> dict[str, str]:
    """headline, datePublished and the publisher's name from a page's JSON-LD article
    object (schema.org NewsArticle and kin); empty where there is none or it is broken."""
    for script in page.iter("script"):
        if script.get("type") != PH.JSON_LD_TYPE:
            continue
        raw = _script_text(script)
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


def _script_text(script: Element) -> str:
    """A script's source (what it holds is never prose, so not the element's text)."""
    return "".join(script.itertext())


def _time_element(page: Element) -> str:
    """The first <time> element's machine-readable date, or its text."""
    tag = next(page.iter("time"), None)
    if tag is None:
        return ""
    return squeeze(tag.get("datetime") or D.text_of(tag, " "))


def _script_time(page: Element) -> str:
    """Publication time a page only states in script (platform pages fill the visible
    date in with JavaScript): a Unix time as "YYYY-MM-DD HH:MM" in China time, or the
    date-time text a page's data object assigns."""
    for script in page.iter("script"):
        source = _script_text(script)
        match = PH.SCRIPT_TIMESTAMP.search(source)
        if match:
            stamp = datetime.fromtimestamp(int(match[1]), tz=_CHINA_TIME)
            return stamp.strftime("%Y-%m-%d %H:%M" if not stamp.second else "%Y-%m-%d %H:%M:%S")
        match = PH.SCRIPT_DATE.search(source)
        if match:
            return match[1]
    return ""


def _account(page: Element) -> str:
    """The account name a platform page shows next to its byline."""
    for tag in page.iter(etree.Element):
        marks = [tag.get("id") or "", *D.classes(tag)]
        if any(PH.HTML_ACCOUNT_HINT.search(m) for m in marks if m):
            name = squeeze(D.text_of(tag, " "))
            if name:
                return name
    return ""
