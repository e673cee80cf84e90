"""Export of every matching story: CSV (BOM, CRLF) and JSON Lines, the web endpoint and the
CLI producing the same bytes from the same rows."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from indexer.read.export import COLUMNS
from tests.web.conftest import FakeSearcher


def _all_hits(client, query: str) -> list[dict]:
    hits, page = [], 1
    while True:
        body = client.get(f"/api/search?{query}&per_page=100&page={page}").get_json()
        hits += body["hits"]
        if page * 100 >= body["total"]:
            return hits
        page += 1


def test_export_csv_has_bom_crlf_and_every_story(real_client):
    response = real_client.get("/api/export?q=科技&format=csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith("\ufeff".encode())
    assert raw.count(b"\r\n") == raw.count(b"\n")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    expected = _all_hits(real_client, "q=科技")
    assert len(expected) > 0
    assert [r[0] for r in rows[1:]] == [h["id"] for h in expected]
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["copies"] == str(len(expected[0]["also_at"]))
    assert first["sources"] == "、".join(expected[0]["sources"])
    assert "<mark>" not in first["snippet"]


def test_export_jsonl_keys_and_hostile_text(real_client):
    response = real_client.get("/api/export?q=注入测试&format=jsonl")
    assert response.headers["Content-Type"] == "application/x-ndjson; charset=utf-8"
    lines = response.data.decode("utf-8").splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert tuple(row) == COLUMNS
    assert "<script>alert('title')</script>" in row["title"]
    assert "<img src=x onerror=alert(2)>" in row["snippet"]
    assert isinstance(row["sources"], list)


def test_export_streams_every_story_of_the_request(app, fake: FakeSearcher):
    fake.total = 250  # more than the largest page
    url = "/api/export?q=科技&source=内蒙古日报&sort=newest&format=jsonl"
    lines = app.test_client().get(url).data.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"a{n}" for n in range(1, fake.total + 1)]
    (asked,) = fake.requests  # one walk of the stories, not one search per page
    assert (asked.q, asked.sources, asked.sort) == ("科技", ("内蒙古日报",), "newest")


def test_export_of_a_missing_index_is_a_503_before_any_row(tmp_path):
    from webui import create_app

    client = create_app({"INDEX": str(tmp_path / "none")}).test_client()
    response = client.get("/api/export?q=科技&format=csv")
    assert response.status_code == 503
    assert "python -m indexer build" in response.get_data(as_text=True)


def test_export_refuses_unknown_format(client):
    response = client.get("/api/export?q=科技&format=xlsx")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"


def test_cli_export_is_the_same_csv(real_client, real_index):
    web = real_client.get("/api/export?q=科技&format=csv").data
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "indexer",
            "search",
            "科技",
            "--index",
            str(real_index),
            "--export",
            "csv",
        ],
        capture_output=True,
        check=True,
    )
    assert cli.stdout == web


def test_search_page_links_its_exports(client):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(client.get("/?q=科技&source=内蒙古日报").data, "html.parser")
    links = {a.text: a["href"] for a in page.select("a.export")}
    assert links == {
        "导出 CSV": "/api/export?q=科技&source=内蒙古日报&format=csv",
        "JSONL": "/api/export?q=科技&source=内蒙古日报&format=jsonl",
    }


def test_export_rows_match_the_openapi_schema(real_client):
    from tests.web.test_openapi import check

    spec = real_client.get("/api/openapi.json").get_json()
    content = spec["paths"]["/api/export"]["get"]["responses"]["200"]["content"]
    assert content["application/x-ndjson"]["schema"]["$ref"].endswith("/ExportRow")
    lines = real_client.get("/api/export?q=科技&format=jsonl").data.decode().splitlines()
    assert len(lines) > 1
    for line in lines:
        check(spec, "ExportRow", json.loads(line))
