"""Readers in parallel: idle requests/s at 1, 2 and 4 client threads, per server worker count.

Part of the load benchmark: built on its client (tests/bench/client.py), whose scenario runs
this before the ingest. For each
`--workers` value a server (`python -m webui --workers N`) is started on the same index,
and the query mix runs at each of SCALING_THREADS client threads, one after the other;
the figure is requests/s and the ratio of the most threads to one (1.0: requests served
one at a time; the machine's core count is the ceiling).

The load generator shares the machine's cores with the server, so each run also reports
the client's CPU share (its CPU seconds over the run's wall seconds, in cores) and the
whole machine's busy cores (from /proc/stat, where there is one): when the client's share
is a large part of a core, the ratio measures the client as much as the server. Clients
are threads of this process (`clients="threads"`: their GIL serialises them, and a thread
waking from its socket waits for the others' Python) or one process each
(`clients="processes"`: each client's own interpreter, so a ratio below the core count
is the server's). The server's own CPU time and context switches per request, and its
memory (PSS), come from /proc (tests/bench/procs.py).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.bench import procs
from tests.bench.client import LoadRun, serve, summary

SCALING_THREADS = (1, 2, 4)
CLIENTS = ("threads", "processes")
PROC_STAT = Path("/proc/stat")


def scaling(
    port: int,
    queries: Sequence[str],
    *,
    requests_per_thread: int,
    pause: float,
    clients: str = "threads",
) -> dict[str, Any]:
    """Requests/s of the query mix at each of SCALING_THREADS clients (threads of this
    process or one process each, see the module docstring), one count after the other on
    the same server; the ratio of the most clients to one, the clients' CPU share (cores),
    the machine's busy cores, and the server's CPU ms and context switches per request
    (tests/bench/procs.py) during each."""
    rates: dict[int, float] = {}
    client: dict[int, float] = {}
    machine: dict[int, float | None] = {}
    cpu_ms: dict[int, float | None] = {}
    switches: dict[int, float | None] = {}
    failures = 0
    run = _thread_run if clients == "threads" else _process_run
    pids = procs.server_pids(port)
    for threads in SCALING_THREADS:
        before = procs.usage(pids)
        rate, done, failed, cores, busy = run(port, queries, threads, requests_per_thread, pause)
        after = procs.usage(pids)
        delta = after - before if after and before else None
        cpu_ms[threads], switches[threads] = procs.per_request(delta, done)
        rates[threads], client[threads], failures = rate, cores, failures + failed
        machine[threads] = busy
    return {
        "clients": clients,
        "req_per_s": rates,
        "ratio": scaling_ratio(rates),
        "client_cores": client,
        "machine_cores": machine,
        "server_cpu_ms": cpu_ms,
        "server_switches": switches,
        "failures": failures,
    }


def _thread_run(
    port: int, queries: Sequence[str], threads: int, requests: int, pause: float
) -> tuple[float, int, int, float, float]:
    """(requests/s, requests, failures, client cores, machine busy cores) of `threads`
    client threads."""
    run = LoadRun(
        port,
        queries,
        threads=threads,
        max_requests=requests * threads,
        max_seconds=120,
        pause=pause,
    )
    wall, cpu, ticks = time.monotonic(), time.process_time(), busy_ticks()
    run.start()
    got = summary(run.wait())
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    busy = busy_cores(ticks, busy_ticks(), wall)
    return got["req_per_s"], got["requests"], got["failures"], cpu_share(cpu, wall), busy


def _process_run(
    port: int, queries: Sequence[str], processes: int, requests: int, pause: float
) -> tuple[float, int, int, float, float]:
    """The same as _thread_run with one client process each (started, then released
    together by a barrier, so their start-up is not measured)."""
    ctx = multiprocessing.get_context("spawn")  # no fork of this threaded process
    barrier, out = ctx.Barrier(processes + 1), ctx.Queue()
    procs = [
        ctx.Process(
            target=_one_client, args=(port, list(queries), n, requests, pause, barrier, out)
        )
        for n in range(processes)
    ]
    for proc in procs:
        proc.start()
    try:
        barrier.wait(timeout=120)
        wall, ticks = time.monotonic(), busy_ticks()
        got = [out.get(timeout=180) for _ in procs]
        busy = busy_cores(ticks, busy_ticks(), time.monotonic() - wall)
    finally:
        for proc in procs:
            proc.join(timeout=30)
            if proc.is_alive():
                proc.kill()
    first, last = min(g[0] for g in got), max(g[1] for g in got)
    done, failed, cpu = sum(g[2] for g in got), sum(g[3] for g in got), sum(g[4] for g in got)
    wall = last - first
    rate = round(done / wall, 1) if wall > 0 else 0.0
    return rate, done, failed, cpu_share(cpu, wall), busy


def _one_client(
    port: int,
    queries: list[str],
    n: int,
    requests: int,
    pause: float,
    barrier: Any,
    out: Any,
) -> None:  # pragma: no cover - runs in a client process
    """One client process: a one-thread LoadRun once every client is ready; puts (first
    start, last end (monotonic, shared by all processes), requests, failures, CPU s)."""
    run = LoadRun(port, queries, threads=1, max_requests=requests, max_seconds=120, pause=pause)
    run.seed = 3 + n
    barrier.wait(timeout=120)
    cpu = time.process_time()
    run.start()
    samples = run.wait()
    cpu = time.process_time() - cpu
    t0 = run.started
    first = t0 + samples[0].started if samples else t0
    last = max((t0 + s.started + s.ms / 1000 for s in samples), default=t0)
    out.put((first, last, len(samples), sum(1 for s in samples if not s.ok), cpu))


def busy_ticks(stat: Path = PROC_STAT) -> tuple[int, int] | None:
    """(busy, total) CPU ticks of the whole machine so far, from /proc/stat's `cpu` line;
    None where there is none."""
    try:
        first = stat.read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    return parse_cpu_line(first)


def parse_cpu_line(fields: Sequence[str]) -> tuple[int, int] | None:
    """(busy, total) ticks of a /proc/stat `cpu` line split into fields: idle and iowait
    are not busy; guest time is already counted in user time, so it is left out."""
    if len(fields) < 5 or fields[0] != "cpu":
        return None
    ticks = [int(x) for x in fields[1:9]]  # user nice system idle iowait irq softirq steal
    total = sum(ticks)
    return total - ticks[3] - (ticks[4] if len(ticks) > 4 else 0), total


def busy_cores(
    before: tuple[int, int] | None, after: tuple[int, int] | None, wall: float
) -> float | None:
    """Busy cores of the machine on average between two busy_ticks readings, over `wall`
    seconds; None without both readings."""
    if before is None or after is None or wall <= 0:
        return None
    return round((after[0] - before[0]) / os.sysconf("SC_CLK_TCK") / wall, 2)


def scaling_ratio(rates: dict[int, float]) -> float | None:
    """Requests/s at the most threads over requests/s at one; None without a rate at one."""
    if not rates.get(1):
        return None
    return round(rates[max(rates)] / rates[1], 2)


def cpu_share(cpu_seconds: float, wall_seconds: float) -> float:
    """CPU seconds per wall second (cores busy on average); 0.0 for no time."""
    return round(cpu_seconds / wall_seconds, 2) if wall_seconds > 0 else 0.0


def per_server(
    workers: Sequence[int | None],
    server_threads: Sequence[int | None],
    clients: Sequence[str],
    index: Path,
    corpus: Path,
    measure: Callable[[int, str], dict[str, Any]],
    rounds: int = 1,
) -> list[dict[str, Any]]:
    """`measure(port, clients)` for each client kind on a server of each worker count and
    threads per worker (None: the server's default), all over one index; one row each,
    labelled with its server's settings ("default" for None), the round and the load
    average before it.

    Every server runs from the start, and each round measures each of them in turn, so
    configurations alternate and see the same load (another job starting mid-run hits
    all of them, not the last one). Each row also holds its server's memory (PSS per
    process, tests/bench/procs.py), read once every round is done."""
    configs = [(count, threads) for count in workers for threads in server_threads]
    rows: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        ports = [
            stack.enter_context(serve(index, corpus, workers=w, threads=t)) for w, t in configs
        ]
        for n in range(rounds):
            for (count, threads), port in zip(configs, ports, strict=True):
                for kind in clients:
                    row = {
                        "workers": _label(count),
                        "server_threads": _label(threads),
                        "round": n + 1,
                        "load_before": round(os.getloadavg()[0], 2),
                    }
                    rows.append(row | measure(port, kind))
        memory = [server_memory(port) for port in ports]
    for row in rows:
        row["pss_mib"] = memory[configs.index(_config_of(row))]
    return rows


def server_memory(port: int) -> dict[str, Any] | None:
    """PSS (MiB) of the parent and of each worker of the server on `port` (a one-process
    server: its one process as the worker); None without /proc."""
    pids = procs.server_pids(port)
    pss = procs.memory(pids)
    if not pss:
        return None
    parent = procs.parent_among(pids) if len(pids) > 1 else None
    workers = [round(kib / 1024, 1) for pid, kib in pss.items() if pid != parent]
    return {
        "parent": round(pss[parent] / 1024, 1) if parent is not None else None,
        "workers": workers,
        "total": round(sum(pss.values()) / 1024, 1),
    }


def _config_of(row: dict[str, Any]) -> tuple[int | None, int | None]:
    def value(label: str) -> int | None:
        return None if label == "default" else int(label)

    return value(row["workers"]), value(row["server_threads"])


def _label(value: int | None) -> str:
    return "default" if value is None else str(value)


def medians(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per server and client kind: each figure the median over its rounds, the
    ratio that of the median rates."""
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["workers"], row["server_threads"], row["clients"]), []).append(row)
    out = []
    for (count, threads, kind), group in groups.items():
        merged: dict[str, Any] = {"workers": count, "server_threads": threads, "clients": kind}
        for key in ("req_per_s", "client_cores", "machine_cores", "server_cpu_ms"):
            merged[key] = _median_per_clients([g[key] for g in group])
        merged["server_switches"] = _median_per_clients([g["server_switches"] for g in group])
        merged["ratio"] = scaling_ratio(merged["req_per_s"])
        merged["round_ratios"] = [g["ratio"] for g in group]
        merged["load_before"] = [g["load_before"] for g in group]
        merged["failures"] = sum(g["failures"] for g in group)
        merged["pss_mib"] = group[0].get("pss_mib")
        out.append(merged)
    return out


def _median_per_clients(values: Sequence[dict[int, float | None]]) -> dict[int, float | None]:
    result: dict[int, float | None] = {}
    for clients in values[0]:
        known = [v[clients] for v in values if v.get(clients) is not None]
        result[clients] = round(statistics.median(known), 2) if known else None
    return result


def report_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """One line per server and client kind: requests/s per client count, the ratio, the
    clients' and the machine's busy cores, the server's CPU and context switches per
    request, the load average before each round and the server's memory."""
    lines = []
    for sc in rows:
        rates = ", ".join(f"{t} {rps}" for t, rps in sc["req_per_s"].items())
        most = max(sc["req_per_s"])
        line = (
            f"idle throughput, server workers {sc['workers']} x {sc['server_threads']} "
            f"threads, client {sc['clients']}: requests/s at {rates}; ratio {most} / 1: "
            f"{sc['ratio']} ({sc['failures']} failed; client CPU, cores: "
            f"{_joined(sc['client_cores'])}; machine busy, cores: {_joined(sc['machine_cores'])}"
        )
        if "server_cpu_ms" in sc:
            line += (
                f"; server CPU ms / request: {_joined(sc['server_cpu_ms'])}; context switches"
                f" / request: {_joined(sc['server_switches'])}"
            )
        if "round_ratios" in sc:
            line += f"; ratio per round: {_joined(sc['round_ratios'])}"
        if "load_before" in sc:
            line += f"; load average before: {_joined(sc['load_before'])}"
        if sc.get("pss_mib"):
            mem = sc["pss_mib"]
            line += f"; PSS MiB: parent {mem['parent']}, workers {_joined(mem['workers'])}"
            line += f", total {mem['total']}"
        lines.append(line + ")")
    return lines


def _joined(values: dict[Any, Any] | Sequence[Any]) -> str:
    items = values.values() if isinstance(values, dict) else values
    return ", ".join(str(v) for v in items)
