"""Which related-stories method finds stories on the same subject: measured, not assumed.

related_labels.json groups 46 pages from seeds/ and the fixtures by subject. They are
indexed together; for every page of a subject with others, each method proposes its top
MAX_RELATED other stories (never the page's own copies), and is scored by precision (the
share of proposals on the same subject) and recall (the share of the subject's other
pages it found, out of at most MAX_RELATED), averaged over pages.

- "distinctive words": what the article view uses (indexer/read/related.py), BM25 of the
  article's top words by the index's own statistics.
- "MinHash neighbours": the same signatures the index groups copies with (Jaccard of
  5-character shingles), nearest first, any similarity above zero.

    python -m tests.eval.related
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from indexer.read import related
from indexer.read.searcher import Searcher
from indexer.write import build
from indexer.write.stories import signature, similarity

ROOT = Path(__file__).resolve().parents[2]
LABELS = Path(__file__).resolve().parent / "related_labels.json"


@dataclass
class Score:
    precision: float
    recall: float
    queries: int


def _corpus(folder: Path) -> dict[str, str]:
    """Copy every labelled page into `folder` under a flat unique name; name -> subject."""
    labels = json.loads(LABELS.read_text("utf-8"))
    subject_of: dict[str, str] = {}
    pages = [(s, p) for s, ps in labels["subjects"].items() for p in ps]
    pages += [("", p) for p in labels["unrelated"]]
    for subject, path in pages:
        name = path.replace("/", "__")
        shutil.copy(ROOT / path, folder / name)
        subject_of[name] = subject
    return subject_of


def _score(proposals: dict[str, list[str]], subject_of: dict[str, str]) -> Score:
    precisions, recalls = [], []
    for name, found in proposals.items():
        subject = subject_of[name]
        others = [n for n, s in subject_of.items() if s == subject and n != name]
        if not subject or not others:
            continue
        right = sum(subject_of[f] == subject for f in found)
        precisions.append(right / len(found) if found else 0.0)
        recalls.append(right / min(len(others), related.MAX_RELATED))
    n = len(precisions)
    return Score(sum(precisions) / n, sum(recalls) / n, n)


def evaluate() -> dict[str, Score]:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        corpus.mkdir()
        subject_of = _corpus(corpus)
        build(corpus, index)
        searcher = Searcher(index)
        try:
            with searcher._using() as gen:
                return _methods(gen, subject_of)
        finally:
            searcher.close()


def _methods(gen, subject_of: dict[str, str]) -> dict[str, Score]:
    cols = gen.columns
    docs = {d: gen.stored(d) for d in range(cols.n) if cols.live[d]}
    name_of = {d: doc["path"] for d, doc in docs.items()}
    words: dict[str, list[str]] = {}
    minhash: dict[str, list[str]] = {}
    sigs = {d: signature(doc.get("body", "")) for d, doc in docs.items()}
    for d, doc in docs.items():
        if not cols.canonical[d]:
            continue  # a copy's story is its canonical member's
        found = related.related_docnums(gen, d, doc)
        words[name_of[d]] = [name_of[x] for x in found]
        others = [
            (similarity(sigs[d], sigs[x]), x)
            for x in docs
            if cols.group_of[x] != cols.group_of[d] and cols.canonical[x]
        ]
        best = sorted((o for o in others if o[0] > 0), key=lambda o: (-o[0], o[1]))
        minhash[name_of[d]] = [name_of[x] for _, x in best[: related.MAX_RELATED]]
    return {
        "distinctive words": _score(words, subject_of),
        "MinHash neighbours": _score(minhash, subject_of),
    }


def main() -> int:
    scores = evaluate()
    print(f"| method | precision@{related.MAX_RELATED} | recall@{related.MAX_RELATED} | pages |")
    print("|---|---|---|---|")
    for name, s in scores.items():
        print(f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.queries} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
