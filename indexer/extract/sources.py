"""Credited outlets: the 来源/稿源 run of a byline, picture credits skipped, outlets named
without a cue, and reporters' units — never a reporter's name or a photo agency."""

from __future__ import annotations

import re

from indexer.extract import field_patterns as PF
from indexer.extract import patterns as P
from indexer.extract.body import Layout, Selection
from indexer.extract.lines import (
    CREDIT,
)

# --- sources ----------------------------------------------------------------------------


def parse_sources(text: str) -> tuple[str, ...]:
    """Outlets credited on one line, in order, without URLs or domains.

    "来源:高新院 achie.org 日期:2023-01-18" -> ("高新院",);
    "(摘编自:青城融媒、包头日报)" -> ("青城融媒", "包头日报").
    """
    cues = list(PF.SOURCE_CUE.finditer(text))
    if not cues:
        return ()
    out: list[str] = []
    # One line may credit several outlets under several cues: "来源:甲 转自:乙".
    for cue, following in zip(cues, [*cues[1:], None], strict=True):
        if PF.PICTURE_CREDIT.search(text[: cue.start()]):
            continue  # "图片来源：X" credits a photo, not the article
        value = text[cue.end() : following.start() if following else len(text)]
        for name in _credited_names(value):
            if name not in out:
                out.append(name)
    # "来源：人民网 原创稿": the label says how, not who; alone it is all the page says.
    named = [name for name in out if not PF.CREDIT_LABEL_WORD.match(name)]
    return tuple(named or out)


def _credited_names(value: str) -> list[str]:
    """The outlet names in the text after one credit cue."""
    value = P.PLACEHOLDER.sub(" ", value)
    # In a dump, a wide gap ends the byline's column: what follows is a sidebar's text.
    value = PF.COLUMN_GAP.split(value.lstrip(), maxsplit=1)[0]
    label = PF.FIELD_LABEL.search(value)
    if label:
        value = value[: label.start()]
    date = P.DATE.search(value)
    if date:
        value = value[: date.start()]
    # A bracket ends the credit: "(摘编自:甲、乙)" closes it, "内蒙古日报(记者 张三)"
    # opens a note about the reporter. Title marks belong to the name: "人民网-《人民日报》".
    value = P.URL.sub(" ", re.split(r"[()（）【】\[\]]", value, maxsplit=1)[0])
    names = (_trim_name(part) for part in PF.SOURCE_SPLIT.split(value))
    return [
        name
        for name in names
        if name
        and not PF.DOMAIN.match(name)
        and not PF.COMPILER_CREDIT.search(name)
        and not PF.NO_OUTLET.match(name)
    ]


def _trim_name(part: str) -> str:
    """A credited name without edge punctuation, widget words run on after it
    ("新华社举报"), or a title mark left open by the trim."""
    name = PF.TRAILING_WIDGET_WORDS.sub("", part.strip(PF.SOURCE_TRIM)).strip(PF.SOURCE_TRIM)
    if "《" in name and "》" not in name:
        name += "》"
    return name


def uncued_outlet(text: str) -> str | None:
    """The outlet a byline names without a 来源 cue: "2019-09-26 10:56:28 证券时报网",
    "中国网 2019-11-25 10:37:31", "原创：39健康网2024-04-23 12:27:25".

    Only a byline that is a date plus one name counts, and the name must read as an
    outlet (ending 网, 报, 社, 站...), not as a person's name or a counter.
    """
    date = P.DATE.search(text)
    if not date:
        return None
    rest = P.PLACEHOLDER.sub(" ", text[: date.start()] + " " + text[date.end() :])
    rest = PF.BYLINE_LABELS.sub(" ", rest)
    words = [w for w in (_trim_name(x) for x in rest.split()) if w]
    if len(words) != 1:
        return None
    word = words[0]
    if not 2 <= len(word) <= PF.MAX_SITE_CHARS or not PF.OUTLET_END.search(word):
        return None
    return word


def _source_lines(page: Layout, sel: Selection) -> list[int]:
    """Where credits live, most trusted first: the byline block, then credit lines in and
    just after the body."""
    top = sel.dateline if sel.dateline is not None else sel.start
    head = list(range(max(0, top - 2), sel.start))
    if sel.head is not None:
        block = range(sel.head.start, sel.head.end)
        head = [*block, *(i for i in head if i not in block)]
    if sel.dateline is not None and sel.dateline not in head:
        head.insert(0, sel.dateline)
    credits = [
        i for i in range(sel.start, min(len(page.lines), sel.end + 8)) if page.kinds[i] == CREDIT
    ]
    return head + credits


def _next_text(page: Layout, i: int) -> str:
    """The next line with text after line `i`, or ""."""
    return next((line.text for line in page.lines[i + 1 : i + 3] if line.text), "")


def dangling_credit(page: Layout, i: int) -> tuple[str, ...]:
    """A credit whose value a layout put on the next line: "来源：" ends the byline and
    "市应急管理局" stands alone under it (a table cell, a link on its own line)."""
    cue = PF.DANGLING_CUE.search(page.lines[i].text)
    value = _next_text(page, i) if cue else ""
    if not value or len(value) > PF.MAX_SITE_CHARS or P.DATE.search(value):
        return ()
    return parse_sources(cue.group(0) + value)


def agency_of(paragraph: str) -> str | None:
    """The outlet an agency dateline opening the body names: "新华社北京3月5日电" ->
    "新华社"; None for "本报…电", which names no outlet."""
    opener = PF.AGENCY_DATELINE.match(paragraph)
    if not opener or PF.SELF_REFERENCE.match(opener["outlet"]):
        return None
    return opener["outlet"]


def sources(page: Layout, sel: Selection) -> tuple[str, ...]:
    for i in _source_lines(page, sel):
        found = parse_sources(page.lines[i].text) or dangling_credit(page, i)
        if found:
            return found
    if page.hints and page.hints.source:
        return parse_sources("来源:" + page.hints.source)
    if sel.dateline is not None:
        outlet = uncued_outlet(page.lines[sel.dateline].text)
        if outlet:
            return (outlet,)
    # Last, a credit the page prints under the article inside another line ("版权声明
    # 来源：X 时间：…"), and the outlet a body opens with ("经济观察报记者 田国宝 …").
    for i in range(sel.end, min(len(page.lines), sel.end + PF.TRAILING_CREDIT_LINES)):
        if PF.SOURCE_CUE.search(page.lines[i].text):
            found = parse_sources(page.lines[i].text)
            if found:
                return found
    outlet = publication_outlet(page, sel)
    if outlet:
        return (outlet,)
    for paragraph in sel.paragraphs[: PF.REPORTER_PARAGRAPHS]:
        opener = PF.REPORTER_OF.match(paragraph)
        outlet = opener["outlet"] if opener else ""
        if outlet and PF.OUTLET_END.search(outlet) and not PF.SELF_REFERENCE.match(outlet):
            return (outlet,)
        agency = agency_of(paragraph)
        if agency:
            return (agency,)
    return ()


def publication_outlet(page: Layout, sel: Selection) -> str | None:
    """The paper a republished article names in the note it closes with, on the first
    line after the body: "（原载《某某日报》2008年5月12日）" credits 某某日报."""
    for i in range(sel.end, min(len(page.lines), sel.end + PF.TRAILING_CREDIT_LINES)):
        text = page.lines[i].text
        if not text:
            continue
        note = P.PUBLICATION_NOTE.match(text)
        if note is None:
            return None
        return _trim_name(note["outlet"]) or None
    return None
