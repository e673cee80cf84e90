"""In-page duplicates: a block of paragraphs the page renders more than once.

Portals render one article twice (a normal and an "elderly-friendly" version, a print
view, a mobile copy). The copies are the same paragraphs in the same order; comparing
their folded forms (width, script and spacing ignored) finds them, and the first copy is
kept. Grouping the same story across pages is a different job (indexer/write/stories.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from indexer.extract.budget import Budget
from indexer.extract.patterns import MIN_REPEAT_CHARS
from indexer.normalize import fold

_WHITESPACE = re.compile(r"\s+")


def paragraph_key(text: str) -> str:
    """What two copies of a paragraph share: the folded text without whitespace."""
    return _WHITESPACE.sub("", fold(text))


def collapse_repeats(
    paragraphs: Sequence[str],
    min_chars: int = MIN_REPEAT_CHARS,
    budget: Budget | None = None,
) -> list[str]:
    """Drop every later copy of a run of paragraphs that already appeared, keeping order.

    At each position the longest run that repeats an earlier, non-overlapping run is
    found; when that run holds at least `min_chars` folded characters it is dropped.
    Short lone repeats ("一、", a repeated subheading) stay, because a body may use them
    legitimately.

    "Longest earlier non-overlapping run" is the longest prefix of keys[j:] that occurs
    inside keys[:j], so a suffix automaton of keys[:j], grown one paragraph at a time,
    answers it by walking its transitions: linear in the paragraphs overall, where
    comparing against every earlier copy was quadratic (20,000 equal lines took 22 s).
    `budget`, when given, is charged one step per paragraph compared or added.
    """
    keys = [paragraph_key(p) for p in paragraphs]
    seen = _Automaton()
    kept: list[str] = []
    j = 0
    while j < len(keys):
        run = seen.longest_prefix(keys, j, budget)
        if run and sum(len(k) for k in keys[j : j + run]) >= min_chars:
            for k in keys[j : j + run]:
                seen.append(k)
            _charge(budget, run)
            j += run
            continue
        seen.append(keys[j])
        _charge(budget, 1)
        if keys[j]:
            kept.append(paragraphs[j])
        j += 1
    return kept


def _charge(budget: Budget | None, steps: int) -> None:
    if budget is not None:
        budget.spend(steps)


class _Automaton:
    """Suffix automaton over a growing sequence of paragraph keys (each key one symbol).

    States are parallel lists (length of the longest string, suffix link, transitions);
    `append` is the classic online construction, amortised O(1) per symbol.
    """

    def __init__(self) -> None:
        self.length: list[int] = [0]
        self.link: list[int] = [-1]
        self.next: list[dict[str, int]] = [{}]
        self.last = 0

    def _new_state(self, length: int, link: int, nxt: dict[str, int]) -> int:
        self.length.append(length)
        self.link.append(link)
        self.next.append(nxt)
        return len(self.length) - 1

    def append(self, key: str) -> None:
        cur = self._new_state(self.length[self.last] + 1, 0, {})
        p = self.last
        while p != -1 and key not in self.next[p]:
            self.next[p][key] = cur
            p = self.link[p]
        if p != -1:
            q = self.next[p][key]
            if self.length[p] + 1 == self.length[q]:
                self.link[cur] = q
            else:
                clone = self._new_state(self.length[p] + 1, self.link[q], dict(self.next[q]))
                while p != -1 and self.next[p].get(key) == q:
                    self.next[p][key] = clone
                    p = self.link[p]
                self.link[q] = self.link[cur] = clone
        self.last = cur

    def longest_prefix(self, keys: list[str], j: int, budget: Budget | None) -> int:
        """Length of the longest run keys[j:j+L] that occurs in the sequence added so far."""
        state, length = 0, 0
        while j + length < len(keys):
            state = self.next[state].get(keys[j + length], -1)
            if state < 0:
                break
            length += 1
        _charge(budget, length)
        return length


def drop_title_echo(paragraphs: Sequence[str], title: str) -> list[str]:
    """Drop body lines that only repeat the headline.

    A page that renders its article twice repeats the headline above the second copy;
    once the copy is collapsed the stray headline would be left inside the body.
    """
    key = paragraph_key(title)
    return [p for p in paragraphs if paragraph_key(p) != key]
