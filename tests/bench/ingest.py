"""The load benchmark's ingest: `indexer update` as its own process, and the sweep that
checks every new article is found (tests/bench/load.py runs both under query load).
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.bench.client import HOST, get_search, parse_result

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class UpdateRun:
    returncode: int
    seconds: float
    added: int | None
    output: str


def run_update(corpus: Path, index: Path, *, batch_size: int | None, timeout: float) -> UpdateRun:
    """`python -m indexer update` as its own process, as an operator would run it."""
    cmd = [sys.executable, "-m", "indexer", "update", "--corpus", str(corpus)]
    cmd += ["--index", str(index)]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    t0 = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    seconds = time.monotonic() - t0
    match = re.search(r"added: (\d+);", proc.stdout)
    return UpdateRun(
        proc.returncode,
        seconds,
        int(match.group(1)) if match else None,
        proc.stdout + proc.stderr,
    )


def unfound(port: int, expected: dict[str, str], *, deadline: float) -> dict[str, str]:
    """Search each marker once (then the misses again until `deadline`, a monotonic time).

    `expected` maps marker -> article id; a marker counts as found when its search returns
    exactly that one article. Returns the markers still not found, with what came back.
    """
    missing = dict(expected)
    problems: dict[str, str] = {}
    conn = http.client.HTTPConnection(HOST, port, timeout=10.0)
    try:
        while missing:
            for mark, doc_id in list(missing.items()):
                try:
                    status, body = get_search(port, mark, conn=conn)
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10.0)
                    problems[mark] = f"{type(exc).__name__}: {exc}"
                    continue
                ok, total, ids, error = parse_result(status, body)
                if ok and total == 1 and ids == (doc_id,):
                    del missing[mark]
                    problems.pop(mark, None)
                else:
                    problems[mark] = error or f"total {total}, ids {list(ids)}"
            if not missing or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        conn.close()
    return {mark: problems.get(mark, "") for mark in missing}
