"""Lines: what every page becomes before its body is found, and the kind of each line.

Both page kinds become a list of `Line`s (text_page for dumps, html_page for HTML). Each
line is then classified by the patterns in patterns.py (menu, widget, footer, byline,
credit, prose...) and weighted for the body search in body.py. Nothing here knows the
order of the stages: pipeline.py does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from indexer.extract import patterns as P

# Line kinds.
BLANK = "blank"
STOP = "stop"  # footer, prev/next, editor credit, related-list header: a wall
DATELINE = "dateline"  # the byline with the page's date: the wall above the body
LIST = "list"  # a short bulleted item: menus outside a body, list items inside one
MENU = "menu"  # breadcrumbs and link rows
WIDGET = "widget"  # font size, print, share, QR-code prompts
IMAGE = "image"  # image placeholders and file names
CREDIT = "credit"  # "来源:..." / "(摘编自:...)" lines
BYLINE = "byline"  # an author or reporter field of a byline block ("作者:", "记者 X")
LABEL = "label"  # a bare "附件:" label
FIELD = "field"  # a row of a document's information table (索引号:, 发文字号:)
CONTENT = "content"  # punctuated prose
SHORT = "short"  # short unpunctuated line: subheading, title, account name, menu word
BARE = "bare"  # long unpunctuated line: a row of link words
TEMPLATE = "template"  # a line of the site's template (templates.py): chrome, a wall

# Lines the body may not cross. HTML outside the main block (Line.chrome) is a wall too,
# whatever its kind: the kind still says what the line is (a headline, a byline).
WALLS = frozenset({STOP, DATELINE, TEMPLATE})
# Kinds that may stay in a body when they sit between prose lines.
KEPT_IN_BODY = frozenset({CONTENT, SHORT, BARE, LIST})


@dataclass(frozen=True)
class Line:
    """One line of a page in display form, with what the page's structure says about it."""

    text: str
    bullet: bool = False
    link_ratio: float = 0.0
    chrome: bool = False
    heading: int = 0  # 1..6 for <h1>..<h6>
    outside: bool = False  # HTML outside the page's densest content block


def split_link_tail(line: Line) -> tuple[Line, ...]:
    """A paragraph with a way-out link glued after its last sentence ("…仍将持续。返回
    首页>>"), as two lines: the paragraph, and the link on its own line. Left glued, the
    arrow makes the whole paragraph read as a breadcrumb, or the link reads as prose."""
    match = P.LINK_TAIL.search(line.text)
    if match is None:
        return (line,)
    prose, tail = line.text[: match.start()].rstrip(), match.group(1)
    links = max(0.0, line.link_ratio * len(line.text) - len(tail))
    return (
        replace(line, text=prose, link_ratio=links / len(prose)),
        replace(line, text=tail, link_ratio=1.0, bullet=False),
    )


def join_split_dates(lines: Sequence[Line]) -> list[Line]:
    """Lines with a date printed in pieces on consecutive lines (the year, the month and
    day, maybe the time: "2019" / "09/07" / "19:02") as one line, "2019-09-07 19:02".

    Pages that style each part of a byline's date apart print it so in both formats; no
    piece is a date alone, and read apart the byline has none. One pass, each line looked
    at once or twice."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        year = P.DATE_PIECE_YEAR.match(lines[i].text)
        day = P.DATE_PIECE_DAY.match(lines[i + 1].text) if year and i + 1 < len(lines) else None
        if (
            year is None
            or day is None
            or not (1 <= int(day["m"]) <= 12 and 1 <= int(day["d"]) <= 31)
        ):
            out.append(lines[i])
            i += 1
            continue
        first, text = lines[i], f"{year['y']}-{int(day['m']):02d}-{int(day['d']):02d}"
        i += 2
        if i < len(lines) and P.DATE_PIECE_TIME.match(lines[i].text):
            text, i = f"{text} {lines[i].text}", i + 1
        out.append(replace(first, text=text, bullet=False, link_ratio=0.0))
    return out


def undoubled(line: Line) -> Line:
    """A line that holds one text twice, side by side ("图为会场。（记者摄）图为会场。（记者
    摄）"), as that text once. A text browser prints an image's alt text and then its
    caption, which most pages make the same; read twice, every word of it counts twice.
    A text of fewer than MIN_DOUBLED_CHARS characters may be doubled on purpose ("哈哈")."""
    text = line.text
    for gap in range(P.MAX_DOUBLED_GAP + 1):
        half, odd = divmod(len(text) - gap, 2)
        if odd or half < P.MIN_DOUBLED_CHARS:
            continue
        if (gap == 0 or text[half : half + gap].isspace()) and text[:half] == text[half + gap :]:
            return replace(line, text=text[:half].rstrip())
    return line


def squeeze(text: str) -> str:
    """Collapse runs of whitespace (full-width and no-break spaces too) to one space."""
    return P.SPACES.sub(" ", text).strip()


def trim(text: str) -> str:
    """Strip whitespace (full-width, no-break and zero-width too) from both ends only."""
    return text.strip(P.EDGE_SPACE_CHARS)


def prose_chars(text: str) -> int:
    """Length without spaces: what a line contributes to a body."""
    return len(P.SPACES.sub("", text))


def has_han(text: str, at_least: int = 1) -> bool:
    """Whether a text holds at least this many Chinese characters."""
    return len(P.HAN.findall(text)) >= at_least


def is_placeholder(text: str) -> bool:
    """A line that only holds what a text browser prints for images and form fields
    ("[W020190918]", "[svg]", "[提 交]", "[    ]"): not text of the page."""
    return bool(P.PLACEHOLDERS_ONLY.match(text))


def is_glyph_noise(text: str) -> bool:
    """A short line without a single Chinese character: icons, counters, a font-size
    widget ("T + -"), a player's clock. A Chinese page says nothing in such a line."""
    return len(text) <= P.MAX_NOISE_CHARS and not has_han(text) and not P.DATE.search(text)


_HAN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0"}


def _han_number(text: str) -> str:
    """ "十一" -> "11", "二十三" -> "23", "九" -> "9": a month's or a day's number."""
    if "十" not in text:
        return "".join(_HAN_DIGITS[c] for c in text)
    tens, _, units = text.partition("十")
    return str(int(_HAN_DIGITS.get(tens, "1")) * 10 + int(_HAN_DIGITS.get(units, "0") or 0))


def arabic_dates(text: str) -> str:
    """A date written in Chinese numerals, as documents sign off ("二〇〇九年十一月九日"),
    or month first as localised blogs print it ("十一月 6th, 2009"), rewritten as
    "2009年11月6日" so the date patterns read it; other text is kept."""
    if "月" in text:
        text = P.MONTH_FIRST_DATE.sub(
            lambda m: f"{m[3]}年{m[1] if m[1].isdigit() else _han_number(m[1])}月{m[2]}日", text
        )
    if "年" not in text:
        return text
    return P.HAN_DATE.sub(
        lambda m: (
            f"{''.join(_HAN_DIGITS[c] for c in m[1])}年{_han_number(m[2])}月{_han_number(m[3])}日"
        ),
        text,
    )


def is_reporters_line(text: str) -> bool:
    """A line crediting the article's reporters ("记者 甲 乙 北京报道", "新华社北京3月5日电"):
    short, with a reporter's word or a dispatch ending, and no sentence or quotation."""
    return (
        len(text) <= P.MAX_REPORTER_CREDIT_CHARS
        and bool(P.REPORTER_CREDIT.search(text))
        and not P.NOT_REPORTER_CREDIT.search(text)
    )


def is_names_line(text: str) -> bool:
    """A line of people's names only, spaced apart ("甲乙 丙丁 戊己"): the reporters of a
    byline printed without their title, never a headline."""
    return len(text) <= P.MAX_REPORTER_CREDIT_CHARS and bool(P.NAMES_LINE.match(text))


def is_calendar(text: str) -> bool:
    """A page header's calendar: a date beside its weekday ("2024年3月5日 星期二") and no
    byline cue ("时间：2012年3月5日 星期一" is a byline)."""
    return bool(P.WEEKDAY.search(text)) and not P.DATELINE_CUE.search(text)


def is_dateline(text: str) -> bool:
    """A short line carrying a full date plus byline words (or little else), and no
    sentence: a clause closed by a full stop or a question mark is prose with a date in it.

    A date in Chinese numerals counts only beside a cue ("发布日期：二〇二三年…"): alone on a
    line it is a document's sign-off, which may stand inside a long text."""
    arabic = arabic_dates(text)
    if P.HAN_DATE.search(text) and not P.DATELINE_CUE.search(text):
        return False
    text = arabic
    if len(text) > P.MAX_DATELINE_CHARS or P.NOT_DATELINE.search(text):
        return False
    if is_calendar(text):
        return False
    if P.CLOSED_CLAUSE.search(text):
        return False
    match = P.DATE.search(text)
    if not match:
        if text.endswith("。"):
            return False
        # A platform byline's date without its year ("发布时间：10-08 12:00").
        if P.CUED_SHORT_DATE.search(text):
            return True
        # Or relative to the day ("3小时前 来源：新华社", "昨天 10:20"): a byline only with
        # a byline word or little else beside it.
        relative = P.RELATIVE_DATE.search(text)
        if not relative:
            return False
        rest = text[: relative.start()] + text[relative.end() :]
        return bool(P.DATELINE_CUE.search(text)) or prose_chars(rest) <= P.MAX_DATELINE_REST
    if text.endswith("。"):
        return False
    if P.DATELINE_CUE.search(text):
        return True
    rest = P.PLACEHOLDER.sub("", text[: match.start()] + text[match.end() :])
    return prose_chars(P.BRACKETED_WIDGET.sub("", rest)) <= P.MAX_DATELINE_REST


def undated(text: str) -> str:
    """A line without the date in brackets that may close it ("…工作会议（2008-05-12
    09:30）"): old pages print the headline's date there, and its brackets and clock colon
    are no punctuation of the headline's own."""
    return P.BRACKETED_DATE_END.sub("", text).rstrip()


def is_bare_date(text: str) -> bool:
    """A line that is only a date (and maybe a time): a byline field on its own, or how
    documents sign off ("2024年3月15日")."""
    text = arabic_dates(text)
    match = P.DATE.search(text)
    return bool(match) and prose_chars(text[: match.start()] + text[match.end() :]) == 0


def _is_stop(text: str) -> bool:
    n = len(text)
    return bool(
        P.PREV_NEXT.match(text)
        or (n <= P.MAX_CHROME_CHARS and P.EDITOR.search(text))
        or P.RELATED.match(text)
        or (n <= P.MAX_FOOTER_CHARS and P.FOOTER.search(text))
        or (n <= P.MAX_CHROME_CHARS and P.APP_PROMPT.search(text))
        or (n <= P.MAX_NOTICE_CHARS and P.NOTICE.search(text) and not P.PICTURE_SOURCE.match(text))
    )


def classify(line: Line) -> str:
    """The kind of one line, by the first rule that fits (order matters: walls first)."""
    text = line.text
    if not text:
        return BLANK
    n = len(text)
    if n <= P.MAX_DATELINE_CHARS and P.DOC_NOTE.match(text):
        return DATELINE  # "（2007年6月29日…会议通过）" under a document's title dates it
    # A bulleted date line is a byline only when it says so: news lists put a bare date
    # after each item, bylines a cue ("时间：") or nothing but the date.
    if is_dateline(text) and (not line.bullet or P.DATELINE_CUE.search(text) or is_bare_date(text)):
        return DATELINE
    if n <= P.MAX_CREDIT_CHARS and P.PUBLICATION_NOTE.match(text):
        return DATELINE  # the paper and the day a republished article closes with
    if _is_stop(text):
        return STOP
    if is_placeholder(text):
        return IMAGE
    if P.CRUMB_TAIL.match(text):
        return WIDGET
    if P.SUMMARY_BOX.match(text):
        return WIDGET  # the editors' summary over an article repeats it; not its text
    if n <= P.MAX_PROMO_CHARS and (P.CALL_TO_ACTION.search(text) or P.FOLLOW_PROMPT.search(text)):
        return WIDGET  # a promo: "…评选火热进行中！【点击投票】"
    if P.RELATED_LINK.match(text):
        return WIDGET  # another story's link: never body, but a box inside one goes on
    # A byline's fields may be list items ("• 来源：新华社", "• 作者："): checked first.
    if n <= P.MAX_CREDIT_CHARS and P.CREDIT_LINE.match(text):
        return CREDIT
    if n <= P.MAX_CHROME_CHARS and P.AUTHOR_LINE.match(text):
        return BYLINE
    if line.bullet and not (n >= P.MIN_BULLET_PROSE_CHARS and P.SENTENCE_END.search(text)):
        return LIST
    if line.link_ratio >= P.MENU_LINK_RATIO and not P.SENTENCE_END.search(text):
        return MENU
    if n <= P.MAX_CHROME_CHARS and P.WIDGET.search(text):
        return WIDGET
    if n <= P.MAX_CRUMB_CHARS and (P.FONT_SIZE_BAR.match(text) or P.ACCOUNT_CARD.match(text)):
        return WIDGET
    if n <= P.MAX_CRUMB_CHARS and (P.BREADCRUMB.search(text) or P.LINK_ROW.match(text)):
        return MENU
    if n <= P.MAX_CRUMB_CHARS and P.IMAGE.search(text):
        return IMAGE
    if is_glyph_noise(text):
        return WIDGET
    if n <= P.MAX_DATELINE_CHARS and P.FIELD_ROW.match(text):
        return FIELD
    if P.LABEL.match(text):
        return LABEL
    # A date in brackets closing the line is no clause: the colon of its clock time
    # ("标题 (2008-5-12 9:30)") must not make a headline read as prose.
    if P.PROSE_PUNCT.search(undated(text)):
        return CONTENT
    return BARE if n >= P.LONG_BARE_CHARS else SHORT


def weight(line: Line, kind: str, outside_is_wall: bool = True) -> int:
    """How much a line pulls a body cluster together (prose) or apart (everything else).

    Structural chrome (nav, footer, comment elements) is always a wall; HTML outside the
    densest block is one unless the caller is looking past that block."""
    if kind in WALLS or line.chrome or (outside_is_wall and line.outside):
        return P.WEIGHT_STOP
    if kind == CONTENT:
        # Read without a bracketed date closing it: "甲：乙（2008-05-12 09:30）" is a
        # headline whose bracket, not a clause, closes the line.
        text = undated(line.text)
        if len(text) < P.MAX_HEADLINE_CHARS and (
            not P.PROSE_CLOSE.search(text) or P.ASKING_HEADLINE.match(text)
        ):
            return P.WEIGHT_HEADLINE
        return prose_chars(line.text)
    return {
        SHORT: P.WEIGHT_SHORT,
        BARE: P.WEIGHT_LONG_BARE,
        LIST: P.WEIGHT_MENU,
        MENU: P.WEIGHT_MENU,
        WIDGET: P.WEIGHT_WIDGET,
        LABEL: P.WEIGHT_WIDGET,
        FIELD: P.WEIGHT_WIDGET,
    }.get(kind, 0)
