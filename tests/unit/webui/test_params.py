"""URL parameters -> SearchRequest, and SearchRequest -> links (pure functions, no app)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.models import SearchRequest
from webui.errors import BadRequest
from webui.params import (
    Args,
    parse_search_args,
    query_args,
    to_params,
    to_query,
    with_filter,
    without_filter,
)


def parse(query: str) -> SearchRequest:
    return parse_search_args(Args(parse_qsl(query, keep_blank_values=True)))


def test_empty_query_string_is_the_default_request():
    assert parse("") == SearchRequest()


def test_all_parameters():
    req = parse(
        "q=科技&source=A&source=B&site=s1&year=2024&month=2024-01&from=2024-01-01"
        "&to=2024-02-01&sort=newest&page=3&per_page=50"
    )
    assert req == SearchRequest(
        q="科技",
        sources=("A", "B"),
        sites=("s1",),
        years=("2024",),
        months=("2024-01",),
        date_from="2024-01-01",
        date_to="2024-02-01",
        sort="newest",
        page=3,
        per_page=50,
    )


def test_blank_form_fields_mean_unset():
    assert parse("q=&from=&to=&sort=&page=") == SearchRequest()


def test_query_is_stripped():
    assert parse("q=%20%E7%A7%91%E6%8A%80%20").q == "科技"


@pytest.mark.parametrize("query", ["q=%E7%A7%91%00", "source=%00", "site=a%1Fb", "x%07=1"])
def test_control_characters_in_any_parameter_are_refused(query: str):
    with pytest.raises(BadRequest, match="控制字符"):
        parse(query)


@pytest.mark.parametrize("raw", [b"q=%FF%FE", b"q=%E7%A8", b"source=%C0%80"])
def test_a_query_string_that_is_not_utf8_is_refused(raw: bytes):
    with pytest.raises(BadRequest, match="UTF-8"):
        query_args(raw)


def test_query_args_decodes_utf8_and_keeps_blank_values():
    assert dict(query_args(b"q=%E7%A8%80%E5%9C%9F+x&page=")) == {"q": ["稀土 x"], "page": [""]}


def test_repeated_filter_values_are_deduplicated_in_order():
    assert parse("source=B&source=A&source=B").sources == ("B", "A")


def test_unknown_bucket_is_a_valid_year_and_month():
    req = parse("year=unknown&month=unknown")
    assert (req.years, req.months) == (("unknown",), ("unknown",))


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("page=abc", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=1.5", "page"),
        ("page=１", "page"),  # full-width digit: isdigit() is True, but not a URL integer
        ("page=1001", "page"),
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("sort=best", "sort"),
        ("from=2024-13-01", "from"),
        ("from=2024/01/01", "from"),
        ("to=20240101", "to"),
        ("from=2024-03-01&to=2024-01-01", "晚于"),
        ("year=24", "year"),
        ("month=2024-13", "month"),
        ("month=2024-1", "month"),
        ("page=1&page=2", "只能出现一次"),
        ("q=a&q=b", "只能出现一次"),
    ],
)
def test_bad_parameters_name_the_culprit(query: str, fragment: str):
    with pytest.raises(BadRequest) as info:
        parse(query)
    assert info.value.status == 400
    assert info.value.code == "bad_parameter"
    assert fragment in info.value.message


def test_query_of_200_characters_is_accepted_and_201_refused():
    assert len(parse("q=" + "科" * 200).q) == 200
    with pytest.raises(BadRequest) as info:
        parse("q=" + "科" * 201)
    assert info.value.code == "query_too_long"
    assert "200" in info.value.message and "201" in info.value.message


def test_defaults_are_left_out_of_links():
    assert to_params(SearchRequest()) == []
    assert to_query(SearchRequest()) == ""
    assert to_query(SearchRequest(q="科技", page=2)) == "?q=%E7%A7%91%E6%8A%80&page=2"


def test_with_filter_adds_once_and_resets_page():
    req = SearchRequest(q="x", sources=("A",), page=4)
    assert with_filter(req, "source", "B").sources == ("A", "B")
    assert with_filter(req, "source", "B").page == 1
    assert with_filter(req, "source", "A").sources == ("A",)
    assert with_filter(req, "month", "2024-01").months == ("2024-01",)


def test_without_filter_removes_only_that_value():
    req = SearchRequest(q="x", sites=("s1", "s2"), date_from="2024-01-01", page=3)
    assert without_filter(req, "site", "s1").sites == ("s2",)
    assert without_filter(req, "from").date_from is None
    assert without_filter(req, "from").page == 1
    assert without_filter(req, "q").q == ""


filter_values = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8).filter(
        lambda s: s.strip() == s
    ),
    max_size=3,
    unique=True,
)


@given(
    q=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(str.strip),
    sources=filter_values,
    sites=filter_values,
    page=st.integers(1, 1000),
    per_page=st.integers(1, 100),
    sort=st.sampled_from(["relevance", "newest", "oldest"]),
)
def test_links_round_trip(q, sources, sites, page, per_page, sort):
    """Any request the page can express survives being written into a link and read back."""
    req = SearchRequest(
        q=q,
        sources=tuple(sources),
        sites=tuple(sites),
        page=page,
        per_page=per_page,
        sort=sort,
    )
    assert parse(to_query(req).lstrip("?")) == req
