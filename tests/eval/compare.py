"""Compare extractors on the labelled pages: `python -m tests.eval.compare`.

Runs this project's pipeline, trafilatura and GeneralNewsExtractor (when they are
installed; neither is a dependency of the project) over the same pages and scores each by
the labels: title exact match, date to the day, body bounds, body recall and boilerplate
leak rate.
Whitespace is ignored when bodies are compared, since each tool lays paragraphs out its own
way. Text dumps are given to the HTML extractors as one <p> per line, the closest HTML
equivalent of a dump.
"""

from __future__ import annotations

import html
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.load import decode
from indexer.models import Article
from indexer.pipeline import process_file
from tests.eval.score import LABELS, PAGES

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Extracted:
    title: str | None
    published: str | None
    body: str


def _flat(text: str) -> str:
    return _SPACE.sub("", text or "")


def as_html(path: Path) -> str:
    """The page as HTML: itself for HTML pages, one <p> per line for text dumps."""
    text, _ = decode(path.read_bytes())
    if path.suffix.lower() in (".html", ".htm"):
        return text
    lines = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    return f"<html><body>{lines}</body></html>"


def ours(path: Path) -> Extracted:
    result = process_file(path, path.parent)
    if not isinstance(result, Article):
        return Extracted(None, None, "")
    title = None if result.title_inferred else result.title
    return Extracted(title, result.published, result.body)


def _iso_date(value: object) -> str | None:
    if not value:
        return None
    from indexer.metadata import parse_date

    return parse_date(str(value))


def with_trafilatura(path: Path) -> Extracted:
    import trafilatura

    doc = trafilatura.bare_extraction(as_html(path), with_metadata=True, favor_recall=False)
    if doc is None:
        return Extracted(None, None, "")
    data = doc if isinstance(doc, dict) else doc.as_dict()
    return Extracted(data.get("title"), _iso_date(data.get("date")), data.get("text") or "")


def with_gne(path: Path) -> Extracted:
    from gne import GeneralNewsExtractor

    try:
        data = GeneralNewsExtractor().extract(as_html(path))
    except Exception as exc:  # a third-party extractor failing is a score, not a crash
        print(f"gne failed on {path.name}: {exc}", file=sys.stderr)
        return Extracted(None, None, "")
    return Extracted(data.get("title"), _iso_date(data.get("publish_time")), data.get("content"))


def score(extract: Callable[[Path], Extracted], labels: list[dict]) -> dict[str, float]:
    title = date = bounds = found = total = leaked = leaks = 0
    for label in labels:
        got = extract(PAGES / label["file"])
        body = _flat(got.body)
        title += got.title == label["title"]
        # Day precision: the other tools report dates without the time of day.
        date += (got.published or "")[:10] == (label["published"] or "")[:10]
        start, end = _flat(label["body_start"]), _flat(label["body_end"])
        bounds += body.startswith(start) and body.endswith(end)
        for sentence in [label["body_start"], *label["body_must"], label["body_end"]]:
            total += 1
            found += _flat(sentence) in body
        for leak in label["leaks"]:
            leaks += 1
            leaked += _flat(leak) in body
    n = len(labels) or 1
    return {
        "title": title / n,
        "published_day": date / n,
        "body_bounds": bounds / n,
        "body_recall": found / (total or 1),
        "leak_rate": leaked / (leaks or 1),
    }


def main() -> int:
    labels = json.loads(LABELS.read_text(encoding="utf-8"))
    tools: dict[str, Callable[[Path], Extracted]] = {"this project": ours}
    for name, module, func in (
        ("trafilatura", "trafilatura", with_trafilatura),
        ("GNE", "gne", with_gne),
    ):
        try:
            __import__(module)
        except ImportError:
            print(f"({name} not installed: skipped)")
            continue
        tools[name] = func
    subsets = {
        "html": [x for x in labels if x["file"].endswith((".html", ".htm"))],
        "text": [x for x in labels if x["file"].endswith(".txt")],
    }
    for subset, chosen in subsets.items():
        print(f"\n{subset} pages: {len(chosen)}")
        print(f"{'':14}" + "".join(f"{k:>15}" for k in score(ours, chosen)))
        for name, func in tools.items():
            rates = score(func, chosen)
            print(f"{name:14}" + "".join(f"{v:>15.1%}" for v in rates.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
