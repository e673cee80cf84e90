"""Ranking: BM25F relevance over the matched set, or date order; one place per story.

Part of the read side. Relevance is Whoosh's BM25F over the word fields (title boosted
by the schema) plus TITLE_BONUS for a term found verbatim in the title, computed only
over the matched set and cut to the stories a page needs. Matches the word fields miss
(substrings across word boundaries) score only what they have and come after. Newest and
oldest sorts use the date rank (unknown dates last either way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from indexer.read.columns import Columns
from indexer.read.hits import display_member
from indexer.read.postings import term_weights
from indexer.read.query import Plan, scoring_words

if TYPE_CHECKING:
    from indexer.read.generation import Generation

# Added to the scores of stories matched in a title (they rank first; see rank_relevance).
TITLE_BONUS = 100.0
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults


def bm25(gen: Generation, words: list[tuple[str, str]], docs: np.ndarray) -> np.ndarray:
    """BM25F scores of the documents `docs` (sorted docnums) for (field, word) pairs, as
    Whoosh computes them.

    Postings are read a block at a time and scored with numpy: Whoosh's own collector
    calls Python for every posting, which dominates a common word's query time. Only the
    blocks holding one of `docs` are decoded (postings.term_weights), so a rare word's
    few matches do not pay for every posting of a frequent word scored with it.
    """
    cols = gen.columns
    scores = np.zeros(len(docs), dtype=np.float64)
    searcher = gen.searcher
    leaves = searcher.reader().leaf_readers()
    bounds = [*(offset for _, offset in leaves), cols.n]
    local = [
        docs[np.searchsorted(docs, lo) : np.searchsorted(docs, hi)] - lo
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    for field, word in words:
        idf = searcher.idf(field, word)
        avg = cols.avg_length[field]
        for (leaf, offset), within in zip(leaves, local, strict=True):
            ids, tf = term_weights(leaf, field, word, within)
            if not len(ids):
                continue
            ids = ids + offset
            scores[np.searchsorted(docs, ids)] += term_scores(
                tf, cols.lengths[field][ids], avg, idf
            )
    return scores


def term_scores(tf: np.ndarray, lengths: np.ndarray, avg: float, idf: float) -> np.ndarray:
    """One term's BM25F score in each of its postings (boosted frequency `tf`, the
    documents' field `lengths`, the field's average length), as Whoosh computes it."""
    norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / avg)
    return idf * (tf * (BM25_K1 + 1)) / (tf + norm)


def top_stories(
    docs: np.ndarray, scores: np.ndarray, groups: np.ndarray, needed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The first document of each of the `needed` best stories, best first, and its score.

    Documents are ordered by score (highest first), then docnum; a story is placed by its
    first document in that order. Ordering every match cost three sorts of the whole
    matched set; only a head of the order is sorted here: every document scoring at
    least the k-th best score (ties included, so the head is a prefix of the full order),
    with k doubled until the head holds `needed` stories or every document.
    """
    k = max(1, 2 * needed)
    while True:
        if k >= len(docs):
            head = np.arange(len(docs))
        else:
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            head = np.flatnonzero(scores >= kth)
        order = head[np.lexsort((docs[head], -scores[head]))]
        _, first = np.unique(groups[order], return_index=True)
        if len(first) >= needed or len(head) == len(docs):
            first.sort()
            top = order[first[:needed]]
            return docs[top], scores[top]
        k *= 2


def rank_relevance(
    gen: Generation,
    plan: Plan,
    selected: np.ndarray,
    in_title: np.ndarray,
    needed: int,
) -> list[tuple[int, float]]:
    """Top `needed` stories as (display docnum, score).

    Score: BM25F over the word fields (title words boosted by the schema) plus TITLE_BONUS
    for a term found verbatim in the title, so title matches rank first. A story takes its
    best member's score; ties go to the earlier document.
    """
    cand = np.flatnonzero(selected)
    if not len(cand):
        return []
    cols = gen.columns
    scores = bm25(gen, scoring_words(plan), cand) + TITLE_BONUS * in_title[cand]
    best, best_scores = top_stories(cand, scores, cols.group_of[cand], needed)
    return [
        (display_member(cols, int(d), selected), float(score))
        for d, score in zip(best.tolist(), best_scores.tolist(), strict=True)
    ]


def rank_by_date(cols: Columns, reps: np.ndarray, newest: bool) -> list[tuple[int, float]]:
    """Stories by date (unknown last either way), then by docnum for a stable order."""
    ranks = cols.date_rank[reps]
    unknown = ranks < 0
    primary = -ranks if newest else ranks
    order = np.lexsort((reps, primary, unknown))
    return [(int(d), 0.0) for d in reps[order]]
