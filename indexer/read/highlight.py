"""Snippets and highlighted article bodies from display text and match spans.

Part of the read side: the searcher finds the spans (query.literal_spans, computed on the
folded text and mapped back to display offsets), this module cuts fragments at Chinese
sentence punctuation and renders escaped HTML whose only markup is <mark>…</mark>.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html import escape

# A sentence ends after its punctuation and any closing quotes or brackets that follow it.
SENTENCE_END = re.compile(r"[。！？；!?;\n]+[”’」』）)]*")
FRAGMENT_CHARS = 160  # a snippet's budget of display characters, all fragments together
MAX_FRAGMENTS = 2
# What a body contributes to its snippet: matches are looked for, and sentences cut, in
# its first SNIPPET_SCAN_CHARS characters only. Real articles are a few thousand
# characters long; a page of millions would otherwise be folded and scanned per hit.
SNIPPET_SCAN_CHARS = 20_000
ELLIPSIS = "…"

Span = tuple[int, int]


@dataclass(frozen=True)
class Fragment:
    """A window [start, end) of the text and the match spans inside it (absolute offsets)."""

    start: int
    end: int
    spans: tuple[Span, ...]


def sentences(text: str) -> list[Span]:
    """Sentence windows: each ends after its run of 。！？； (or a line break)."""
    out: list[Span] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if text[start : m.start()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def _strip(text: str, start: int, end: int) -> Span:
    """Shrink a window past leading/trailing whitespace and line breaks."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def snippet_source(body: str) -> str:
    """The part of a body its snippet is made from (see SNIPPET_SCAN_CHARS)."""
    return body[:SNIPPET_SCAN_CHARS]


class _Spans:
    """Match spans sorted by start, with the spans inside a window found by bisection.

    Looking through every span for every sentence cost sentences x matches: 108 s for one
    snippet of a 3,000,000-character paragraph.
    """

    def __init__(self, spans: list[Span] | tuple[Span, ...]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def inside(self, start: int, end: int) -> list[Span]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [(a, b) for a, b in self.spans[lo:hi] if b <= end]


def _fit(text: str, sent: Span, spans: _Spans, budget: int) -> Fragment:
    """A window of at most ~budget characters in a sentence, never cutting a match.

    Starts a little before the sentence's first match when the sentence is too long.
    """
    start, end = _strip(text, *sent)
    inner = spans.inside(start, end)
    if end - start > budget:
        if inner:
            start = max(start, min(inner[0][0] - budget // 4, end - budget))
        end = start + budget
        # Never cut a match in two: stretch the window to its end.
        for a, b in inner:
            if a < end < b:
                end = b
        start, end = _strip(text, start, end)
    return Fragment(start, end, tuple(spans.inside(start, end)))


def ranked_sentences(text: str, sents: list[Span], spans: _Spans) -> list[Span]:
    """The sentences holding a whole match, best first: most distinct matched strings,
    then most matches, then the earliest.

    Only a sentence where a match starts can hold one, so only those are looked at, not
    every sentence of the text (most hold no match).
    """
    starts = [a for a, _ in sents]
    keys: dict[Span, tuple[int, int, int]] = {}
    for k in {bisect.bisect_right(starts, a) - 1 for a, _ in spans.spans} - {-1}:
        inner = spans.inside(*sents[k])
        if inner:
            keys[sents[k]] = (len({text[a:b] for a, b in inner}), len(inner), -sents[k][0])
    return sorted(keys, key=keys.__getitem__, reverse=True)


def fragments(
    text: str,
    spans: list[Span],
    budget: int = FRAGMENT_CHARS,
    limit: int = MAX_FRAGMENTS,
) -> list[Fragment]:
    """One or two fragments around the best matches, in text order.

    The best sentence holds the most distinct matched strings (then the most matches,
    then comes first); a second sentence is added when it shows a matched string the
    first does not, or more matches, and the budget allows. No match: the text's start.
    """
    sents = sentences(text)
    if not sents:
        return []
    index = _Spans(spans)
    if not spans:
        return [_fit(text, sents[0], index, budget)]

    ranked = ranked_sentences(text, sents, index)
    if not ranked:
        return [_fit(text, sents[0], index, budget)]
    chosen = [_fit(text, ranked[0], index, budget)]
    used = chosen[0].end - chosen[0].start
    shown = {text[a:b] for a, b in chosen[0].spans}
    for sent in ranked[1 : 1 + 4 * limit]:
        if len(chosen) >= limit or used >= budget - 20:
            break
        frag = _fit(text, sent, index, budget - used)
        if not frag.spans:
            continue
        new = {text[a:b] for a, b in frag.spans} - shown
        if new or len(shown) == 1:
            chosen.append(frag)
            used += frag.end - frag.start
            shown |= new
    return sorted(chosen, key=lambda f: f.start)


def mark_html(
    text: str, spans: list[Span] | tuple[Span, ...], start: int = 0, end: int | None = None
) -> str:
    """Escaped text[start:end] with <mark> around each span (spans in absolute offsets)."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for a, b in sorted(spans):
        a, b = max(a, start), min(b, end)
        if b <= a or a < pos:
            continue
        out.append(escape(text[pos:a], quote=False))
        out.append("<mark>" + escape(text[a:b], quote=False) + "</mark>")
        pos = b
    out.append(escape(text[pos:end], quote=False))
    return "".join(out)


def snippet_html(
    text: str, spans: list[Span], budget: int = FRAGMENT_CHARS, more: bool = False
) -> str:
    """Escaped snippet: fragments joined by an ellipsis, matches in <mark>.

    `more` says `text` is the start of a longer body (snippet_source), so an ellipsis
    follows even a fragment that reaches its end.
    """
    frags = fragments(text, spans, budget)
    parts: list[str] = []
    for i, frag in enumerate(frags):
        html_text = mark_html(text, frag.spans, frag.start, frag.end)
        if i == 0 and frag.start > 0 and not _at_sentence_start(text, frag.start):
            html_text = ELLIPSIS + html_text
        parts.append(html_text)
    last = frags[-1] if frags else None
    cut = more or (last is not None and last.end < len(text.rstrip()))
    tail = ELLIPSIS if last is not None and cut else ""
    return ELLIPSIS.join(parts) + tail


def _at_sentence_start(text: str, pos: int) -> bool:
    while pos > 0 and text[pos - 1] in " \t\u3000":  # no copy of the text before pos
        pos -= 1
    return pos == 0 or bool(SENTENCE_END.match(text[pos - 1]))


def body_html(body: str, spans: list[Span]) -> str:
    """The body as one <p> per paragraph (lines of `body`), matches in <mark>.

    Spans come from the whole body, so a match that runs across a line break (the index
    skips line breaks too) is marked on both sides of it. Lines and spans are walked
    together, once each (a span may reach over several lines).
    """
    ordered = sorted(spans)
    out: list[str] = []
    pos = 0
    first = 0  # the first span that may still reach the current line
    for line in body.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        while first < len(ordered) and ordered[first][1] <= start:
            first += 1
        if not line.strip():
            continue
        inner = []
        k = first
        while k < len(ordered) and ordered[k][0] < end:
            a, b = ordered[k]
            if b > start:
                inner.append((max(a, start), min(b, end)))
            k += 1
        out.append("<p>" + mark_html(body, inner, start, end) + "</p>")
    return "\n".join(out)
