"""Benchmark: how long a second writer waits for the index lock, against its timeout.

    python -m tests.bench.locks [--timeout 0.3] [--reps 5]

A writer holds the index's write lock; `write.update(..., lock_timeout=T)` must give up
with IndexLocked after T seconds. Printed: T, the median and worst wait, and their ratio
to T (1.0 is exact). Timing is measured here, never asserted in tests: on a loaded
machine any upper bound would fail at random.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from indexer import write
from indexer.index import errors

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def waits(timeout: float, reps: int) -> list[float]:
    """Seconds each of `reps` refused updates waited while the lock was held."""
    work = Path(tempfile.mkdtemp(prefix="nmg-locks-"))
    try:
        write.build(SEEDS, work / "index")
        out = []
        with write.write_lock(work / "index", timeout=1.0):
            for _ in range(reps):
                t0 = time.monotonic()
                try:
                    write.update(SEEDS, work / "index", lock_timeout=timeout)
                except errors.IndexLocked:
                    out.append(time.monotonic() - t0)
                else:
                    raise SystemExit("update ran although the lock was held")
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.bench.locks", description=__doc__)
    p.add_argument("--timeout", type=float, default=0.3, help="lock timeout, seconds")
    p.add_argument("--reps", type=int, default=5, help="refused updates to time")
    args = p.parse_args(argv)
    w = waits(args.timeout, args.reps)
    med, worst, t = statistics.median(w), max(w), args.timeout
    print(
        f"lock timeout {t} s: median wait {med:.3f} s ({med / t:.2f}x), "
        f"worst {worst:.3f} s ({worst / t:.2f}x), {len(w)} refused updates"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
