"""regions_chart: the bar chart's geometry and links, computed without a template: one bar
per region with stories in the facet's order, widths in proportion within the room left
by the labels, and each bar linking to add (or, when selected, remove) its filter."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from indexer.models import FacetValue, SearchRequest
from webui.regions_chart import (
    BAR,
    COUNT_WIDTH,
    LABEL_WIDTH,
    ROW,
    WIDTH,
    build_region_chart,
)

COUNTS = (FacetValue("包头市", 40), FacetValue("赤峰市", 10), FacetValue("阿拉善盟", 0))


def test_no_chart_without_a_region_with_stories() -> None:
    assert build_region_chart((), SearchRequest(), "/") is None
    assert build_region_chart((FacetValue("包头市", 0),), SearchRequest(), "/") is None


def test_bars_in_order_with_widths_in_proportion() -> None:
    chart = build_region_chart(COUNTS, SearchRequest(q="稀土"), "/")
    assert chart is not None
    assert [b.value for b in chart.bars] == ["包头市", "赤峰市"]  # empty regions drawn not
    room = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    assert [b.width for b in chart.bars] == [room, room / 4]
    assert [b.y for b in chart.bars] == [(ROW - BAR) / 2, ROW + (ROW - BAR) / 2]
    assert (chart.width, chart.height, chart.bar_height) == (WIDTH, 2 * ROW, BAR)
    assert chart.text_dy == BAR / 2 + 4


def test_a_tiny_count_still_shows_a_bar() -> None:
    chart = build_region_chart((FacetValue("a", 10_000), FacetValue("b", 1)), SearchRequest(), "/")
    assert chart is not None and chart.bars[1].width == 2.0


def test_a_bar_adds_its_filter_and_a_selected_one_removes_it() -> None:
    req = SearchRequest(q="稀土", regions=("赤峰市",), page=2)
    chart = build_region_chart(COUNTS, req, "/search")
    assert chart is not None
    add, remove = chart.bars
    assert not add.active and remove.active
    assert urlsplit(add.href).path == "/search"
    assert parse_qsl(urlsplit(add.href).query) == [
        ("q", "稀土"), ("region", "赤峰市"), ("region", "包头市")
    ]  # fmt: skip
    assert parse_qsl(urlsplit(remove.href).query) == [("q", "稀土")]  # and back on page 1
