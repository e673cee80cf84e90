"""Related stories for the article view: the stories sharing its most distinctive words.

Part of the read side. An article's distinctive words are its own jieba words (the word
fields' segmentation) weighted as BM25 weighs a term: idf from the index's own statistics
times the word's saturated frequency in the article. A word many articles hold (创新, 发展)
weighs little, a word few others hold (肉苁蓉, 稀土永磁) much, and repeating a word ten
times does not make it ten times as telling; a word no article outside the story holds
relates nothing and is skipped. BM25F over the top
TOP_WORDS words, the same scoring a query gets, ranks every other story; the article's own
story (its copies on other portals) is left out, and each story counts once, shown by its
canonical member.

Measured against MinHash neighbours (Jaccard of 5-character shingles, the signatures the
index keeps for duplicate grouping) on hand-labelled related pairs: tests/eval/related.py.
MinHash finds reworded copies, not stories on the same subject, which share few shingles.

Cost: one segmentation of the article (its first BODY_CHARS characters), an idf lookup per
candidate word (at most CANDIDATE_WORDS), and the postings of TOP_WORDS words, which are
the rarer words by construction; tests/bench/related.py times it at N = 100,000.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.index.analysis import cut
from indexer.normalize import fold
from indexer.read.hits import members
from indexer.read.ranking import bm25

if TYPE_CHECKING:
    from indexer.read.generation import Generation

MAX_RELATED = 5
TOP_WORDS = 12
CANDIDATE_WORDS = 60  # most frequent words of the article whose idf is looked up
BODY_CHARS = 5_000  # of a long body only the start is read: cost bounded by the page
MIN_WORD_CHARS = 2  # one-character words (区, 新) say nothing about a subject
TITLE_WEIGHT = 3.0  # a word of the title counts as this many body occurrences
FIELDS = ("title", "body")
K1 = 1.2  # BM25's term-frequency saturation, as the searcher scores


def _word_counts(title: str, body: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (body[:BODY_CHARS], 1.0)):
        for word, _pos, _start, _end in cut(fold(text)):
            if len(word) >= MIN_WORD_CHARS and not word.isdigit():  # 2024 names no subject
                counts[word] += weight
    return counts


def distinctive_words(gen: Generation, title: str, body: str, own: int = 1) -> list[str]:
    """The article's TOP_WORDS words by BM25 weight: idf from the index times the word's
    saturated frequency in the article (k1 = 1.2: the tenth 科技 adds little), among the
    words some article outside its own story (`own` documents) also holds."""
    counts = _word_counts(title, body)
    searcher = gen.searcher
    docs = searcher.doc_count_all()
    scored = []
    for word, tf in counts.most_common(CANDIDATE_WORDS):
        df = searcher.doc_frequency("body", word)  # one lookup per word: the costly part
        if df <= own:
            continue  # only this story holds it: it relates nothing
        idf = math.log(docs / (df + 1)) + 1  # Whoosh's idf, as ranking.bm25 uses it
        scored.append((idf * tf * (K1 + 1) / (tf + K1), word))
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [word for _, word in scored[:TOP_WORDS]]


def related_docnums(
    gen: Generation, docnum: int, stored: dict[str, Any], limit: int = MAX_RELATED
) -> list[int]:
    """Up to `limit` other stories, best first, each as its canonical live member."""
    cols = gen.columns
    own = max(len(members(cols, docnum)), 1)
    words = distinctive_words(gen, stored.get("title", ""), stored.get("body", ""), own)
    if not words:
        return []
    others = np.flatnonzero(cols.live & (cols.group_of != cols.group_of[docnum]))
    scores = bm25(gen, [(f, w) for w in words for f in FIELDS], others)
    scored = scores > 0
    candidates, scores = others[scored], scores[scored]
    if not len(candidates):
        return []
    order = candidates[np.lexsort((candidates, -scores))]
    _, first = np.unique(cols.group_of[order], return_index=True)
    out = []
    for d in order[np.sort(first)][:limit].tolist():
        story = members(cols, d)
        out.append(story[0] if story and cols.canonical[story[0]] else int(d))
    return out


def with_related(gen: Generation, record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The article record with its `related` stories (id, title, published, site)."""
    if record is None:
        return None
    docnum = gen.docnum_of(record["id"])
    found = related_docnums(gen, docnum, record) if docnum is not None else []
    record["related"] = [_story(gen.stored(d)) for d in found]
    return record


def _story(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": doc["id"],
        "title": doc.get("title", ""),
        "published": doc.get("published") or None,
        "site": doc.get("site") or None,
    }
