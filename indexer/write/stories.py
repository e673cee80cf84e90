"""Stories across pages: one news piece republished on several pages is one story.

Signatures, candidate lookup, grouping, canonical choice. Sits between the pipeline (which
gives clean `Article`s) and the writer (which stores each article's `group` and
`canonical`); a story's other members are its *copies*. Everything here is a pure function
of its inputs, so a full build and an incremental update reach the same groups for the
same set of articles.

Signatures and banding are minhash.py's (a MinHash over the significant characters, 16
bands of 4 slots); this module says what a duplicate is (same content hash, or similar
signatures), finds the candidate pairs a whole corpus holds with numpy, groups them and
chooses each story's canonical member.

Threshold (SIMILAR = 0.5), from the fixtures in tests/fixtures/stories/ and their measured
similarities: the same news piece as a government-portal page and as a news-portal page
(different chrome, half-width punctuation, one paragraph dropped, one sentence reworded)
scores 0.86 on the extracted bodies (0.58 even on the raw pages, chrome included); a
different article on the same topic (稀土, 包头稀土高新区, 科技创新) from the same portal scores
0.02 (0.11 raw). 0.5 sits in the wide gap, so neither a few more edits nor more shared stock
phrases of the beat flip a decision, and it is well inside what the banding below finds.

Canonical member: earliest published date (unknown dates last), then richest metadata
(a title read from the page over an inferred one, more credited sources, a known site),
then path order. The group id is the canonical member's id.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.models import Article
from indexer.write.candidates import PAIR_CHUNK, Keys, candidate_arrays, column_pairs
from indexer.write.candidates import keys as _keys
from indexer.write.minhash import (
    BANDS,
    EMPTY,
    NUM_HASHES,
    band_keys,
    band_keys_many,
    fold_fast,
    signature,
    similarity,
)

SIMILAR = 0.5


@dataclass(frozen=True, slots=True)
class Member:
    """What grouping needs to know about one article (cheap to keep for 100k articles)."""

    id: str
    path: str
    content_hash: str
    signature: bytes  # NUM_HASHES little-endian uint32: see signature()
    published: str | None = None
    title_inferred: bool = False
    n_sources: int = 0
    site: str | None = None


def member_of(article: Article, sig: bytes, path: str | None = None) -> Member:
    """The grouping view of an article and its signature.

    A build keeps one Member per article until it is written, so what repeats is shared:
    the site and the date are interned (a few hundred distinct values among a million
    articles), and `path`, when the caller already holds an equal string (its corpus
    entry's relative path), is that object instead of a copy.
    """
    return Member(
        id=article.id,
        path=path if path == article.path else article.path,
        content_hash=article.content_hash,
        signature=sig,
        published=sys.intern(article.published) if article.published else article.published,
        title_inferred=article.title_inferred,
        n_sources=len(article.sources),
        site=sys.intern(article.site) if article.site else article.site,
    )


def same_story(a: Member, b: Member) -> bool:
    """The duplicate rule: same folded body, or similar enough shingle sets."""
    if a.content_hash and a.content_hash == b.content_hash:
        return True
    return similarity(a.signature, b.signature) >= SIMILAR


def canonical_key(m: Member) -> tuple:
    """Sort key of the canonical rule: smallest key wins (see module docstring)."""
    published = m.published or ""
    return (
        published == "",
        published,
        m.title_inferred,
        -m.n_sources,
        m.site is None or m.site == "",
        m.path,
    )


class UnionFind:
    """Disjoint sets over string ids, with path halving."""

    def __init__(self, items: Iterable[str] = ()) -> None:
        self.parent: dict[str, str] = {}
        for item in items:
            self.parent[item] = item

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def sets(self) -> list[list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for x in self.parent:
            out[self.find(x)].append(x)
        return list(out.values())


def candidate_pairs(members: Sequence[Member]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a content hash or one LSH band key."""
    left, right = candidate_arrays(members)
    return set(zip(left.tolist(), right.tolist(), strict=True))


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where one article belongs: its group id and whether it is the group's canonical."""

    group: str
    canonical: bool


def assign(groups: Iterable[Sequence[Member]]) -> dict[str, Assignment]:
    """Canonical choice for each group: id -> (group id, canonical flag)."""
    out: dict[str, Assignment] = {}
    for members in groups:
        best = min(members, key=canonical_key)
        for m in members:
            out[m.id] = Assignment(group=best.id, canonical=m.id == best.id)
    return out


def group_members(members: Sequence[Member]) -> list[list[Member]]:
    """Connected components of the duplicate relation (checked on LSH candidates only).

    The candidate pairs of each key column are made and judged a chunk at a time
    (column_pairs, then the rule of same_story for the whole chunk with numpy) and the
    accepted ones joined at once: the components are those of all candidate pairs, but
    no list of every pair is ever held. A pair found in several columns is judged again
    each time (a union is idempotent); that costs less than the sort that removed repeats,
    which at 300,000 articles held 81 million pair codes (2.7 GB).
    """
    uf = UnionFind(m.id for m in members)
    if len(members) > 1:
        keyed = _keys(members)
        rule = _rule_arrays(keyed)
        for col in range(keyed.every.shape[1]):
            for left, right in column_pairs(keyed.every[:, col], keyed.valid[:, col]):
                for a, b in zip(*_accepted(rule, left, right), strict=True):
                    uf.union(members[a].id, members[b].id)
    by_id = {m.id: m for m in members}
    return [sorted((by_id[i] for i in s), key=canonical_key) for s in uf.sets()]


# Signatures, their low bytes, empty bodies, hash codes: what same_story reads, as arrays.
Rule = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _rule_arrays(keyed: Keys) -> Rule:
    """What same_story reads of every member, as arrays, from its candidate keys:
    signatures (n, NUM_HASHES), their low bytes (the prefilter of _accepted), which
    bodies are empty, and a code per content hash (-1: none)."""
    return keyed.sigs, (keyed.sigs & 0xFF).astype(np.uint8), keyed.empty, keyed.hashes


def _accepted(rule: Rule, a: np.ndarray, b: np.ndarray) -> tuple[list[int], list[int]]:
    """The pairs (a[i], b[i]) that same_story accepts, judged with numpy.

    Equal slots have equal low bytes, so a pair with fewer equal low bytes than the
    threshold has fewer equal slots too, and only the rest are compared in full: the same
    answers from a quarter of the bytes for nearly every pair (unrelated slots share a low
    byte 1 time in 256). Why it matters: the pairs are gathered at random from a table
    larger than the caches, and at 1,000,000 articles a build judges about a billion.
    """
    sigs, low, empty, hashes = rule
    need = SIMILAR * NUM_HASHES
    dup = (hashes[a] == hashes[b]) & (hashes[a] >= 0)
    maybe = ~dup & ~empty[a] & ~empty[b]
    maybe &= np.count_nonzero(low[a] == low[b], axis=1) >= need
    check = np.flatnonzero(maybe)
    if check.size:
        ca, cb = a[check], b[check]
        dup[check[np.count_nonzero(sigs[ca] == sigs[cb], axis=1) >= need]] = True
    hit = np.flatnonzero(dup)
    return a[hit].tolist(), b[hit].tolist()


def _same_story_pairs(
    rule: Rule, left: np.ndarray, right: np.ndarray, chunk: int = PAIR_CHUNK
) -> tuple[list[int], list[int]]:
    """The (left, right) index pairs that same_story accepts, computed in array chunks."""
    keep_l: list[int] = []
    keep_r: list[int] = []
    for start in range(0, left.size, chunk):
        a, b = _accepted(rule, left[start : start + chunk], right[start : start + chunk])
        keep_l.extend(a)
        keep_r.extend(b)
    return keep_l, keep_r


def group_all(members: Sequence[Member]) -> dict[str, Assignment]:
    """Group a whole corpus: id -> Assignment. Deterministic for a given set of members."""
    return assign(group_members(members))


def regroup(
    new: Sequence[Member],
    candidates: Sequence[Member] = (),
    affected_groups: Mapping[str, Sequence[Member]] | None = None,
    group_of: Mapping[str, str] | None = None,
    links: Iterable[tuple[str, str]] | None = None,
) -> dict[str, Assignment]:
    """Recompute only the groups an incremental change touches.

    `new` are arriving (or changed) articles; `candidates` the existing articles sharing
    an LSH band key or the content hash with one of them; `affected_groups` the existing
    groups (id -> members, without removed or changed articles) whose membership may
    change: the groups of candidates and of removed or changed articles; `group_of` maps
    each candidate to its current group. The result covers every new article and every
    member of a group that a new article joins or that lost a member; other articles keep
    their assignment. `links` are story_links(new, candidates) when the caller has
    already computed them (session.py needs them first, to know which groups to load).

    Same edges as group_all over the whole corpus: existing groups are components already,
    so the only new edges are new-existing (checked against the band candidates, all at
    once with numpy) and new-new (banded as in a build); a group that lost a member has its
    own edges recomputed, so it splits if the removed article was a bridge.
    """
    affected = {g: list(ms) for g, ms in (affected_groups or {}).items()}
    group_of = dict(group_of or {})
    uf = UnionFind(m.id for m in new)
    members: dict[str, Member] = {m.id: m for m in new}
    for ms in affected.values():  # edges inside each touched group, recomputed
        members.update((m.id, m) for m in ms)
        uf.parent.update((m.id, m.id) for m in ms if m.id not in uf.parent)
        for i, j in candidate_pairs(ms):
            if same_story(ms[i], ms[j]):
                uf.union(ms[i].id, ms[j].id)
    for i, j in candidate_pairs(new):  # new with new
        if same_story(new[i], new[j]):
            uf.union(new[i].id, new[j].id)
    if links is None:
        links = story_links(new, candidates)
    for a, b in links:  # new with existing
        g = group_of.get(b)
        if g is None or g not in affected:
            continue  # a candidate whose group was not loaded cannot be linked safely
        uf.union(a, b)
    return assign([[members[i] for i in s] for s in uf.sets()])


def story_links(new: Sequence[Member], candidates: Sequence[Member]) -> list[tuple[str, str]]:
    """(new id, candidate id) pairs that are duplicates.

    Each new article is checked against the candidates sharing its content hash or one of
    its band keys: the pairs a full build checks (candidate_pairs), so an update links
    exactly what group_all would. Matching keys is sorted arrays and searchsorted, and all
    pairs are judged at once by _same_story_pairs: on a corpus where common sentences put
    ~200 candidates behind each article, a batch's candidates are most of the corpus.
    """
    if not new or not candidates:
        return []
    members = [*new, *candidates]
    n_new = len(new)
    keyed = _keys(members)
    every, valid = keyed.every, keyed.valid
    owner = np.repeat(np.arange(len(members))[:, None], every.shape[1], axis=1)
    cand_keys, cand_of = every[n_new:][valid[n_new:]], owner[n_new:][valid[n_new:]]
    order = np.argsort(cand_keys, kind="stable")
    cand_sorted, cand_idx = cand_keys[order], cand_of[order]
    new_keys, new_of = every[:n_new][valid[:n_new]], owner[:n_new][valid[:n_new]]
    lo = np.searchsorted(cand_sorted, new_keys, side="left")
    hi = np.searchsorted(cand_sorted, new_keys, side="right")
    counts = hi - lo
    if not counts.sum():
        return []
    left = np.repeat(new_of, counts)
    starts = np.repeat(lo - np.cumsum(counts) + counts, counts)
    right = cand_idx[starts + np.arange(int(counts.sum()))]
    pairs = np.unique(left * len(members) + right)
    left, right = pairs // len(members), pairs % len(members)
    a, b = _same_story_pairs(_rule_arrays(keyed), left, right)
    return [(members[x].id, members[y].id) for x, y in zip(a, b, strict=True)]


# The signature side of the story API, defined in minhash.py: callers that make members
# (signature, member_of) or test the rule (similarity, band keys) import one module.
__all__ = [
    "BANDS",
    "PAIR_CHUNK",
    "EMPTY",
    "NUM_HASHES",
    "SIMILAR",
    "Assignment",
    "Member",
    "UnionFind",
    "assign",
    "band_keys",
    "band_keys_many",
    "candidate_arrays",
    "candidate_pairs",
    "column_pairs",
    "canonical_key",
    "fold_fast",
    "group_all",
    "group_members",
    "member_of",
    "regroup",
    "same_story",
    "signature",
    "similarity",
    "story_links",
]
