"""Stories, not copies: which copy shows a story, and the hit or article record shown.

Part of the read side. Copies of one story (a duplicate group the writer assigned) are
collapsed to one representative: its canonical member when that member is selected, else
another selected member. The other live members are listed as `also_at`. A hit and the
article record are assembled from a document's stored fields, with the query's literal
matches highlighted on the display text (query.literal_spans, highlight.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from indexer.index.fields import stored_sources
from indexer.models import AlsoAt, Hit
from indexer.read import highlight, keywords
from indexer.read.columns import Columns
from indexer.read.query import Plan, literal_spans, parse

if TYPE_CHECKING:
    from indexer.read.generation import Generation


def representatives(cols: Columns, mask: np.ndarray) -> np.ndarray:
    """One document per story among the masked documents (canonical first)."""
    sel = cols.rep_order[mask[cols.rep_order]]
    if len(sel) == 0:
        return sel
    g = cols.group_of[sel]
    first = np.r_[True, g[1:] != g[:-1]]
    return sel[first]


def members(cols: Columns, docnum: int) -> list[int]:
    """Live documents of the docnum's group, canonical first."""
    return [int(d) for d in cols.story(docnum) if cols.live[d]]


def display_member(cols: Columns, docnum: int, selected: np.ndarray) -> int:
    """The canonical member of docnum's story if it is selected, else docnum itself."""
    for d in members(cols, docnum):
        if cols.canonical[d] and selected[d]:
            return d
        break
    return docnum


def also_at(gen: Generation, docnum: int) -> list[AlsoAt]:
    """The story's other live copies, oldest first (undated last), then by path."""
    out = []
    for d in members(gen.columns, docnum):
        if d == docnum:
            continue
        doc = gen.stored(d)
        out.append(
            AlsoAt(
                id=doc["id"],
                site=doc.get("site") or None,
                published=doc.get("published") or None,
                path=doc.get("path", ""),
                title=doc.get("title", ""),
            )
        )
    out.sort(key=lambda a: (a.published is None, a.published or "", a.path))
    return out


def make_hit(gen: Generation, plan: Plan, docnum: int, score: float, highlight_spans: bool) -> Hit:
    """One result of a page; without highlights when the request's budget is spent."""
    doc = gen.stored(docnum)
    body = doc.get("body", "")
    # Only the start of a long body is folded and cut into sentences (snippet_source):
    # a hit costs the same whatever the page's length.
    head = highlight.snippet_source(body)
    terms = plan.positive_terms if highlight_spans else ()
    spans = literal_spans(head, terms) if terms else []
    title = doc.get("title", "")
    title_spans = literal_spans(title, terms) if terms else []
    return Hit(
        id=doc["id"],
        path=doc.get("path", ""),
        title=title,
        title_html=highlight.mark_html(title, title_spans),
        title_inferred=bool(doc.get("title_inferred", False)),
        snippet_html=highlight.snippet_html(head, spans, more=len(head) < len(body)),
        published=doc.get("published") or None,
        sources=stored_sources(doc),
        site=doc.get("site") or None,
        score=round(score, 4),
        also_at=tuple(also_at(gen, docnum)),
    )


def article_record(gen: Generation, article_id: str, q: str) -> dict[str, Any] | None:
    """The article view's record (its body highlighted for `q`), or None if not live."""
    docnum = gen.docnum_of(article_id)
    if docnum is None:
        return None
    doc = gen.stored(docnum)
    body = doc.get("body", "")
    terms = parse(q).positive_terms if q else ()
    spans = literal_spans(body, terms) if terms else []
    return {
        "id": doc["id"],
        "path": doc.get("path", ""),
        "title": doc.get("title", ""),
        "title_inferred": bool(doc.get("title_inferred", False)),
        "published": doc.get("published") or None,
        "sources": list(stored_sources(doc)),
        "site": doc.get("site") or None,
        "body": body,
        "regions": keywords.article_values(doc, "regions"),
        "documents": keywords.article_values(doc, "documents"),
        "content_hash": doc.get("content_hash", ""),
        "also_at": [
            {
                "id": a.id,
                "site": a.site,
                "published": a.published,
                "path": a.path,
                "title": a.title,
            }
            for a in also_at(gen, docnum)
        ],
        "body_html": highlight.body_html(body, spans),
    }
