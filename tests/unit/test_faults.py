"""The test-only pause points (indexer/faults.py): parsing, and inert unless configured."""

from __future__ import annotations

import pytest

from indexer import faults


@pytest.mark.parametrize(
    ("spec", "expected"),
    [("commit", ("commit", 1)), ("commit:3", ("commit", 3)), ("swap:1", ("swap", 1))],
)
def test_parse(spec: str, expected: tuple[str, int]) -> None:
    assert faults.parse(spec) == expected


def test_unset_environment_disarms_every_point(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(faults.PAUSE_ENV, raising=False)
    monkeypatch.setenv(faults.HANDSHAKE_ENV, "/nonexistent")
    assert faults._from_environment() is faults._disarmed
    monkeypatch.setenv(faults.PAUSE_ENV, "commit")
    monkeypatch.delenv(faults.HANDSHAKE_ENV)
    assert faults._from_environment() is faults._disarmed


def test_armed_point_stops_only_on_its_nth_arrival(tmp_path, monkeypatch) -> None:
    stops: list[str] = []
    monkeypatch.setattr(faults, "_stop", lambda point, folder: stops.append(point))
    reached = faults._armed("commit", 2, tmp_path)
    for point in ("swap", "commit", "segment-written", "commit", "commit"):
        reached(point)
    assert stops == ["commit"]
