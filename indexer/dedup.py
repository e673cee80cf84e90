"""In-page duplicates: a block of paragraphs the page renders more than once.

Portals render one article twice (a normal and an "elderly-friendly" version, a print
view, a mobile copy). The copies are the same paragraphs in the same order; comparing
their folded forms (width, script and spacing ignored) finds them, and the first copy is
kept. Grouping the same story across pages is a different job (indexer/groups.py).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from indexer.normalize import fold
from indexer.patterns import MIN_REPEAT_CHARS

_WHITESPACE = re.compile(r"\s+")


def paragraph_key(text: str) -> str:
    """What two copies of a paragraph share: the folded text without whitespace."""
    return _WHITESPACE.sub("", fold(text))


def collapse_repeats(paragraphs: Sequence[str], min_chars: int = MIN_REPEAT_CHARS) -> list[str]:
    """Drop every later copy of a run of paragraphs that already appeared, keeping order.

    At each position the longest run that repeats an earlier, non-overlapping run is
    found; when that run holds at least `min_chars` folded characters it is dropped.
    Short lone repeats ("一、", a repeated subheading) stay, because a body may use them
    legitimately.
    """
    keys = [paragraph_key(p) for p in paragraphs]
    seen: dict[str, list[int]] = defaultdict(list)
    kept: list[str] = []
    j = 0
    while j < len(keys):
        run = _longest_earlier_run(keys, seen[keys[j]], j)
        if run and sum(len(k) for k in keys[j : j + run]) >= min_chars:
            for k in range(j, j + run):
                seen[keys[k]].append(k)
            j += run
            continue
        seen[keys[j]].append(j)
        if keys[j]:
            kept.append(paragraphs[j])
        j += 1
    return kept


def _longest_earlier_run(keys: list[str], earlier: list[int], j: int) -> int:
    """Length of the longest run starting at j that copies a run starting before j."""
    best = 0
    for i in earlier:
        length = 0
        while j + length < len(keys) and i + length < j and keys[i + length] == keys[j + length]:
            length += 1
        best = max(best, length)
    return best


def drop_title_echo(paragraphs: Sequence[str], title: str) -> list[str]:
    """Drop body lines that only repeat the headline.

    A page that renders its article twice repeats the headline above the second copy;
    once the copy is collapsed the stray headline would be left inside the body.
    """
    key = paragraph_key(title)
    return [p for p in paragraphs if paragraph_key(p) != key]
