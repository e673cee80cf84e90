"""The web layer's one error type: a status and a machine code per kind, overridable."""

from __future__ import annotations

from webui.errors import ApiError, BadRequest, IndexUnavailable, NotFound


def test_each_kind_has_its_status_and_code() -> None:
    assert [
        (e.status, e.code) for e in (BadRequest("x"), NotFound("x"), IndexUnavailable("x"))
    ] == [
        (400, "bad_parameter"),
        (404, "not_found"),
        (503, "index_unavailable"),
    ]


def test_a_raise_may_set_its_own_code_and_status_without_changing_the_kind() -> None:
    err = ApiError("磁盘已满", code="insufficient_storage", status=507)
    assert (err.status, err.code, err.message, str(err)) == (
        507, "insufficient_storage", "磁盘已满", "磁盘已满"
    )  # fmt: skip
    assert (ApiError.status, ApiError.code) == (400, "bad_request")
    assert BadRequest("y").code == "bad_parameter"
