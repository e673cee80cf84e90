"""tests/unit mirrors the code: every module of indexer/ and webui/ has its own unit test
file, and every unit test file names a module that exists.

`indexer/<pkg>/<mod>.py` is tested in `tests/unit/<pkg>/test_<mod>.py`, a top-level
`indexer/<mod>.py` in `tests/unit/test_<mod>.py`, `webui/<mod>.py` in
`tests/unit/webui/test_<mod>.py`. A module's tests split by subject keep its name as their
prefix (`test_metadata_dates.py`), so the reverse check finds the module they test. A
package's `__init__.py` and `__main__.py` are its face and its command line, tested through
what they expose (tests/web, tests/integration), not mirrored.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "tests" / "unit"
NOT_MIRRORED = {"__init__.py", "__main__.py"}


def _modules() -> list[Path]:
    found = [*ROOT.glob("indexer/**/*.py"), *ROOT.glob("webui/*.py")]
    return sorted(p for p in found if p.name not in NOT_MIRRORED)


def unit_test_of(module: Path) -> Path:
    """Where the unit tests of `module` live."""
    rel = module.relative_to(ROOT)
    folder = rel.parts[1:-1] if rel.parts[0] == "indexer" else rel.parts[:1]
    return UNIT.joinpath(*folder, f"test_{module.stem}.py")


def module_under_test(test: Path) -> Path | None:
    """The module a unit test file tests: the longest module name its name starts with."""
    rel = test.relative_to(UNIT)
    if len(rel.parts) == 1:
        package = ROOT / "indexer"
    else:
        package = ROOT / ("webui" if rel.parts[0] == "webui" else f"indexer/{rel.parts[0]}")
    words = test.stem.removeprefix("test_").split("_")
    for n in range(len(words), 0, -1):
        candidate = package / ("_".join(words[:n]) + ".py")
        if candidate.exists():
            return candidate
    return None


def test_the_unit_test_file_follows_the_package() -> None:
    assert unit_test_of(ROOT / "indexer/write/lock.py") == UNIT / "write/test_lock.py"
    assert unit_test_of(ROOT / "indexer/models.py") == UNIT / "test_models.py"
    assert unit_test_of(ROOT / "webui/params.py") == UNIT / "webui/test_params.py"


def test_a_subject_suffix_still_names_the_module() -> None:
    assert module_under_test(UNIT / "extract/test_metadata_dates.py") == (
        ROOT / "indexer/extract/metadata.py"
    )
    assert module_under_test(UNIT / "webui/test_params.py") == ROOT / "webui/params.py"
    assert module_under_test(UNIT / "write/test_no_such_module.py") is None


def test_every_module_has_its_unit_test_file() -> None:
    missing = [
        f"{m.relative_to(ROOT)} -> {unit_test_of(m).relative_to(ROOT)}"
        for m in _modules()
        if not unit_test_of(m).exists()
    ]
    assert missing == []


# Unit test files that test something other than a module of the package they sit in:
# the tests' own tools (the bench's pure parts, the shared fixtures, this file and the
# import graph, which are about the tree as a whole).
ABOUT_THE_TESTS = {"test_bench_load.py", "test_bench_peers.py", "test_bench_proctree.py",
                   "test_conftest.py", "test_import_graph.py", "test_mirror.py"}  # fmt: skip


def test_every_unit_test_file_names_a_module_that_exists() -> None:
    tests = sorted(UNIT.rglob("test_*.py"))
    orphans = [
        str(t.relative_to(ROOT))
        for t in tests
        if t.name not in ABOUT_THE_TESTS and module_under_test(t) is None
    ]
    assert orphans == []


def _layout_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return readme[readme.index("## Project layout") : readme.index("## Benchmarks")]


def _unnamed(text: str) -> list[str]:
    return [
        str(m.relative_to(ROOT))
        for m in _modules()
        if not re.search(rf"(?<!\w){re.escape(m.stem)}(?!\w)", text)
    ]


def test_the_readme_layout_and_the_architecture_name_every_module() -> None:
    """The two maps of the tree: a module added without a word in them is missing there."""
    assert _unnamed(_layout_block()) == []
    assert _unnamed((ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")) == []


MAX_LINES = 400  # the house limit, for the code and for its tests and benchmarks alike


def test_no_module_test_or_benchmark_file_exceeds_the_line_limit() -> None:
    files = [
        *ROOT.glob("indexer/**/*.py"),
        *ROOT.glob("webui/**/*.py"),
        *ROOT.glob("tests/**/*.py"),
    ]
    long = {
        str(p.relative_to(ROOT)): n
        for p in files
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


# Packages whose docstring is a map of their modules (extract's map is the README's layout).
MAPPED_PACKAGES = ("index", "read", "watch", "write")


def test_a_mapped_package_docstring_names_every_module_of_the_package() -> None:
    """A package map that leaves out a newer module sends readers looking in the wrong place."""
    unnamed = {}
    for package in MAPPED_PACKAGES:
        init = ROOT / "indexer" / package / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        missing = [
            p.stem
            for p in sorted(init.parent.glob("*.py"))
            if p.name not in NOT_MIRRORED and not re.search(rf"(?<!\w){p.stem}(?!\w)", doc)
        ]
        if missing:
            unnamed[package] = missing
    assert unnamed == {}
