"""MinHash signatures and band keys: stable bytes, blind to width, script and punctuation."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.write import minhash

FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures"


def test_signature_ignores_width_script_and_punctuation() -> None:
    simplified = "自治区科技厅召开稀土新材料推进会，部署2024年重点任务。"
    variant = "自治區科技廳召開稀土新材料推進會, 部署２０２４年重點任務."
    assert minhash.signature(simplified) == minhash.signature(variant)


def test_signature_is_stable_bytes() -> None:
    sig = minhash.signature("内蒙古自治区科技创新")
    assert isinstance(sig, bytes) and len(sig) == minhash.NUM_HASHES * 4
    assert minhash.signature("内蒙古自治区科技创新") == sig


def test_empty_body_has_no_bands_and_matches_nothing() -> None:
    empty = minhash.signature("")
    assert minhash.band_keys(empty) == []
    assert minhash.similarity(empty, empty) == 0.0
    assert len(minhash.band_keys(minhash.signature("稀土"))) == minhash.BANDS


@pytest.mark.parametrize(
    "text",
    ["", "高新區(qū)發展", "ＲＤ经费５０００万元…", "①②㎡ ﬁ Ⅻ", "全市R&D经费投入达到53.2亿元"],
)
def test_fold_fast_equals_fold(text: str) -> None:
    from indexer.normalize import fold_with_offsets

    assert minhash.fold_fast(text) == fold_with_offsets(text)[0]


def test_fold_fast_equals_fold_on_every_fixture() -> None:
    from indexer.normalize import fold_with_offsets

    for path in sorted(FIXTURES.rglob("*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        assert minhash.fold_fast(text) == fold_with_offsets(text)[0], path.name
