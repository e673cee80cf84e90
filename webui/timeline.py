"""Matching articles over time as a small bar chart, drawn on the server as SVG.

This module only computes geometry and links; the template draws the `<svg>` so Jinja's
autoescaping covers every label. Month buckets ("2024-01") link to `month=`, year buckets
("2024") to `year=`; the bucket of unknown dates is left out (it has its own facet entry).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indexer.models import FacetValue, SearchRequest
from webui.params import UNKNOWN, to_query, with_filter

WIDTH = 600
HEIGHT = 120
LABEL_SPACE = 18
GAP = 2
MAX_LABELS = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: str
    label: str
    count: int
    href: str
    show_label: bool


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    baseline: float
    unit: str  # "month" or "year"
    bars: tuple[Bar, ...]


def period_label(value: str) -> str:
    """Chinese label of a period bucket: 2024 -> 2024年, 2024-01 -> 2024年1月."""
    if value == UNKNOWN:
        return "日期不详"
    if len(value) == 7 and value[4] == "-":
        return f"{value[:4]}年{int(value[5:])}月"
    if len(value) == 4:
        return f"{value}年"
    return value


def build_timeline(buckets: Iterable[FacetValue], req: SearchRequest, path: str) -> Timeline | None:
    """Bars for the dated buckets in chronological order, or None when there is nothing to draw.

    Empty periods keep their slot (so gaps in time look like gaps) but get no bar or link.
    """
    dated = sorted((b for b in buckets if b.value != UNKNOWN), key=_key)
    if not any(b.count > 0 for b in dated):
        return None
    unit = "month" if len(dated[0].value) == 7 else "year"
    slot = WIDTH / len(dated)
    bar_width = max(slot - GAP, 1.0)
    chart_height = HEIGHT - LABEL_SPACE
    top = max(b.count for b in dated)
    every = max(1, -(-len(dated) // MAX_LABELS))
    bars = []
    for i, bucket in enumerate(dated):
        if bucket.count <= 0:
            continue
        height = max(chart_height * bucket.count / top, 2.0)
        target = with_filter(req, unit, bucket.value)
        bars.append(
            Bar(
                x=round(i * slot + GAP / 2, 2),
                y=round(chart_height - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                value=bucket.value,
                label=period_label(bucket.value),
                count=bucket.count,
                href=path + to_query(target),
                show_label=i % every == 0,
            )
        )
    return Timeline(WIDTH, HEIGHT, chart_height, unit, tuple(bars))


def _key(bucket: FacetValue) -> str:
    return bucket.value
