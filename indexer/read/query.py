"""Query text -> a plan of literal terms, and the jieba words that score them.

Part of the read side (the searcher calls it). The language is small on purpose:

    稀土 新材料          both terms (AND)
    "稀土 新材料"        exactly that run of characters
    稀土 OR 石墨烯       either
    -包头               exclude
    title:突围           only in titles (also title:"科技 突围", -title:x)

Every term, quoted or not, matches as a literal run of significant characters through the
n-gram postings (ngrams.py), so anything that occurs verbatim finds its article;
quotes only let a term hold spaces and operator words. Anything the grammar cannot read (an
unmatched quote, OR at an edge or twice, a lone "-", "title:" with nothing after it) makes
the whole query plain text: its whitespace-separated chunks ANDed, operators included as
literal characters. Parsing never raises.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from indexer.index.analysis import cut
from indexer.index.ngrams import significant, significant_mask
from indexer.normalize import codes_text, display_span, fold, fold_codes

TITLE_PREFIX = "title:"


class _Unparseable(Exception):
    """The query breaks the grammar; the caller falls back to plain text."""


@dataclass(frozen=True)
class Term:
    """One literal the user asked for: `text` as typed, where to look, and whether to exclude."""

    text: str
    title_only: bool = False
    negated: bool = False

    @property
    def literal(self) -> str:
        """The folded significant characters: what the n-gram postings match, in order."""
        return significant(fold(self.text))

    @property
    def searchable(self) -> bool:
        return bool(self.literal)


@dataclass(frozen=True)
class Plan:
    """A parsed query: positive clauses are ANDed, each clause an OR of terms.

    `negated` holds terms whose articles are excluded. `plain` is True when the grammar
    did not apply and the text was read as plain words.
    """

    clauses: tuple[tuple[Term, ...], ...]
    negated: tuple[Term, ...] = ()
    plain: bool = False

    @property
    def positive_terms(self) -> tuple[Term, ...]:
        return tuple(t for clause in self.clauses for t in clause)

    @property
    def is_empty(self) -> bool:
        return not self.clauses and not self.negated


def _chunks(q: str) -> list[str]:
    """Split on whitespace, keeping "…" runs (with any prefix glued to them) as one chunk."""
    out: list[str] = []
    i = 0
    n = len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not q[j].isspace():
            if q[j] == '"':
                close = q.find('"', j + 1)
                if close < 0:
                    raise _Unparseable("unmatched quote")
                j = close + 1
            else:
                j += 1
        out.append(q[i:j])
        i = j
    return out


def _parse_item(chunk: str) -> Term:
    """One chunk -> Term: optional '-', optional 'title:', then a word or one "phrase"."""
    negated = chunk.startswith("-")
    rest = chunk[1:] if negated else chunk
    title_only = rest.lower().startswith(TITLE_PREFIX)
    if title_only:
        rest = rest[len(TITLE_PREFIX) :]
    if '"' in rest:
        if not (rest.startswith('"') and rest.endswith('"') and rest.count('"') == 2):
            raise _Unparseable("quote inside a word")
        rest = rest[1:-1]
    if not rest.strip():
        raise _Unparseable("operator with nothing after it")
    return Term(rest, title_only=title_only, negated=negated)


def _parse_strict(q: str) -> Plan:
    clauses: list[list[Term]] = []
    negated: list[Term] = []
    last: Term | None = None  # the previous item, None at the start or after OR
    pending_or = False
    for chunk in _chunks(q):
        if chunk == "OR":
            if last is None or last.negated:
                raise _Unparseable("OR without a positive term before it")
            pending_or = True
            last = None
            continue
        term = _parse_item(chunk)
        if term.negated:
            if pending_or:
                raise _Unparseable("OR before an exclusion")
            negated.append(term)
        elif pending_or:
            clauses[-1].append(term)
        else:
            clauses.append([term])
        pending_or = False
        last = term
    if pending_or:
        raise _Unparseable("OR at the end")
    return _prune(Plan(tuple(tuple(c) for c in clauses), tuple(negated)))


def _prune(plan: Plan) -> Plan:
    """Drop terms with nothing searchable (only punctuation); drop clauses left empty.

    An OR clause with one unsearchable alternative keeps its other alternatives.
    """
    clauses = tuple(
        kept for clause in plan.clauses if (kept := tuple(t for t in clause if t.searchable))
    )
    negated = tuple(t for t in plan.negated if t.searchable)
    return Plan(clauses, negated, plan.plain)


def plain_plan(q: str) -> Plan:
    """Whitespace-separated chunks ANDed, every character literal."""
    return _prune(Plan(tuple((Term(chunk),) for chunk in q.split()), (), plain=True))


def parse(q: str) -> Plan:
    """Read the query language; fall back to plain text on any slip. Never raises."""
    try:
        return _parse_strict(q)
    except _Unparseable:
        return plain_plan(q)


# --- scoring words -----------------------------------------------------------------------


def term_words(term: Term) -> list[str]:
    """The jieba words of a term, as the word fields index them (folded, search mode)."""
    seen: dict[str, None] = {}
    for word, _, _, _ in cut(fold(term.text)):
        seen.setdefault(word, None)
    return list(seen)


def scoring_words(plan: Plan) -> list[tuple[str, str]]:
    """(field, word) pairs whose BM25F scores order the matches: the terms' jieba words."""
    pairs: dict[tuple[str, str], None] = {}
    for term in plan.positive_terms:
        for word in term_words(term):
            pairs.setdefault(("title", word), None)
            if not term.title_only:
                pairs.setdefault(("body", word), None)
    return list(pairs)


def literal_spans(text: str, terms: tuple[Term, ...]) -> list[tuple[int, int]]:
    """Display-text spans where any term occurs verbatim, as the n-gram fields match it.

    Folds `text` with offsets, keeps its significant characters, finds each term's
    significant characters as a run there (punctuation and spaces between them are
    skipped, as in the index), and maps each run back to the display characters.
    Overlapping spans are merged; the result is sorted. Folding and keeping are array
    operations over the code points (normalize.fold_codes): every hit of every request
    pays them, and per character in Python they were most of a rare word's request.
    """
    needles = [t.literal for t in terms if t.literal]
    if not needles:
        return []
    folded, origin = fold_codes(text)
    # at[k]: the index in the folded text of the k-th significant character.
    at = np.flatnonzero(significant_mask(folded))
    chars = codes_text(folded[at])
    spans: list[tuple[int, int]] = []
    for needle in needles:
        start = chars.find(needle)
        while start >= 0:
            a = int(at[start])
            b = int(at[start + len(needle) - 1]) + 1
            spans.append(display_span(origin, a, b))
            start = chars.find(needle, start + 1)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out
