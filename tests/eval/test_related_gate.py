"""Related stories: the method the article view uses holds its figures on the labelled
subjects and stays ahead of MinHash neighbours (python -m tests.eval.related)."""

from __future__ import annotations

from tests.eval.related import evaluate


def test_distinctive_words_find_stories_on_the_same_subject() -> None:
    scores = evaluate()
    ours, minhash = scores["distinctive words"], scores["MinHash neighbours"]
    assert ours.queries == minhash.queries == 42
    assert ours.precision >= 0.35 and ours.recall >= 0.45, ours
    assert ours.precision > minhash.precision and ours.recall > minhash.recall, scores
