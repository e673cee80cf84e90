"""The JSON API: shapes, the error envelope, and the page/API agreement.

The first half pins exact values over a test double; the second runs the real engine over
seeds/ (plus one hostile page) built once per session.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index import layout


def test_search_body(client):
    body = client.get("/api/search?q=科技&per_page=2").get_json()
    assert body["query"] == "科技"
    assert (body["total"], body["page"], body["per_page"], body["took_ms"]) == (3, 1, 2, 1.5)
    assert [h["id"] for h in body["hits"]] == ["a1", "a2"]
    assert body["hits"][0] == {
        "id": "a1",
        "path": "dir/a1.txt",
        "title": "标题1",
        "title_html": "<mark>标题</mark>1",
        "title_inferred": False,
        "snippet_html": "关于<mark>科技</mark>创新的第1篇",
        "published": "2024-01-01",
        "sources": ["内蒙古日报"],
        "site": "www.nmg.gov.cn",
        "score": 9.0,
        "also_at": [],
    }
    assert body["facets"]["sources"] == [
        {"value": "内蒙古日报", "count": 3},
        {"value": "科技日报", "count": 1},
    ]
    assert list(body["facets"]) == ["sources", "site", "year", "month", "regions", "documents"]
    assert body["timeline"] == [{"value": "2023-12", "count": 1}, {"value": "2024-01", "count": 2}]


def test_json_is_utf8_not_escaped(client):
    response = client.get("/api/search?q=科技")
    assert response.content_type == "application/json"
    assert "科技" in response.get_data(as_text=True)


def test_parameters_reach_the_engine(client, fake):
    client.get(
        "/api/search?q=x&source=A&source=B&site=s&from=2024-01-01&to=2024-12-31"
        "&year=2024&month=2024-02&sort=oldest&page=2&per_page=100"
    )
    req = fake.requests[-1]
    assert (req.sources, req.sites, req.years, req.months) == (
        ("A", "B"),
        ("s",),
        ("2024",),
        ("2024-02",),
    )
    assert (req.date_from, req.date_to, req.sort, req.page, req.per_page) == (
        "2024-01-01",
        "2024-12-31",
        "oldest",
        2,
        100,
    )


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("page=abc", "bad_parameter"),
        ("page=0", "bad_parameter"),
        ("per_page=101", "bad_parameter"),
        ("from=2024-02-30", "bad_parameter"),
        ("to=yesterday", "bad_parameter"),
        ("sort=random", "bad_parameter"),
        ("year=abcd", "bad_parameter"),
        ("q=" + "字" * 201, "query_too_long"),
    ],
)
def test_bad_parameters_are_400_envelopes(client, fake, query, code):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    body = response.get_json()
    assert list(body) == ["error"]
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert fake.requests == []


def test_article_record(client):
    body = client.get("/api/articles/a1").get_json()
    assert body["id"] == "a1"
    assert body["also_at"][0]["id"] == "b1"


def test_unknown_article_is_a_404_envelope(client):
    response = client.get("/api/articles/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/nothing", "/api/", "/api", "/api/search/extra"])
def test_unknown_api_routes_are_404_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/json"
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("method", "path"), [("POST", "/api/search"), ("GET", "/api/articles")])
def test_wrong_method_is_an_envelope(client, method, path):
    response = client.open(path, method=method)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_missing_index_is_a_503_envelope(tmp_path):
    from webui import create_app

    app = create_app({"INDEX": str(tmp_path / "none"), "CORPUS": str(tmp_path)})
    response = app.test_client().get("/api/search?q=x")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "index_unavailable"
    assert "python -m indexer build" in response.get_json()["error"]["message"]


def test_outdated_or_damaged_index_is_a_503_saying_rebuild(tmp_path, seeds_dir):
    from indexer import write
    from webui import create_app

    root = tmp_path / "index"
    write.build(seeds_dir, root)
    for ngr in layout.current_generation_dir(root).glob("*.ngr"):
        ngr.write_bytes(b"NGRAMS1\n")  # damaged
    app = create_app({"INDEX": str(root), "CORPUS": str(seeds_dir)})
    response = app.test_client().get("/api/search?q=科技")
    assert response.status_code == 503
    message = response.get_json()["error"]["message"]
    assert "无法使用" in message and "python -m indexer build" in message


def test_engine_bug_is_a_500_envelope_without_details(client, fake):
    def broken(req):
        raise RuntimeError("secret internals")

    fake.search = broken
    response = client.get("/api/search?q=x")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"code": "internal_error", "message": "服务器内部错误"}}


# --- over the real engine ------------------------------------------------------------------


def html_ids(client, query: str) -> list[str]:
    page = BeautifulSoup(client.get("/?" + query).get_data(as_text=True), "lxml")
    return [li["data-id"] for li in page.select("li.hit")]


def api_ids(client, query: str) -> list[str]:
    return [h["id"] for h in client.get("/api/search?" + query).get_json()["hits"]]


@pytest.mark.parametrize(
    "query",
    [
        "q=科技创新",
        "q=科技&sort=newest",
        "q=科技&sort=oldest&per_page=2&page=2",
        "q=",
        "q=创新&year=2024",
        "q=稀土",
    ],
)
def test_page_and_api_return_the_same_hits(real_client, query):
    ids = api_ids(real_client, query)
    assert html_ids(real_client, query) == ids


def test_a_common_word_finds_several_articles_with_marks(real_client):
    body = real_client.get("/api/search?q=科技").get_json()
    assert body["total"] >= 3
    assert all("<mark>" in h["snippet_html"] for h in body["hits"])
    assert sum(f["count"] for f in body["facets"]["year"]) >= body["total"]


def test_empty_query_lists_newest_first(real_client):
    hits = real_client.get("/api/search?per_page=100").get_json()["hits"]
    dates = [h["published"][:10] for h in hits if h["published"]]
    assert len(dates) >= 3
    assert dates == sorted(dates, reverse=True)


def test_pages_do_not_overlap(real_client):
    first = api_ids(real_client, "q=科技&per_page=2&page=1")
    second = api_ids(real_client, "q=科技&per_page=2&page=2")
    assert len(first) == 2 and second
    assert not set(first) & set(second)


def test_facet_filter_narrows_to_the_facet_count(real_client):
    body = real_client.get("/api/search?q=科技").get_json()
    year = body["facets"]["year"][0]
    narrowed = real_client.get(f"/api/search?q=科技&year={year['value']}").get_json()
    assert narrowed["total"] == year["count"]


def test_real_article_round_trip(real_client):
    hit = real_client.get("/api/search?q=稀土").get_json()["hits"][0]
    record = real_client.get(f"/api/articles/{hit['id']}?q=稀土").get_json()
    assert record["id"] == hit["id"]
    assert record["title"] == hit["title"]
    assert "<mark>" in record["body_html"]
    page = BeautifulSoup(
        real_client.get(f"/articles/{hit['id']}?q=稀土").get_data(as_text=True), "lxml"
    )
    assert page.select_one("article h1").text.strip().startswith(hit["title"])
    assert page.select(".body mark")
    assert real_client.get(page.select_one(".meta .path a")["href"]).status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=40))
def test_no_query_makes_a_500(real_client, q):
    """Any text a user can type gives a 200 or a clear 400, never a server error."""
    response = real_client.get("/api/search", query_string={"q": q})
    assert response.status_code in (200, 400), response.get_data(as_text=True)


@pytest.mark.parametrize(
    "q", ['"', "AND", "OR NOT", "(", "*", "?", "title:x", "科技 AND", "-", "~2", "[a TO", "\\"]
)
def test_query_syntax_characters_are_searched_not_parsed(real_client, q):
    response = real_client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    assert re.fullmatch(r"\d+", str(response.get_json()["total"]))


PARAM_NAMES = ["q", "source", "site", "year", "month", "from", "to", "sort", "page", "per_page"]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    pairs=st.lists(
        st.tuples(
            st.sampled_from(PARAM_NAMES),
            st.one_of(
                st.text(max_size=12),
                st.sampled_from(["2024", "2024-01", "unknown", "2024-01-05", "newest", "2", "0"]),
            ),
        ),
        max_size=6,
    )
)
def test_no_parameter_combination_makes_a_500(real_client, pairs):
    for path in ("/api/search", "/"):
        response = real_client.get(path, query_string=pairs)
        assert response.status_code in (200, 400), (pairs, response.get_data(as_text=True)[:300])


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("q=%FF%FE", 400),
        ("q=%E7%A8", 400),
        ("q=%", 200),  # a lone "%" is no escape: the text "%"
        ("source=%00", 400),
        ("q=a%00b", 400),
        ("site=%1B", 400),
    ],
)
def test_broken_encodings_and_control_characters_are_a_400(real_client, raw, status):
    for path in ("/api/search?", "/?"):
        assert real_client.get(path + raw).status_code == status
    if status == 400:
        assert real_client.get("/api/search?" + raw).get_json()["error"]["code"] == "bad_parameter"


def test_no_answer_names_a_server_path(tmp_path):
    """The index folder is the operator's business: the 503 says what to do, not where."""
    from webui import create_app

    missing = tmp_path / "no-such-index"
    client = create_app({"INDEX": str(missing), "CORPUS": str(tmp_path)}).test_client()
    for path in ("/api/search?q=x", "/?q=x", "/api/articles/abc"):
        response = client.get(path)
        assert response.status_code == 503
        assert str(tmp_path) not in response.get_data(as_text=True)


def test_a_search_out_of_time_is_a_503_in_the_envelope(tmp_path) -> None:
    from indexer.read.searcher import SearchTimeout
    from webui import create_app

    class Slow:
        def search(self, req):
            raise SearchTimeout("out of time")

    client = create_app({"SEARCHER": Slow(), "INDEX": str(tmp_path)}).test_client()
    response = client.get("/api/search?q=科技")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "search_timeout"


def test_search_seconds_from_the_environment(monkeypatch) -> None:
    from webui import load_config

    monkeypatch.setenv("NEWS_SEARCH_SECONDS", "0.5")
    assert load_config()["SEARCH_SECONDS"] == 0.5
