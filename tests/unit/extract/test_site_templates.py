"""site_templates: the template counts an index keeps, changed by builds and updates."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import patterns as P
from indexer.extract.site_templates import Counted, SiteBook, counted, enter_share, leave_share

BIG = (1 << 64) - 5  # a hash over 2**63: stored signed, read back unsigned
CHROME = frozenset({1, BIG})


def pages(site: str, n: int, keys: frozenset[int] = CHROME, start: int = 0) -> list[Counted]:
    return [Counted(f"{site}/{i}.txt", site, keys | {1000 + i}) for i in range(start, start + n)]


@pytest.fixture
def book(tmp_path: Path):
    book = SiteBook(tmp_path)
    yield book
    book.close()


def test_a_build_learns_the_lines_on_a_share_of_a_sites_pages(book: SiteBook) -> None:
    learnt = book.fill(pages("a", P.MIN_SITE_PAGES) + pages("b", P.MIN_SITE_PAGES - 1))
    assert learnt == {"a": CHROME}  # b has too few pages for a template
    assert book.templates() == {"a": CHROME}
    assert book.files_holding("a", frozenset({BIG})) == sorted(
        p.path for p in pages("a", P.MIN_SITE_PAGES)
    )
    assert book.files_holding("a", frozenset({1000})) == ["a/0.txt"]


def test_the_page_that_gives_a_site_enough_pages_flips_its_chrome(book: SiteBook) -> None:
    book.fill(pages("a", P.MIN_SITE_PAGES - 1))
    assert book.templates() == {}
    flips = book.change(pages("a", 1, start=P.MIN_SITE_PAGES - 1), [])
    assert flips == {"a": CHROME}
    assert book.templates() == {"a": CHROME}
    # and taking a page out again leaves too few pages: the template goes
    assert book.change([], ["a/0.txt"]) == {"a": CHROME}
    assert book.templates() == {}


def test_replacing_a_page_counts_its_new_lines_only(book: SiteBook) -> None:
    book.fill(pages("a", P.MIN_SITE_PAGES))
    new = Counted("a/0.txt", "a", frozenset({7}))
    book.change([new], [])
    assert book.files_holding("a", frozenset({7})) == ["a/0.txt"]
    assert book.files_holding("a", frozenset({1000})) == []
    row = book.db.execute("SELECT pages FROM sites WHERE site = 'a'").fetchone()
    assert row == (P.MIN_SITE_PAGES,)


def test_a_template_line_leaves_only_under_half_its_share(book: SiteBook) -> None:
    n = 20
    book.fill(pages("a", n))
    # Pages without the chrome: its share falls under TEMPLATE_SHARE, not yet under half.
    plain = [Counted(f"a/plain{i}.txt", "a", frozenset({5000 + i})) for i in range(5 * n)]
    assert n < enter_share(6 * n) and n >= leave_share(6 * n)
    assert book.change(plain, []) == {}
    assert book.templates() == {"a": CHROME}
    more = [Counted(f"a/more{i}.txt", "a", frozenset({9000 + i})) for i in range(5 * n)]
    assert n < leave_share(11 * n)
    assert book.change(more, []) == {"a": CHROME}
    assert book.templates() == {}


def test_a_page_without_a_site_is_not_counted() -> None:
    assert counted("x.txt", None, frozenset({1})) is None
    assert counted("x.txt", "text:甲网", frozenset({1})) == Counted(
        "x.txt", "text:甲网", frozenset({1})
    )


def test_the_counts_persist_with_the_generation(tmp_path: Path) -> None:
    first = SiteBook(tmp_path)
    first.fill(pages("a", P.MIN_SITE_PAGES))
    first.close()
    again = SiteBook(tmp_path)
    try:
        assert again.templates() == {"a": CHROME}
    finally:
        again.close()


def test_a_build_fill_consumes_its_pages_as_they_come(
    book: SiteBook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build hands fill its reading pass itself: the pages are taken one at a time and
    the files written in batches, with the same counts as from a list."""
    from indexer.extract import site_templates

    monkeypatch.setattr(site_templates, "FILL_BATCH", 3)
    given = pages("a", P.MIN_SITE_PAGES + 4) + pages("b", 2)
    taken = []

    def one_by_one():
        for page in given:
            taken.append(page)
            yield page

    assert book.fill(one_by_one()) == {"a": CHROME}
    assert taken == given
    assert book.files_holding("b", CHROME) == ["b/0.txt", "b/1.txt"]
    assert len(book.files_holding("a", CHROME)) == P.MIN_SITE_PAGES + 4
