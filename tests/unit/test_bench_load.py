"""The load benchmark's throughput figures: the ratio and the line it prints.

Structure only: nothing here times anything.
"""

from __future__ import annotations

import pytest

from tests.bench.scaling import cpu_share, report_lines, scaling_ratio


@pytest.mark.parametrize(
    ("rates", "ratio"),
    [
        ({1: 50.0, 2: 90.0, 4: 120.0}, 2.4),
        ({1: 50.0, 2: 50.0, 4: 50.0}, 1.0),  # served one at a time
        ({1: 0.0, 4: 10.0}, None),  # nothing answered at one thread: no ratio
        ({}, None),
    ],
)
def test_scaling_ratio(rates: dict[int, float], ratio: float | None) -> None:
    assert scaling_ratio(rates) == ratio


def test_cpu_share_is_cores_busy_on_average() -> None:
    assert cpu_share(3.0, 2.0) == 1.5
    assert cpu_share(1.0, 0.0) == 0.0


def test_report_has_one_line_per_worker_count() -> None:
    run = {"req_per_s": {1: 50.0, 4: 90.0}, "ratio": 1.8, "failures": 0, "client_cores": {}}
    lines = report_lines({"1": run, "2": {**run, "ratio": 1.2}})
    assert len(lines) == 2
    assert "server workers 1," in lines[0] and "1 thread: 1.8 " in lines[0]
    assert "server workers 2," in lines[1] and "1 thread: 1.2 " in lines[1]
