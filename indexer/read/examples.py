"""Landing-page examples: a few queries that find something, from frequent title words.

Part of the read side. Each segment's most frequent title words are found once (from its
word postings, index/word_postings.py) and kept with the segment's part (segments never
change), then summed: walking the whole title lexicon took 0.7 s at 100,000 articles,
and under live ingest every commit is a new generation whose landing page would have
paid it again.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from indexer.read.generation import Generation

EXAMPLE_COUNT = 6
EXAMPLE_POOL = 200  # frequent title words per segment the examples are picked from


def landing_examples(gen: Generation) -> list[str]:
    """The generation's example queries, computed on first use and kept with it."""
    if gen.examples is None:
        totals: Counter[str] = Counter()
        for part in gen.columns.parts:
            if part.title_top is None:
                part.title_top = [
                    (t, w) for w, t in part.words.most_frequent("title", EXAMPLE_POOL)
                ]
            for term, weight in part.title_top:
                totals[term] += weight
        words = [term for term, _ in totals.most_common(EXAMPLE_POOL)]
        gen.examples = pick_examples(words, EXAMPLE_COUNT)
    return gen.examples


def pick_examples(words_by_frequency: list[str], count: int) -> list[str]:
    """The first `count` Han words of two or more characters, none inside another.

    Search-mode segmentation indexes 高质量 and also 高质 and 质量; offering all three as
    examples shows one idea three times, so a word overlapping a chosen one is passed over.
    """
    chosen: list[str] = []
    for word in words_by_frequency:
        if len(word) < 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in word):
            continue
        if any(word in other or other in word for other in chosen):
            continue
        chosen.append(word)
        if len(chosen) == count:
            break
    return chosen
