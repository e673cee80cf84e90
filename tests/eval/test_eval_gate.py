"""The labelled evaluation set gates changes: extraction may not fall below these floors."""

from __future__ import annotations

from tests.eval.score import evaluate


def test_eval_scores_meet_floors() -> None:
    scores = evaluate()
    rates = scores.rates()
    assert scores.pages == 26
    assert rates["title"] >= 0.9, scores.misses
    assert rates["published"] >= 0.9, scores.misses
    assert rates["sources"] >= 0.9, scores.misses
    assert rates["site"] >= 0.8, scores.misses
    assert rates["body_bounds"] >= 0.9, scores.misses
    assert rates["body_recall"] >= 0.95, scores.misses
    assert rates["leak_rate"] <= 0.02, scores.misses
