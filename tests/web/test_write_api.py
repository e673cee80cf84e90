"""POST /api/articles and DELETE /api/articles/<id> over the real engine: storing and
indexing. Each test builds a fresh real index (a copy of seeds/ in a temporary corpus) and
searches it through the same app, so they also show the server seeing new commits without a
restart. Who may write and what may be written: test_write_api_checks.py.
"""

from __future__ import annotations

import io

import pytest

from .conftest import ARTICLE_TEXT, AUTH, error_code

# --- storing and indexing, over the real engine --------------------------------------------


def test_upload_is_stored_indexed_and_searchable(live):
    client, corpus = live
    assert client.get("/api/search?q=草原云计算").get_json()["total"] == 0
    response = client.post(
        "/api/articles",
        data={"file": (io.BytesIO(ARTICLE_TEXT), "../草原云计算.txt")},
        headers=AUTH,
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.get_json()
    record = response.get_json()
    assert record["path"] == "uploads/草原云计算.txt"
    assert record["title"] == "草原云计算中心助力数字经济新发展"
    assert record["published"] == "2024-05-20"
    assert record["sources"] == ["北疆晨报"]
    assert (corpus / "uploads" / "草原云计算.txt").read_bytes() == ARTICLE_TEXT
    assert [p.name for p in (corpus / "uploads").iterdir()] == ["草原云计算.txt"]

    hits = client.get("/api/search?q=草原云计算").get_json()["hits"]
    assert [h["id"] for h in hits] == [record["id"]]
    assert client.get(f"/api/articles/{record['id']}").get_json()["title"] == record["title"]


def test_raw_body_with_filename_header_then_same_again_then_conflict(live):
    client, corpus = live
    headers = {**AUTH, "X-Filename": "cloud.txt", "Content-Type": "text/plain"}
    first = client.post("/api/articles", data=ARTICLE_TEXT, headers=headers)
    assert first.status_code == 201
    again = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    changed = client.post(
        "/api/articles?filename=cloud.txt", data=ARTICLE_TEXT + b"x", headers=AUTH
    )
    assert changed.status_code == 409
    assert error_code(changed) == "conflict"
    assert "replace=true" in changed.get_json()["error"]["message"]
    assert (corpus / "uploads" / "cloud.txt").read_bytes() == ARTICLE_TEXT


def test_replace_true_overwrites_and_reindexes_under_the_same_id(live):
    client, corpus = live
    first = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    corrected = ARTICLE_TEXT.replace("数字经济".encode(), "数字产业".encode())
    assert corrected != ARTICLE_TEXT
    replaced = client.post(
        "/api/articles?filename=cloud.txt&replace=true", data=corrected, headers=AUTH
    )
    assert replaced.status_code == 200, replaced.get_json()
    assert replaced.get_json()["id"] == first.get_json()["id"]
    assert (corpus / "uploads" / "cloud.txt").read_bytes() == corrected
    hits = client.get("/api/search?q=数字产业").get_json()["hits"]
    assert [h["id"] for h in hits] == [first.get_json()["id"]]
    assert client.get("/api/search?q=草原云计算").get_json()["total"] == 1  # not two copies

    # A replacement that is not an article changes nothing.
    bad = client.post(
        "/api/articles?filename=cloud.txt&replace=1", data=b"\x00\x01binary", headers=AUTH
    )
    assert bad.status_code == 422
    assert (corpus / "uploads" / "cloud.txt").read_bytes() == corrected
    wrong = client.post(
        "/api/articles?filename=cloud.txt&replace=maybe", data=ARTICLE_TEXT, headers=AUTH
    )
    assert wrong.status_code == 400 and error_code(wrong) == "bad_request"


def test_a_replacement_the_index_refuses_puts_the_old_file_back(live, monkeypatch):
    from indexer.write import UpdateReport
    from webui import uploads

    client, corpus = live
    client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    refused = UpdateReport(skipped=(("uploads/cloud.txt", "file too large"),))
    monkeypatch.setattr(uploads, "index_files", lambda *a, **k: refused)
    response = client.post(
        "/api/articles?filename=cloud.txt&replace=true", data=ARTICLE_TEXT + b"x", headers=AUTH
    )
    assert response.status_code == 422
    assert (corpus / "uploads" / "cloud.txt").read_bytes() == ARTICLE_TEXT


@pytest.mark.parametrize("data", ["- 首页\n- 新闻\n".encode(), b"\x00\x01\x02binary", b"   \n  "])
def test_not_an_article_is_422_and_not_stored(live, data):
    client, corpus = live
    response = client.post("/api/articles?filename=menu.txt", data=data, headers=AUTH)
    assert response.status_code == 422
    assert error_code(response) == "not_an_article"
    assert not (corpus / "uploads" / "menu.txt").exists()


def test_a_page_over_its_extraction_budget_is_422_and_not_stored(live, monkeypatch):
    import indexer.extract.budget

    monkeypatch.setattr(indexer.extract.budget, "MAX_EXTRACT_CHARS", 100)
    client, corpus = live
    response = client.post("/api/articles?filename=long.txt", data=ARTICLE_TEXT, headers=AUTH)
    assert response.status_code == 422
    assert error_code(response) == "not_an_article"
    assert "page too long to extract" in response.get_json()["error"]["message"]
    assert not (corpus / "uploads" / "long.txt").exists()


def test_delete_removes_file_and_article(live):
    client, corpus = live
    created = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    article_id = created.get_json()["id"]
    response = client.delete(f"/api/articles/{article_id}", headers=AUTH)
    assert response.status_code == 200
    assert response.get_json() == {"id": article_id, "path": "uploads/cloud.txt", "deleted": True}
    assert not (corpus / "uploads" / "cloud.txt").exists()
    assert client.get(f"/api/articles/{article_id}").status_code == 404
    assert client.get("/api/search?q=草原云计算").get_json()["total"] == 0
    again = client.delete(f"/api/articles/{article_id}", headers=AUTH)
    assert again.status_code == 404


def test_delete_a_seed_article(live):
    client, corpus = live
    before = client.get("/api/search").get_json()["total"]
    hit = client.get("/api/search?q=稀土").get_json()["hits"][0]
    assert client.delete(f"/api/articles/{hit['id']}", headers=AUTH).status_code == 200
    assert not (corpus / hit["path"]).exists()
    assert client.get("/api/search").get_json()["total"] == before - 1


def test_percent_encoded_filename_header(live):
    client, corpus = live
    headers = {**AUTH, "X-Filename": "%E8%8D%89%E5%8E%9F.txt"}
    response = client.post("/api/articles", data=ARTICLE_TEXT, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["path"] == "uploads/草原.txt"
    broken = client.post(
        "/api/articles", data=ARTICLE_TEXT, headers={**AUTH, "X-Filename": "%FF.txt"}
    )
    assert broken.status_code == 415  # nothing but an undecodable byte: no usable name
    assert error_code(broken) == "unsupported_file_type"


def test_server_sees_an_update_without_restart(live, tmp_path):
    """A file dropped into the corpus and indexed by `update` is found by the running app."""
    from indexer.write import update

    client, corpus = live
    assert client.get("/api/search?q=草原云计算").get_json()["total"] == 0
    (corpus / "new").mkdir()
    (corpus / "new" / "cloud.txt").write_bytes(ARTICLE_TEXT)
    update(corpus, tmp_path / "index")
    hits = client.get("/api/search?q=草原云计算").get_json()["hits"]
    assert [h["path"] for h in hits] == ["new/cloud.txt"]


def test_write_responses_match_the_openapi_document(live):
    from openapi_schema_validator import OAS31Validator, validate

    from webui.openapi import openapi_document

    doc = openapi_document()

    def check(path: str, method: str, response) -> None:
        content = doc["paths"][path][method]["responses"][str(response.status_code)]["content"]
        ref = content["application/json"]["schema"]["$ref"]
        validate(
            response.get_json(), {"$ref": ref, "components": doc["components"]}, cls=OAS31Validator
        )

    client, _ = live
    created = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    check("/api/articles", "post", created)
    check("/api/articles", "post", client.post("/api/articles?filename=a.txt", data=b"x"))
    check(
        "/api/articles",
        "post",
        client.post("/api/articles?filename=a.exe", data=b"x", headers=AUTH),
    )
    deleted = client.delete(f"/api/articles/{created.get_json()['id']}", headers=AUTH)
    check("/api/articles/{id}", "delete", deleted)
    check("/api/articles/{id}", "delete", client.delete("/api/articles/zz", headers=AUTH))


def _full_disk(path, arrays):
    """ngrams.write_arrays on a full disk: a partial temporary file, then ENOSPC."""
    import errno

    path.with_name(path.name + ".tmp").write_bytes(b"partial")
    raise OSError(errno.ENOSPC, "No space left on device", str(path))


def _busy(*args, **kwargs):
    from indexer.index.errors import IndexLocked

    raise IndexLocked("index at x is being written by another process (waited 10 s)")


@pytest.mark.parametrize(
    ("target", "name", "fault", "status", "code"),
    [
        ("indexer.index.ngrams", "write_arrays", _full_disk, 507, "insufficient_storage"),
        ("webui.uploads", "index_files", _busy, 503, "index_busy"),
    ],
)
def test_a_failed_upload_leaves_no_file_and_a_retry_is_new(
    live, monkeypatch, target, name, fault, status, code
):
    """A full disk while indexing, or another writer holding the index: a clear status,
    no file left under uploads/ and nothing indexed, so the retry is a new upload (201)."""
    import importlib

    client, corpus = live
    monkeypatch.setattr(importlib.import_module(target), name, fault)
    failed = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    assert failed.status_code == status and error_code(failed) == code
    assert sorted(p.name for p in (corpus / "uploads").iterdir()) == []
    assert client.get("/api/search?q=草原云计算").get_json()["total"] == 0
    monkeypatch.undo()
    retry = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    assert retry.status_code == 201, retry.get_json()
    assert [p.name for p in (corpus / "uploads").iterdir()] == ["cloud.txt"]


def test_a_replacement_that_fails_on_a_full_disk_puts_the_old_file_back(live, monkeypatch):
    from indexer.index import ngrams

    client, corpus = live
    first = client.post("/api/articles?filename=cloud.txt", data=ARTICLE_TEXT, headers=AUTH)
    monkeypatch.setattr(ngrams, "write_arrays", _full_disk)
    response = client.post(
        "/api/articles?filename=cloud.txt&replace=true", data=ARTICLE_TEXT + b"x", headers=AUTH
    )
    assert response.status_code == 507
    assert (corpus / "uploads" / "cloud.txt").read_bytes() == ARTICLE_TEXT
    monkeypatch.undo()
    record = client.get(f"/api/articles/{first.get_json()['id']}").get_json()
    assert record["body"] == first.get_json()["body"]
