"""A search result as JSON: the one shape `python -m indexer search --json|--batch` prints
and `GET /api/search` sends (webui/render.py hands its result here).

Kept on the read side, not in the web layer, because the command line prints it without
loading Flask; kept out of models.py so the records say what a result is, and this module
how it is spelled. Its keys are public (users' scripts read them): add, never rename.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from indexer.models import FacetValue, Hit, SearchResult


def hit_json(hit: Hit) -> dict[str, Any]:
    """One hit: every attribute under its own name, tuples as lists."""
    data = asdict(hit)
    data["sources"] = list(hit.sources)
    data["also_at"] = [asdict(a) for a in hit.also_at]
    return data


def _counts(values: tuple[FacetValue, ...]) -> list[dict[str, Any]]:
    return [{"value": v.value, "count": v.count} for v in values]


def result_json(result: SearchResult) -> dict[str, Any]:
    """One page of hits with the facets and the timeline of the whole match."""
    return {
        "query": result.query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "took_ms": result.took_ms,
        "partial": result.partial,
        "hits": [hit_json(h) for h in result.hits],
        "facets": {name: _counts(values) for name, values in result.facets.items()},
        "timeline": _counts(result.timeline),
    }
