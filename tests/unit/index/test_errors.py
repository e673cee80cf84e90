"""One family of errors: what each class is, so the CLI and the web layer catch one set."""

from __future__ import annotations

import pytest

from indexer.index import errors


@pytest.mark.parametrize(
    "exc",
    [
        errors.IndexNotFound("no index at x"),
        errors.IndexOutdated("x"),
        errors.IndexOutdated("x", "a schema class is gone"),
        errors.IndexDamaged("x", "_MAIN_1.toc: size differs"),
        errors.IndexLocked("busy"),
        errors.CorpusNotFound("no corpus"),
        errors.WriterFailed("a part failed"),
    ],
)
def test_every_error_is_an_indexer_error(exc: Exception) -> None:
    assert isinstance(exc, errors.IndexerError)


def test_an_unusable_index_is_a_missing_file_to_oserror_callers() -> None:
    for exc in (errors.IndexOutdated("x"), errors.IndexDamaged("x", "why")):
        assert isinstance(exc, errors.IndexNotFound) and isinstance(exc, FileNotFoundError)
        assert exc.errno is None  # never mistaken for a full disk (ENOSPC)
    assert not isinstance(errors.IndexLocked("busy"), OSError)


def test_messages_say_what_to_do() -> None:
    assert str(errors.IndexOutdated("/ix")) == (
        "the index at /ix was written by an older version of this program: "
        "rebuild it with `python -m indexer build`"
    )
    assert "(a class is gone)" in str(errors.IndexOutdated("/ix", "a class is gone"))
    assert str(errors.IndexDamaged("/ix", "t.seg: size differs")) == (
        "the index at /ix is damaged: t.seg: size differs; "
        "rebuild it with `python -m indexer build`"
    )


@pytest.mark.parametrize(
    ("problems", "line"),
    [(["a"], "a"), (["a", "b"], "a (and 1 more)"), (["a", "b", "c"], "a (and 2 more)")],
)
def test_first_problems(problems: list[str], line: str) -> None:
    assert errors.first_problems(problems) == line
