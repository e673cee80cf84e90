"""Extraction scored on real pages saved by others: `python -m tests.eval.realpages`.

The pages, their gold and their scorers live outside the project, in
`../shared/realpages` (or `$REALPAGES`): they are never copied in. For each set this runs
the pipeline over every page, writes the results as JSON Lines and hands them to the set's
own scorer, per format (html, txt) and for both together, and prints one summary line per
set and format. When the folder is absent it says so in one line and scores nothing.

Sets: `gne` and `mixed` (full gold: title, date, source, site, body recall, leaks,
repeated bodies, duplicate pairs; `full/score.py`), and `body` (body-only gold from five
news sites; `body/score_body.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer import groups
from indexer.models import Article
from indexer.normalize import fold
from indexer.pipeline import process_file

ROOT = Path(__file__).resolve().parents[2]
FULL_SETS = ("gne", "mixed")
ALL_SETS = (*FULL_SETS, "body")
FORMATS = ("html", "txt")


def realpages_dir() -> Path | None:
    """Where the real pages are: $REALPAGES, else ../shared/realpages beside the checkout."""
    env = os.environ.get("REALPAGES")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT.parent / "shared" / "realpages")
    for cand in candidates:
        if (cand / "full" / "score.py").is_file():
            return cand.resolve()
    return None


ABSENT = "realpages: ../shared/realpages not found (set REALPAGES=DIR): real-page scores skipped"


def set_pages(base: Path, name: str) -> tuple[Path, Path]:
    """(scorer, pages folder) of one set."""
    if name == "body":
        return base / "body" / "score_body.py", base / "body" / "pages"
    return base / "full" / "score.py", base / "full" / name / "pages"


def _extract_one(path: str) -> dict:
    page = Path(path)
    result = process_file(page, page.parent)
    record = result.to_json()
    record["path"] = str(page)
    if isinstance(result, Article):
        record["source"] = result.sources[0] if result.sources else None
        # What search matches: the folded text (script, width, case), as the index holds it.
        record["search_text"] = fold(f"{result.title}\n{result.body}")
        record["_member"] = _member_fields(result)
    return record


def _member_fields(article: Article) -> dict:
    return {
        "id": article.id,
        "path": article.path,
        "content_hash": article.content_hash,
        "signature": groups.signature(article.body).hex(),
        "published": article.published,
        "title_inferred": article.title_inferred,
        "n_sources": len(article.sources),
        "site": article.site,
    }


def extract_all(paths: Sequence[Path], workers: int | None = None) -> list[dict]:
    """Pipeline output for each page, in path order (worker processes for large sets)."""
    names = [str(p) for p in paths]
    if len(names) < 50 or workers == 1:
        return [_extract_one(p) for p in names]
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 2) as pool:
        return list(pool.map(_extract_one, names, chunksize=8))


def add_duplicate_groups(records: list[dict]) -> None:
    """`dup_group` on every record, as the index would group the same pages (per format:
    a page's html and txt renderings are the same story, not a republished copy)."""
    for fmt in FORMATS:
        subset = [r for r in records if r["path"].endswith("." + fmt) and "_member" in r]
        members = []
        for r in subset:
            fields = dict(r["_member"])
            fields["signature"] = bytes.fromhex(fields["signature"])
            fields["id"] = r["path"]
            members.append(groups.Member(**fields))
        assignment = groups.group_all(members)
        for r in subset:
            r["dup_group"] = assignment[r["path"]].group
    for r in records:
        r.pop("_member", None)


def page_paths(pages: Path) -> list[Path]:
    return sorted(p for p in pages.iterdir() if p.suffix in (".html", ".txt"))


@dataclass(frozen=True)
class SetScore:
    name: str
    fmt: str  # "html", "txt" or "all"
    line: str  # the scorer's summary line
    values: dict[str, float]  # metric -> percent


_METRIC = re.compile(r"([a-zA-Z0-9-]+)\s+(-?\d+(?:\.\d+)?)%")


def parse_summary(line: str) -> dict[str, float]:
    """'holdout: title 63.9% date 75.0% …' -> {'title': 63.9, 'date': 75.0, …}."""
    return {k: float(v) for k, v in _METRIC.findall(line)}


def run_scorer(scorer: Path, results: Path, args: Iterable[str]) -> str:
    """The scorer's last summary line (it prints its headline last)."""
    out = subprocess.run(
        [sys.executable, str(scorer), str(results), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [x for x in out.splitlines() if x.strip()]
    key = "body:" if scorer.name == "score_body.py" else "holdout:"
    summary = [x for x in lines if x.startswith(key)]
    return summary[-1] if summary else lines[-1]


def score_set(base: Path, name: str, records: list[dict] | None = None) -> list[SetScore]:
    """Scores of one set: both formats together, then html and txt apart."""
    scorer, pages = set_pages(base, name)
    if records is None:
        records = extract_all(page_paths(pages))
        if name in FULL_SETS:
            add_duplicate_groups(records)
    scores = []
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / f"{name}.jsonl"
        results.write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
        )
        set_arg = [] if name == "body" else ["--set", name]
        for fmt in ("all", *FORMATS):
            only = [] if fmt == "all" else ["--only", fmt]
            line = run_scorer(scorer, results, [*set_arg, *only])
            scores.append(SetScore(name, fmt, line, parse_summary(line)))
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval.realpages", description=__doc__)
    parser.add_argument("--set", action="append", choices=ALL_SETS, help="default: all sets")
    parser.add_argument("--save", metavar="DIR", help="keep each set's results JSONL here")
    args = parser.parse_args(argv)
    base = realpages_dir()
    if base is None:
        print(ABSENT)
        return 0
    for name in args.set or ALL_SETS:
        scorer, pages = set_pages(base, name)
        records = extract_all(page_paths(pages))
        if name in FULL_SETS:
            add_duplicate_groups(records)
        if args.save:
            out = Path(args.save)
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{name}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                encoding="utf-8",
            )
        for score in score_set(base, name, records):
            print(f"{name:<6} {score.fmt:<4} {score.line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
