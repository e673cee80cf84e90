"""The HTML pages, asserted through CSS selectors (over a test double of the engine)."""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.extract.pipeline import article_id
from indexer.models import AlsoAt
from tests.web.conftest import ARTICLE, make_hit


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def params(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def test_page_is_chinese_and_keeps_the_query(client):
    page = soup(client.get("/?q=科技"))
    assert page.html["lang"] == "zh-CN"
    box = page.select_one("form[role=search] input#q")
    assert box["name"] == "q" and box["value"] == "科技"
    assert page.select_one("label[for=q]").text == "搜索词"
    assert page.select_one("form[role=search]")["method"] == "get"


def test_results_show_title_link_snippet_date_sources_site(client):
    page = soup(client.get("/?q=科技"))
    hits = page.select("ol.hits li.hit")
    assert [h["data-id"] for h in hits] == ["a1", "a2", "a3"]
    first = hits[0]
    assert first.select_one("h3 a").text == "标题1"
    assert first.select_one("h3 a")["href"] == "/articles/a1?q=%E7%A7%91%E6%8A%80"
    assert [m.text for m in first.select(".snippet mark")] == ["科技"]
    assert first.select_one(".date").text == "2024-01-01"
    assert first.select_one(".sources").text == "来源：内蒙古日报"
    assert first.select_one(".site").text == "www.nmg.gov.cn"


def test_total_and_time_taken(client, fake):
    fake.total = 42
    page = soup(client.get("/?q=科技"))
    assert page.select_one("#total").text == "42"
    assert page.select_one("#took").text == "1.5"


def test_page_links_its_json_twin(client):
    page = soup(client.get("/?q=%E7%A7%91%E6%8A%80&source=A&page=1"))
    expected = "/api/search?q=%E7%A7%91%E6%8A%80&source=A&page=1"
    assert page.select_one("a.json")["href"] == expected
    assert page.select_one("link[rel=alternate][type='application/json']")["href"] == expected


def test_page_and_api_ask_the_engine_the_same_question(client, fake):
    query = "q=科技&source=A&year=2024&sort=newest&page=2&per_page=5"
    client.get("/?" + query)
    client.get("/api/search?" + query)
    assert len(fake.requests) == 2
    assert fake.requests[0] == fake.requests[1]


def test_landing_page_shows_stats_examples_and_newest(client, fake):
    page = soup(client.get("/"))
    assert page.select_one("[data-stat=articles]").text == "7"
    assert page.select_one("[data-stat=sources]").text == "4"
    assert page.select_one("[data-stat=span]").text == "2022-05-01 至 2024-03-05"
    examples = page.select(".examples a")
    assert [a.text for a in examples] == ["科技创新", "稀土"]
    assert examples[0]["href"] == "/?q=%E7%A7%91%E6%8A%80%E5%88%9B%E6%96%B0"
    assert len(page.select("li.hit")) == 3
    assert fake.requests[-1].q == ""


def test_query_page_has_no_landing_block(client):
    assert soup(client.get("/?q=科技")).select_one(".landing") is None


def test_filtered_empty_query_is_not_the_landing_page(client):
    assert soup(client.get("/?source=A")).select_one(".landing") is None


def test_no_results_says_so_and_suggests_removing_filters(client, fake):
    fake.total = 0
    page = soup(client.get("/?q=不存在&source=A"))
    box = page.select_one(".noresults")
    assert "没有找到与“不存在”匹配的文章" in box.text
    assert box.select_one("a")["href"] == "/?q=%E4%B8%8D%E5%AD%98%E5%9C%A8"
    assert page.select("li.hit") == []


def test_no_results_without_filters_suggests_other_words(client, fake):
    fake.total = 0
    box = soup(client.get("/?q=不存在")).select_one(".noresults")
    assert "试试更短或不同的关键词" in box.text


def test_sort_links_keep_the_query_and_mark_the_current_order(client):
    page = soup(client.get("/?q=科技&sort=newest&page=3"))
    links = {a["data-sort"]: a for a in page.select("nav.sort a")}
    assert params(links["oldest"]["href"]) == [("q", "科技"), ("sort", "oldest")]
    assert params(links["relevance"]["href"]) == [("q", "科技")]
    assert links["newest"]["aria-current"] == "true"
    assert "aria-current" not in links["oldest"].attrs


def test_without_a_query_the_newest_order_is_marked(client):
    # The engine lists the newest articles when there is nothing to rank.
    page = soup(client.get("/?source=内蒙古日报"))
    links = {a["data-sort"]: a for a in page.select("nav.sort a")}
    assert links["newest"]["aria-current"] == "true"
    assert "aria-current" not in links["relevance"].attrs


def test_pagination_links(client, fake):
    fake.total = 45
    page = soup(client.get("/?q=科技&page=2"))
    pager = page.select_one("nav.pager")
    assert params(pager.select_one("a[rel=prev]")["href"]) == [("q", "科技")]
    assert params(pager.select_one("a[rel=next]")["href"]) == [("q", "科技"), ("page", "3")]
    assert pager.select_one("[aria-current=page]").text == "2"
    assert [a.text for a in pager.select("a:not([rel])")] == ["1", "3", "4"]
    assert pager.select_one(".pages").text == "第 2 / 5 页"
    assert page.select_one("ol.hits")["start"] == "11"


def test_single_page_has_no_pager(client):
    assert soup(client.get("/?q=科技")).select_one("nav.pager") is None


def test_page_past_the_end_offers_the_first_page(client, fake):
    fake.total = 5
    box = soup(client.get("/?q=科技&page=9")).select_one(".noresults")
    assert "这一页没有结果" in box.text


def test_also_published_expands_to_sites_and_dates(client, fake):
    copies = (
        AlsoAt("b1", "kjt.nmg.gov.cn", "2024-01-02", "b1.txt", "t"),
        AlsoAt("c1", None, None, "c1.txt", "t"),
    )
    fake.result_overrides = {"hits": (make_hit(1, also_at=copies),)}
    details = soup(client.get("/?q=科技")).select_one("li.hit details.also")
    assert details.select_one("summary").text == "另有 2 处转载"
    items = details.select("li")
    assert [i.select_one("a").text for i in items] == ["kjt.nmg.gov.cn", "未知站点"]
    assert [i.select_one(".date").text for i in items] == ["2024-01-02", "日期不详"]
    assert items[0].select_one("a")["href"] == "/articles/b1"


def test_inferred_title_is_flagged(client, fake):
    fake.result_overrides = {"hits": (make_hit(1, title_inferred=True),)}
    assert soup(client.get("/?q=x")).select_one("li.hit .flag").text == "推断标题"


def test_missing_date_reads_unknown(client, fake):
    fake.result_overrides = {"hits": (make_hit(1, published=None, sources=(), site=None),)}
    hit = soup(client.get("/?q=x")).select_one("li.hit")
    assert hit.select_one(".date").text == "日期不详"
    assert hit.select_one(".sources") is None


def test_search_form_carries_filters_but_not_page(client):
    page = soup(client.get("/?q=科技&source=A&from=2024-01-01&sort=newest&page=3"))
    hidden = [(i["name"], i["value"]) for i in page.select("form[role=search] input[type=hidden]")]
    assert hidden == [("source", "A"), ("from", "2024-01-01"), ("sort", "newest")]


def test_date_range_form_keeps_query_and_shows_current_dates(client):
    page = soup(client.get("/?q=科技&from=2024-01-01&to=2024-02-01"))
    form = page.select_one("form.daterange")
    assert form["method"] == "get"
    assert form.select_one("input#from")["value"] == "2024-01-01"
    assert form.select_one("input#to")["value"] == "2024-02-01"
    assert form.select_one("label[for=from]").text == "起始"
    hidden = [(i["name"], i["value"]) for i in form.select("input[type=hidden]")]
    assert hidden == [("q", "科技")]


def test_timeline_bars_link_to_their_month(client):
    bars = soup(client.get("/?q=科技")).select("figure.timeline svg a.bar")
    assert [b["data-period"] for b in bars] == ["2023-12", "2024-01"]
    assert params(bars[1]["href"]) == [("q", "科技"), ("month", "2024-01")]
    assert bars[1].select_one("title").text == "2024年1月：2 篇"
    heights = [float(b.select_one("rect")["height"]) for b in bars]
    assert heights[1] > heights[0]


def test_yearly_timeline_links_to_year(client, fake):
    from indexer.models import FacetValue

    fake.result_overrides = {"timeline": (FacetValue("2022", 3), FacetValue("unknown", 2))}
    bars = soup(client.get("/?q=科技")).select("figure.timeline a.bar")
    assert [params(b["href"]) for b in bars] == [[("q", "科技"), ("year", "2022")]]


def test_no_timeline_without_dated_buckets(client, fake):
    fake.result_overrides = {"timeline": ()}
    assert soup(client.get("/?q=科技")).select_one("figure.timeline") is None


def test_article_page(client):
    page = soup(client.get("/articles/a1?q=科技"))
    art = page.select_one("article.article")
    assert art["data-id"] == "a1"
    assert art.select_one("h1").text.strip() == "标题1"
    assert art.select_one(".meta .date").text == "2024-01-01"
    assert art.select_one(".meta .sources").text == "内蒙古日报"
    assert art.select_one(".meta .site").text == "www.nmg.gov.cn"
    assert art.select_one(".meta .path a")["href"] == "/files/dir/a1.txt"
    assert [p.text for p in art.select(".body p")] == ["第一段科技。", "第二段。"]
    assert [m.text for m in art.select(".body mark")] == ["科技"]
    copies = art.select(".copies li")
    assert len(copies) == 1
    assert copies[0].select_one("a")["href"] == "/articles/b1"
    assert copies[0].select_one(".site").text == "kjt.nmg.gov.cn"
    assert art.select_one(".back a")["href"] == "/?q=%E7%A7%91%E6%8A%80"
    assert art.select_one(".json a")["href"] == "/api/articles/a1?q=%E7%A7%91%E6%8A%80"


def test_unknown_article_is_a_404_page(client):
    response = client.get("/articles/nope")
    assert response.status_code == 404
    page = soup(response)
    assert page.html["lang"] == "zh-CN"
    assert "nope" in page.select_one(".error-message").text


@pytest.mark.parametrize("query", ["page=abc", "sort=best", "from=2024-99-01", "per_page=500"])
def test_bad_parameters_are_a_400_page_with_the_message(client, query):
    response = client.get("/?" + query)
    assert response.status_code == 400
    assert soup(response).select_one("[role=alert] .error-message").text.startswith("参数")


def test_overlong_query_is_a_400_page_that_says_how_long(client):
    response = client.get("/?q=" + "长" * 201)
    assert response.status_code == 400
    assert "最多 200 个字符" in soup(response).select_one(".error-message").text


def test_original_file_is_served_as_sandboxed_plain_text(client, fake, tmp_path):
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "a.html").write_bytes("<script>x</script>内蒙古".encode("gb18030"))
    fake.articles[article_id("dir/a.html")] = {**ARTICLE, "path": "dir/a.html"}
    response = client.get("/files/dir/a.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=gb18030"
    assert response.headers["Content-Security-Policy"].startswith("sandbox")
    assert response.data.decode("gb18030") == "<script>x</script>内蒙古"


@pytest.mark.parametrize(
    "path", ["/files/../conftest.py", "/files/%2e%2e/etc/passwd", "/files/x.txt"]
)
def test_files_outside_the_corpus_are_not_found(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "name", [".env", ".git/config", "notes.md", "dir/unindexed.txt", "dir/a.txt/../a.txt"]
)
def test_only_indexed_pages_are_served(client, fake, tmp_path, name):
    """Whatever else sits in the corpus folder is "not found", even by an indexed id's path
    spelled another way."""
    for rel in (".env", ".git/config", "notes.md", "dir/unindexed.txt", "dir/a.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("SECRET=1")
    fake.articles[article_id("dir/a.txt")] = {**ARTICLE, "path": "dir/a.txt"}
    assert client.get("/files/dir/a.txt").status_code == 200
    response = client.get("/files/" + name)
    assert response.status_code == 404
    assert b"SECRET" not in response.data


def test_an_indexed_path_that_became_a_link_out_is_not_served(client, fake, tmp_path):
    os.symlink("/etc/passwd", tmp_path / "passwd.txt")
    fake.articles[article_id("passwd.txt")] = {**ARTICLE, "path": "passwd.txt"}
    assert client.get("/files/passwd.txt").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["a%00.txt", "a" * 300 + ".txt", "/".join(["abcdefghi"] * 600) + ".txt", "%E7%A8%80" * 100],
)
def test_impossible_file_names_are_404_not_500(client, fake, tmp_path, path):
    fake.articles[article_id("a\x00.txt")] = {**ARTICLE, "path": "a\x00.txt"}
    fake.articles[article_id("a" * 300 + ".txt")] = {**ARTICLE, "path": "a" * 300 + ".txt"}
    response = client.get("/files/" + path)
    assert response.status_code == 404
    assert "没有" in soup(response).select_one(".error-message").text


def test_page_is_usable_without_javascript(client):
    page = soup(client.get("/?q=科技"))
    assert [s["src"] for s in page.select("script")] == ["/static/app.js"]
    assert all(s.string is None or not s.string.strip() for s in page.select("script"))
    assert page.select_one("form[role=search] button[type=submit]") is not None
    assert page.select("[onclick], [onload], [onchange]") == []


def test_empty_months_keep_their_slot_without_a_bar(client, fake):
    from indexer.models import FacetValue

    fake.result_overrides = {
        "timeline": (FacetValue("2024-01", 2), FacetValue("2024-02", 0), FacetValue("2024-03", 1))
    }
    bars = soup(client.get("/?q=科技")).select("figure.timeline a.bar")
    assert [b["data-period"] for b in bars] == ["2024-01", "2024-03"]
    assert [float(b.select_one("rect")["x"]) for b in bars] == [1.0, 401.0]
