"""Site templates learnt from the corpus: lines a site prints on many of its pages.

A portal repeats its chrome on every article page: menus, sidebars, promos, disclaimers,
footers, "related" boxes. One page alone cannot always tell such a line from the article
(a promo sentence under the byline reads like prose), but the site's other pages can: a
line that recurs on a large share of one site's pages is template, whatever it looks like
(template detection across pages, after Bar-Yossef & Rajagopalan, "Template detection via
data mining and its applications", WWW 2002, which counts in how many pages each block
occurs).

Here the block is the rendered line: for each site, the number of its pages on which each
(folded, spaceless) line occurs. The site is what single-page extraction calls it, with the
page's format (an HTML page and its text dump render differently), never a named portal.
A site seen on fewer than MIN_SITE_PAGES pages has no template, and its pages fall back to
the single-page rules alone. Only lines that are not the page's own facts or prose can be
template: a byline, a 来源 credit or a long paragraph that recurs is the site's own
reporting on a recurring subject, not chrome.

Everything here is pure: the pipeline applies a template to one page's layout (lines of
the template become walls for the body and cannot be titles), the writer keeps the counts.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from indexer.extract import patterns as P
from indexer.extract.lines import (
    BLANK,
    BYLINE,
    CONTENT,
    CREDIT,
    DATELINE,
    STOP,
    TEMPLATE,
    prose_chars,
)

# Kinds that carry the page's own facts: never template, however often they recur.
_OWN_KINDS = frozenset({BLANK, DATELINE, CREDIT, BYLINE})
# Lines already walls on their own page keep their kind: an editor credit or a footer
# still ends the text under a byline (a template line there is passed over).
_SPACES = re.compile(r"\s+")

# Site key -> the keys of that site's template lines.
Templates = Mapping[str, frozenset[int]]


@functools.cache
def _fold() -> Callable[[str], str]:
    """normalize.fold, imported on first use: building its tables costs 0.2 s, which the
    write side's modules pay on import otherwise, even in an update with nothing to read."""
    return importlib.import_module("indexer.normalize").fold


def line_key(text: str) -> int:
    """A line's identity across pages: its folded text without spaces, hashed to 64 bits
    (width, script and spacing variants of one line are one line)."""
    folded = _SPACES.sub("", _fold()(text))
    return int.from_bytes(hashlib.blake2b(folded.encode("utf-8"), digest_size=8).digest(), "big")


def candidate(text: str, kind: str) -> bool:
    """Whether a line may be template: one that says enough to be told apart (not "[1]"
    or "[    ]", which recur on many pages by chance), not one of the page's own facts
    or a photo's credit, and not a long paragraph (prose that recurs on a site is its
    reporting, and a wall in the middle of an article would cut it in two)."""
    if kind in _OWN_KINDS or not P.TELLING_LINE.search(text) or P.PHOTO_CREDIT_LINE.match(text):
        return False
    return not (kind == CONTENT and prose_chars(text) > P.MAX_TEMPLATE_PROSE_CHARS)


def site_key(kind: str, site: str | None) -> str | None:
    """The template group of a page: its site as extracted, per format; None when the
    page names no site (it is then judged alone)."""
    return f"{kind}:{site}" if site else None


def page_keys(texts: Iterable[str], kinds: Iterable[str]) -> frozenset[int]:
    """The distinct keys of a page's candidate lines: what it adds to its site's counts."""
    return frozenset(
        line_key(text) for text, kind in zip(texts, kinds, strict=True) if candidate(text, kind)
    )


@dataclass
class SiteLines:
    """For one site: how many pages were counted and on how many of them each line is."""

    pages: int = 0
    counts: dict[int, int] = field(default_factory=dict)

    def add(self, keys: Iterable[int]) -> None:
        self.pages += 1
        for key in keys:
            self.counts[key] = self.counts.get(key, 0) + 1

    def remove(self, keys: Iterable[int]) -> None:
        """Take a page out again (it was removed or replaced)."""
        self.pages = max(0, self.pages - 1)
        for key in keys:
            left = self.counts.get(key, 0) - 1
            if left > 0:
                self.counts[key] = left
            else:
                self.counts.pop(key, None)

    def template(self) -> frozenset[int]:
        """Lines on at least TEMPLATE_SHARE of the site's pages (and on two at least);
        nothing for a site seen on fewer than MIN_SITE_PAGES pages."""
        return template_of(self.pages, self.counts)


def template_of(pages: int, counts: Mapping[int, int]) -> frozenset[int]:
    """The template lines of a site with `pages` pages and these per-line page counts."""
    if pages < P.MIN_SITE_PAGES:
        return frozenset()
    need = max(2, P.TEMPLATE_SHARE * pages)
    return frozenset(key for key, n in counts.items() if n >= need)


def learn(pages: Iterable[tuple[str | None, frozenset[int]]]) -> dict[str, frozenset[int]]:
    """Templates of every site from (site key, page keys) pairs: what a build computes
    from its first pass over the corpus."""
    sites: dict[str, SiteLines] = {}
    for key, keys in pages:
        if key is not None:
            sites.setdefault(key, SiteLines()).add(keys)
    return {key: lines.template() for key, lines in sites.items()}


def mark(texts: Iterable[str], kinds: Iterable[str], template: frozenset[int]) -> tuple[str, ...]:
    """The kinds of a page's lines with its site's template lines made TEMPLATE."""
    return tuple(
        TEMPLATE if kind != STOP and candidate(text, kind) and line_key(text) in template else kind
        for text, kind in zip(texts, kinds, strict=True)
    )


def flipped(before: frozenset[int], after: frozenset[int]) -> frozenset[int]:
    """Lines whose template status changed: the pages holding them may extract differently."""
    return before ^ after
