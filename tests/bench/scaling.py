"""Readers in parallel: idle requests/s at 1, 2 and 4 client threads, per server worker count.

Part of the load benchmark: built on its client (tests/bench/load.py), whose scenario runs
this before the ingest. For each
`--workers` value a server (`python -m webui --workers N`) is started on the same index,
and the query mix runs at each of SCALING_THREADS client threads, one after the other;
the figure is requests/s and the ratio of the most threads to one (1.0: requests served
one at a time; the machine's core count is the ceiling).

The load generator shares the machine's cores with the server, so each run also reports
the client's CPU share (its process CPU seconds over the run's wall seconds, in cores):
when that share is a large part of a core, the ratio measures the client as much as the
server. Client threads live in one process; with the GIL they cost at most one core.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tests.bench.load import LoadRun, serve, summary

SCALING_THREADS = (1, 2, 4)


def scaling(
    port: int, queries: Sequence[str], *, requests_per_thread: int, pause: float
) -> dict[str, Any]:
    """Requests/s of the query mix at each of SCALING_THREADS client threads, one after
    the other on the same server, the ratio of the most threads to one, and the client's
    CPU share (cores) during each."""
    rates: dict[int, float] = {}
    client: dict[int, float] = {}
    failures = 0
    for threads in SCALING_THREADS:
        run = LoadRun(
            port,
            queries,
            threads=threads,
            max_requests=requests_per_thread * threads,
            max_seconds=120,
            pause=pause,
        )
        wall, cpu = time.monotonic(), time.process_time()
        run.start()
        got = summary(run.wait())
        client[threads] = cpu_share(time.process_time() - cpu, time.monotonic() - wall)
        rates[threads], failures = got["req_per_s"], failures + got["failures"]
    return {
        "req_per_s": rates,
        "ratio": scaling_ratio(rates),
        "client_cores": client,
        "failures": failures,
    }


def scaling_ratio(rates: dict[int, float]) -> float | None:
    """Requests/s at the most threads over requests/s at one; None without a rate at one."""
    if not rates.get(1):
        return None
    return round(rates[max(rates)] / rates[1], 2)


def cpu_share(cpu_seconds: float, wall_seconds: float) -> float:
    """CPU seconds per wall second (cores busy on average); 0.0 for no time."""
    return round(cpu_seconds / wall_seconds, 2) if wall_seconds > 0 else 0.0


def per_workers(
    workers: Sequence[int | None],
    index: Path,
    corpus: Path,
    measure: Callable[[int], dict[str, Any]],
) -> dict[str, dict[str, Any]]:
    """`measure(port)` on a server of each worker count in turn (None: the server's
    default), all over one index; keyed by the count as text ("default" for None)."""
    out: dict[str, dict[str, Any]] = {}
    for count in workers:
        with serve(index, corpus, workers=count) as port:
            out["default" if count is None else str(count)] = measure(port)
    return out


def report_lines(by_workers: dict[str, dict[str, Any]]) -> list[str]:
    """One line per worker count: requests/s per thread count, the ratio, client cores."""
    lines = []
    for count, sc in by_workers.items():
        rates = ", ".join(
            f"{t} thread{'s' if t > 1 else ''} {rps}" for t, rps in sc["req_per_s"].items()
        )
        cores = ", ".join(f"{c}" for c in sc.get("client_cores", {}).values())
        lines.append(
            f"idle throughput, server workers {count}, "
            f"requests/s: {rates}; ratio {max(sc['req_per_s'])} threads / 1 thread: "
            f"{sc['ratio']} ({sc['failures']} failed; client CPU, cores: {cores})"
        )
    return lines
