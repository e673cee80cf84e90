"""The load benchmark's throughput figures: the ratio and the line it prints.

Structure only: nothing here times anything.
"""

from __future__ import annotations

import os

import pytest

from tests.bench.scaling import (
    busy_cores,
    busy_ticks,
    cpu_share,
    parse_cpu_line,
    report_lines,
    scaling_ratio,
)


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


def test_report_has_one_line_per_server_and_client_kind() -> None:
    run = {
        "workers": "1",
        "server_threads": "default",
        "clients": "threads",
        "req_per_s": {1: 50.0, 4: 90.0},
        "ratio": 1.8,
        "failures": 0,
        "client_cores": {1: 0.2, 4: 0.6},
        "machine_cores": {1: 1.0, 4: None},
    }
    lines = report_lines([run, {**run, "workers": "2", "clients": "processes", "ratio": 1.2}])
    assert len(lines) == 2
    assert "server workers 1 x default threads, client threads:" in lines[0]
    assert "ratio 4 / 1: 1.8 " in lines[0] and "client CPU, cores: 0.2, 0.6;" in lines[0]
    assert "machine busy, cores: 1.0, None" in lines[0]
    assert "server workers 2 x default threads, client processes:" in lines[1]
    assert "ratio 4 / 1: 1.2 " in lines[1]


def test_cpu_line_busy_leaves_out_idle_and_iowait() -> None:
    # user nice system idle iowait irq softirq steal guest guest_nice
    fields = "cpu 100 5 20 900 30 1 2 3 7 0".split()
    assert parse_cpu_line(fields) == (131, 1061)


@pytest.mark.parametrize("fields", [[], ["cpu0", "1", "2", "3", "4"], ["cpu", "1", "2"]])
def test_cpu_line_other_than_the_total_is_none(fields: list[str]) -> None:
    assert parse_cpu_line(fields) is None


def test_busy_cores_is_busy_ticks_per_wall_second(tmp_path) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu 100 0 0 100 0 0 0 0\ncpu0 1 2 3 4\n")
    before = busy_ticks(stat)
    ticks = os.sysconf("SC_CLK_TCK")
    stat.write_text(f"cpu {100 + 3 * ticks} 0 0 {100 + ticks} 0 0 0 0\n")
    assert busy_cores(before, busy_ticks(stat), 2.0) == 1.5
    assert busy_cores(None, busy_ticks(stat), 2.0) is None
    assert busy_ticks(tmp_path / "absent") is None
