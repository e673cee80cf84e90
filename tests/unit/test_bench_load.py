"""The load benchmark's throughput figures: the ratio and the line it prints.

Structure only: nothing here times anything.
"""

from __future__ import annotations

import pytest

from tests.bench.load import scaling_ratio


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
