"""The bench's process-tree memory sampler, over a /proc folder written by the test.

Structure only: no thread runs, nothing is timed; samples are taken by calling sample().
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.bench import proctree
from tests.bench.proctree import TreeSampler
from tests.bench.tables import tree_mb


def _proc(tmp_path: Path, table: dict[int, tuple[int, int, int]]) -> Path:
    """A fake /proc: pid -> (ppid, Pss kB, Rss kB); pid 0 has no smaps (it is gone)."""
    for pid, (ppid, pss, rss) in table.items():
        d = tmp_path / str(pid)
        d.mkdir()
        (d / "stat").write_text(f"{pid} (py thon) S {ppid} 1 1 0\n")
        if pid:
            (d / "smaps_rollup").write_text(
                f"00400000-7ff [rollup]\nRss:  {rss} kB\nPss:  {pss} kB\nPss_Anon: 1 kB\n"
            )
    (tmp_path / "self").mkdir()
    return tmp_path


TREE = {10: (1, 1000, 1500), 11: (10, 300, 900), 12: (10, 200, 800), 13: (11, 50, 60),
        20: (1, 7000, 7000)}  # fmt: skip


def test_the_tree_is_the_process_and_its_descendants_only(tmp_path: Path) -> None:
    proc = _proc(tmp_path, TREE)
    assert sorted(proctree.tree(10, proctree.children_of(proc))) == [10, 11, 12, 13]
    assert proctree.tree_kb(10, proc) == (1550, 3260, 4)
    assert proctree.tree_kb(11, proc) == (350, 960, 2)


def test_a_process_gone_counts_nothing(tmp_path: Path) -> None:
    proc = _proc(tmp_path, TREE)
    assert proctree.pss_rss_kb(99, proc) == (0, 0)


def test_the_sampler_keeps_the_peak_of_the_sums(tmp_path: Path) -> None:
    proc = _proc(tmp_path, TREE)
    sampler = TreeSampler(10, proc=proc)
    sampler.sample()
    (proc / "12" / "smaps_rollup").unlink()  # one child ended: the sums fall, the peak stays
    sampler.sample()
    assert sampler.figures() == {
        "tree_peak_pss_mb": round(1550 / 1024, 1),
        "tree_peak_rss_mb": round(3260 / 1024, 1),
        "tree_peak_procs": 4,
        "tree_samples": 2,
    }
    assert tree_mb(sampler.figures()) == "1.5 / 3.2"


def test_nothing_sampled_reads_as_no_figure(tmp_path: Path) -> None:
    figures = TreeSampler(10, proc=tmp_path).figures()
    assert figures["tree_peak_pss_mb"] is None
    assert tree_mb(figures) == "-"
    assert tree_mb({"peak_rss_mb": 12.0}) == "-"  # an older result without the figures


def test_this_process_has_memory_of_its_own() -> None:
    pss, rss, procs = proctree.tree_kb(os.getpid())
    assert procs >= 1
    assert 0 < pss <= rss


def test_the_sampler_waits_in_proportion_to_what_a_sample_costs(tmp_path: Path) -> None:
    """A cheap sample waits the interval; one that took 0.1 s (a big tree's page tables)
    waits SAMPLE_SHARE times that, so sampling never takes a core from what it measures."""
    proc = _proc(tmp_path, TREE)
    ticks = iter([0.0, 0.001, 10.0, 10.1])
    sampler = TreeSampler(10, interval=0.05, proc=proc, clock=lambda: next(ticks))
    assert sampler.timed_sample() == 0.05
    assert sampler.timed_sample() == pytest.approx(proctree.SAMPLE_SHARE * 0.1)
    assert sampler.samples == 2
