"""Extraction scored on real pages saved by others: `python -m tests.eval.realpages`.

The pages, their gold and their scorers live outside the project, in
`../shared/realpages` (or `$REALPAGES`): they are never copied in. For each set this runs
the pipeline over every page, writes the results as JSON Lines and hands them to the set's
own scorer, per format (html, txt) and for both together, and prints one summary line per
set and format. When the folder is absent it says so in one line and scores nothing.

Sets: `gne` and `mixed` (full gold: title, date, source, site, body recall, leaks,
repeated bodies, duplicate pairs; `full/score.py`), and `body` (body-only gold from five
news sites; `body/score_body.py`).

    python -m tests.eval.realpages             one summary line per set and format
    python -m tests.eval.realpages --table     one table: our figures beside the anchors
                                               (GeneralNewsExtractor, trafilatura) saved in
                                               realpages_anchors.json by tests.eval.compare
    python -m tests.eval.realpages --ratchet   raise the floors in realpages_floors.json to
                                               a fresh run's figures (never lowers one)

The floors are what `tests/eval/test_realpages_gate.py` holds every set to in `make test`:
each figure rounded down to one decimal (leak and failures, where lower is better, are
ceilings rounded up). After improving extraction, run `--ratchet` and commit the file, so
the gain cannot be lost unnoticed. A floor is never lowered by the command: a change that
makes a figure fall must be fixed, or the floor lowered by hand with the reason in the
commit message.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from indexer.extract import templates as templates_
from indexer.extract.pipeline import survey_file
from indexer.extract.templates import Templates
from indexer.models import Article
from indexer.normalize import fold
from indexer.write import stories
from tests.eval.ratchet import (
    FLOORS,
    Figures,
    changes,
    load_floors,
    ratchet,
    save_floors,
)

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ANCHORS = HERE / "realpages_anchors.json"
FULL_SETS = ("gne", "mixed")
ALL_SETS = (*FULL_SETS, "body")
FORMATS = ("html", "txt")
# How the scorers' "all formats" run is shown and stored: both formats together.
BOTH = "both"
FULL_METRICS = ("title", "date", "source", "site", "body-recall", "leak", "once")
BODY_METRICS = ("P", "R", "F1", "failures")


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


def _extract_one(path: str, templates: Templates | None = None) -> dict:
    page = Path(path)
    result, found = survey_file(page, page.parent, templates=templates)
    record = result.to_json()
    record["path"] = str(page)
    record["_lines"] = (found.site, sorted(found.keys)) if found else None
    if isinstance(result, Article):
        record["source"] = result.sources[0] if result.sources else None
        # What search matches: the folded text (script, width, case), as the index holds it.
        record["search_text"] = fold(f"{result.title}\n{result.body}")
        record["_member"] = _member_fields(result)
    return record


_LEARNT: dict[str, Templates] = {}


def _set_templates(templates: Templates) -> None:
    _LEARNT["templates"] = templates


def _extract_with(path: str) -> dict:
    return _extract_one(path, _LEARNT["templates"])


def _member_fields(article: Article) -> dict:
    return {
        "id": article.id,
        "path": article.path,
        "content_hash": article.content_hash,
        "signature": stories.signature(article.body).hex(),
        "published": article.published,
        "title_inferred": article.title_inferred,
        "n_sources": len(article.sources),
        "site": article.site,
    }


def extract_all(
    paths: Sequence[Path], workers: int | None = None, templates: bool = True
) -> list[dict]:
    """Pipeline output for each page, in path order (worker processes for large sets).

    With `templates`, as a build does: a first pass reads every page alone and counts,
    per site, the pages each line is on; the pages of a site with a template are then
    read again with it (templates.py). The set's own pages are the corpus.
    """
    names = [str(p) for p in paths]
    records = _map(_extract_one, names, workers)
    if templates:
        learnt = learn_templates(records)
        again = [i for i, r in enumerate(records) if r["_lines"] and learnt.get(r["_lines"][0])]
        redone = _map(_extract_with, [names[i] for i in again], workers, learnt)
        for i, record in zip(again, redone, strict=True):
            records[i] = record
    for record in records:
        record.pop("_lines", None)
    return records


def learn_templates(records: Sequence[dict]) -> dict[str, frozenset[int]]:
    """Each site's template from the first pass's records."""
    return templates_.learn(
        (r["_lines"][0], frozenset(r["_lines"][1])) for r in records if r["_lines"]
    )


def _map(
    fn: Callable[[str], dict],
    items: list[str],
    workers: int | None,
    learnt: Templates | None = None,
) -> list[dict]:
    """fn over items, in worker processes for large sets; `learnt` is set in each."""
    learnt = learnt or {}
    _set_templates(learnt)
    if len(items) < 50 or workers == 1:
        return [fn(x) for x in items]
    cpus = workers or os.cpu_count() or 2
    with ProcessPoolExecutor(cpus, initializer=_set_templates, initargs=(learnt,)) as pool:
        return list(pool.map(fn, items, chunksize=8))


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
            members.append(stories.Member(**fields))
        assignment = stories.group_all(members)
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


_SITE = re.compile(r"^-- site\b.*:\s*(\d+(?:\.\d+)?)%")


def parse_summary(line: str) -> dict[str, float]:
    """'holdout: title 63.9% date 75.0% …' -> {'title': 63.9, 'date': 75.0, …}."""
    return {k: float(v) for k, v in _METRIC.findall(line)}


def headline(scorer: Path, out: str) -> str:
    """The scorer's last summary line (it prints its headline last)."""
    lines = [x for x in out.splitlines() if x.strip()]
    key = "body:" if scorer.name == "score_body.py" else "holdout:"
    summary = [x for x in lines if x.startswith(key)]
    return summary[-1] if summary else lines[-1]


def output_figures(scorer: Path, out: str) -> dict[str, float]:
    """The headline's figures, plus `site` from the full scorer's `-- site …: X%` line
    (the headline leaves it out; it is printed only when results carry a site)."""
    values = parse_summary(headline(scorer, out))
    for line in out.splitlines():
        match = _SITE.match(line)
        if match:
            values["site"] = float(match.group(1))
    return values


def scorer_output(scorer: Path, args: Iterable[str], env: dict[str, str] | None = None) -> str:
    """Everything one run of a set's scorer prints."""
    return subprocess.run(
        [sys.executable, str(scorer), *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout


def run_scorer(scorer: Path, results: Path, args: Iterable[str]) -> str:
    """The scorer's summary line for one results file."""
    return headline(scorer, scorer_output(scorer, [str(results), *args]))


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
            out = scorer_output(scorer, [str(results), *set_arg, *only])
            scores.append(SetScore(name, fmt, headline(scorer, out), output_figures(scorer, out)))
    return scores


def evaluate(base: Path, sets: Sequence[str] = ALL_SETS) -> Figures:
    """Our figures on every set, per format: one extraction run per set."""
    figures: Figures = {}
    for name in sets:
        for score in score_set(base, name):
            fmt = BOTH if score.fmt == "all" else score.fmt
            figures.setdefault(name, {})[fmt] = score.values
    return figures


def run_ratchet(base: Path, sets: Sequence[str]) -> int:
    old = load_floors()
    new = ratchet(old, evaluate(base, sets))
    moved = changes(old, new)
    save_floors(new)
    for line in moved:
        print(line)
    print(f"{FLOORS.relative_to(ROOT)}: {len(moved)} gate values raised or added")
    return 0


# ------------------------------------------------------------------ the table


def load_anchors(path: Path = ANCHORS) -> dict | None:
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


COLUMNS = (*FULL_METRICS, *BODY_METRICS)
_HEAD = {"body-recall": "recall", "failures": "fail"}


def table_head() -> list[str]:
    head = f"{'set':<6} {'format':<6} {'system':<12}" + "".join(
        f"{_HEAD.get(c, c):>7}" for c in COLUMNS
    )
    return [head, "-" * len(head)]


def table_row(name: str, fmt: str, system: str, values: dict[str, float]) -> str:
    """One row, in percent; – where the set's scorer has no such column."""
    cells = (f"{values[c]:.1f}" if c in values else "–" for c in COLUMNS)
    return f"{name:<6} {fmt:<6} {system:<12}" + "".join(f"{c:>7}" for c in cells)


def table(figures: Figures, anchors: dict | None) -> list[str]:
    """One row per set, format and system: ours on html, txt and both, the anchors beside
    ours on html (they read no text dumps)."""
    anchor_figures = (anchors or {}).get("figures", {})
    lines = table_head()
    for name, formats in figures.items():
        for fmt in (*FORMATS, BOTH):
            rows = [("ours", formats.get(fmt, {}))]
            if fmt == "html":
                rows += list(anchor_figures.get(name, {}).items())
            lines += [table_row(name, fmt, system, values) for system, values in rows]
    return lines


def anchors_note(anchors: dict | None) -> str:
    where = ANCHORS.relative_to(ROOT)
    if anchors is None:
        return f"anchors: {where} not found; `python -m tests.eval.compare` measures them"
    versions = ", ".join(f"{k} {v}" for k, v in anchors.get("versions", {}).items())
    return (
        f"anchors: {versions} on the html pages, from {where} (measured "
        f"{anchors.get('measured', '?')}; `python -m tests.eval.compare` refreshes them)"
    )


def print_table(base: Path, sets: Sequence[str]) -> int:
    anchors = load_anchors()
    print(f"real pages: {base}")
    for line in table(evaluate(base, sets), anchors):
        print(line)
    print(anchors_note(anchors))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval.realpages", description=__doc__)
    parser.add_argument("--set", action="append", choices=ALL_SETS, help="default: all sets")
    parser.add_argument("--save", metavar="DIR", help="keep each set's results JSONL here")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--table", action="store_true", help="one table, anchors beside ours")
    mode.add_argument(
        "--ratchet", action="store_true", help=f"raise the floors in {FLOORS.name} (never lower)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    args = parser.parse_args(argv)
    base = realpages_dir()
    if base is None:
        print(ABSENT)
        return 1 if args.ratchet else 0
    if args.ratchet:
        return run_ratchet(base, args.set or ALL_SETS)
    if args.table:
        return print_table(base, args.set or ALL_SETS)
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
