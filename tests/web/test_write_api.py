"""POST /api/articles and DELETE /api/articles/<id>: token, size limit, storage, indexing.

Token and validation tests run over the test double; the storing and indexing tests build a
fresh real index per test (a copy of seeds/ in a temporary corpus) and search it through the
same app, so they also show the server seeing new commits without a restart.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from webui import create_app
from webui.errors import ApiError
from webui.uploads import sanitise_filename

from .conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE_TEXT = (Path(__file__).resolve().parent / "data" / "upload_article.txt").read_bytes()


@pytest.fixture
def guarded(fake, tmp_path):
    """An app over the double with writes enabled and a 2 KB upload limit."""
    app = create_app(
        {
            "SEARCHER": fake,
            "CORPUS": str(tmp_path),
            "INDEX": str(tmp_path / "ix"),
            "API_TOKEN": TOKEN,
            "MAX_UPLOAD_BYTES": 2048,
        }
    )
    return app.test_client()


@pytest.fixture
def live(tmp_path, seeds_dir: Path):
    """(client, corpus) over a real index built from a copy of seeds/, writes enabled."""
    from indexer.write import build

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    corpus.chmod(0o755)
    build(corpus, tmp_path / "index")
    app = create_app({"INDEX": str(tmp_path / "index"), "CORPUS": str(corpus), "API_TOKEN": TOKEN})
    return app.test_client(), corpus


def error_code(response) -> str:
    return response.get_json()["error"]["code"]


# --- who may write -------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_writes_are_disabled_without_a_configured_token(client, method):
    path = "/api/articles" if method == "POST" else "/api/articles/a1"
    response = client.open(path, method=method, headers=AUTH, data=b"x")
    assert response.status_code == 403
    assert error_code(response) == "writes_disabled"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer", f"bearer{TOKEN}"],
)
def test_missing_or_wrong_token_is_401(guarded, fake, header):
    headers = {"Authorization": header} if header else {}
    for response in (
        guarded.post("/api/articles?filename=a.txt", data=ARTICLE_TEXT, headers=headers),
        guarded.delete("/api/articles/a1", headers=headers),
    ):
        assert response.status_code == 401
        assert error_code(response) == "unauthorized"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert "a1" in fake.articles


def test_scheme_is_case_insensitive(guarded):
    response = guarded.post(
        "/api/articles",
        data=b"",
        headers={"Authorization": f"bearer {TOKEN}", "X-Filename": "a.txt"},
    )
    assert response.status_code == 422  # past the token check: the body is empty


def test_token_from_environment(monkeypatch, tmp_path, fake):
    monkeypatch.setenv("NEWS_API_TOKEN", "from-env")
    app = create_app({"SEARCHER": fake, "CORPUS": str(tmp_path)})
    response = app.test_client().delete("/api/articles/a1", headers={"Authorization": "Bearer no"})
    assert response.status_code == 401


# --- what may be written -------------------------------------------------------------------


def test_over_the_size_limit_is_413(guarded, tmp_path):
    response = guarded.post("/api/articles?filename=big.txt", data=b"x" * 4096, headers=AUTH)
    assert response.status_code == 413
    assert error_code(response) == "payload_too_large"
    assert "2048" in response.get_json()["error"]["message"]
    multipart = guarded.post(
        "/api/articles",
        data={"file": (io.BytesIO(b"x" * 4096), "big.txt")},
        headers=AUTH,
        content_type="multipart/form-data",
    )
    assert multipart.status_code == 413
    assert not (tmp_path / "uploads").exists()


@pytest.mark.parametrize(
    ("query", "headers", "status", "code"),
    [
        ("", {}, 400, "missing_filename"),
        ("?filename=", {}, 400, "missing_filename"),
        ("?filename=a.exe", {}, 415, "unsupported_file_type"),
        ("?filename=a.pdf", {}, 415, "unsupported_file_type"),
        ("?filename=.txt", {}, 415, "unsupported_file_type"),
        ("", {"X-Filename": "noext"}, 415, "unsupported_file_type"),
    ],
)
def test_bad_filenames(guarded, query, headers, status, code):
    response = guarded.post("/api/articles" + query, data=b"abc", headers={**AUTH, **headers})
    assert response.status_code == status
    assert error_code(response) == code


def test_multipart_without_file_field_is_400(guarded):
    response = guarded.post(
        "/api/articles",
        data={"other": (io.BytesIO(b"abc"), "a.txt")},
        headers=AUTH,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert error_code(response) == "missing_file"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("news.txt", "news.txt"),
        ("科技新闻.HTML", "科技新闻.html"),
        ("../../etc/科技新闻.txt", "科技新闻.txt"),
        ("C:\\dir\\page.htm", "page.htm"),
        ("a b;rm -rf.txt", "a_b_rm_-rf.txt"),
        ("...hidden.txt", "hidden.txt"),
        ("x" * 300 + ".txt", "x" * 116 + ".txt"),
        ("稀" * 300 + ".txt", "稀" * 65 + ".txt"),  # 195 + 4 bytes: cut by bytes
        ("a" + "稀" * 300 + ".txt", "a" + "稀" * 65 + ".txt"),  # never half a character
        ("𠀀" * 100 + ".htm", "𠀀" * 49 + ".htm"),  # four bytes each
    ],
)
def test_sanitise_filename(raw, expected):
    assert sanitise_filename(raw) == expected
    assert len(expected.encode("utf-8")) <= 200


def test_an_upload_named_with_300_chinese_characters_is_stored(live):
    client, corpus = live
    response = client.post(
        "/api/articles?filename=" + "%E7%A8%80" * 300 + ".txt", data=ARTICLE_TEXT, headers=AUTH
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["path"] == "uploads/" + "稀" * 65 + ".txt"


def test_an_upload_gets_the_mode_of_the_corpus_files(live):
    client, corpus = live
    seed = sorted(corpus.glob("*.txt"))[0]
    seed.chmod(0o666 & ~_umask())
    response = client.post("/api/articles?filename=mode.txt", data=ARTICLE_TEXT, headers=AUTH)
    assert response.status_code == 201
    mode = (corpus / "uploads" / "mode.txt").stat().st_mode & 0o777
    assert mode == seed.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("raw", ["", "   ", "a.php", "a.txt.exe", "..", "/", "___.txt"])
def test_sanitise_filename_refuses(raw):
    with pytest.raises(ApiError):
        sanitise_filename(raw)


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
