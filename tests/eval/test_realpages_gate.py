"""Real pages gate changes: extraction may not fall below the floors in realpages_floors.json.

The floors are the figures reached so far on `../shared/realpages`, per set, per format and
per metric (leak and failures are ceilings). They only move up: after an improvement,
`python -m tests.eval.realpages --ratchet` rewrites them from a fresh run. The pages live
outside the project; without them the gate is skipped, never failed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.eval import realpages
from tests.eval.ratchet import (
    Figures,
    gate_value,
    load_floors,
    ratchet,
    save_floors,
    shortfalls,
)
from tests.eval.realpages import (
    ALL_SETS,
    BODY_METRICS,
    BOTH,
    FORMATS,
    FULL_METRICS,
)

SKIP_REASON = "../shared/realpages not found: real-page gate skipped"


def measure_or_skip() -> Figures:
    base = realpages.realpages_dir()
    if base is None:
        pytest.skip(SKIP_REASON)
    return realpages.evaluate(base)


@pytest.fixture(scope="module")
def measured() -> Figures:
    """One evaluation of every set per session: extraction of ~1,070 pages is the cost."""
    return measure_or_skip()


def test_every_set_holds_its_floors(measured: Figures) -> None:
    assert shortfalls(load_floors(), measured) == []


def test_gate_skips_in_one_line_without_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(realpages, "realpages_dir", lambda: None)
    with pytest.raises(pytest.skip.Exception, match="^../shared/realpages not found: real-page"):
        measure_or_skip()


def test_floors_cover_every_set_format_and_metric() -> None:
    floors = load_floors()
    assert sorted(floors) == sorted(ALL_SETS)
    for name in ALL_SETS:
        assert sorted(floors[name]) == sorted((*FORMATS, BOTH)), name
        expected = set(BODY_METRICS if name == "body" else FULL_METRICS)
        for fmt, limits in floors[name].items():
            # `once` is scored only where a set holds repeated-body pages (gne's dumps).
            assert expected - {"once"} <= set(limits) <= expected, (name, fmt)


@pytest.mark.parametrize(
    ("metric", "value", "gate"),
    [
        ("title", 63.9, 63.9),  # 63.9 * 10 is 638.99…: still 63.9, not 63.8
        ("title", 63.96, 63.9),
        ("title", 100.0, 100.0),
        ("leak", 2.2, 2.2),
        ("leak", 2.21, 2.3),
        ("failures", 1.84, 1.9),
        ("F1", 95.05, 95.0),
    ],
)
def test_gate_value_rounds_towards_passing(metric: str, value: float, gate: float) -> None:
    assert gate_value(metric, value) == gate


def test_ratchet_raises_floors_and_never_lowers_them() -> None:
    old = {
        "gne": {"html": {"title": 80.0, "date": 90.0, "leak": 3.0, "once": 100.0}},
        "body": {"txt": {"F1": 95.0}},
    }
    measured = {"gne": {"html": {"title": 86.71, "date": 85.0, "leak": 4.0, "site": 92.3}}}
    assert ratchet(old, measured) == {
        "gne": {"html": {"title": 86.7, "date": 90.0, "leak": 3.0, "once": 100.0, "site": 92.3}},
        "body": {"txt": {"F1": 95.0}},
    }
    better_leak = {"gne": {"html": {"leak": 0.41}}}
    assert ratchet(old, better_leak)["gne"]["html"]["leak"] == 0.5
    assert old["gne"]["html"] == {"title": 80.0, "date": 90.0, "leak": 3.0, "once": 100.0}


def test_shortfalls_name_each_missed_floor() -> None:
    floors = {"mixed": {"txt": {"title": 94.1, "leak": 4.4, "site": 80.0}}}
    measured = {"mixed": {"txt": {"title": 94.0, "leak": 4.5}}}
    assert shortfalls(floors, measured) == [
        "mixed txt title: 94.0 vs floor 94.1",
        "mixed txt leak: 4.5 vs ceiling 4.4",
        "mixed txt site: not measured (floor 80.0)",
    ]
    assert shortfalls(floors, {"mixed": {"txt": {"title": 95, "leak": 1, "site": 80}}}) == []


def test_saved_floors_load_back(tmp_path: Path) -> None:
    floors = {"gne": {"both": {"title": 88.9, "leak": 1.7}}}
    path = tmp_path / "floors.json"
    save_floors(floors, path)
    assert load_floors(path) == floors
    assert load_floors(tmp_path / "absent.json") == {}
