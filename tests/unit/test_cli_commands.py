"""What the commands print: a request from the search flags, snippets for a terminal,
an update's report line."""

from __future__ import annotations

import pytest

from indexer.cli import build_parser
from indexer.cli_commands import _print_update, _request_from_args, _terminal_snippet
from indexer.models import SearchRequest
from indexer.write import UpdateReport


def test_search_flags_become_the_request() -> None:
    argv = ["search", "稀土", "--source", "新华社", "--source", "内蒙古日报", "--site", "站甲"]
    argv += ["--year", "2023", "--region", "包头", "--document", "内政发〔2023〕12号"]
    argv += ["--from", "2023-01-01", "--to", "2023-12-31", "--sort", "newest"]
    argv += ["--page", "2", "--per-page", "5"]
    args = build_parser().parse_args(argv)
    assert _request_from_args(args, args.query) == SearchRequest(
        q="稀土",
        sources=("新华社", "内蒙古日报"),
        sites=("站甲",),
        years=("2023",),
        regions=("包头",),
        documents=("内政发〔2023〕12号",),
        date_from="2023-01-01",
        date_to="2023-12-31",
        sort="newest",
        page=2,
        per_page=5,
    )


def test_a_terminal_snippet_shows_marks_as_brackets_and_decodes_entities() -> None:
    assert _terminal_snippet("<mark>稀土</mark> &amp; &lt;b&gt;") == "【稀土】 & <b>"


def test_an_update_with_nothing_to_do_says_so_in_one_line(capsys: pytest.CaptureFixture) -> None:
    _print_update(UpdateReport(unchanged=7, seconds=0.25))
    assert capsys.readouterr().out == "index up to date (7 files unchanged, 0.25 s)\n"


def test_an_update_lists_its_counts_and_each_skipped_file(capsys: pytest.CaptureFixture) -> None:
    _print_update(
        UpdateReport(added=("a",), removed=("b", "c"), skipped=(("x.txt", "binary file"),))
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("added: 1; changed: 0; removed: 2; regrouped: 0; unchanged: 0; ")
    assert out[0].endswith("skipped: 1; 0.00 s") and out[1:] == ["  skipped x.txt: binary file"]
