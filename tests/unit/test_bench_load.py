"""The load benchmark's throughput figures: the ratio, the server's cost read from /proc,
the medians over rounds and the line it prints.

Structure only: nothing here times anything.
"""

from __future__ import annotations

import os

import pytest

from tests.bench import procs
from tests.bench.scaling import (
    busy_cores,
    busy_ticks,
    cpu_share,
    medians,
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


# --- the server's own cost, from a /proc tree written by the test (tests/bench/procs.py) ---


def tcp_line(local_port: int, remote_port: int, state: str, inode: int) -> str:
    """One row of /proc/net/tcp: sl, local, remote, state, queues, timers, retransmits,
    uid, timeout, inode."""
    local, remote = f"0100007F:{local_port:04X}", f"0100007F:{remote_port:04X}"
    return f"0: {local} {remote} {state} 0:0 00:0 0 0 0 {inode} 1\n"


def fake_proc(root, port: int) -> None:
    """A /proc with a server parent (pid 10), its two workers (11, 12) holding the
    listening socket, one unrelated process (13) and one non-process entry."""
    (root / "net").mkdir(parents=True)
    rows = tcp_line(port, 0, "0A", 777) + tcp_line(port, 54321, "01", 888)
    (root / "net" / "tcp").write_text("sl local_address rem_address st ... inode\n" + rows)
    ticks = os.sysconf("SC_CLK_TCK")
    for pid, ppid, sock in ((10, 1, 777), (11, 10, 777), (12, 10, 777), (13, 1, 999)):
        folder = root / str(pid)
        (folder / "fd").mkdir(parents=True)
        (folder / "fd" / "3").symlink_to(f"socket:[{sock}]")
        user, system = ticks * pid, ticks  # pid seconds of user time, one of system time
        (folder / "stat").write_text(
            f"{pid} (py thon) S {ppid} 1 1 0 -1 0 0 0 0 0 {user} {system} 0 0 20 0 2 0\n"
        )
        for tid, count in ((pid, 5), (pid * 100, 2)):
            (folder / "task" / str(tid)).mkdir(parents=True)
            (folder / "task" / str(tid) / "status").write_text(
                f"Name:\tpython\nvoluntary_ctxt_switches:\t{count}\n"
                f"nonvoluntary_ctxt_switches:\t1\n"
            )
        (folder / "smaps_rollup").write_text(f"Rss:   {pid * 2048} kB\nPss:   {pid * 1024} kB\n")
    (root / "self").mkdir()


def test_server_pids_are_the_holders_of_the_listening_socket(tmp_path) -> None:
    fake_proc(tmp_path, 5123)
    assert procs.listening_inodes(5123, tmp_path) == {"777"}  # not the connected one
    assert procs.server_pids(5123, tmp_path) == [10, 11, 12]
    assert procs.server_pids(5124, tmp_path) == []
    assert procs.parent_among([10, 11, 12], tmp_path) == 10
    assert procs.parent_among([11, 12], tmp_path) is None  # two roots: no one parent


def test_usage_adds_every_process_and_thread(tmp_path) -> None:
    fake_proc(tmp_path, 5123)
    got = procs.usage([11, 12], tmp_path)
    assert got == procs.Usage(cpu_s=11 + 1 + 12 + 1, switches=(5 + 1 + 2 + 1) * 2)
    assert procs.usage([11, 99], tmp_path) is None  # a process gone: no figure
    assert got - procs.Usage(20.0, 10) == procs.Usage(5.0, 8)
    assert procs.per_request(procs.Usage(0.5, 250), 100) == (5.0, 2.5)
    assert procs.per_request(None, 100) == (None, None)
    assert procs.per_request(procs.Usage(0.5, 250), 0) == (None, None)


def test_memory_is_pss_per_process(tmp_path) -> None:
    fake_proc(tmp_path, 5123)
    assert procs.memory([10, 11], tmp_path) == {10: 10 * 1024, 11: 11 * 1024}
    assert procs.memory([10, 99], tmp_path) is None
    assert procs.pss_kib("Rss: 5 kB\n") is None


def test_stat_and_rollup_fields_are_read_past_odd_command_names() -> None:
    assert procs.ppid("42 (a ) b (c) S 7 1 1 0\n") == 7  # spaces and ')' in the name
    text = "00400000-7ff [rollup]\nRss:  12 kB\nPss:\t5 kB\nVmFlags: rd wr\n"
    assert procs.rollup_kib(text) == {"Rss": 12, "Pss": 5}


def test_medians_merge_the_rounds_of_one_server_and_client_kind() -> None:
    def row(n: int, rates: dict[int, float], cpu: dict[int, float | None]) -> dict:
        return {
            "workers": "4",
            "server_threads": "8",
            "clients": "threads",
            "round": n,
            "load_before": 0.5 * n,
            "req_per_s": rates,
            "ratio": scaling_ratio(rates),
            "client_cores": {1: 0.1, 4: 0.2},
            "machine_cores": {1: 1.0, 4: 2.0},
            "server_cpu_ms": cpu,
            "server_switches": {1: 4.0, 4: 5.0},
            "failures": n - 1,
            "pss_mib": {"parent": 30.0, "workers": [34.0, 34.5], "total": 98.5},
        }

    rows = [
        row(1, {1: 100.0, 4: 150.0}, {1: 2.0, 4: None}),
        row(2, {1: 120.0, 4: 240.0}, {1: 3.0, 4: 2.5}),
        row(3, {1: 110.0, 4: 200.0}, {1: 4.0, 4: 3.5}),
    ]
    (merged,) = medians(rows)
    assert merged["req_per_s"] == {1: 110.0, 4: 200.0}
    assert merged["ratio"] == 1.82  # of the median rates, not the median of the ratios
    assert merged["round_ratios"] == [1.5, 2.0, 1.82]
    assert merged["server_cpu_ms"] == {1: 3.0, 4: 3.0}  # a missing figure is left out
    assert merged["load_before"] == [0.5, 1.0, 1.5]
    assert merged["failures"] == 3
    (line,) = report_lines([merged])
    assert "requests/s at 1 110.0, 4 200.0; ratio 4 / 1: 1.82 " in line
    assert "server CPU ms / request: 3.0, 3.0; context switches / request: 4.0, 5.0" in line
    assert "ratio per round: 1.5, 2.0, 1.82; load average before: 0.5, 1.0, 1.5" in line
    assert line.endswith("PSS MiB: parent 30.0, workers 34.0, 34.5, total 98.5)")
