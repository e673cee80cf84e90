"""Stories per league or city as a horizontal bar chart, drawn on the server as SVG.

Like the timeline, this module only computes geometry and links; the template draws the
`<svg>` so Jinja's autoescaping covers every label. Each bar links to the `region` filter
(or, when that region is already selected, to the page without it), so the chart reads
and works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from indexer.models import FacetValue, SearchRequest
from webui.params import to_query, with_filter, without_filter

WIDTH = 600
ROW = 24  # height of one bar's row
BAR = 16  # height of the bar inside it
LABEL_WIDTH = 96  # room for the longest name (锡林郭勒盟) left of the bars
COUNT_WIDTH = 48  # room for the count right of the longest bar


@dataclass(frozen=True)
class RegionBar:
    y: float
    width: float
    value: str
    count: int
    href: str
    active: bool


@dataclass(frozen=True)
class RegionChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[RegionBar, ...]

    @property
    def text_dy(self) -> float:
        """Baseline of a row's text, centred on its bar."""
        return self.bar_height / 2 + 4


def build_region_chart(
    counts: Iterable[FacetValue], req: SearchRequest, path: str
) -> RegionChart | None:
    """One bar per region with stories, most first (the facet's order), or None."""
    values = [fv for fv in counts if fv.count > 0]
    if not values:
        return None
    top = max(fv.count for fv in values)
    room = WIDTH - LABEL_WIDTH - COUNT_WIDTH
    bars = []
    for i, fv in enumerate(values):
        active = fv.value in req.regions
        target = (
            without_filter(req, "region", fv.value)
            if active
            else with_filter(req, "region", fv.value)
        )
        bars.append(
            RegionBar(
                y=i * ROW + (ROW - BAR) / 2,
                width=round(max(room * fv.count / top, 2.0), 2),
                value=fv.value,
                count=fv.count,
                href=path + to_query(target),
                active=active,
            )
        )
    return RegionChart(WIDTH, ROW * len(bars), LABEL_WIDTH, BAR, tuple(bars))
