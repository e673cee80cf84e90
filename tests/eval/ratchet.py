"""The real-page ratchet: the floors `make test` holds each set to, and how a measured run
raises them (never lowers them). Figures are figures[set][format][metric] = percent."""

from __future__ import annotations

import json
import math
from pathlib import Path

FLOORS = Path(__file__).resolve().parent / "realpages_floors.json"
# Lower is better for these: their gate value is a ceiling, not a floor.
LOWER_IS_BETTER = frozenset({"leak", "failures"})

# figures[set][format][metric] = percent, format in html, txt, both
Figures = dict[str, dict[str, dict[str, float]]]


def gate_value(metric: str, value: float) -> float:
    """A measured figure as a gate value: one decimal, rounded towards failing less often
    (down for a floor, up for a ceiling) so the figure just measured always passes."""
    tenths = round(value * 10, 6)  # 63.9 * 10 is 638.999…: round off the float noise first
    step = math.ceil(tenths) if metric in LOWER_IS_BETTER else math.floor(tenths)
    return step / 10


def holds(metric: str, value: float, limit: float) -> bool:
    return value <= limit if metric in LOWER_IS_BETTER else value >= limit


def ratchet(old: Figures, measured: Figures) -> Figures:
    """New floors: the measured figures where they are better than the old floors, the old
    floors everywhere else (a floor only ever moves up, a ceiling only down; a floor that
    the run did not measure is kept)."""
    new: Figures = json.loads(json.dumps(old))
    for name, formats in measured.items():
        for fmt, values in formats.items():
            limits = new.setdefault(name, {}).setdefault(fmt, {})
            for metric, value in values.items():
                candidate = gate_value(metric, value)
                if metric not in limits or holds(metric, candidate, limits[metric]):
                    limits[metric] = candidate
    return new


def shortfalls(floors: Figures, measured: Figures) -> list[str]:
    """One line per floor that the measured figures miss (or did not measure)."""
    misses = []
    for name, formats in floors.items():
        for fmt, limits in formats.items():
            got = measured.get(name, {}).get(fmt, {})
            for metric, limit in limits.items():
                if metric not in got:
                    misses.append(f"{name} {fmt} {metric}: not measured (floor {limit})")
                elif not holds(metric, got[metric], limit):
                    side = "ceiling" if metric in LOWER_IS_BETTER else "floor"
                    misses.append(f"{name} {fmt} {metric}: {got[metric]} vs {side} {limit}")
    return misses


FLOORS_ABOUT = (
    "Real-page gate (tests/eval/test_realpages_gate.py): per set, per format, per metric, "
    "the figure extraction must reach; leak and failures are ceilings. Raise with "
    "`python -m tests.eval.realpages --ratchet`, which never lowers a floor."
)


def load_floors(path: Path = FLOORS) -> Figures:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))["floors"]


def save_floors(floors: Figures, path: Path = FLOORS) -> None:
    data = {"about": FLOORS_ABOUT, "lower_is_better": sorted(LOWER_IS_BETTER), "floors": floors}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def changes(old: Figures, new: Figures) -> list[str]:
    """'gne html title 86.7 -> 88.0' for every gate value the ratchet moved or added."""
    lines = []
    for name, formats in new.items():
        for fmt, limits in formats.items():
            for metric, value in limits.items():
                before = old.get(name, {}).get(fmt, {}).get(metric)
                if before != value:
                    lines.append(f"{name} {fmt} {metric}: {before} -> {value}")
    return lines
