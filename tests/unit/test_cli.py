"""The command line's declarations: each command's flags, and errors as one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.cli import build_parser, main
from indexer.index.constants import SORTS


def test_every_command_dispatches_to_its_handler() -> None:
    parser = build_parser()
    for argv in (["build"], ["update"], ["watch"], ["stats"], ["check"], ["search", "q"]):
        args = parser.parse_args(argv)
        assert args.func.__name__ == f"cmd_{argv[0]}"
    assert parser.parse_args(["extract", "a.txt"]).func.__name__ == "cmd_extract"


def test_defaults_are_the_seeds_and_var_index() -> None:
    args = build_parser().parse_args(["update"])
    assert (args.corpus, args.index, args.batch_size) == ("seeds", str(Path("var/index")), 500)


def test_search_without_a_query_is_one_line_and_exit_2(capsys: pytest.CaptureFixture) -> None:
    assert main(["search", "--index", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert err == "error: give a query, or --batch FILE\n"


def test_a_missing_index_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["stats", "--index", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_the_sort_choices_are_the_engine_s_own() -> None:
    parser = build_parser()
    assert parser.parse_args(["search", "q"]).sort == SORTS[0]
    for sort in SORTS:
        assert parser.parse_args(["search", "q", "--sort", sort]).sort == sort
    with pytest.raises(SystemExit):
        parser.parse_args(["search", "q", "--sort", "random"])
