"""Where the body/ set loses precision and recall, by kind of line:
`python -m tests.eval.body_kinds`.

The body scorer gives one mean per set; this says where it goes. Every page of body/ (both
formats) is extracted as `realpages.extract_all` does (site templates included) and its body
is compared with the gold line by line:

- a *miss* is a gold line our body lacks; it is put where the page's own line stands
  (above our body, below it, dropped inside it, or on no line of ours) and given that line's
  kind (lines.classify: dateline, stop, short, content...);
- an *extra* is a body line the gold lacks; it is put where it stands against the gold's
  span on the page (above, inside, below), and pages whose gold holds under half of our
  body are counted apart: their gold labels a part of the article, not the article.

Each loss counts its characters whose bigrams the other side lacks (the scorer's measure, per
line). The table sums characters and pages per kind and format, and what fixing the kind on
every page would add to the macro F1 by character counts (`worth`), so the largest kinds
are looked at first, and a labelling habit (a gold that keeps bylines, or skips bold text)
can be told from an extraction error by reading the examples (`--examples`).
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from indexer.extract import body as body_
from indexer.extract.load import load_bytes
from tests.eval import realpages

# A page whose extras are more than this share of our body has a gold that labels a part
# of the article only.
PARTIAL_GOLD_SHARE = 0.5
MIN_LOST_CHARS = 2  # a line differing by one character (punctuation, a space) is no loss
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None)


def norm(text: str) -> str:
    """What the scorer compares: NFKC, without whitespace and zero-width characters."""
    return "".join(unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).split())


def bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


@dataclass(frozen=True)
class Loss:
    """One line lost to precision (`extra`) or recall (`miss`), in characters."""

    side: str  # "miss" or "extra"
    kind: str  # where it stands and what its line is: "below stop", "inside content"...
    chars: int
    text: str


def lost_chars(text: str, other: Counter[str]) -> int:
    """Characters of a line whose bigrams the other side lacks."""
    grams = bigrams(text)
    total = sum(grams.values())
    if not total:
        return 0
    return round(len(text) * (1 - sum((grams & other).values()) / total))


def _where(index: int | None, span: tuple[int, int] | None) -> str:
    if index is None:
        return "off the page's lines"
    if span is None:
        return "no span"
    if index < span[0]:
        return "above"
    return "below" if index >= span[1] else "inside"


def _locate(text: str, lines: Sequence[str]) -> int | None:
    """The page line that holds a gold line (or that a gold line holds), longest first."""
    best, where = 0, None
    for i, line in enumerate(lines):
        if line and (text in line or line in text) and min(len(text), len(line)) > best:
            best, where = min(len(text), len(line)), i
    return where


def _span(indexes: Sequence[int]) -> tuple[int, int] | None:
    return (min(indexes), max(indexes) + 1) if indexes else None


def page_losses(
    gold: str, body: str, lines: Sequence[str], kinds: Sequence[str]
) -> tuple[list[Loss], bool]:
    """The misses and extras of one page, and whether its gold labels a part of the
    article only. `lines` and `kinds` are the page's layout (body.layout)."""
    page = [norm(line) for line in lines]
    gold_lines = [norm(x) for x in gold.splitlines() if norm(x)]
    body_lines = [norm(x) for x in body.splitlines() if norm(x)]
    whole_gold, whole_body = "".join(gold_lines), "".join(body_lines)
    gold_grams, body_grams = bigrams(whole_gold), bigrams(whole_body)
    ours = [i for i, line in enumerate(page) if line and line in body_lines]
    theirs = [i for i, line in enumerate(page) if len(line) >= 4 and line in whole_gold]
    losses: list[Loss] = []
    for line in gold_lines:
        chars = 0 if line in whole_body else lost_chars(line, body_grams)
        if chars >= MIN_LOST_CHARS:
            at = _locate(line, page)
            kind = _where(at, _span(ours)) + (f" {kinds[at]}" if at is not None else "")
            losses.append(Loss("miss", kind, chars, line))
    extras = []
    for line in body_lines:
        chars = 0 if line in whole_gold else lost_chars(line, gold_grams)
        if chars >= MIN_LOST_CHARS:
            at = next((i for i, x in enumerate(page) if x == line), None)
            kind = _where(at, _span(theirs)) + (f" {kinds[at]}" if at is not None else "")
            extras.append(Loss("extra", kind, chars, line))
    partial = sum(x.chars for x in extras) > PARTIAL_GOLD_SHARE * max(len(whole_body), 1)
    if partial:
        extras = [Loss("extra", "gold labels a part only", x.chars, x.text) for x in extras]
    return losses + extras, partial


@dataclass(frozen=True)
class PageLosses:
    page: str
    fmt: str
    gold_chars: int
    body_chars: int
    losses: tuple[Loss, ...]


def _f1(tp: float, pred: float, gold: float) -> float:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def macro_f1(pages: Sequence[PageLosses], fixed: tuple[str, str] | None = None) -> float:
    """Mean F1 by character counts; with `fixed` (side, kind), as if that kind of loss
    were gone on every page (a miss found, an extra dropped)."""
    if not pages:
        return 0.0
    total = 0.0
    for pl in pages:
        miss = sum(x.chars for x in pl.losses if x.side == "miss")
        extra = sum(x.chars for x in pl.losses if x.side == "extra")
        gain = sum(x.chars for x in pl.losses if (x.side, x.kind) == fixed)
        found = gain if fixed and fixed[0] == "miss" else 0
        dropped = gain if fixed and fixed[0] == "extra" else 0
        tp = pl.body_chars - extra + found
        total += _f1(tp, pl.body_chars - dropped + found, pl.gold_chars or miss)
    return 100 * total / len(pages)


def kinds_table(pages: Sequence[PageLosses], examples: int = 0) -> list[str]:
    """One row per (side, kind): characters, pages, share of the side, F1 worth."""
    chars: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], set[str]] = defaultdict(set)
    samples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for pl in pages:
        for loss in pl.losses:
            key = (loss.side, loss.kind)
            chars[key] += loss.chars
            where[key].add(pl.page)
            if len(samples[key]) < examples:
                samples[key].append(f"{pl.page}: {loss.text[:60]}")
    base = macro_f1(pages)
    gold = sum(p.gold_chars for p in pages) or 1
    ours = sum(p.body_chars for p in pages) or 1
    out = [f"{'side':<6}{'kind':<34}{'chars':>8}{'share':>8}{'pages':>7}{'worth':>8}"]
    for key, n in sorted(chars.items(), key=lambda kv: (kv[0][0], -kv[1])):
        share = 100 * n / (gold if key[0] == "miss" else ours)
        worth = macro_f1(pages, key) - base
        out.append(f"{key[0]:<6}{key[1]:<34}{n:>8}{share:>7.2f}%{len(where[key]):>7}{worth:>+8.2f}")
        out += [f"{'':<8}{s}" for s in samples[key]]
    out.append(f"macro F1 by character counts: {base:.2f} (the scorer counts bigrams)")
    return out


def measure(base: Path) -> list[PageLosses]:
    """Extract every body/ page as realpages does and compare it with its gold."""
    _, pages_dir = realpages.set_pages(base, "body")
    paths = realpages.page_paths(pages_dir)
    records = realpages.extract_all(paths)
    found = []
    for path, record in zip(paths, records, strict=True):
        gold = (base / "body" / "gold" / f"{path.stem}.txt").read_text(encoding="utf-8")
        layout = body_.layout(load_bytes(path.read_bytes(), path.name))
        lines = [line.text for line in layout.lines]
        text = record.get("body") or ""
        losses, _ = page_losses(gold, text, lines, layout.kinds)
        found.append(
            PageLosses(path.stem, path.suffix[1:], len(norm(gold)), len(norm(text)), tuple(losses))
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval.body_kinds", description=__doc__)
    parser.add_argument("--examples", type=int, default=0, help="example lines per kind")
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    args = parser.parse_args(argv)
    base = realpages.realpages_dir()
    if base is None:
        print(realpages.ABSENT)
        return 0
    pages = measure(base)
    for fmt in realpages.FORMATS:
        subset = [p for p in pages if p.fmt == fmt]
        print(f"== body/ {fmt}: {len(subset)} pages")
        for line in kinds_table(subset, args.examples):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
