"""Region and document facets, the region chart, the article's documents and related
stories, and highlighted titles: on the page, in the API, through the real engine."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from webui import create_app

STORIES = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
NOTICE = """- 首页
- 通知公告
赤峰市科技局关于转发科技计划项目管理办法的通知
来源:赤峰市科学技术局 日期:2024-04-02
各旗县区科技局:
现将《关于印发〈内蒙古自治区科技计划项目管理办法〉的通知》(内政办发［2024］３号)转发给你们,请结合赤峰市实际认真贯彻执行。
赤峰市各旗县区要按照内政办发〔2024〕3号文件要求,做好科技计划项目管理工作。
上一篇:无
"""


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def params(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


# --- rendering, over the test double -----------------------------------------------------


def test_region_and_document_filters_reach_the_engine(client, fake):
    client.get("/?q=科技&region=包头市&region=锡盟&document=内政发〔2023〕12号")
    req = fake.requests[-1]
    assert req.regions == ("包头市", "锡盟")
    assert req.documents == ("内政发〔2023〕12号",)


def test_region_chart_draws_one_linked_bar_per_region(client):
    page = soup(client.get("/?q=科技"))
    bars = page.select("figure.regions-chart svg a.bar")
    assert [b["data-region"] for b in bars] == ["包头市", "锡林郭勒盟"]
    assert [b.select_one("text.count").text for b in bars] == ["3", "1"]
    assert [b.select_one("text.label").text for b in bars] == ["包头市", "锡林郭勒盟"]
    assert params(bars[1]["href"]) == [("q", "科技"), ("region", "锡林郭勒盟")]
    widths = [float(b.select_one("rect")["width"]) for b in bars]
    assert widths[0] == pytest.approx(3 * widths[1])


def test_a_selected_region_bar_removes_its_filter(client):
    page = soup(client.get("/?q=科技&region=包头市"))
    bar = page.select_one("figure.regions-chart a.bar[data-region=包头市]")
    assert "active" in bar["class"] and bar["aria-current"] == "true"
    assert params(bar["href"]) == [("q", "科技")]
    chips = [c.text for c in page.select(".chips a.chip")]
    assert any("地区：包头市" in c for c in chips)


def test_no_region_chart_without_regions(client, fake):
    fake.result_overrides = {"facets": {"regions": ()}}
    assert soup(client.get("/?q=科技")).select("figure.regions-chart") == []


def test_document_facet_links_add_the_document_filter(client):
    page = soup(client.get("/?q=科技"))
    links = page.select("section.facet[data-facet=document] li a")
    assert [a.select_one(".facet-value").text for a in links] == [
        "内政发〔2023〕12号",
        "科技创新条例",
    ]
    assert params(links[0]["href"]) == [("q", "科技"), ("document", "内政发〔2023〕12号")]


def test_hit_titles_show_the_engine_marks(client):
    title = soup(client.get("/?q=标题")).select_one("li.hit h3 a")
    assert [m.text for m in title.select("mark")] == ["标题"] and title.text == "标题1"


def test_article_lists_its_documents_regions_and_related_stories(client):
    page = soup(client.get("/articles/a1"))
    docs = page.select("section.documents li a")
    assert [a.text for a in docs] == ["内政发〔2023〕12号", "科技创新条例"]
    assert urlsplit(docs[0]["href"]).path == "/"
    assert params(docs[0]["href"]) == [("document", "内政发〔2023〕12号")]
    region = page.select_one("dd.regions a")
    assert region.text == "包头市" and params(region["href"]) == [("region", "包头市")]
    related = page.select("section.related li a")
    assert [(a["href"], a.text) for a in related] == [("/articles/c1", "相关<b>报道</b>")]


# --- the real engine ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def facts_client(tmp_path_factory, seeds_dir: Path):
    """seeds/, the three story fixtures (two copies of one story, one on the same subject)
    and a notice citing a document number in two bracket styles."""
    from indexer.write import build

    root = tmp_path_factory.mktemp("facts")
    corpus = root / "corpus"
    corpus.mkdir()
    for path in [*seeds_dir.iterdir(), *STORIES.iterdir()]:
        if path.is_file():
            shutil.copy(path, corpus / path.name)
    (corpus / "notice.txt").write_text(NOTICE, encoding="utf-8")
    build(corpus, root / "index")
    app = create_app({"INDEX": str(root / "index"), "CORPUS": str(corpus)})
    return app.test_client()


def _search(client, query: str) -> dict:
    response = client.get("/api/search?" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def _facet(body: dict, name: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in body["facets"][name]}


def test_region_filter_keeps_exactly_the_stories_about_it(facts_client):
    everything = _search(facts_client, "per_page=100")
    baotou = _facet(everything, "regions")["包头市"]
    body = _search(facts_client, "region=包头&per_page=100")  # a short form finds the city
    assert body["total"] == baotou
    for hit in body["hits"]:
        record = facts_client.get(f"/api/articles/{hit['id']}").get_json()
        assert "包头市" in record["regions"]
    # A facet is counted under the other filters only: its own selection keeps its counts.
    assert _facet(body, "regions") == _facet(everything, "regions")
    assert _facet(body, "sources") != _facet(everything, "sources")


def test_region_filters_combine_as_any_of_and_with_other_facets(facts_client):
    one = _search(facts_client, "region=赤峰市")["total"]
    other = _search(facts_client, "region=乌海市")["total"]
    both = _search(facts_client, "region=赤峰市&region=乌海市")["total"]
    assert one >= 1 and other >= 1 and both == one + other  # no story is about both
    narrowed = _search(facts_client, "region=包头市&year=2024")
    assert narrowed["total"] == _facet(_search(facts_client, "region=包头市"), "year")["2024"]


def test_document_filter_finds_every_bracket_spelling(facts_client):
    for spelling in ("内政办发〔2024〕3号", "内政办发[2024]3号", "内政办发（2024）第003号"):
        body = _search(facts_client, "document=" + spelling)
        assert [h["title"] for h in body["hits"]] == [
            "赤峰市科技局关于转发科技计划项目管理办法的通知"
        ]
    record = facts_client.get(f"/api/articles/{body['hits'][0]['id']}").get_json()
    assert record["documents"] == [
        "内蒙古自治区科技计划项目管理办法",
        "关于印发《内蒙古自治区科技计划项目管理办法》的通知",
        "内政办发〔2024〕3号",
    ]
    assert record["regions"] == ["赤峰市"]
    page = soup(facts_client.get(f"/articles/{record['id']}"))
    links = page.select("section.documents a")
    assert params(links[2]["href"]) == [("document", "内政办发〔2024〕3号")]
    assert _search(facts_client, "document=" + params(links[0]["href"])[0][1])["total"] == 1


def test_related_stories_leave_out_the_storys_own_copies(facts_client):
    title = "自治区科技厅召开2024年稀土新材料重大科技专项推进会"
    hits = _search(facts_client, "q=" + title)["hits"]
    story = next(h for h in hits if h["title"] == title)
    copies = {story["id"]} | {c["id"] for c in story["also_at"]}
    assert len(copies) == 2
    related = facts_client.get(f"/api/articles/{story['id']}").get_json()["related"]
    assert 1 <= len(related) <= 5
    assert not copies & {r["id"] for r in related}
    assert "包头稀土高新区2023年科技创新工作综述" in [r["title"] for r in related]
    assert all(set(r) == {"id", "title", "published", "site"} for r in related)
    ids = [r["id"] for r in related]
    assert len(ids) == len(set(ids))


def test_titles_are_highlighted_with_marks_only(facts_client):
    hit = _search(facts_client, "q=稀土高新区")["hits"][0]
    fragment = BeautifulSoup(hit["title_html"], "html.parser")
    assert {t.name for t in fragment.find_all(True)} == {"mark"}
    assert [m.text for m in fragment.find_all("mark")] == ["稀土高新区"]
    assert fragment.text == hit["title"]
