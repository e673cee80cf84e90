"""A page's extraction budget: size, time by an injected clock, and work steps."""

from __future__ import annotations

import pytest

from indexer.extract import budget
from indexer.extract.budget import Budget, BudgetExceeded


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_page_longer_than_the_limit_is_refused_with_its_size() -> None:
    b = Budget(max_chars=10)
    b.check_size(10)
    with pytest.raises(BudgetExceeded, match=r"11 characters \(limit 10\)"):
        b.check_size(11)


def test_time_runs_from_creation_by_the_injected_clock() -> None:
    clock = Clock()
    b = Budget(seconds=2.0, clock=clock)
    clock.now += 2.0
    b.check("body")  # exactly the budget is still within it
    clock.now += 0.5
    with pytest.raises(BudgetExceeded, match=r"longer than 2 s \(stopped at metadata\)"):
        b.check("metadata")


def test_steps_add_up_and_stop_past_the_limit_naming_the_stage() -> None:
    b = Budget(steps=5, clock=Clock())
    b.spend(3)
    b.spend(2)
    with pytest.raises(BudgetExceeded, match=r"more than 5 steps \(stopped at repeated blocks\)"):
        b.spend(1)


def test_no_step_limit_by_default() -> None:
    b = Budget(clock=Clock())
    b.spend(10**9)
    assert b.spent == 10**9


def test_limits_are_read_when_a_budget_is_made_not_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(budget, "MAX_EXTRACT_CHARS", 3)
    monkeypatch.setattr(budget, "EXTRACT_STEPS", 1)
    b = Budget(clock=Clock())
    assert (b.max_chars, b.steps) == (3, 1)
