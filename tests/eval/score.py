"""Score extraction on the labelled pages in tests/eval/pages: `python -m tests.eval.score`.

Each label (labels.json) gives the true title (null when the page has none), date, sources
and site, the exact start and end of the body, a few sentences from its middle, and
boilerplate strings that the page shows but the body must not hold. Printed figures:
exact-match rates for title, date, sources and site; body bounds (start and end exact);
body recall (share of the expected sentences found); leak rate (share of boilerplate
strings found in bodies).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from indexer.extract.pipeline import process_file
from indexer.models import Article

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
LABELS = HERE / "labels.json"


@dataclass
class Scores:
    pages: int = 0
    title: int = 0
    published: int = 0
    sources: int = 0
    site: int = 0
    bounds: int = 0
    recall_found: int = 0
    recall_total: int = 0
    leaks_found: int = 0
    leaks_total: int = 0
    misses: list[str] = field(default_factory=list)

    def rates(self) -> dict[str, float]:
        n = self.pages or 1
        return {
            "title": self.title / n,
            "published": self.published / n,
            "sources": self.sources / n,
            "site": self.site / n,
            "body_bounds": self.bounds / n,
            "body_recall": self.recall_found / (self.recall_total or 1),
            "leak_rate": self.leaks_found / (self.leaks_total or 1),
        }


def _check(scores: Scores, name: str, field_name: str, ok: bool, got: object) -> None:
    if ok:
        setattr(scores, field_name, getattr(scores, field_name) + 1)
    else:
        scores.misses.append(f"{name}: {field_name} = {got!r}")


def score_page(scores: Scores, label: dict, article: Article) -> None:
    """Add one page's comparison to the running scores."""
    name = label["file"]
    scores.pages += 1
    title_ok = (
        article.title_inferred
        if label["title"] is None
        else (article.title == label["title"] and not article.title_inferred)
    )
    _check(scores, name, "title", title_ok, article.title)
    _check(scores, name, "published", article.published == label["published"], article.published)
    _check(
        scores, name, "sources", list(article.sources) == label["sources"], list(article.sources)
    )
    _check(scores, name, "site", article.site == label["site"], article.site)
    body = article.body
    bounds_ok = body.startswith(label["body_start"]) and body.endswith(label["body_end"])
    _check(scores, name, "bounds", bounds_ok, (body[:20], body[-20:]))
    expected = [label["body_start"], *label["body_must"], label["body_end"]]
    for sentence in expected:
        scores.recall_total += 1
        if sentence in body:
            scores.recall_found += 1
        else:
            scores.misses.append(f"{name}: body lacks {sentence!r}")
    if "once" in label:
        scores.recall_total += 1
        if body.count(label["once"]) == 1:
            scores.recall_found += 1
        else:
            scores.misses.append(f"{name}: {label['once']!r} not exactly once")
    for leak in label["leaks"]:
        scores.leaks_total += 1
        if leak in body:
            scores.leaks_found += 1
            scores.misses.append(f"{name}: body leaks {leak!r}")


def evaluate(pages: Path = PAGES, labels: Path = LABELS) -> Scores:
    """Run the pipeline over every labelled page and compare."""
    scores = Scores()
    for label in json.loads(labels.read_text(encoding="utf-8")):
        result = process_file(pages / label["file"], pages)
        if not isinstance(result, Article):
            scores.pages += 1
            scores.recall_total += 2 + len(label["body_must"])
            scores.leaks_total += len(label["leaks"])
            scores.misses.append(f"{label['file']}: skipped ({result.reason})")
            continue
        score_page(scores, label, result)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval.score", description=__doc__)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    scores = evaluate()
    print(f"pages: {scores.pages}")
    for name, rate in scores.rates().items():
        print(f"{name:<12} {rate:6.1%}")
    if scores.misses and args.verbose:
        print("misses:")
        for miss in scores.misses:
            print(f"  {miss}")
    elif scores.misses:
        print(f"{len(scores.misses)} misses (-v to list)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
