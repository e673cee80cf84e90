"""Facets on the page: counts, links that add a filter, chips that remove one."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from bs4 import BeautifulSoup

from indexer.models import FacetValue


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def params(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def facet(page: BeautifulSoup, name: str) -> list[tuple[str, str, str]]:
    """(label, count, href) of every value in one facet."""
    return [
        (
            li.select_one(".facet-value").text,
            li.select_one(".count").text,
            li.select_one("a")["href"],
        )
        for li in page.select(f"section.facet[data-facet={name}] li")
    ]


def test_six_facets_with_chinese_headings(client):
    page = soup(client.get("/?q=科技"))
    headings = [(s["data-facet"], s.select_one("h2").text) for s in page.select("section.facet")]
    assert headings == [
        ("source", "来源"),
        ("site", "站点"),
        ("year", "年份"),
        ("month", "月份"),
        ("region", "地区"),
        ("document", "政策文件"),
    ]


def test_facet_values_counts_and_links_add_a_filter(client):
    page = soup(client.get("/?q=科技&page=2"))
    sources = facet(page, "source")
    assert [(label, count) for label, count, _ in sources] == [
        ("内蒙古日报", "3"),
        ("科技日报", "1"),
    ]
    assert params(sources[1][2]) == [("q", "科技"), ("source", "科技日报")]


def test_unknown_date_bucket_has_its_own_entry(client):
    page = soup(client.get("/?q=科技"))
    years = facet(page, "year")
    assert [(label, count) for label, count, _ in years] == [("2024年", "2"), ("日期不详", "1")]
    assert params(years[1][2]) == [("q", "科技"), ("year", "unknown")]
    months = facet(page, "month")
    assert months[0][0] == "2024年1月"
    assert params(months[0][2]) == [("q", "科技"), ("month", "2024-01")]


def test_active_value_is_marked_and_its_link_removes_it(client):
    page = soup(client.get("/?q=科技&source=科技日报&source=内蒙古日报"))
    active = page.select("section.facet[data-facet=source] li.active a")
    assert len(active) == 2
    assert all(a["aria-current"] == "true" for a in active)
    by_label = {a.select_one(".facet-value").text: a["href"] for a in active}
    assert params(by_label["科技日报"]) == [("q", "科技"), ("source", "内蒙古日报")]


def test_filter_reaches_the_engine(client, fake):
    client.get("/?q=科技&source=科技日报&site=s&year=2024&month=2024-01&from=2024-01-01")
    req = fake.requests[-1]
    assert req.sources == ("科技日报",)
    assert req.sites == ("s",)
    assert req.years == ("2024",)
    assert req.months == ("2024-01",)
    assert req.date_from == "2024-01-01"


def test_chips_for_every_active_filter_with_remove_links(client):
    page = soup(
        client.get("/?q=科技&source=A&year=unknown&month=2024-01&from=2024-01-01&to=2024-02-01")
    )
    chips = page.select("ul.chips a.chip")
    labels = [c.contents[0].strip() for c in chips]
    assert labels == [
        "来源：A",
        "年份：日期不详",
        "月份：2024年1月",
        "起始：2024-01-01",
        "截止：2024-02-01",
    ]
    assert chips[0]["aria-label"] == "移除筛选 来源：A"
    assert params(chips[0]["href"]) == [
        ("q", "科技"),
        ("year", "unknown"),
        ("month", "2024-01"),
        ("from", "2024-01-01"),
        ("to", "2024-02-01"),
    ]
    assert params(chips[3]["href"]) == [
        ("q", "科技"),
        ("source", "A"),
        ("year", "unknown"),
        ("month", "2024-01"),
        ("to", "2024-02-01"),
    ]
    assert params(page.select_one("ul.chips a.clear")["href"]) == [("q", "科技")]


def test_no_chips_without_filters(client):
    assert soup(client.get("/?q=科技")).select_one("ul.chips") is None


def test_long_facets_fold_the_rest_away(client, fake):
    """Twelve values show; the others sit in a closed <details> (no JavaScript needed),
    which starts open when one of them is selected."""
    many = tuple(FacetValue(f"站{i:02d}", 30 - i) for i in range(15))
    fake.result_overrides = {"facets": {"sources": (), "site": many, "year": (), "month": ()}}
    page = soup(client.get("/?q=x"))
    values = facet(page, "site")
    assert [label for label, _, _ in values] == [f"站{i:02d}" for i in range(15)]
    assert len(page.select("section.facet[data-facet=site] > ul > li")) == 12
    more = page.select_one("section.facet[data-facet=site] details.more")
    assert more.select_one("summary").text == "另有 3 项"
    assert more.get("open") is None
    assert params(values[14][2]) == [("q", "x"), ("site", "站14")]

    chosen = soup(client.get("/?q=x&site=站14"))
    more = chosen.select_one("section.facet[data-facet=site] details.more")
    assert more.get("open") is not None
    assert more.select_one("li.active .facet-value").text == "站14"
    assert page.select_one("section.facet[data-facet=source] .none").text == "无"
