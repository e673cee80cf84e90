"""The timeline chart's geometry and links (the template draws it)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from indexer.models import FacetValue, SearchRequest
from webui.timeline import HEIGHT, LABEL_SPACE, MAX_LABELS, WIDTH, build_timeline, period_label

REQ = SearchRequest(q="稀土")


def test_period_labels_in_chinese() -> None:
    assert period_label("2024") == "2024年"
    assert period_label("2024-01") == "2024年1月"
    assert period_label("unknown") == "日期不详"


def test_nothing_dated_draws_nothing() -> None:
    assert build_timeline([], REQ, "/search") is None
    assert build_timeline([FacetValue("unknown", 5)], REQ, "/search") is None
    assert build_timeline([FacetValue("2024", 0)], REQ, "/search") is None


def test_bars_are_chronological_the_tallest_fills_the_chart_and_link_to_their_period() -> None:
    buckets = [FacetValue("2024-03", 2), FacetValue("unknown", 9), FacetValue("2024-01", 4)]
    t = build_timeline(buckets, REQ, "/search")
    assert t is not None and t.unit == "month"
    assert [b.value for b in t.bars] == ["2024-01", "2024-03"]
    first, second = t.bars
    assert first.height == HEIGHT - LABEL_SPACE and second.height == (HEIGHT - LABEL_SPACE) / 2
    query = parse_qs(urlsplit(first.href).query)
    assert urlsplit(first.href).path == "/search"
    assert query["month"] == ["2024-01"] and query["q"] == ["稀土"]


def test_an_empty_period_keeps_its_slot_without_a_bar() -> None:
    t = build_timeline(
        [FacetValue("2022", 1), FacetValue("2023", 0), FacetValue("2024", 1)], REQ, "/"
    )
    assert t is not None and t.unit == "year"
    assert [b.value for b in t.bars] == ["2022", "2024"]
    assert t.bars[1].x > 2 * WIDTH / 3 - 1  # the third slot, not the second


@given(st.lists(st.integers(min_value=1, max_value=1000), min_size=1, max_size=60))
def test_bars_stay_inside_the_chart_and_labels_are_few(counts: list[int]) -> None:
    buckets = [FacetValue(f"{2000 + i // 12}-{i % 12 + 1:02d}", c) for i, c in enumerate(counts)]
    t = build_timeline(buckets, REQ, "/")
    assert t is not None
    for b in t.bars:
        assert 0 <= b.x and b.x + b.width <= WIDTH + 0.01
        assert 0 <= b.y and b.y + b.height <= t.baseline + 0.01
    assert 1 <= sum(b.show_label for b in t.bars) <= MAX_LABELS
