"""Third stage: title, published date, sources and site, each by an ordered fallback chain.

Every field is read from the page's own furniture (the byline above the body, headings,
footers, meta tags), never from the body text: a date inside a sentence is news, not the
page's date. When a chain runs dry the field says so (an inferred title is flagged, an
unknown date is None) rather than inventing a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from indexer.extract import patterns as P
from indexer.extract.body import Layout, Selection
from indexer.extract.heads import ABOVE_TITLE, TITLE_KINDS, good_title
from indexer.extract.lines import (
    BLANK,
    CREDIT,
    DATELINE,
    FIELD,
    IMAGE,
    LABEL,
    SHORT,
    TEMPLATE,
    WIDGET,
    arabic_dates,
    has_han,
    prose_chars,
    squeeze,
)

_SITE_WORD = re.compile(
    r"(?:网|網|网站|網站|门户|門戶|政府|厅|廳|局|委员会|委|报|報|社|台|中心|在线|新闻|频道|"
    r"平台|院|会|會|办|部|馆|館|所)$"
)
_SITE_REJECT = re.compile(r"ICP|备|號|号|\d{4,}|www\.|https?:|@", re.I)
_SKIPABOVE_TITLE = frozenset({BLANK, WIDGET, IMAGE, LABEL, CREDIT, FIELD, TEMPLATE})


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
    return None


def published(page: Layout, sel: Selection) -> str | None:
    """The byline's date, else a meta tag's, else a labelled date line just under the
    body (some portals print 发布时间 at the foot of the article), else None."""
    if sel.dateline is not None:
        found = parse_date(page.lines[sel.dateline].text)
        if found:
            return found
    if page.hints and page.hints.published:
        found = parse_date(page.hints.published)
        if found:
            return found
    return trailing_date(page, sel)


def trailing_date(page: Layout, sel: Selection) -> str | None:
    """A date line with a label (发布时间:, 日期:) among the lines after the body, before
    prev/next links, related lists and the footer (whose dates are the site's)."""
    seen = 0
    for i in range(sel.end, len(page.lines)):
        if not page.lines[i].text:
            continue
        text = page.lines[i].text
        if page.kinds[i] == DATELINE and P.DATELINE_CUE.search(text):
            return parse_date(text)
        if P.PREV_NEXT.match(text) or P.RELATED.match(text) or P.FOOTER.search(text):
            break  # past the article into the page's links and footer
        seen += 1
        if seen >= P.TRAILING_DATE_LINES:
            break
    return None


# --- sources ----------------------------------------------------------------------------


def parse_sources(text: str) -> tuple[str, ...]:
    """Outlets credited on one line, in order, without URLs or domains.

    "来源:高新院 achie.org 日期:2023-01-18" -> ("高新院",);
    "(摘编自:青城融媒、包头日报)" -> ("青城融媒", "包头日报").
    """
    cues = list(P.SOURCE_CUE.finditer(text))
    if not cues:
        return ()
    out: list[str] = []
    # One line may credit several outlets under several cues: "来源:甲 转自:乙".
    for cue, following in zip(cues, [*cues[1:], None], strict=True):
        if P.PICTURE_CREDIT.search(text[: cue.start()]):
            continue  # "图片来源：X" credits a photo, not the article
        value = text[cue.end() : following.start() if following else len(text)]
        for name in _credited_names(value):
            if name not in out:
                out.append(name)
    # "来源：人民网 原创稿": the label says how, not who; alone it is all the page says.
    named = [name for name in out if not P.CREDIT_LABEL_WORD.match(name)]
    return tuple(named or out)


def _credited_names(value: str) -> list[str]:
    """The outlet names in the text after one credit cue."""
    value = P.PLACEHOLDER.sub(" ", value)
    label = P.FIELD_LABEL.search(value)
    if label:
        value = value[: label.start()]
    date = P.DATE.search(value)
    if date:
        value = value[: date.start()]
    # A bracket ends the credit: "(摘编自:甲、乙)" closes it, "内蒙古日报(记者 张三)"
    # opens a note about the reporter. Title marks belong to the name: "人民网-《人民日报》".
    value = P.URL.sub(" ", re.split(r"[()（）【】\[\]]", value, maxsplit=1)[0])
    names = (_trim_name(part) for part in P.SOURCE_SPLIT.split(value))
    return [name for name in names if name and not P.DOMAIN.match(name)]


def _trim_name(part: str) -> str:
    """A credited name without edge punctuation, widget words run on after it
    ("新华社举报"), or a title mark left open by the trim."""
    name = P.TRAILING_WIDGET_WORDS.sub("", part.strip(P.SOURCE_TRIM)).strip(P.SOURCE_TRIM)
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
    rest = P.BYLINE_LABELS.sub(" ", rest)
    words = [w for w in (_trim_name(x) for x in rest.split()) if w]
    if len(words) != 1:
        return None
    word = words[0]
    if not 2 <= len(word) <= P.MAX_SITE_CHARS or not P.OUTLET_END.search(word):
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


def sources(page: Layout, sel: Selection) -> tuple[str, ...]:
    for i in _source_lines(page, sel):
        found = parse_sources(page.lines[i].text)
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
    for i in range(sel.end, min(len(page.lines), sel.end + P.TRAILING_CREDIT_LINES)):
        if P.SOURCE_CUE.search(page.lines[i].text):
            found = parse_sources(page.lines[i].text)
            if found:
                return found
    for paragraph in sel.paragraphs[: P.REPORTER_PARAGRAPHS]:
        opener = P.REPORTER_OF.match(paragraph)
        outlet = opener["outlet"] if opener else ""
        if outlet and P.OUTLET_END.search(outlet) and not P.SELF_REFERENCE.match(outlet):
            return (outlet,)
    return ()


# --- title ------------------------------------------------------------------------------


def split_title_tag(title: str) -> tuple[str, str | None]:
    """Split "Article_Site" into ("Article", "Site"); keep titles that only look split.

    "_" and " - " always mark a suffix; " | " only when the last part names a site
    (ends in 网/厅/日报...), since headlines use " | " themselves.
    """
    title = squeeze(title)
    for sep in P.TITLE_SUFFIX_SEPS:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        core, suffix = parts[0], parts[-1]
        if sep.strip() in P.TITLE_SEPS_NEEDING_SITE_WORD:
            core = sep.join(parts[:-1])
            if not _SITE_WORD.search(suffix):
                continue
        if len(core) >= P.MIN_TITLE_CHARS and 2 <= len(suffix) <= P.MAX_SITE_CHARS:
            return core, suffix
    return title, None


def title_from_lines(page: Layout, sel: Selection) -> str | None:
    """The page's headline, by the first of these that finds one:

    a "标题:" row of a document information table; the heading line just above the byline
    (or above the body when there is none), skipping other table rows; a headline-length
    line between the byline and the body (documents put the heading under the table).
    """
    for i in range(sel.start - 1, max(-1, sel.start - 30), -1):
        field = P.TITLE_FIELD.match(page.lines[i].text)
        if field and good_title(field["title"].strip()):
            return field["title"].strip()
    if sel.head is not None and sel.head.title is not None:
        if P.DOC_NOTE.match(page.lines[sel.head.date].text):
            return "".join(page.lines[i].text for i in headline_lines(page, sel.head.title))
        return page.lines[sel.head.title].text
    anchor = sel.dateline if sel.dateline is not None else sel.start
    seen = 0
    found: list[str] = []
    for i in range(anchor - 1, -1, -1):
        kind, line = page.kinds[i], page.lines[i]
        if kind in _SKIPABOVE_TITLE or (kind == DATELINE and P.FIELD_ROW.match(line.text)):
            continue
        if kind in ABOVE_TITLE:
            break  # past the headline into the menus
        if P.SUBTITLE.match(line.text):
            continue
        if kind in TITLE_KINDS and good_title(line.text) and not line.bullet:
            if sel.dateline is not None:
                return line.text
            # Without a byline to stand on, the lines over the body may be an ad label or
            # a column name as well as the headline: the headline is the longest of them.
            found.append(line.text)
        seen += 1
        if seen >= 2:
            break
    if found:
        return max(found, key=len)
    if sel.dateline is not None:
        for i in range(sel.dateline + 1, sel.start):
            kind, line = page.kinds[i], page.lines[i]
            if kind in TITLE_KINDS and len(line.text) >= P.MIN_BELOW_TITLE_CHARS:
                if good_title(line.text):
                    return line.text
    return None


def headline_lines(page: Layout, last: int) -> range:
    """The lines of a headline that ends at line `last`: a text dump prints a document's
    long title centred over two or three lines with no blank line between them (only
    asked of titles over an adoption note, where a kicker or subtitle never stands)."""
    first = last
    while (
        first > 0
        and last - first < P.MAX_HEADLINE_LINES - 1
        and page.kinds[first - 1] == SHORT
        and page.hints is None
        and sum(len(page.lines[i].text) for i in range(first - 1, last + 1)) <= P.MAX_TITLE_CHARS
    ):
        first -= 1
    return range(first, last + 1)


def _same_headline(heading: str, core: str) -> bool:
    """Whether a heading is the headline <title> names, not the site's logo heading."""
    return bool(core) and (core in heading or (heading in core and 2 * len(heading) >= len(core)))


def title_from_html(page: Layout, sel: Selection) -> str | None:
    """Headings confirmed by <title>, then og:title, then the byline's heading, then
    <title> without its site suffix, then the first heading."""
    hints = page.hints
    if hints is None:
        return None
    core, _ = split_title_tag(hints.title_tag)
    head = sel.head.title if sel.head is not None else None
    if head is not None:
        # The line over the dated byline is the headline when the page marks it up as a
        # heading or its <title> names it: a heading elsewhere may be the section's.
        line = page.lines[head]
        # Of the headline and the line or two over it (a kicker, when the headline
        # found is a subtitle), the one <title> names.
        if _same_headline(line.text, core):
            return line.text
        for i in range(head - 1, max(-1, head - P.MAX_HEADLINE_LINES), -1):
            text = page.lines[i].text
            # Only a line that is <title>'s headline counts here, not one that merely
            # holds a short generic <title> ("新闻动态") as part of a menu.
            if good_title(text) and core and text in core and 2 * len(text) >= len(core):
                return text
        if line.heading:
            return line.text
        # A headline the page breaks over lines, which <title> holds whole.
        flat = P.SPACES.sub("", core)
        for first in range(head, max(-1, head - P.MAX_HEADLINE_LINES), -1):
            joined = "".join(P.SPACES.sub("", x.text) for x in page.lines[first : head + 1])
            if flat and joined == flat:
                return core
    for heading in hints.headings:
        if good_title(heading) and _same_headline(heading, core):
            return heading
    if hints.og_title:
        og_core, _ = split_title_tag(hints.og_title)
        if good_title(og_core):
            return og_core
    from_lines = title_from_lines(page, sel)
    if from_lines:
        return from_lines
    if good_title(core):
        return core
    return next((h for h in hints.headings if good_title(h)), None)


def infer_title(paragraphs: tuple[str, ...]) -> str:
    """A short title from the body's opening words, for pages that carry none.

    The first clause, extended by the next ones while it is too short to say anything
    ("3月20日," alone is not a title), cut to a headline's length.
    """
    first = paragraphs[0].strip() if paragraphs else ""
    end = len(first)
    for match in P.CLAUSE_END.finditer(first):
        if len(first[: match.start()].strip()) >= P.MIN_INFERRED_TITLE_CHARS:
            end = match.start()
            break
    return first[:end].strip().rstrip("。！？!?；;，,：:")[: P.MAX_INFERRED_TITLE_CHARS]


# --- site -------------------------------------------------------------------------------


def clean_site(name: str) -> str | None:
    """A site name or None when the text is not one (a licence number, a URL, a year, a
    notice); company and publisher suffixes, slogans and "主办方"-style tails removed.

    "网易公司" -> "网易", "财经网 - CAIJING.COM.CN" -> "财经网", "半月谈杂志社" -> "半月谈",
    "本网站由南方新闻网" -> "南方新闻网".
    """
    name = P.PLACEHOLDER.sub("", name).strip(P.SOURCE_TRIM + "©")
    name = P.SITE_AFFIXES.sub("", name).strip(P.SOURCE_TRIM)
    parts = [p for p in P.SITE_PART_SPLIT.split(name) if p and has_han(p)]
    if parts:
        name = max(parts, key=len) if P.SITE_PREFIX_DOT.search(name) else parts[0]
    name = P.SITE_COMPANY.sub("", name) or name
    if not name or P.SITE_JUNK.match(name) or _SITE_REJECT.search(name):
        return None
    if P.NOTICE.search(name) or P.NOT_A_SITE.search(name) or not has_han(name):
        return None
    if not 2 <= len(name) <= P.MAX_SITE_CHARS:
        return None
    return name


def breadcrumb_root(page: Layout, sel: Selection) -> str | None:
    """The portal a breadcrumb starts from ("新华网 > 时政 > 正文"), above the body."""
    for i in range(min(sel.start, len(page.lines))):
        match = P.CRUMB_ROOT.match(page.lines[i].text)
        if match and P.OUTLET_END.search(match["name"]):
            name = clean_site(match["name"])
            if name:
                return name
    return None


def with_portal_suffix(page: Layout, name: str) -> str:
    """The portal's own name when the page calls it that: a footer's "凤凰" (from
    "凤凰新媒体") is "凤凰网" where the page says "凤凰网" anywhere."""
    if P.OUTLET_END.search(name):
        return name
    for wanted in (name + "网", name + "網"):
        if any(wanted in line.text for line in page.lines):
            return wanted
    return name


def site_from_branding(page: Layout, sel: Selection) -> str | None:
    """The portal's name from 版权所有 / 主办单位 / 运营机构 lines outside the body.

    Cue order beats line order: a 版权所有 line anywhere outranks a 主办单位 line.
    """
    outside = [*range(sel.end, len(page.lines)), *range(0, sel.start)]
    for cue in P.SITE_CUES:
        for i in outside:
            for match in cue.finditer(page.lines[i].text):
                name = clean_site(match["name"])
                if name:
                    return header_name(page, name) or portal_of(name)
    return None


def portal_of(name: str) -> str:
    """The portal an office runs: "XX市人民政府办公室" -> "XX市人民政府"."""
    office = P.OFFICE_OF.match(name)
    return office["portal"] if office else name


def header_name(page: Layout, branded: str) -> str | None:
    """The portal's name in the page header when the footer names its office.

    Footers credit the organising office ("XX市人民政府办公室主办") while the header shows
    the portal ("XX市人民政府"); a header word that the footer name extends is the site.
    """
    top = [line.text for line in page.lines if line.text][: P.HEADER_LINES]
    for word in (w for text in top for w in text.split()):
        if len(word) >= P.MIN_TITLE_CHARS and branded.startswith(word) and word != branded:
            return word
    return None


def account_line(page: Layout, sel: Selection) -> str | None:
    """A WeChat-style account name: named on the byline after 原创, or a short
    unpunctuated line between byline and body."""
    if sel.dateline is None:
        return None
    byline = P.ACCOUNT_BYLINE.match(page.lines[sel.dateline].text)
    if byline and clean_site(byline["name"]):
        return clean_site(byline["name"])
    # The account's name stands right under the byline.
    after = next((i for i in range(sel.dateline + 1, sel.start) if page.lines[i].text), None)
    if after is not None and page.kinds[after] == SHORT:
        text = page.lines[after].text
        if 2 <= prose_chars(text) <= P.MAX_ACCOUNT_CHARS and not P.WIDGET.search(text):
            return clean_site(text)
    return None


def site(page: Layout, sel: Selection, credited: tuple[str, ...]) -> str | None:
    """The serving portal: meta tags (the account, on platform pages), the <title> suffix,
    footer branding, the account name on a WeChat-style byline, and last the first
    credited outlet."""
    hints = page.hints
    if hints and hints.site_name.lower() in P.PLATFORM_SITES:
        account = clean_site(hints.account) or account_line(page, sel)
        if account:
            return account
    named = [clean_site(hints.site_name)] if hints and hints.site_name else []
    if hints and hints.title_tag:
        _, suffix = split_title_tag(P.TITLE_DOMAIN_TAIL.sub("", hints.title_tag))
        named.append(clean_site(suffix) if suffix else None)
    named += [breadcrumb_root(page, sel), site_from_branding(page, sel)]
    found = [n for n in named if n]
    # A portal's name says it is one (…网, …站): a bare channel word ("资讯") from a meta
    # tag gives way to a later name that does.
    best = next((n for n in found if P.PORTAL_END.search(n)), found[0] if found else None)
    if best is None:
        best = account_line(page, sel) or next(
            (c for c in (clean_site(x) for x in credited) if c), None
        )
    return short_portal_name(page, with_portal_suffix(page, best)) if best else None


def short_portal_name(page: Layout, name: str) -> str:
    """The portal's own name when its branding adds the operator's descriptor:
    "长江互动传媒网" is "长江网" where the page also calls itself "长江网"."""
    match = P.PORTAL_DESCRIPTOR.match(name)
    if not match:
        return name
    short = match["stem"] + match["end"]
    return short if any(short in line.text for line in page.lines) else name


def unglued_sources(credited: tuple[str, ...], site_name: str | None) -> tuple[str, ...]:
    """Credited outlets without the site's own name run on after them: a dump prints the
    source's link and the portal's logo text as one word ("人民日报海外版中国青年网")."""
    if not site_name:
        return credited
    out = []
    for name in credited:
        rest = name[: -len(site_name)] if name.endswith(site_name) else ""
        out.append(rest if len(rest) >= P.MIN_GLUED_OUTLET_CHARS and has_han(rest, 2) else name)
    return tuple(out)


# --- all --------------------------------------------------------------------------------


def extract(page: Layout, sel: Selection) -> Metadata:
    """All metadata for a page whose body has been selected."""
    found_title = title_from_html(page, sel) if page.hints else title_from_lines(page, sel)
    credited = sources(page, sel)
    site_name = site(page, sel, credited)
    return Metadata(
        title=found_title or infer_title(sel.paragraphs),
        title_inferred=found_title is None,
        published=published(page, sel),
        sources=unglued_sources(credited, site_name),
        site=site_name,
    )
