"""The portal's name: from branding lines, breadcrumbs, headers and `<title>` suffixes, cleaned of
slogans, domains and copyright runs, so a facet lists portals, never headlines or credits."""

from __future__ import annotations

import re

from indexer.extract import field_patterns as PF
from indexer.extract import patterns as P
from indexer.extract.body import Layout, Selection
from indexer.extract.lines import (
    BARE,
    CONTENT,
    SHORT,
    has_han,
    prose_chars,
)
from indexer.extract.titles import split_title_tag

_WORD_KINDS = frozenset({CONTENT, SHORT, BARE})  # lines that carry words
_SITE_REJECT = re.compile(r"ICP|备|號|号|\d{4,}|www\.|https?:|@", re.I)


# --- site -------------------------------------------------------------------------------


def clean_site(name: str) -> str | None:
    """A site name or None when the text is not one (a licence number, a URL, a year, a
    notice); company and publisher suffixes, slogans and "主办方"-style tails removed.

    "网易公司" -> "网易", "财经网 - CAIJING.COM.CN" -> "财经网", "半月谈杂志社" -> "半月谈",
    "本网站由南方新闻网" -> "南方新闻网".
    """
    name = PF.LICENCE_TAIL.sub("", P.PLACEHOLDER.sub("", name))
    name = PF.SITE_NOTE_TAIL.sub("", name).strip(PF.SOURCE_TRIM + "©")
    name = PF.SITE_AFFIXES.sub("", name).strip(PF.SOURCE_TRIM)
    parts = [p for p in PF.SITE_PART_SPLIT.split(name) if p and has_han(p)]
    if parts:
        name = max(parts, key=len) if PF.SITE_PREFIX_DOT.search(name) else parts[0]
        name = PF.SITE_NOTE_TAIL.sub("", name).strip(PF.SITE_PART_TRIM)
    brand = PF.SITE_COMPANY.sub("", name)
    if len(brand) < 2:  # the legal form's pattern took the whole brand
        brand = PF.LEGAL_FORM.sub("", name)
    name = brand if len(brand) >= 2 else name
    if not name or PF.SITE_JUNK.match(name) or _SITE_REJECT.search(name):
        return None
    if P.NOTICE.search(name) or PF.NOT_A_SITE.search(name) or not has_han(name):
        return None
    if not 2 <= len(name) <= PF.MAX_SITE_CHARS:
        return None
    return name


def latin_site(name: str) -> str | None:
    """A site named in Latin letters only ("ZAKER", "TechNode"), without the rights notice
    or legal form after it; None for a domain, a year or a rights word."""
    name = PF.LATIN_SITE_TAIL.sub("", name.strip()).strip(PF.SOURCE_TRIM + "©")
    if not PF.LATIN_SITE.match(name) or PF.DOMAIN.match(name) or PF.SITE_JUNK.match(name):
        return None
    return name


def latin_branding(page: Layout, sel: Selection) -> str | None:
    """A Latin-only site name: the page's site meta tag, its <title> suffix, else the brand
    on a copyright line outside the body. Asked only when no name in Han characters is
    found, since portals print a Latin domain or slogan beside their Chinese name."""
    hints = page.hints
    named = [hints.site_name] if hints and hints.site_name else []
    if hints and hints.title_tag:
        # A Latin suffix names no site word (网, 报), so the title's splitter keeps it.
        named += [
            hints.title_tag.rsplit(sep, 1)[1]
            for sep in PF.TITLE_SUFFIX_SEPS
            if sep in hints.title_tag
        ]
    for name in named:
        found = latin_site(name)
        if found:
            return found
    for i in (*range(sel.end, len(page.lines)), *range(0, sel.start)):
        for match in PF.LATIN_COPYRIGHT.finditer(page.lines[i].text):
            found = latin_site(match["name"])
            if found:
                return found
    return None


def breadcrumb_root(page: Layout, sel: Selection) -> str | None:
    """The portal a breadcrumb starts from ("新华网 > 时政 > 正文"), above the body."""
    for i in range(min(sel.start, len(page.lines))):
        match = PF.CRUMB_ROOT.match(page.lines[i].text)
        if match and PF.OUTLET_END.search(match["name"]):
            name = clean_site(match["name"])
            if name:
                return name
    return None


def with_portal_suffix(page: Layout, name: str) -> str:
    """The portal's own name when the page calls it that: a footer's "凤凰" (from
    "凤凰新媒体") is "凤凰网" where the page says "凤凰网" anywhere."""
    if PF.OUTLET_END.search(name):
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
    for cue in PF.SITE_CUES:
        for i in outside:
            for match in cue.finditer(page.lines[i].text):
                name = clean_site(match["name"])
                if name:
                    return header_name(page, name) or portal_of(name)
    return None


def portal_of(name: str) -> str:
    """The portal an office runs: "XX市人民政府办公室" -> "XX市人民政府"."""
    office = PF.OFFICE_OF.match(name)
    return office["portal"] if office else name


def header_name(page: Layout, branded: str) -> str | None:
    """The portal's name in the page header when the footer names its office.

    Footers credit the organising office ("XX市人民政府办公室主办") while the header shows
    the portal ("XX市人民政府"); a header word that the footer name extends is the site.
    """
    top = [line.text for line in page.lines if line.text][: PF.HEADER_LINES]
    for word in (w for text in top for w in text.split()):
        if len(word) >= P.MIN_TITLE_CHARS and branded.startswith(word) and word != branded:
            return word
    return None


def account_line(page: Layout, sel: Selection) -> str | None:
    """A WeChat-style account name: named on the byline after 原创, or a short
    unpunctuated line between byline and body."""
    if sel.dateline is None:
        return None
    byline = PF.ACCOUNT_BYLINE.match(page.lines[sel.dateline].text)
    if byline and clean_site(byline["name"]):
        return clean_site(byline["name"])
    # The account's name stands right under the byline.
    after = next((i for i in range(sel.dateline + 1, sel.start) if page.lines[i].text), None)
    # A short line followed by more text before the body is the text's own lead-in (a
    # column heading, a first subhead), not an account's name.
    between = range(after + 1, sel.start) if after is not None else range(0)
    if any(page.kinds[i] in _WORD_KINDS for i in between):
        return None
    if after is not None and page.kinds[after] == SHORT:
        text = page.lines[after].text
        if 2 <= prose_chars(text) <= PF.MAX_ACCOUNT_CHARS and not P.WIDGET.search(text):
            return clean_site(text)
    return None


def byline_portal(page: Layout, sel: Selection, credited: tuple[str, ...]) -> str | None:
    """The portal a byline names as its own: the outlet-shaped name it opens with before
    the date ("新华网河北频道 ( 2012-06-04 ) 稿件来源：河北日报"), or a portal credited for
    gathering the text ("来源：新浪科技 酷勤网收集 2009-11-01"); never the credited
    outlet itself."""
    if sel.dateline is None:
        return None
    text = page.lines[sel.dateline].text
    gathered = PF.GATHERED_BY.search(text)
    if gathered and clean_site(gathered["name"]):
        return clean_site(gathered["name"])
    date = P.DATE.search(text)
    opener = PF.BYLINE_PORTAL.match(text[: date.start()]) if date else None
    if not opener or not PF.OUTLET_END.search(opener["name"]) or opener["name"] in credited:
        return None
    if PF.SOURCE_CUE.search(opener["name"]):
        return None  # the credit itself ("来源/新华社"), not a portal of the byline's own
    return clean_site(opener["name"])


def bare_title_site(page: Layout, sel: Selection, title_tag: str) -> str | None:
    """A <title> that is the site's name alone, as old portals print on every page
    ("某某市科学技术局"): short, ending as a portal or a public body does (not as a
    meeting: "…大会" ends many headlines), and not the headline, which a <title> without
    a separator often is."""
    if sel.head is None or sel.head.title is None:
        return None  # no headline to tell the two apart
    if len(title_tag) > PF.MAX_BARE_TITLE_SITE_CHARS or not PF.BARE_TITLE_SITE.search(title_tag):
        return None
    headline = P.SPACES.sub("", page.lines[sel.head.title].text)
    if P.SPACES.sub("", title_tag) in headline:
        return None
    return clean_site(title_tag)


def header_site(page: Layout, sel: Selection) -> str | None:
    """The portal's name a page prints alone as its first line, its logo's text
    ("某某市科学技术局" over the menu), when nothing names the site more plainly: short,
    ending as a portal or a public body does, above the head and not the headline."""
    first = next((i for i, line in enumerate(page.lines) if line.text), None)
    if first is None or page.kinds[first] != SHORT or page.lines[first].chrome:
        return None
    top = sel.head.start if sel.head is not None else sel.start
    if first >= top or (sel.head is not None and sel.head.title == first):
        return None
    text = page.lines[first].text.strip()
    if not P.MIN_TITLE_CHARS <= len(text) <= PF.MAX_BARE_TITLE_SITE_CHARS:
        return None
    return clean_site(text) if PF.HEADER_SITE.search(text) else None


def site(page: Layout, sel: Selection, credited: tuple[str, ...]) -> str | None:
    """The serving portal: meta tags (the account, on platform pages), the <title> suffix,
    footer branding, the account name on a WeChat-style byline, and last the first
    credited outlet."""
    hints = page.hints
    if hints and hints.site_name.lower() in PF.PLATFORM_SITES:
        account = clean_site(hints.account) or account_line(page, sel)
        if account:
            return account
    named = [clean_site(hints.site_name)] if hints and hints.site_name else []
    if hints and hints.title_tag:
        core, suffix = split_title_tag(PF.TITLE_DOMAIN_TAIL.sub("", hints.title_tag))
        named.append(clean_site(suffix) if suffix else bare_title_site(page, sel, core))
    named += [breadcrumb_root(page, sel), site_from_branding(page, sel)]
    found = [n for n in named if n]
    # A portal's name says it is one (…网, …站): a bare channel word ("资讯") from a meta
    # tag gives way to a later name that does.
    best = next((n for n in found if PF.PORTAL_END.search(n)), found[0] if found else None)
    if best is None:
        best = (
            byline_portal(page, sel, credited)
            or account_line(page, sel)
            or latin_branding(page, sel)
            or header_site(page, sel)
            or next((c for c in (clean_site(x) for x in credited) if c), None)
        )
    if best and not has_han(best):
        return best
    return short_portal_name(page, with_portal_suffix(page, best)) if best else None


def short_portal_name(page: Layout, name: str) -> str:
    """The portal's own name when its branding adds the operator's descriptor:
    "长江互动传媒网" is "长江网" where the page also calls itself "长江网"."""
    match = PF.PORTAL_DESCRIPTOR.match(name)
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
        out.append(rest if len(rest) >= PF.MIN_GLUED_OUTLET_CHARS and has_han(rest, 2) else name)
    return tuple(out)
