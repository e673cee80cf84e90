"""Ranking: BM25F relevance over the matched set, or date order; one place per story.

Part of the read side. Relevance is Whoosh's BM25F over the word fields (title boosted
by the schema) plus TITLE_BONUS for a term found verbatim in the title, computed only
over the matched set and cut to the stories a page needs. Matches the word fields miss
(substrings across word boundaries) score only what they have and come after. Newest and
oldest sorts use the date rank (unknown dates last either way).
"""

from __future__ import annotations

from math import log
from typing import TYPE_CHECKING

import numpy as np

from indexer.read.columns import Columns, distinct_sorted
from indexer.read.hits import display_member
from indexer.read.query import Plan, scoring_words

if TYPE_CHECKING:
    from indexer.read.generation import Generation

# Added to the scores of stories matched in a title (they rank first; see rank_relevance).
TITLE_BONUS = 100.0
BM25_B, BM25_K1 = 0.75, 1.2  # Whoosh's BM25F defaults
# Below one document in FEW_DOCS of the index asked for, BM25F scores only their postings.
FEW_DOCS = 8
# How many title matches per story wanted are looked at first to see enough stories.
PEEK_STORIES = 4


Postings = list[tuple[str, list[tuple[np.ndarray, np.ndarray]], float]]


def word_postings(gen: Generation, words: list[tuple[str, str]]) -> Postings:
    """(field, per-segment (global docnums, weights), idf) of each (field, word) pair."""
    cols = gen.columns
    bounds = [*cols.offsets, cols.n]
    out: Postings = []
    for field, word in words:
        found = [_segment_postings(gen, i, field, word, bounds) for i in range(len(bounds) - 1)]
        out.append((field, found, _idf(cols.n, sum(len(ids) for ids, _ in found))))
    return out


def bm25(
    gen: Generation,
    words: list[tuple[str, str]],
    docs: np.ndarray,
    postings: Postings | None = None,
) -> np.ndarray:
    """BM25F scores of the documents `docs` (sorted docnums) for (field, word) pairs, as
    Whoosh computes them (same idf, same quantised lengths, same float operations).

    Each segment's postings come from its word postings arrays (word_postings.py: a
    binary search and two slices of mapped memory per word), kept to `docs` by one
    gather through a mask. A document's score does not depend on which others are asked
    for (the idf counts every posting).
    """
    cols = gen.columns
    scores = np.zeros(len(docs), dtype=np.float64)
    if not len(docs):
        return scores
    postings = postings if postings is not None else word_postings(gen, words)
    if len(docs) * FEW_DOCS >= cols.n:
        # Most documents asked for (a common word's matches): scoring every posting and
        # taking the asked ones after skips the mask, the compress and the gather per
        # posting: 44 -> 26 ms over a million matches, the same scores to the last bit.
        every = np.zeros(cols.n, dtype=np.float64)
        for field, found, idf in postings:
            for ids, tf in found:
                if len(ids):  # a word's documents are distinct: += adds each once
                    every[ids] += term_scores(
                        tf, cols.lengths[field][ids], cols.avg_length[field], idf
                    )
        return every[docs]
    wanted = np.zeros(cols.n, dtype=bool)
    wanted[docs] = True
    # Where each wanted document's score is: one pass here, then a gather per posting
    # (a binary search per posting cost more for a common word's ~100,000 postings).
    slot = np.cumsum(wanted) - 1
    for field, found, idf in postings:
        avg = cols.avg_length[field]
        for ids, tf in found:
            if not len(ids):
                continue
            keep = wanted[ids]
            ids, tf = ids[keep], tf[keep]
            scores[slot[ids]] += term_scores(tf, cols.lengths[field][ids], avg, idf)
    return scores


def score_bound(postings: Postings) -> float:
    """More than any document's BM25F score: a term's score idf·tf·(k1+1)/(tf+norm) stays
    under idf·(k1+1) whatever its frequency, since norm > 0."""
    return sum(idf * (BM25_K1 + 1) for _, _, idf in postings)


def term_scores(tf: np.ndarray, lengths: np.ndarray, avg: float, idf: float) -> np.ndarray:
    """One term's BM25F score in each of its postings (boosted frequency `tf`, the
    documents' field `lengths`, the field's average length), as Whoosh computes it."""
    norm = BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / avg)
    return idf * (tf * (BM25_K1 + 1)) / (tf + norm)


def _idf(doc_count_all: int, doc_frequency: int) -> float:
    """Whoosh's idf (scoring.WeightingModel.idf): deleted documents count, as in Whoosh."""
    return log(doc_count_all / (doc_frequency + 1)) + 1


def _segment_postings(
    gen: Generation, i: int, field: str, word: str, bounds: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """(global docnums, weights) of a word in segment i, deleted documents included (its
    doc frequency, as Whoosh's, is their count)."""
    ids, tf = gen.columns.parts[i].words.postings(field, word)
    return ids + bounds[i], tf


def top_stories(
    docs: np.ndarray, scores: np.ndarray, groups: np.ndarray, needed: int
) -> tuple[np.ndarray, np.ndarray]:
    """The first document of each of the `needed` best stories, best first, and its score.

    Documents (`docs` ascending) are ordered by score (highest first), then docnum; a
    story is placed by its first document in that order. Ordering every match cost three
    sorts of the whole matched set; only a head of the order is sorted here: the k best
    (every document scoring above the k-th best score, then the first of those tying
    with it, by docnum: a prefix of the full order), with k doubled until the head holds
    `needed` stories or every document. Ties are common: every match a substring found
    outside the word fields scores 0, every title match of a word no field holds 100.
    """
    k = max(1, 2 * needed)
    while True:
        if k >= len(docs):
            head = np.arange(len(docs))
        else:
            # The k-th largest as the k-th smallest of the negated scores: numpy's
            # introselect asked for an index near the end of a mass of equal values (most
            # matches scoring 0, a few more) took 180 ms over 900,000 scores, this 9 ms.
            kth = -np.partition(-scores, k - 1)[k - 1]
            above = np.flatnonzero(scores > kth)
            tied = np.flatnonzero(scores == kth)[: k - len(above)]
            head = np.concatenate([above, tied])
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
    words = scoring_words(plan)
    postings = word_postings(gen, words)
    cand = title_matches_suffice(cand, in_title, cols.group_of, needed, score_bound(postings))
    scores = bm25(gen, words, cand, postings) + TITLE_BONUS * in_title[cand]
    best, best_scores = top_stories(cand, scores, cols.group_of[cand], needed)
    return [
        (display_member(cols, int(d), selected), float(score))
        for d, score in zip(best.tolist(), best_scores.tolist(), strict=True)
    ]


def title_matches_suffice(
    cand: np.ndarray, in_title: np.ndarray, groups: np.ndarray, needed: int, bound: float
) -> np.ndarray:
    """The documents that can be among the `needed` best stories: only the title matches
    when they hold that many stories and TITLE_BONUS outweighs any BM25F score (`bound`),
    since every title match then outscores every other match; else all of `cand`. A
    common word matches most of the index, its title matches a fraction: BM25F over them
    alone is what a request saves."""
    if TITLE_BONUS <= bound:
        return cand
    titled = cand[in_title[cand]]
    if len(titled) < needed:
        return cand
    # Enough stories, most often among the first few title matches already: a set of
    # those is cheaper than counting the distinct stories of every title match.
    head = groups[titled[: PEEK_STORIES * needed]]
    if len(set(head.tolist())) >= needed or len(distinct_sorted(groups[titled])) >= needed:
        return titled
    return cand


def rank_by_date(
    cols: Columns, reps: np.ndarray, newest: bool, needed: int | None = None
) -> list[tuple[int, float]]:
    """The first `needed` stories (None: all) by date (unknown last either way), then by
    docnum for a stable order.

    The order is one int64 key per story (unknown, date rank, docnum), so the first
    `needed` are chosen by a partition and only they are sorted: ordering every story
    cost a three-key sort of the whole matched set for a page of ten.
    """
    ranks = cols.date_rank[reps]
    unknown = ranks < 0
    span = len(cols.dates) + 1  # ranks lie in [-1, len(dates))
    primary = (span - 1 - ranks) if newest else ranks + 1  # in [0, span]
    key = (unknown.astype(np.int64) * (span + 1) + primary) * max(cols.n, 1) + reps
    if needed is not None and needed < len(key):
        head = np.argpartition(key, needed - 1)[:needed] if needed > 0 else key[:0]
        order = head[np.argsort(key[head], kind="stable")]
    else:
        order = np.argsort(key, kind="stable")
    return [(int(d), 0.0) for d in reps[order]]
