"""URL parameters <-> `SearchRequest`.

The page and the JSON API share these parameters exactly (a page's URL and its API twin differ
only in the path), so both parse through `parse_search_args` and every link the page draws is
made by `to_query` from a `SearchRequest`: the query string always holds the whole state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from urllib.parse import parse_qsl, urlencode

from indexer.index.constants import MAX_PER_PAGE, SORTS, UNKNOWN
from indexer.models import SearchRequest
from webui.errors import BadRequest

MAX_QUERY_CHARS = 200
MAX_PAGE = 1000
MAX_FILTER_VALUES = 20
MAX_FILTER_CHARS = 200
DEFAULT_PER_PAGE = SearchRequest.per_page

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Args(Mapping[str, list[str]]):
    """Read-only view of a multi-valued query string (Werkzeug's MultiDict fits via getlist)."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self._data: dict[str, list[str]] = {}
        for key, value in pairs:
            self._data.setdefault(key, []).append(value)

    def __getitem__(self, key: str) -> list[str]:
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def _values(args: Mapping[str, list[str]], name: str) -> list[str]:
    """All non-empty values of a parameter; an empty form field means "not set"."""
    return [v.strip() for v in args.get(name, []) if v.strip()]


def _single(args: Mapping[str, list[str]], name: str) -> str | None:
    values = _values(args, name)
    if len(values) > 1:
        raise BadRequest(f"参数 {name} 只能出现一次")
    return values[0] if values else None


def _int(args: Mapping[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    raw = _single(args, name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        raise BadRequest(f"参数 {name} 必须是整数（{low} 到 {high}），收到 {raw[:20]!r}")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"参数 {name} 必须在 {low} 到 {high} 之间，收到 {value}")
    return value


def _date(args: Mapping[str, list[str]], name: str) -> str | None:
    raw = _single(args, name)
    if raw is None:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw).isoformat()
    except ValueError:
        raise BadRequest(f"参数 {name} 必须是 YYYY-MM-DD 格式的日期，收到 {raw[:20]!r}") from None


def _filters(args: Mapping[str, list[str]], name: str, pattern: re.Pattern[str] | None):
    """Values of a repeatable filter, deduplicated in order, each checked against `pattern`."""
    values = list(dict.fromkeys(_values(args, name)))
    if len(values) > MAX_FILTER_VALUES:
        raise BadRequest(f"参数 {name} 最多 {MAX_FILTER_VALUES} 个")
    for value in values:
        if len(value) > MAX_FILTER_CHARS:
            raise BadRequest(f"参数 {name} 过长（最多 {MAX_FILTER_CHARS} 个字符）")
        if pattern is not None and value != UNKNOWN and not pattern.fullmatch(value):
            example = "2024" if name == "year" else "2024-01"
            raise BadRequest(f"参数 {name} 格式应如 {example} 或 {UNKNOWN}，收到 {value[:20]!r}")
    return tuple(values)


def _query(args: Mapping[str, list[str]]) -> str:
    q = (_single(args, "q") or "").strip()
    if len(q) > MAX_QUERY_CHARS:
        raise BadRequest(
            f"查询过长：最多 {MAX_QUERY_CHARS} 个字符，当前 {len(q)} 个。请缩短查询。",
            code="query_too_long",
        )
    return q


def _refuse_control_characters(args: Mapping[str, list[str]]) -> None:
    """A NUL or another control character (tab and line breaks aside) in any parameter is
    no text anyone typed: refuse it rather than guess what was meant."""
    for name, values in args.items():
        for text in (name, *values):
            if _CONTROL.search(text):
                raise BadRequest(f"参数 {name[:20]!r} 含有控制字符")


def query_args(raw: bytes) -> Args:
    """The raw query string as `Args`, percent-decoded as strict UTF-8.

    Werkzeug's own parsing keeps an invalid sequence (`%FF%FE`) as its literal text, which
    would then be searched for; a query string that is not UTF-8 is a 400 instead.
    """
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeError:
        raise BadRequest(
            "查询字符串不是有效的 UTF-8 编码（请按 UTF-8 对参数做百分号编码）"
        ) from None
    return Args(pairs)


def parse_search_args(args: Mapping[str, list[str]]) -> SearchRequest:
    """Validate URL parameters into a `SearchRequest`; raise `BadRequest` naming the culprit.

    Unknown parameters are ignored (links from elsewhere may carry tracking noise); a
    parameter that must be single but appears twice is an error rather than a silent pick.
    """
    _refuse_control_characters(args)
    sort = _single(args, "sort") or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"参数 sort 只能是 {' / '.join(SORTS)}，收到 {sort[:20]!r}")
    date_from, date_to = _date(args, "from"), _date(args, "to")
    if date_from and date_to and date_from > date_to:
        raise BadRequest(f"起始日期 {date_from} 晚于结束日期 {date_to}")
    return SearchRequest(
        q=_query(args),
        sources=_filters(args, "source", None),
        sites=_filters(args, "site", None),
        years=_filters(args, "year", _YEAR),
        months=_filters(args, "month", _MONTH),
        regions=_filters(args, "region", None),
        documents=_filters(args, "document", None),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=_int(args, "page", 1, 1, MAX_PAGE),
        per_page=_int(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
    )


def multidict_args(md) -> Args:
    """Adapt Werkzeug's `request.args` (or any object with `lists()`) to `Args`."""
    return Args((key, value) for key, values in md.lists() for value in values)


# --- links -------------------------------------------------------------------------------

FILTER_FIELDS = {
    "source": "sources",
    "site": "sites",
    "year": "years",
    "month": "months",
    "region": "regions",
    "document": "documents",
}


def to_params(req: SearchRequest) -> list[tuple[str, str]]:
    """The query-string pairs that reproduce `req`, leaving out defaults to keep URLs short."""
    pairs: list[tuple[str, str]] = []
    if req.q:
        pairs.append(("q", req.q))
    for name, attr in FILTER_FIELDS.items():
        pairs.extend((name, value) for value in getattr(req, attr))
    if req.date_from:
        pairs.append(("from", req.date_from))
    if req.date_to:
        pairs.append(("to", req.date_to))
    if req.sort != "relevance":
        pairs.append(("sort", req.sort))
    if req.page != 1:
        pairs.append(("page", str(req.page)))
    if req.per_page != DEFAULT_PER_PAGE:
        pairs.append(("per_page", str(req.per_page)))
    return pairs


def to_query(req: SearchRequest) -> str:
    """`req` as a query string starting with "?", or "" when everything is default."""
    pairs = to_params(req)
    return "?" + urlencode(pairs) if pairs else ""


def with_filter(req: SearchRequest, name: str, value: str) -> SearchRequest:
    """`req` narrowed by one more filter value, back on page 1 (old pages may not exist)."""
    attr = FILTER_FIELDS[name]
    current = getattr(req, attr)
    if value in current:
        return replace(req, page=1)
    return replace(req, **{attr: (*current, value)}, page=1)


def without_filter(req: SearchRequest, name: str, value: str | None = None) -> SearchRequest:
    """`req` with one filter value (or the from/to/q parameter) removed, back on page 1."""
    if name == "from":
        return replace(req, date_from=None, page=1)
    if name == "to":
        return replace(req, date_to=None, page=1)
    if name == "q":
        return replace(req, q="", page=1)
    attr = FILTER_FIELDS[name]
    return replace(req, **{attr: tuple(v for v in getattr(req, attr) if v != value)}, page=1)


def has_filters(req: SearchRequest) -> bool:
    """Whether anything besides the query narrows the results."""
    return bool(
        req.sources
        or req.sites
        or req.years
        or req.months
        or req.regions
        or req.documents
        or req.date_from
        or req.date_to
    )
