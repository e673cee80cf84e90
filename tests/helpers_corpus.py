"""Synthetic new articles that can each be found by one precise query.

The page shape, seed sentences, sources and sites come from the benchmark's corpus generator
(tests/bench/run.py), so these pages look like the rest of a synthetic corpus: menu, title,
date and source line, several long punctuated paragraphs, footer. What this module adds is
findability: every article carries a unique four-character marker (a made-up company name
of characters that occur in no seed page and none of the benchmark's rare terms), so a
search for the marker must return exactly that article; and every article of one batch
carries the same tag phrase, so a search for the tag counts how many of them are indexed.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tests.bench.corpus import (
    RARE_POOL,
    SITES,
    SOURCES,
    _page,
    _vary_numbers,
    seed_paragraphs,
    seed_text,
)

# Jade-radical characters (common in company and personal names); those found in the seeds
# are dropped at run time, so a marker can never match seed text.
_MARKER_CANDIDATES = "瑷瑗璎璁璐琮琨瑄瑛琰琬瑜瑾璋璜璟瑭珂珏玠玥珩珣珲琛琤琦琳璇璘瓒"
MARKER_LEN = 4
TAG = "雏鹰甄选"  # the batch tag: absent from the seeds (checked), hence from any generated page


@dataclass(frozen=True)
class MarkedArticle:
    """One generated page: where it was written (relative to the corpus root) and its marker."""

    relpath: str
    marker: str


@lru_cache(maxsize=1)
def _seed_material() -> tuple[tuple[str, ...], tuple[str, ...]]:
    sentences, titles = seed_text()
    return tuple(sentences), tuple(titles)


@lru_cache(maxsize=1)
def marker_alphabet() -> str:
    """Marker characters that occur in no seed sentence or title, nor in the rare terms."""
    sentences, titles = _seed_material()
    seeds = "".join(sentences) + "".join(titles)
    if TAG in seeds:
        raise RuntimeError(f"the tag {TAG!r} occurs in the seeds")
    alphabet = "".join(c for c in _MARKER_CANDIDATES if c not in seeds + RARE_POOL + TAG)
    if len(alphabet) < 16:
        raise RuntimeError(f"only {len(alphabet)} marker characters are absent from the seeds")
    return alphabet


def marker(i: int) -> str:
    """The i-th marker: i written in base len(alphabet) with MARKER_LEN digits (unique)."""
    alphabet = marker_alphabet()
    base = len(alphabet)
    if not 0 <= i < base**MARKER_LEN:
        raise ValueError(f"marker index {i} out of range")
    digits = []
    for _ in range(MARKER_LEN):
        i, d = divmod(i, base)
        digits.append(alphabet[d])
    return "".join(reversed(digits))


def article_text(i: int, rng: random.Random, tag: str = TAG) -> str:
    """A dump page whose body names the i-th marker once and the tag once.

    Both go in sentences of their own, between seed sentences, so neither touches the other
    nor any seed characters that could make a marker query match elsewhere.
    """
    sentences, titles = _seed_material()
    paragraphs = seed_paragraphs(rng, sentences)
    name = marker(i)
    where = rng.randrange(len(paragraphs))
    paragraphs[where] += f"项目承担单位为{name}科技有限公司，已完成中试。"
    where = rng.randrange(len(paragraphs))
    paragraphs[where] = f"该项目入选{tag}名单。" + paragraphs[where]
    title = rng.choice(titles) if rng.random() < 0.1 else rng.choice(sentences)[:28]
    title = _vary_numbers(title.rstrip("。！？"), rng)
    ts = time.mktime((2025, 1, 1, 0, 0, 0, 0, 0, -1)) + rng.random() * 300 * 86400
    date = time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts))
    return _page(title, date, rng.choice(SOURCES), rng.choice(SITES), paragraphs)


def write_marked_articles(
    corpus: Path, n: int, *, folder: str = "incoming", start: int = 0, seed: int = 11
) -> list[MarkedArticle]:
    """Write n pages under corpus/folder/ (100 per subfolder); markers start..start+n-1.

    Each file is written under a temporary name and renamed, as a copy tool finishing a
    file would, so a concurrent reader never sees half a page.
    """
    rng = random.Random(seed + start)
    out: list[MarkedArticle] = []
    for i in range(start, start + n):
        rel = f"{folder}/{i // 100:04d}/{i:06d}.txt"
        path = Path(corpus) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_text(article_text(i, rng), encoding="utf-8")
        tmp.replace(path)
        out.append(MarkedArticle(rel, marker(i)))
    return out


def write_small_corpus(folder: Path, n: int, *, seed: int, width: int = 2) -> Path:
    """A corpus folder of n generated pages named 00.txt… (`width` digits) and one empty
    page, empty.txt, which a build skips with a reason: the smallest corpus a build test
    needs, both kinds of outcome in it."""
    folder.mkdir()
    rng = random.Random(seed)
    for i in range(n):
        (folder / f"{i:0{width}d}.txt").write_text(article_text(i, rng), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder
