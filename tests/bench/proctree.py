"""The memory of a process tree, sampled: what a phase's processes hold at once.

A phase's own peak (VmHWM) and its largest child's (rusage) say nothing of processes that
run side by side: a build's driver, its extraction workers and its segment writers are
alive together, and the machine must hold all of them. So the bench samples the phase's
tree (the process and every descendant) every INTERVAL seconds from a thread and keeps
the peak of the sums: PSS (a page shared after a fork counted once, split between its
sharers: the honest figure) and RSS (shared pages counted in every process: an upper
bound). A sampler misses peaks shorter than its interval; the build's are minutes long.
Linux only (/proc); elsewhere the figures stay None.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.bench.procs import PROC, ppid, rollup_kib

INTERVAL = 0.05  # seconds between samples, at least
# A sample costs the kernel a walk of every page table of the tree (smaps_rollup): about
# 0.1 s for a 2.5 GB process. At a fixed 50 ms the sampler of a 1,000,000-article build
# spent 860 s of system time in 65 minutes, a whole core taken from the build it measured.
# So the wait after a sample is at least SAMPLE_SHARE times what the sample took: the
# sampler costs at most 1 / (1 + SAMPLE_SHARE) of one core.
SAMPLE_SHARE = 20


def children_of(proc: Path = PROC) -> dict[int, list[int]]:
    """Every live process's children, from each /proc/PID/stat's parent field."""
    out: dict[int, list[int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone since the listing
            continue
        out.setdefault(ppid(stat), []).append(int(entry.name))
    return out


def tree(pid: int, children: dict[int, list[int]]) -> list[int]:
    """`pid` and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def pss_rss_kb(pid: int, proc: Path = PROC) -> tuple[int, int]:
    """(Pss, Rss) of one process in kB from smaps_rollup; (0, 0) once it is gone."""
    try:
        text = (proc / str(pid) / "smaps_rollup").read_text()
    except OSError:
        return 0, 0
    fields = rollup_kib(text)
    return fields.get("Pss", 0), fields.get("Rss", 0)


def tree_kb(pid: int, proc: Path = PROC) -> tuple[int, int, int]:
    """(sum of Pss, sum of Rss, process count) of `pid`'s tree right now."""
    pids = tree(pid, children_of(proc))
    sizes = [pss_rss_kb(p, proc) for p in pids]
    return sum(s[0] for s in sizes), sum(s[1] for s in sizes), len(pids)


class TreeSampler:
    """Samples a process tree from a thread while the `with` block runs; `figures()`
    gives the peaks in MB (see the module docstring)."""

    def __init__(
        self,
        pid: int,
        interval: float = INTERVAL,
        proc: Path = PROC,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.pid, self.interval, self.proc, self.clock = pid, interval, proc, clock
        self.peak_pss = self.peak_rss = self.peak_procs = self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        pss, rss, procs = tree_kb(self.pid, self.proc)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_procs = max(self.peak_procs, procs)
        self.samples += 1

    def timed_sample(self) -> float:
        """Take a sample; return how long to wait before the next (see SAMPLE_SHARE)."""
        t0 = self.clock()
        self.sample()
        return max(self.interval, SAMPLE_SHARE * (self.clock() - t0))

    def _run(self) -> None:
        wait = self.interval
        while not self._stop.wait(wait):
            wait = self.timed_sample()

    def __enter__(self) -> TreeSampler:
        if (self.proc / "self" / "smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def figures(self) -> dict[str, Any]:
        """Peak sums in MB (None when nothing was sampled), the most processes seen at
        once and the sample count."""

        def mb(kb: int) -> float | None:
            return round(kb / 1024, 1) if self.samples else None

        return {
            "tree_peak_pss_mb": mb(self.peak_pss),
            "tree_peak_rss_mb": mb(self.peak_rss),
            "tree_peak_procs": self.peak_procs,
            "tree_samples": self.samples,
        }
