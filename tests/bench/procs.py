"""The server's own cost, read from Linux /proc: which processes serve a port, their CPU
time and context switches (so a rate can be turned into CPU per request), and what memory
each really costs (PSS).

Part of the throughput benchmark (tests/bench/scaling.py). Requests/s alone cannot tell a
server that does more work per request under concurrency (lock hand-offs, a GIL convoy)
from a machine that another job keeps busy; CPU milliseconds and context switches per
request, read from the server's processes around each measurement, can. Memory: the
workers share the parent's pages (forked) and the index files (mapped), so RSS counts
those pages once per worker; PSS divides each shared page among the processes mapping it,
so the PSS of all server processes adds up to what the server really holds.

Where there is no /proc every reading is None and the benchmark prints none.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
LISTEN = "0A"  # the TCP state /proc/net/tcp gives a listening socket


@dataclass(frozen=True)
class Usage:
    """CPU seconds (user + system, every thread) and context switches (voluntary and
    involuntary, every thread) of a set of processes at one moment."""

    cpu_s: float
    switches: int

    def __sub__(self, other: Usage) -> Usage:
        return Usage(self.cpu_s - other.cpu_s, self.switches - other.switches)


def listening_inodes(port: int, proc: Path = PROC) -> set[str]:
    """Socket inodes listening on `port` (IPv4 and IPv6 tables)."""
    inodes = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def server_pids(port: int, proc: Path = PROC) -> list[int]:
    """Every process holding a socket that listens on `port`: a one-process server, or the
    parent and all its workers (they inherit the listening socket)."""
    wanted = {f"socket:[{inode}]" for inode in listening_inodes(port, proc)}
    pids = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            links = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if links & wanted:
            pids.append(int(entry.name))
    return sorted(pids)


def parent_among(pids: Sequence[int], proc: Path = PROC) -> int | None:
    """The pid among `pids` whose parent is not among them (the server's parent process),
    or None when there is not exactly one."""
    roots = []
    for pid in pids:
        try:
            stat = (proc / str(pid) / "stat").read_text()
        except OSError:
            continue
        if ppid(stat) not in pids:
            roots.append(pid)
    return roots[0] if len(roots) == 1 else None


def ppid(stat_line: str) -> int:
    """The parent pid in a /proc/PID/stat line ("pid (comm) state ppid ..."; the command
    name may hold spaces or parentheses, so count after its last ')')."""
    return int(stat_line.rsplit(")", 1)[1].split()[1])


def cpu_seconds(stat_line: str) -> float:
    """User + system CPU seconds of every thread, from a /proc/PID/stat line (fields 14
    and 15; the command name in parentheses may hold spaces, so count after its ')')."""
    after = stat_line.rsplit(")", 1)[1].split()
    return (int(after[11]) + int(after[12])) / os.sysconf("SC_CLK_TCK")


def switches(status_text: str) -> int:
    """Voluntary + involuntary context switches in a /proc/.../status text."""
    total = 0
    for line in status_text.splitlines():
        if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
            total += int(line.split()[1])
    return total


def usage(pids: Iterable[int], proc: Path = PROC) -> Usage | None:
    """The processes' CPU time and context switches (a process's status counts its main
    thread only, so every thread's is added); None if one is gone or there is no /proc."""
    cpu, count = 0.0, 0
    try:
        for pid in pids:
            cpu += cpu_seconds((proc / str(pid) / "stat").read_text())
            for task in (proc / str(pid) / "task").iterdir():
                count += switches((task / "status").read_text())
    except OSError:
        return None
    return Usage(cpu, count)


def rollup_kib(smaps_rollup: str) -> dict[str, int]:
    """Every "Name:  N kB" figure of a /proc/PID/smaps_rollup text, in KiB by name."""
    out = {}
    for line in smaps_rollup.splitlines():
        name, sep, rest = line.partition(":")
        words = rest.split()
        if sep and len(words) == 2 and words[1] == "kB" and words[0].isdigit():
            out[name] = int(words[0])
    return out


def pss_kib(smaps_rollup: str) -> int | None:
    """The `Pss:` figure (KiB) of a /proc/PID/smaps_rollup text."""
    return rollup_kib(smaps_rollup).get("Pss")


def memory(pids: Sequence[int], proc: Path = PROC) -> dict[int, int] | None:
    """PSS in KiB per process; None where the kernel does not say."""
    out = {}
    for pid in pids:
        try:
            pss = pss_kib((proc / str(pid) / "smaps_rollup").read_text())
        except OSError:
            return None
        if pss is None:
            return None
        out[pid] = pss
    return out


def per_request(delta: Usage | None, requests: int) -> tuple[float | None, float | None]:
    """(server CPU ms, context switches) per request over one measurement."""
    if delta is None or requests <= 0:
        return None, None
    return round(delta.cpu_s * 1000 / requests, 2), round(delta.switches / requests, 1)
