"""The Whoosh analyzers: jieba words for ranking, character n-grams for guaranteed recall.

Both fold inside the tokenizer (normalize.fold_with_offsets) and report `startchar`/`endchar`
in the *display* text they were given, so highlights land on the reader's characters.

Word field: jieba (the rjieba binding: same dictionary and algorithm as jieba, compiled)
in search mode with the HMM off, so index and query segment identically and new words are
never guessed differently on either side. Positions count the words of the default cut;
the shorter dictionary words that search mode adds inside a long word share its position,
so phrase positions stay consistent.

N-gram fields: the "significant" characters (letters, digits, Han) of the folded text, as
unigrams (no positions: they only answer one-character queries) and as overlapping bigrams
with positions (a phrase of consecutive bigrams matches any run of two or more characters).
Punctuation and spaces are skipped, so a query that spans them still matches.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import Any

import rjieba
from whoosh.analysis import Analyzer, Token, Tokenizer

from indexer.normalize import display_span, fold_with_offsets


def is_significant(ch: str) -> bool:
    """Characters that carry meaning for matching: letters (incl. Han) and digits."""
    return ch.isalnum()


def significant_chars(folded: str) -> list[int]:
    """Indices of the significant characters of a folded string."""
    return [i for i, ch in enumerate(folded) if ch.isalnum()]


def segment(folded: str) -> list[tuple[str, int, int, int]]:
    """Search-mode jieba words of folded text as (word, position, start, end).

    Words without a significant character (punctuation, spaces) are dropped; one-character
    words are kept (Chinese has many: 区, 市, 新).
    """
    if not folded:
        return []
    words = [w for w in rjieba.tokenize(folded, mode="default", hmm=False)]
    starts = [s for _, s, _ in words]
    pos_of_word: list[int] = []
    pos = 0
    for word, _, _ in words:
        pos_of_word.append(pos)
        if any(ch.isalnum() for ch in word):
            pos += 1
    out: list[tuple[str, int, int, int]] = []
    for word, start, end in rjieba.tokenize(folded, mode="search", hmm=False):
        if not any(ch.isalnum() for ch in word):
            continue
        owner = bisect.bisect_right(starts, start) - 1
        out.append((word, pos_of_word[max(owner, 0)], start, end))
    return out


def _whole_value(t: Token, value: str, folded: str, start_pos: int, start_char: int) -> Token:
    """The single token for `tokenize=False`: the whole folded value (Whoosh's contract)."""
    t.original = value
    t.text = folded
    t.boost = 1.0
    t.stopped = False
    if t.positions:
        t.pos = start_pos
    if t.chars:
        t.startchar, t.endchar = start_char, start_char + len(value)
    return t


class WordTokenizer(Tokenizer):
    """Folded jieba words, with positions and display-text character offsets."""

    def __call__(  # noqa: PLR0913 - Whoosh's tokenizer contract
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded, origin = fold_with_offsets(value)
        if not tokenize:
            yield _whole_value(t, value, folded, start_pos, start_char)
            return
        for word, pos, start, end in segment(folded):
            t.text = word
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = word
            if positions:
                t.pos = start_pos + pos
            if chars:
                a, b = display_span(origin, start, end)
                t.startchar, t.endchar = start_char + a, start_char + b
            yield t


class NgramTokenizer(Tokenizer):
    """Unigrams (size=1) or overlapping bigrams (size=2) of the significant characters.

    Bigram i joins significant characters i and i+1 and has position i. A text with a
    single significant character yields that character as its only "bigram", so a
    one-character title still has a term in the bigram field.
    """

    def __init__(self, size: int) -> None:
        if size not in (1, 2):
            raise ValueError("size must be 1 or 2")
        self.size = size

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NgramTokenizer) and other.size == self.size

    def __call__(  # noqa: PLR0913 - Whoosh's tokenizer contract
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        folded, origin = fold_with_offsets(value)
        if not tokenize:
            yield _whole_value(t, value, folded, start_pos, start_char)
            return
        idx = significant_chars(folded)
        if self.size == 2 and len(idx) > 1:
            spans = [(idx[i], idx[i + 1]) for i in range(len(idx) - 1)]
        else:
            spans = [(i, i) for i in idx]
        for pos, (first, last) in enumerate(spans):
            t.text = folded[first] if first == last else folded[first] + folded[last]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                a, _ = display_span(origin, first, first + 1)
                _, b = display_span(origin, last, last + 1)
                t.startchar, t.endchar = start_char + a, start_char + b
            yield t


def query_grams(text: str) -> list[str]:
    """The n-gram terms a literal query string must match, in order.

    One significant character -> [that unigram]; more -> the chain of bigrams, which a
    phrase query over the bigram field matches exactly where the string occurs.
    """
    folded, _ = fold_with_offsets(text)
    chars = [folded[i] for i in significant_chars(folded)]
    if len(chars) <= 1:
        return chars
    return [chars[i] + chars[i + 1] for i in range(len(chars) - 1)]


def WordAnalyzer() -> Analyzer:  # noqa: N802 - Whoosh's naming convention for analyzers
    return WordTokenizer()


def UnigramAnalyzer() -> Analyzer:  # noqa: N802
    return NgramTokenizer(1)


def BigramAnalyzer() -> Analyzer:  # noqa: N802
    return NgramTokenizer(2)
