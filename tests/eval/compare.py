"""Compare extractors: `python -m tests.eval.compare [--fixtures | --realpages]`.

Labelled pages (`--fixtures`): runs this project's pipeline, trafilatura and
GeneralNewsExtractor (when they are installed; neither is a dependency of the project) over
the same pages and scores each by the labels: title exact match, date to the day, body
bounds, body recall and boilerplate leak rate.
Whitespace is ignored when bodies are compared, since each tool lays paragraphs out its own
way. Text dumps are given to the HTML extractors as one <p> per line, the closest HTML
equivalent of a dump.

Real pages (`--realpages`): the anchors of `make eval`. Each set's own scorer runs both
libraries live (`--baseline gne|trafilatura`, HTML pages only: neither reads text dumps)
in a venv of their own under `.cache/holdout-venv` (git-ignored; the scorer creates it
with `pip install gne trafilatura` the first time, so the first run needs the package
index), and the figures, never pages or gold, are saved to `realpages_anchors.json` with
the library versions and the date. Run it again to refresh them after a library release.
Without an option both comparisons run.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indexer.extract.load import decode
from indexer.extract.pipeline import process_file
from indexer.models import Article
from tests.eval import realpages
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
    from indexer.extract.metadata import parse_date

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


def compare_fixtures() -> None:
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


HOLDOUT_VENV = realpages.ROOT / ".cache" / "holdout-venv"
# Shown name -> the scorers' --baseline name.
BASELINES = {"GNE": "gne", "trafilatura": "trafilatura"}
DISTRIBUTIONS = ("gne", "trafilatura")


def baseline_figures(base: Path, name: str, library: str) -> dict[str, float]:
    """One library's figures on one set's HTML pages, as the set's scorer measures them."""
    scorer, _ = realpages.set_pages(base, name)
    set_arg = [] if name == "body" else ["--set", name]
    env = {**os.environ, "HOLDOUT_VENV": str(HOLDOUT_VENV)}
    out = realpages.scorer_output(scorer, [*set_arg, "--baseline", library], env=env)
    return realpages.output_figures(scorer, out)


def library_versions() -> dict[str, str]:
    """Installed versions in the baselines' venv, so the saved figures say what they measure."""
    code = "import importlib.metadata as m, sys; print(*(m.version(d) for d in sys.argv[1:]))"
    python = HOLDOUT_VENV / "bin" / "python"
    out = subprocess.run(
        [str(python), "-c", code, *DISTRIBUTIONS], capture_output=True, text=True, check=True
    ).stdout.split()
    return {shown: out[DISTRIBUTIONS.index(lib)] for shown, lib in BASELINES.items()}


def compare_realpages() -> int:
    base = realpages.realpages_dir()
    if base is None:
        print(realpages.ABSENT)
        return 0
    figures: dict[str, dict[str, dict[str, float]]] = {}
    for name in realpages.ALL_SETS:
        for shown, library in BASELINES.items():
            print(f"realpages {name}: running {shown} …", file=sys.stderr)
            figures.setdefault(name, {})[shown] = baseline_figures(base, name, library)
    anchors = {
        "about": "Anchor figures for `make eval` (HTML pages only), measured live by "
        "`python -m tests.eval.compare --realpages` through the scorers' --baseline option.",
        "measured": datetime.date.today().isoformat(),
        "versions": library_versions(),
        "figures": figures,
    }
    realpages.ANCHORS.write_text(
        json.dumps(anchors, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    for line in realpages.table_head():
        print(line)
    for name, systems in figures.items():
        for system, values in systems.items():
            print(realpages.table_row(name, "html", system, values))
    print(f"saved to {realpages.ANCHORS.relative_to(realpages.ROOT)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.eval.compare",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--fixtures", action="store_true", help="only the labelled pages")
    which.add_argument("--realpages", action="store_true", help="only the real-page anchors")
    args = parser.parse_args(argv)
    if not args.realpages:
        compare_fixtures()
    if not args.fixtures:
        print()
        return compare_realpages()
    return 0


if __name__ == "__main__":
    sys.exit(main())
