"""What a write reports: progress steps to the caller's callback, and the update's tally."""

from __future__ import annotations

from indexer.models import Article
from indexer.write.reports import Steps, Tally


def _article(i: str) -> Article:
    return Article(id=i, path=f"{i}.txt", title=i, title_inferred=False, published=None,
                   sources=(), site=None, body="正文", content_hash="h", file_hash="f")  # fmt: skip


def test_steps_tell_the_callback_the_running_count_and_the_total() -> None:
    seen: list[tuple[str, int, int]] = []
    bar = Steps(lambda *a: seen.append(a), "reading", 3)
    bar.step()
    bar.step(2)
    bar.step(0)  # nothing done: nothing told
    assert seen == [("reading", 1, 3), ("reading", 3, 3)]


def test_steps_without_a_callback_only_count() -> None:
    bar = Steps(None, "reading", 2)
    bar.step()
    assert bar.done == 1


def test_an_article_read_again_for_its_template_is_reread_not_changed() -> None:
    t = Tally()
    t.record(_article("a"), is_new=True)
    t.record(_article("b"), is_new=False)
    t.rereading = True
    again = _article("a")
    t.record(again, is_new=False)
    t.record(_article("c"), is_new=False)
    r = t.report(0.0)
    assert (r.added, r.changed) == (("a",), ("b",))
    assert r.reread == ("c",)  # a was added in this run: its reread is not news
    assert [a.id for a in r.articles] == ["a", "b"] and r.articles[0] is again


def test_regrouped_lists_each_existing_article_once_sorted_without_the_run_s_own() -> None:
    t = Tally(added=["n"], changed=["m"], regrouped=["z", "n", "y", "z", "m"])
    assert t.report(0.0).regrouped == ("y", "z")
