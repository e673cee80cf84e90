"""POST /api/articles and DELETE /api/articles/<id>: who may write (the token) and what may
be written (size limit, file names, modes), mostly over the test double."""

from __future__ import annotations

import io
import os

import pytest

from webui import create_app

from .conftest import ARTICLE_TEXT, AUTH, TOKEN, error_code

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
