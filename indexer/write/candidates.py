"""Candidate pairs for story grouping: the articles that share an LSH band key or the
content hash, found with numpy sorts, one key column at a time.

Where it sits: stories.py says what a duplicate is (same_story) and groups; this module
only proposes the pairs it judges, for a whole build (candidate_arrays, column_pairs)
and as the key arrays an update matches against (keys). Signatures and band keys are
minhash.py's. Every cost here is bounded by the pairs of one chunk, not by all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple, Protocol

import numpy as np

from indexer.write.minhash import BANDS, EMPTY, KEY_MASK, band_keys_many


class Member(Protocol):
    """What candidates read of an article (stories.Member is one): its signature and
    its content hash."""

    @property
    def signature(self) -> bytes: ...

    @property
    def content_hash(self) -> str: ...


KEY_CHUNK = 1 << 16  # signatures hashed into band keys at once: 32 MB of uint64 slots
# Candidate pairs made and judged at once: their two signatures' gathers are 67 MB each.
PAIR_CHUNK = 1 << 18


def signatures(members: Sequence[Member]) -> np.ndarray:
    """The members' MinHash signatures as one (n, NUM_HASHES) uint32 array."""
    return np.stack([np.frombuffer(m.signature, dtype=np.uint32) for m in members])


class Keys(NamedTuple):
    """Every member's candidate keys, with the arrays they were made from (grouping's rule
    reads those too: made once for both)."""

    sigs: np.ndarray  # (n, NUM_HASHES) uint32 signatures
    every: np.ndarray  # (n, BANDS + 1) band keys, then the content hash's key
    valid: np.ndarray  # (n, BANDS + 1) which of them count
    hashes: np.ndarray  # (n,) a code per distinct content hash, -1 for none

    @property
    def empty(self) -> np.ndarray:
        """Which members have an empty body (no band keys)."""
        return ~self.valid[:, 0]


def keys(members: Sequence[Member]) -> Keys:
    """Every member's candidate keys: an (n, BANDS + 1) array of its band keys and its
    content hash as one more "band" (one code per distinct hash, above every band key:
    band keys are below 2**63). Empty bodies have no band keys; no hash, no hash key:
    `valid` says which keys count."""
    sigs = signatures(members)
    codes: dict[str, int] = {}
    hashes = np.array(
        [codes.setdefault(m.content_hash, len(codes)) if m.content_hash else -1 for m in members],
        dtype=np.int64,
    )
    every = np.empty((len(members), BANDS + 1), dtype=np.uint64)
    for start in range(0, len(members), KEY_CHUNK):  # band_keys_many widens to 8 bytes a slot
        every[start : start + KEY_CHUNK, :BANDS] = band_keys_many(sigs[start : start + KEY_CHUNK])
    every[:, BANDS] = np.maximum(hashes, 0).astype(np.uint64) + KEY_MASK + 1
    valid = np.concatenate(
        [
            np.repeat(~np.all(sigs == EMPTY, axis=1)[:, None], BANDS, axis=1),
            (hashes >= 0)[:, None],
        ],
        axis=1,
    )
    return Keys(sigs, every, valid, hashes)


def candidate_arrays(members: Sequence[Member]) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs of a whole corpus as two int64 arrays (left < right), sorted
    and without repeats.

    One key column (a band, or the content hash) at a time: sorting its (key, member)
    pairs puts each bucket in one run, and every pair inside a run is made with numpy
    (run sizes repeated, offsets added). Each member holds one key per column, so a
    column's pairs are distinct and ordered by construction; repeats across columns
    (copies share every band) go by merging into the sorted, unique codes found so far
    whenever the pending ones outnumber them. Why per column: with all 17 at once, the
    sort and the run arrays held 17 entries per article together (each array 136 MB at
    a million articles, several alive at once); one column holds one entry per article.
    Equal keys in two different columns (a 63-bit hash collision: the band number is
    hashed into each key, and hash keys lie above every band key) no longer pair two
    articles; a candidate is only a candidate, same_story decides.
    """
    n = len(members)
    none = np.zeros(0, dtype=np.int64)
    if n < 2:
        return none, none
    keyed = keys(members)
    found, pending, waiting = none, [], 0
    for col in range(keyed.every.shape[1]):
        for left, right in column_pairs(keyed.every[:, col], keyed.valid[:, col]):
            pending.append(left * n + right)
            waiting += left.size
            if waiting > found.size:
                found, pending, waiting = np.unique(np.concatenate([found, *pending])), [], 0
    if pending:
        found = np.unique(np.concatenate([found, *pending]))
    return found // n, found % n


def column_pairs(
    keys: np.ndarray, valid: np.ndarray, chunk: int = PAIR_CHUNK
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The (left, right) members (left < right) sharing a key in one column, about
    `chunk` pairs at a time.

    Why in chunks: the pairs of a column grow with the square of its buckets, and on a
    corpus of recombined sentences buckets grow with the corpus (the largest held 750
    articles at 100,000 and 2,226 at 300,000: 10 million pairs in one column). Positions
    are cut where the running count of their partners crosses a multiple of `chunk`.
    """
    owner = np.flatnonzero(valid)
    if owner.size < 2:
        return
    order = np.argsort(keys[owner], kind="stable")  # stable: owners ascend within a bucket
    keys, owner = keys[owner][order], owner[order]
    del order
    # Run of each position: its end; partners of position p are p+1 .. end-1.
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], keys.size]
    partners = np.repeat(ends, ends - starts) - np.arange(keys.size) - 1
    made = np.cumsum(partners)  # pairs made by positions 0..p
    lo, total = 0, int(made[-1])
    while lo < keys.size and (int(made[lo - 1]) if lo else 0) < total:
        before = int(made[lo - 1]) if lo else 0
        hi = max(lo + 1, int(np.searchsorted(made, before + chunk, side="right")))
        part = partners[lo:hi]
        size = int(part.sum())
        if size:
            first = np.repeat(np.arange(lo, hi), part)
            step = np.arange(size) - np.repeat(np.cumsum(part) - part, part)
            yield owner[first], owner[first + 1 + step]
        lo = hi
