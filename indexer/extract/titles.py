"""The article's title: from `<title>` split on its separators, headings and meta tags agreeing
with the head above the body, or the headline lines of a dump; inferred from the first
paragraph only when all of those are silent (and flagged so)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.extract import field_patterns as PF
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
    Line,
    is_bare_date,
    squeeze,
    undated,
)

_SITE_WORD = re.compile(
    r"(?:网|網|网站|網站|门户|門戶|政府|厅|廳|局|委员会|委|报|報|社|台|中心|在线|新闻|频道|"
    r"平台|院|会|會|办|部|馆|館|所)$"
)
_SKIPABOVE_TITLE = frozenset({BLANK, WIDGET, IMAGE, LABEL, CREDIT, FIELD, TEMPLATE})


# --- title ------------------------------------------------------------------------------


def split_title_tag(title: str) -> tuple[str, str | None]:
    """Split "Article_Site" into ("Article", "Site"); keep titles that only look split.

    "_" and " - " always mark a suffix; " | " only when the last part names a site
    (ends in 网/厅/日报...), since headlines use " | " themselves. Of several parts after
    the headline, the site is the last that names one: portals print "Article - Site -
    Channel" as often as "Article_Channel_Site".
    """
    title = squeeze(title)
    for sep in PF.TITLE_SUFFIX_SEPS:
        if sep not in title:
            continue
        parts = [p.strip() for p in title.split(sep)]
        at = site_part(parts)
        if sep.strip() in PF.TITLE_SEPS_NEEDING_SITE_WORD:
            if at is None:
                continue
            core, suffix = sep.join(parts[:at]), parts[at]
        else:
            core, suffix = parts[0], parts[-1 if at is None else at]
        if len(core) >= P.MIN_TITLE_CHARS and 2 <= len(suffix) <= PF.MAX_SITE_CHARS:
            return core, suffix
    return title, None


def site_part(parts: Sequence[str]) -> int | None:
    """Where the site is among a `<title>`'s parts: the last part after the headline that
    ends as a site's name does, None when none does."""
    return next((i for i in range(len(parts) - 1, 0, -1) if _SITE_WORD.search(parts[i])), None)


def title_text(text: str) -> str:
    """A headline line as a dump prints it, without what the browser laid beside it: image
    file names ("[xin_1930609]") and another column of the layout on the same row past a
    wide gap ("学思践悟    中华人民共和国监察法": a menu word beside the headline)."""
    text = undated(PF.FILE_PLACEHOLDER.sub(" ", text))  # "…（2008-05-12）"
    # A boxed cell's edges ("│ 标题 │") are a text browser's drawing, not the headline's.
    parts = [part.strip(P.BOX_EDGE_CHARS) for part in PF.COLUMN_GAP.split(text)]
    parts = [part for part in parts if part]
    titled = [part for part in parts if good_title(part)]
    if len(parts) > 1 and titled:
        return max(titled, key=len)
    return squeeze(parts[0] if len(parts) == 1 else text)


def unlabelled(title: str) -> str:
    """A headline without the platform's label printed apart before it ("原创 标题…"),
    unless the label is all there is."""
    rest = PF.TITLE_LABEL.sub("", title)
    return rest if good_title(rest) else title


def title_from_lines(page: Layout, sel: Selection) -> str | None:
    """The headline of a page read as lines (see _title_line), without what a text
    browser laid beside it on its row."""
    found = _title_line(page, sel)
    return title_text(found) if found else None


def _title_line(page: Layout, sel: Selection) -> str | None:
    """The page's headline, by the first of these that finds one:

    a "标题:" row of a document information table; the heading line just above the byline
    (or above the body when there is none), skipping other table rows; a headline-length
    line between the byline and the body (documents put the heading under the table).
    """
    for i in range(sel.start - 1, max(-1, sel.start - 30), -1):
        field = PF.TITLE_FIELD.match(page.lines[i].text)
        if field and good_title(field["title"].strip()):
            return field["title"].strip()
    if sel.head is not None and sel.head.title is not None:
        if P.DOC_NOTE.match(page.lines[sel.head.date].text):
            return "".join(page.lines[i].text for i in headline_lines(page, sel.head.title))
        return broken_headline(page, sel.head.title)
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
            if kind in TITLE_KINDS and len(line.text) >= PF.MIN_BELOW_TITLE_CHARS:
                if good_title(line.text):
                    return line.text
        return headline_beside_date(page.lines[sel.dateline].text)
    return None


def headline_beside_date(text: str) -> str | None:
    """The headline a table layout prints on its date's row: before a wide gap and the
    date alone ("标题    2008-05-12"), before the date in brackets ("标题（2008-05-12
    09:30）"), or after it ("[2008-05-12] 标题"); when it holds no date, cue or clause of
    its own."""
    parts = [part for part in PF.COLUMN_GAP.split(text.strip()) if part]
    if len(parts) >= 2 and is_bare_date(" ".join(parts[1:])):
        return _headline_alone(parts[0].strip(P.BOX_EDGE_CHARS))
    head = undated(text)
    if head != text.rstrip():
        return _headline_alone(head.strip())
    lead = PF.LEADING_BRACKETED_DATE.match(text)
    return _headline_alone(text[lead.end() :].strip()) if lead else None


def _headline_alone(text: str) -> str | None:
    """`text` when it reads as a headline with no date, cue, clause or label in it."""
    if not good_title(text) or P.DATE.search(text) or P.DATELINE_CUE.search(text):
        return None
    return None if P.PROSE_PUNCT.search(text) or PF.FIELD_LABEL.search(text) else text


def headline_lines(page: Layout, last: int) -> range:
    """The lines of a headline that ends at line `last`: a document's long title is
    printed centred over two or three lines with no blank line between them (only asked
    of titles over an adoption note, where a kicker or subtitle never stands). In HTML
    the lines above must sit in the same part of the page as the last one: a logo or a
    menu word in page chrome right over the headline is not part of it."""
    first = last
    while (
        first > 0
        and last - first < PF.MAX_HEADLINE_LINES - 1
        and page.kinds[first - 1] == SHORT
        and _same_part(page.lines[first - 1], page.lines[last])
        and sum(len(page.lines[i].text) for i in range(first - 1, last + 1)) <= P.MAX_TITLE_CHARS
    ):
        first -= 1
    return range(first, last + 1)


def broken_headline(page: Layout, last: int) -> str:
    """The headline ending at line `last`, with the line right above it when the page
    broke one headline over two lines inside a pair of marks ("关于印发《…科技创新" /
    "若干措施》的通知"): the upper line opens a pair the lower one closes; or the lower
    line is a document title's short tail ending with its kind ("工作要点"). Otherwise the
    line above may be a kicker ("聚焦全国两会"), never joined."""
    text = page.lines[last].text
    if last == 0:
        return text
    above, kind = page.lines[last - 1], page.kinds[last - 1]
    if (
        kind in TITLE_KINDS
        and _same_part(above, page.lines[last])
        and len(above.text) + len(text) <= P.MAX_TITLE_CHARS
        and (
            (
                _unclosed(above.text, PF.HEADLINE_PAIRS)
                and _unclosed(text, [(close, open_) for open_, close in PF.HEADLINE_PAIRS])
            )
            or _kind_tail(above.text, text)
        )
    ):
        return above.text + text
    return text


def _kind_tail(above: str, text: str) -> bool:
    """Whether `text` is the tail of a document's title broken after `above`: short, it
    ends with the document's kind ("工作要点", "的通知"), and `above`, no shorter (a title
    breaks late; a column's name over a short headline, "通知公告", is shorter), closes
    neither a clause nor a title of its own, and is not a portal's name alone."""
    return (
        len(text) <= PF.MAX_DOC_KIND_TAIL_CHARS
        and len(above) >= len(text)
        and bool(PF.DOC_KIND_END.search(text))
        and not PF.DOC_KIND_END.search(above)
        and not PF.HEADER_SITE.search(above)  # the logo's name over a short headline
        and good_title(above)
        and not P.PROSE_PUNCT.search(above[-1:])
        and not P.SENTENCE_END.search(above)
    )


def _unclosed(text: str, pairs: Sequence[tuple[str, str]]) -> bool:
    """Whether `text` holds more of some pair's first mark than of its second."""
    return any(text.count(first) > text.count(second) for first, second in pairs)


def _same_part(above: Line, line: Line) -> bool:
    """Whether two lines sit in the same part of a page: neither in chrome, both inside
    or both outside the main block (always so for a text dump's lines)."""
    return not above.chrome and not line.chrome and above.outside == line.outside


def _same_headline(heading: str, core: str) -> bool:
    """Whether a heading is the headline <title> names, not the site's logo heading."""
    return bool(core) and (core in heading or (heading in core and 2 * len(heading) >= len(core)))


def outranking_heading(page: Layout, head: int) -> str | None:
    """A heading of higher rank right over the heading found as the headline (<h2> over
    <h3>): the page marks the line under the headline as its subtitle, whatever <title>
    says or whether it says anything."""
    rank = page.lines[head].heading
    for i in range(head - 1, max(-1, head - PF.MAX_HEADLINE_LINES), -1):
        line = page.lines[i]
        if (
            line.heading
            and line.heading < rank
            and not line.chrome
            and page.kinds[i] in TITLE_KINDS  # not a crumb such as "首页 - 新闻动态"
            and good_title(line.text)
        ):
            return line.text
    return None


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
        for i in range(head - 1, max(-1, head - PF.MAX_HEADLINE_LINES), -1):
            text = page.lines[i].text
            # Only a line that is <title>'s headline counts here, not one that merely
            # holds a short generic <title> ("新闻动态") as part of a menu.
            if good_title(text) and core and text in core and 2 * len(text) >= len(core):
                return text
        if line.heading:
            return outranking_heading(page, head) or line.text
        # A headline the page breaks over lines, which <title> holds whole.
        flat = P.SPACES.sub("", core)
        for first in range(head, max(-1, head - PF.MAX_HEADLINE_LINES), -1):
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
    for match in PF.CLAUSE_END.finditer(first):
        if len(first[: match.start()].strip()) >= PF.MIN_INFERRED_TITLE_CHARS:
            end = match.start()
            break
    return first[:end].strip().rstrip("。！？!?；;，,：:")[: PF.MAX_INFERRED_TITLE_CHARS]
