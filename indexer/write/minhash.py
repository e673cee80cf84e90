"""MinHash signatures of article bodies, and the LSH band keys that find candidates.

Part of story grouping (stories.py says what a duplicate is); pure functions of a body's
text, so a build and an update compute the same signature for the same text, and the
manifest and the index store it as bytes.

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

Candidates: 16 bands of 4 slots; two articles become candidates when one band is equal.
At similarity 0.5 that happens with probability 1 - (1 - 0.5**4)**16 = 0.64, at 0.75 with
0.9996, so true duplicates are found while a 100k corpus compares each article with a
handful of others instead of all of them. Candidates are then checked against
stories.SIMILAR.
"""

from __future__ import annotations

import numpy as np

from indexer.index import ngrams

SHINGLE = 5
NUM_HASHES = 64
BANDS = 16
ROWS = NUM_HASHES // BANDS

_rng = np.random.default_rng(20240611)  # fixed: signatures are stored and compared later
# Odd multipliers and random offsets for multiply-shift hashing of 64-bit shingle hashes.
_A = (_rng.integers(1, 2**63, NUM_HASHES, dtype=np.uint64) * np.uint64(2) + np.uint64(1)).reshape(
    -1, 1
)
_B = _rng.integers(0, 2**63, NUM_HASHES, dtype=np.uint64).reshape(-1, 1)
EMPTY = np.full(NUM_HASHES, np.iinfo(np.uint32).max, dtype=np.uint32)


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
        return EMPTY.tobytes()
    with np.errstate(over="ignore"):
        mixed = (_A * hashes.reshape(1, -1) + _B) >> np.uint64(32)
    return mixed.min(axis=1).astype(np.uint32).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets (0.0 for empty bodies)."""
    if a == EMPTY.tobytes() or b == EMPTY.tobytes():
        return 0.0
    va = np.frombuffer(a, dtype=np.uint32)
    vb = np.frombuffer(b, dtype=np.uint32)
    return float(np.count_nonzero(va == vb)) / NUM_HASHES


_FNV = np.uint64(0x100000001B3)
KEY_MASK = np.uint64(0x7FFFFFFFFFFFFFFF)


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
            h = ((h * _FNV) ^ v[:, :, r]) & KEY_MASK
    return h


def band_keys(sig: bytes) -> list[int]:
    """One integer key per band; equal keys in the same band make two articles candidates.

    The band number is folded into the key so one flat table can hold all bands. Empty
    bodies have no keys: they group only by exact content hash.
    """
    if sig == EMPTY.tobytes():
        return []
    v = np.frombuffer(sig, dtype=np.uint32).reshape(BANDS, ROWS).astype(np.uint64)
    keys = []
    for band in range(BANDS):
        h = band
        for x in v[band].tolist():
            h = (h * 0x100000001B3 ^ x) & 0x7FFFFFFFFFFFFFFF
        keys.append(h)
    return keys
