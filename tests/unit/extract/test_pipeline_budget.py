"""pipeline under the per-page extraction budget: a page over its time, step or size bound
is skipped naming where it stopped, and the module's limits reach every page."""

from __future__ import annotations

import hashlib

import pytest

from indexer.extract import budget as budget_module
from indexer.extract.budget import Budget
from indexer.extract.pipeline import process_bytes
from indexer.models import Article, Skipped
from tests.unit.extract.pages import PROSE

# --- the per-page extraction budget --------------------------------------------------------

_PAGE = f"标题在此处\n2024-01-02 来源:甲报\n{PROSE}\n".encode()
_REPEATED = ("标题在此处\n2024-01-02 来源:甲报\n" + "稀土创新科技发展。\n" * 1_000).encode()


class _Ticks:
    """A clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_a_page_over_its_time_budget_is_skipped_with_the_stage() -> None:
    result = process_bytes(_PAGE, "slow.txt", Budget(seconds=2.5, clock=_Ticks(1.0)))
    assert result == Skipped(
        path="slow.txt",
        reason="extraction took longer than 2.5 s (stopped at body selection)",
        file_hash=hashlib.sha256(_PAGE).hexdigest(),
    )


def test_a_page_over_its_step_budget_is_skipped() -> None:
    result = process_bytes(_REPEATED, "many.txt", Budget(steps=100))
    assert isinstance(result, Skipped)
    assert result.reason == "extraction needed more than 100 steps (stopped at repeated blocks)"


def test_a_page_over_its_size_budget_is_skipped_before_any_stage() -> None:
    result = process_bytes(_PAGE, "big.txt", Budget(max_chars=20))
    assert isinstance(result, Skipped)
    assert result.reason == f"page too long to extract: {len(_PAGE.decode())} characters (limit 20)"


def test_within_budget_the_page_is_an_article() -> None:
    result = process_bytes(
        _REPEATED, "many.txt", Budget(seconds=2.5, clock=_Ticks(0.0), steps=10**6)
    )
    assert isinstance(result, Article)
    assert result.body.split("\n") == ["稀土创新科技发展。"] * 3


def test_module_limits_reach_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """update's workers and the upload API build their Budget() from the module's limits."""
    monkeypatch.setattr(budget_module, "MAX_EXTRACT_CHARS", 10)
    result = process_bytes(_PAGE, "big.txt")
    assert isinstance(result, Skipped) and result.reason.startswith("page too long to extract")
