"""The Whoosh analyzer of the word fields: jieba words for ranking.

Folds inside the tokenizer (normalize.fold_with_offsets) and reports `startchar`/`endchar`
in the *display* text it was given, so highlights land on the reader's characters.

Word field: jieba (the rjieba binding: same dictionary and algorithm as jieba, compiled)
in search mode with the HMM off, so index and query cut text identically and new words are
never guessed differently on either side. Positions count the words of the default cut;
the shorter dictionary words that search mode adds inside a long word share its position,
so phrase positions stay consistent.

Recall does not depend on jieba: which articles hold a string verbatim comes from the
character n-gram postings (ngrams.py), over the same folded text.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator
from typing import Any

import rjieba
from whoosh.analysis import Analyzer, Token, Tokenizer

from indexer.index.ngrams import has_significant
from indexer.normalize import display_span, fold_with_offsets


def cut(folded: str) -> list[tuple[str, int, int, int]]:
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
        if has_significant(word):
            pos += 1
    out: list[tuple[str, int, int, int]] = []
    for word, start, end in rjieba.tokenize(folded, mode="search", hmm=False):
        if not has_significant(word):
            continue
        owner = bisect.bisect_right(starts, start) - 1
        out.append((word, pos_of_word[max(owner, 0)], start, end))
    return out


def word_counts(folded: str) -> dict[str, int]:
    """How often each search-mode word of folded text occurs: what WordAnalyzer's tokens
    count to, in one cut (cut() cuts twice, for positions). The writer counts the word
    fields with it, and related stories weigh an article's words with the same counts.

    The word fields keep frequencies, not positions (nothing reads word positions:
    phrases and highlights come from the n-gram postings and the display text), so the
    per-token work is one C-level cut and a Counter; significance is tested once per
    distinct word, as cut() drops words without a letter or digit.
    """
    if not folded:
        return {}
    counts = Counter(rjieba.cut_for_search(folded, False))
    return {w: c for w, c in counts.items() if has_significant(w)}


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
        for word, pos, start, end in cut(folded):
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


def WordAnalyzer() -> Analyzer:  # noqa: N802 - Whoosh's naming convention for analyzers
    return WordTokenizer()
