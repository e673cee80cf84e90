"""Precision and recall of the `regions` rule on hand-labelled passages.

regions_labels.json holds paragraphs taken from seeds/ and the project's fixtures (scored
as bodies without a title) and whole pages (extracted from their files, title and body).
Each (passage, league) pair the rule assigns is a true or a false positive against the
label; each labelled league it misses is a false negative. `python -m tests.eval.regions`
prints the figures for the rule the index uses and for the variants it was chosen over.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from indexer.extract.pipeline import process_file
from indexer.extract.regions import RULE, Rule, assign
from indexer.models import Article

ROOT = Path(__file__).resolve().parents[2]
LABELS = Path(__file__).resolve().parent / "regions_labels.json"

VARIANTS: dict[str, Rule] = {
    "index rule": RULE,
    "any mention counts": Rule(group_in_lead=True, repeats=1),
    "without the lead": replace(RULE, lead=False),
    "without paragraph openings": replace(RULE, opening=False),
    "without counties": replace(RULE, county=False),
    "3 body mentions": replace(RULE, repeats=3),
    "listed leagues count": replace(RULE, listed=False),
    "title only": Rule(lead=False, county=False, opening=False, repeats=0),
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, source: str, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        if got != want:
            self.misses.append(f"{source}: got {sorted(got)}, want {sorted(want)}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _labels() -> dict:
    return json.loads(LABELS.read_text("utf-8"))


def _article(source: str) -> Article:
    path = ROOT / source
    article = process_file(path, path.parent)
    assert isinstance(article, Article), f"{source} no longer extracts"
    return article


def evaluate(rule: Rule = RULE) -> dict[str, Score]:
    """Scores per set ("paragraphs", "articles") under `rule`."""
    labels = _labels()
    paragraphs, articles = Score(), Score()
    for item in labels["paragraphs"]:
        got = set(assign("", item["text"], rule=rule))
        paragraphs.add(f"{item['source']} «{item['text'][:20]}»", got, set(item["regions"]))
    for item in labels["articles"]:
        article = _article(item["source"])
        got = set(assign(article.title, article.body, rule=rule))
        articles.add(item["source"], got, set(item["regions"]))
    return {"paragraphs": paragraphs, "articles": articles}


def counts() -> dict[str, int]:
    labels = _labels()
    return {"paragraphs": len(labels["paragraphs"]), "articles": len(labels["articles"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each wrong passage")
    args = parser.parse_args(argv)
    sizes = counts()
    print(
        f"| rule | paragraphs P / R (n={sizes['paragraphs']}) "
        f"| articles P / R (n={sizes['articles']}) |"
    )
    print("|---|---|---|")
    for name, rule in VARIANTS.items():
        scores = evaluate(rule)
        cells = [f"{s.precision:.3f} / {s.recall:.3f}" for s in scores.values()]
        print(f"| {name} | {' | '.join(cells)} |")
    if args.misses:
        for set_name, score in evaluate().items():
            for miss in score.misses:
                print(f"{set_name}: {miss}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
