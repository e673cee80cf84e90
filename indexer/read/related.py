"""Related stories for the article view: the stories sharing its most distinctive words.

Part of the read side. An article's distinctive words are its own jieba words (the word
fields' segmentation) weighted as BM25 weighs a term: idf from the index's own statistics
times the word's saturated frequency in the article. A word many articles hold (创新, 发展)
weighs little, a word few others hold (肉苁蓉, 稀土永磁) much, and repeating a word ten
times does not make it ten times as telling; a word no article outside the story holds
relates nothing and is skipped. BM25F over the top TOP_WORDS words, the same scoring a
query gets, ranks every other story; the article's own story (its copies on other
portals) is left out, and each story counts once, shown by its canonical member.

Measured against MinHash neighbours (Jaccard of 5-character shingles, the signatures the
index keeps for duplicate grouping) on hand-labelled related pairs: tests/eval/related.py.
MinHash finds reworded copies, not stories on the same subject, which share few shingles.

Cost (tests/bench/facts.py times it at N = 100,000), bounded by the page:
  - one cut of the article (its first BODY_CHARS characters), counted as the writer
    counts the word fields (analysis.word_counts: one cut, not cut()'s two);
  - a document frequency per candidate word (at most CANDIDATE_WORDS), kept per
    generation (`_frequencies`): an article's most frequent words are mostly the
    language's common ones, so after a few article views most lookups are a dict hit;
  - the postings of the TOP_WORDS words, rare words by construction, scored straight
    into one array by document number (no restriction to "every other document", which
    cost a binary search per posting over the whole index); rarest first, at most
    POSTINGS_BUDGET body postings in all. Without that bound an article of common words
    read most of the index's postings: 245 ms at N = 100,000 on the bench corpus.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.index.analysis import word_counts
from indexer.normalize import fold
from indexer.read.hits import members
from indexer.read.ranking import BM25_K1, term_scores, top_stories

if TYPE_CHECKING:
    from indexer.read.generation import Generation

MAX_RELATED = 5
TOP_WORDS = 12
CANDIDATE_WORDS = 60  # most frequent words of the article whose idf is looked up
BODY_CHARS = 5_000  # of a long body only the start is read: cost bounded by the page
MIN_WORD_CHARS = 2  # one-character words (区, 新) say nothing about a subject
TITLE_WEIGHT = 3.0  # a word of the title counts as this many body occurrences
FIELDS = ("title", "body")
# Postings of the body field the scoring reads at most, rarest top words first: where
# every top word is common (a corpus of one region's policy news), their postings are
# most of the index, and the rarest of them already decide the ranking.
POSTINGS_BUDGET = 20_000
FREQUENCY_CACHE = 200_000  # words whose document frequency a generation keeps (~20 MB)

# Document frequencies ("body" field) per opened generation, dropped with it.
_frequencies: weakref.WeakKeyDictionary[Generation, dict[str, int]] = weakref.WeakKeyDictionary()
_frequencies_lock = threading.Lock()


def idf(doc_count: int, df: int) -> float:
    """Whoosh's idf, as the searcher's BM25F scores a query's terms."""
    return math.log(doc_count / (df + 1)) + 1


def article_word_counts(title: str, body: str) -> Counter[str]:
    """Occurrences of the article's words of MIN_WORD_CHARS or more (a title word counts
    TITLE_WEIGHT times); numbers (2024) name no subject and are left out."""
    counts: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (body[:BODY_CHARS], 1.0)):
        for word, n in word_counts(fold(text)).items():
            if len(word) >= MIN_WORD_CHARS and not word.isdigit():
                counts[word] += weight * n
    return counts


def doc_frequencies(gen: Generation, words: list[str]) -> list[int]:
    """How many documents of the generation hold each word in their body."""
    with _frequencies_lock:
        known = _frequencies.get(gen)
        if known is None or len(known) > FREQUENCY_CACHE:
            known = _frequencies[gen] = {}
    missing = [w for w in words if w not in known]
    if missing:
        parts = gen.columns.parts
        for word in missing:
            known[word] = sum(p.words.doc_frequency("body", word) for p in parts)
    return [known[w] for w in words]


def distinctive_words(gen: Generation, title: str, body: str, own: int = 1) -> list[str]:
    """The article's TOP_WORDS words by BM25 weight: idf from the index times the word's
    saturated frequency in the article (k1 = 1.2: the tenth 科技 adds little), among the
    words some article outside its own story (`own` documents) also holds."""
    candidates = article_word_counts(title, body).most_common(CANDIDATE_WORDS)
    docs = gen.searcher.doc_count_all()
    frequencies = doc_frequencies(gen, [word for word, _ in candidates])
    scored = [
        (idf(docs, df) * tf * (BM25_K1 + 1) / (tf + BM25_K1), word)
        for (word, tf), df in zip(candidates, frequencies, strict=True)
        if df > own  # only this story holds it: it relates nothing
    ]
    scored.sort(key=lambda s: (-s[0], s[1]))
    return [word for _, word in scored[:TOP_WORDS]]


def within_budget(words: list[str], frequencies: list[int], budget: int) -> list[str]:
    """The rarest words whose document frequencies add up to at most `budget` (the rarest
    one always), in the order given."""
    kept: set[str] = set()
    total = 0
    for df, word in sorted(zip(frequencies, words, strict=True)):
        if kept and total + df > budget:
            break
        kept.add(word)
        total += df
    return [w for w in words if w in kept]


def word_scores(gen: Generation, words: list[str]) -> np.ndarray:
    """BM25F of every document for `words` in the title and body fields (0 where none
    occurs), scored as the searcher scores a query, from each word's whole postings."""
    cols = gen.columns
    doc_count = cols.n
    ids_parts, score_parts = [], []
    for field in FIELDS:
        lengths, avg = cols.lengths[field], cols.avg_length[field]
        for word in words:
            postings = [part.words.postings(field, word) for part in cols.parts]
            df = sum(len(ids) for ids, _ in postings)  # what Whoosh's doc_frequency counts
            if not df:
                continue
            weight = idf(doc_count, df)
            for (ids, tf), offset in zip(postings, cols.offsets, strict=True):
                ids = ids + offset
                ids_parts.append(ids)
                score_parts.append(term_scores(tf, lengths[ids], avg, weight))
    if not ids_parts:
        return np.zeros(cols.n, dtype=np.float64)
    return np.bincount(
        np.concatenate(ids_parts), weights=np.concatenate(score_parts), minlength=cols.n
    )


def related_docnums(
    gen: Generation, docnum: int, stored: dict[str, Any], limit: int = MAX_RELATED
) -> list[int]:
    """Up to `limit` other stories, best first, each as its canonical live member."""
    cols = gen.columns
    own = max(len(members(cols, docnum)), 1)
    words = distinctive_words(gen, stored.get("title", ""), stored.get("body", ""), own)
    if not words:
        return []
    words = within_budget(words, doc_frequencies(gen, words), POSTINGS_BUDGET)
    scores = word_scores(gen, words)
    scores[cols.story(docnum)] = 0  # the article's own story, its dead copies too
    scores[~cols.live] = 0
    candidates = np.flatnonzero(scores > 0)
    if not len(candidates):
        return []
    best, _ = top_stories(candidates, scores[candidates], cols.group_of[candidates], limit)
    out = []
    for d in best.tolist():
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
