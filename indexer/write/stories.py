"""Stories across pages: one news piece republished on several pages is one story.

Signatures, candidate lookup, grouping, canonical choice. Sits between the pipeline (which
gives clean `Article`s) and the writer (which stores each article's `group` and
`canonical`); a story's other members are its *copies*. Everything here is a pure function
of its inputs, so a full build and an incremental update reach the same groups for the
same set of articles.

Signature: MinHash over character 5-shingles of the *significant* characters of the folded
body (letters, digits, Han; after NFKC, lower-case, traditional -> simplified). Punctuation,
spaces, width and script differences between portals therefore change nothing; what is left
to compare is the running text itself. 64 hash functions; similarity is the share of equal
slots, an estimate of the Jaccard index of the two shingle sets (standard error <= 0.0625).

Why MinHash rather than SimHash: the rule we need is "a copy with a sentence dropped or
reworded is the same story", which is a statement about shared text; MinHash estimates the
shared share directly and its threshold reads as such. SimHash's Hamming distance moves
non-linearly with the edit and with the document's length: on the fixture pair below (one
sentence dropped, one reworded) a 64-bit SimHash over the same shingles differs in 8 bits,
far beyond the classic distance 3, while two unrelated articles differ in about 30.

Threshold (SIMILAR = 0.5), from the fixtures in tests/fixtures/stories/ and their measured
similarities: the same news piece as a government-portal page and as a news-portal page
(different chrome, half-width punctuation, one paragraph dropped, one sentence reworded)
scores 0.86 on the extracted bodies (0.58 even on the raw pages, chrome included); a
different article on the same topic (稀土, 包头稀土高新区, 科技创新) from the same portal scores
0.02 (0.11 raw). 0.5 sits in the wide gap, so neither a few more edits nor more shared stock
phrases of the beat flip a decision, and it is well inside what the banding below finds.

Candidates: 16 bands of 4 slots; two articles become candidates when one band is equal.
At similarity 0.5 that happens with probability 1 - (1 - 0.5**4)**16 = 0.64, at 0.75 with
0.9996, so true duplicates are found while a 100k corpus compares each article with a
handful of others instead of all of them. Candidates are then checked against SIMILAR.

Canonical member: earliest published date (unknown dates last), then richest metadata
(a title read from the page over an inferred one, more credited sources, a known site),
then path order. The group id is the canonical member's id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.index import ngrams
from indexer.models import Article

SHINGLE = 5
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS
SIMILAR = 0.5

_rng = np.random.default_rng(20240611)  # fixed: signatures are stored and compared later
# Odd multipliers and random offsets for multiply-shift hashing of 64-bit shingle hashes.
_A = (_rng.integers(1, 2**63, NUM_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).reshape(
    -1, 1
)
_B = _rng.integers(0, 2**63, NUM_HASHES, dtype=np.uint64).reshape(-1, 1)
_EMPTY = np.full(NUM_HASHES, np.iinfo(np.uint32).max, dtype=np.uint32)


@dataclass(frozen=True)
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


def member_of(article: Article, signature: bytes) -> Member:
    """The grouping view of an article and its signature."""
    return Member(
        id=article.id,
        path=article.path,
        content_hash=article.content_hash,
        signature=signature,
        published=article.published,
        title_inferred=article.title_inferred,
        n_sources=len(article.sources),
        site=article.site,
    )


def fold_fast(text: str) -> str:
    """normalize.fold, imported on first use (building its tables takes 0.15 s, which a
    no-change update should not pay)."""
    from indexer.normalize import fold

    return fold(text)


def significant_codes(text: str) -> np.ndarray:
    """Code points of the significant characters of the folded text (what the n-gram
    postings index), as uint64."""
    return ngrams.codes(fold_fast(text)).astype(np.uint64)


def shingle_hashes(codes: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """64-bit hashes of the distinct k-character shingles (whole text if shorter than k).

    A polynomial hash computed with numpy over all windows at once: per-shingle Python
    calls would cost more than the rest of the build's analysis.
    """
    if codes.size == 0:
        return codes
    k = min(k, codes.size)
    n = codes.size - k + 1
    h = np.zeros(n, dtype=np.uint64)
    prime = np.uint64(1_000_003)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * prime + codes[j : j + n]
        # Final avalanche (splitmix64) so nearby code points spread over all bits.
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
    return np.unique(h)


def signature(text: str) -> bytes:
    """MinHash signature of a body: NUM_HASHES uint32 minima, as bytes (stored in the index)."""
    hashes = shingle_hashes(significant_codes(text))
    if hashes.size == 0:
        return _EMPTY.tobytes()
    with np.errstate(over="ignore"):
        mixed = (_A * hashes.reshape(1, -1) + _B) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets (0.0 for empty bodies)."""
    if a == _EMPTY.tobytes() or b == _EMPTY.tobytes():
        return 0.0
    va = np.frombuffer(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(va == vb)) / NUM_HASHES


_FNV = np.uint64(0x100000001B3)
_KEY_MASK = np.uint64(0x7FFFFFFFFFFFFFFF)


def band_keys_many(sigs: np.ndarray) -> np.ndarray:
    """Band keys of many signatures at once: an (n, BANDS) uint64 array.

    The same FNV-style hash as band_keys, in numpy: uint64 products wrap modulo 2**64,
    and masking to 63 bits after each step keeps exactly the bits Python's big integers
    keep, so both give identical keys (a test checks it).
    """
    v = sigs.reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    h = np.broadcast_to(np.arange(BANDS, dtype=np.uint64), (len(sigs), BANDS)).copy()
    with np.errstate(over="ignore"):
        for r in range(ROWS):
            h = ((h * _FNV) ^ v[:, :, r]) & _KEY_MASK
    return h


def band_keys(sig: bytes) -> list[int]:
    """One integer key per band; equal keys in the same band make two articles candidates.

    The band number is folded into the key so one flat table can hold all bands. Empty
    bodies have no keys: they group only by exact content hash.
    """
    if sig == _EMPTY.tobytes():
        return []
    v = np.frombuffer(sig, dtype=np.uint32).reshape(BANDS, ROWS).astype(np.uint64)
    keys = []
    for band in range(BANDS):
        h = band
        for x in v[band].tolist():
            h = (h * 0x100000001B3 ^ x) & 0x7FFFFFFFFFFFFFFF
        keys.append(h)
    return keys


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
    buckets: dict[object, list[int]] = defaultdict(list)
    for i, m in enumerate(members):
        if m.content_hash:
            buckets[("c", m.content_hash)].append(i)
        for key in band_keys(m.signature):
            buckets[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for idx in buckets.values():
        if len(idx) < 2:
            continue
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                pairs.add((idx[x], idx[y]))
    return pairs


@dataclass(frozen=True)
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

    The rule of same_story, evaluated for all candidate pairs at once with numpy (a
    100k corpus of articles on one beat can have millions of candidate pairs).
    """
    uf = UnionFind(m.id for m in members)
    pairs = candidate_pairs(members)
    if pairs:
        flat = np.fromiter(
            (k for pair in pairs for k in pair), dtype=np.int64, count=2 * len(pairs)
        )
        left, right = flat[0::2], flat[1::2]
        for a, b in zip(*_same_story_pairs(members, left, right), strict=True):
            uf.union(members[a].id, members[b].id)
    by_id = {m.id: m for m in members}
    return [sorted((by_id[i] for i in s), key=canonical_key) for s in uf.sets()]


def _same_story_pairs(
    members: Sequence[Member], left: np.ndarray, right: np.ndarray, chunk: int = 1 << 18
) -> tuple[list[int], list[int]]:
    """The (left, right) index pairs that same_story accepts, computed in array chunks."""
    sigs = np.stack([np.frombuffer(m.signature, dtype=np.uint32) for m in members])
    empty = np.all(sigs == _EMPTY, axis=1)
    codes: dict[str, int] = {}
    hashes = np.array(
        [codes.setdefault(m.content_hash, len(codes)) if m.content_hash else -1 for m in members],
        dtype=np.int64,
    )
    keep_l: list[int] = []
    keep_r: list[int] = []
    for start in range(0, left.size, chunk):
        a, b = left[start : start + chunk], right[start : start + chunk]
        same = np.count_nonzero(sigs[a] == sigs[b], axis=1) >= SIMILAR * NUM_HASHES
        dup = (same & ~empty[a] & ~empty[b]) | ((hashes[a] == hashes[b]) & (hashes[a] >= 0))
        hit = np.flatnonzero(dup)
        keep_l.extend(a[hit].tolist())
        keep_r.extend(b[hit].tolist())
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
    sigs = np.stack([np.frombuffer(m.signature, dtype=np.uint32) for m in members])
    # Content hashes as one more "band": one code per distinct hash, above every band key
    # (band keys are below 2**63). Empty bodies have no band keys; no hash, no hash key.
    codes: dict[str, int] = {}
    hashes = np.array(
        [codes.setdefault(m.content_hash, len(codes)) if m.content_hash else -1 for m in members],
        dtype=np.int64,
    )
    every = np.concatenate(
        [band_keys_many(sigs), (np.maximum(hashes, 0).astype(np.uint64) + _KEY_MASK + 1)[:, None]],
        axis=1,
    )
    valid = np.concatenate(
        [
            np.repeat(~np.all(sigs == _EMPTY, axis=1)[:, None], BANDS, axis=1),
            (hashes >= 0)[:, None],
        ],
        axis=1,
    )
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
    a, b = _same_story_pairs(members, left, right)
    return [(members[x].id, members[y].id) for x, y in zip(a, b, strict=True)]
