"""part_files: a segment's saved arrays come back whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from indexer.read import part_files
from indexer.read.part_files import PART_ARRAYS, PER_DOC_ARRAYS, load_arrays, save_arrays, strings

COUNT = 3


def _arrays() -> dict[str, np.ndarray]:
    """A well-formed part of COUNT documents: every code 0 into one-value lists."""
    out: dict[str, np.ndarray] = {}
    for name in PART_ARRAYS:
        if name in PER_DOC_ARRAYS:
            out[name] = np.zeros(COUNT, dtype=bool if name == "canonical" else np.int32)
        elif name.endswith("values"):
            out[name] = strings(["某值"])
        else:  # pair documents and codes
            out[name] = np.zeros(2, dtype=np.int32)
    return out


def test_saved_arrays_load_back_equal(tmp_path: Path) -> None:
    path = tmp_path / "MAIN_x.prt"
    save_arrays(path, _arrays())
    back = load_arrays(path, COUNT)
    assert back is not None and back.keys() == PART_ARRAYS
    assert all(np.array_equal(back[k], v) for k, v in _arrays().items())
    assert [p.name for p in tmp_path.iterdir()] == ["MAIN_x.prt"]  # no temporary file left


@pytest.mark.parametrize(
    "damage",
    [
        lambda a: a.pop("pair_doc"),  # an array missing
        lambda a: a.update(canonical=np.zeros(COUNT + 1, dtype=bool)),  # another document count
        lambda a: a.update(pair_src=np.array([0, 1], dtype=np.int32)),  # a code past its values
        lambda a: a.update(pair_doc=np.array([0, COUNT], dtype=np.int32)),  # past the segment
    ],
)
def test_a_file_that_is_not_this_segments_is_refused(tmp_path: Path, damage, caplog) -> None:
    arrays = _arrays()
    damage(arrays)
    path = tmp_path / "MAIN_x.prt"
    save_arrays(path, arrays)
    assert load_arrays(path, COUNT) is None
    assert "not this segment's" in caplog.text


def test_a_damaged_or_missing_file_is_none(tmp_path: Path, caplog) -> None:
    assert load_arrays(tmp_path / "absent.prt", COUNT) is None
    path = tmp_path / "MAIN_x.prt"
    path.write_bytes(b"PK\x03\x04 not a whole file")
    assert load_arrays(path, COUNT) is None
    assert "re-reading segment arrays" in caplog.text


def test_a_failed_save_leaves_nothing_behind(tmp_path: Path, monkeypatch) -> None:
    def full_disk(*_args, **_kwargs) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(part_files.os, "replace", full_disk)
    save_arrays(tmp_path / "MAIN_x.prt", _arrays())
    assert list(tmp_path.iterdir()) == []


def test_strings_keeps_arrays_and_types_empty_lists() -> None:
    array = strings(["甲", "乙"])
    assert strings(array) is array
    assert strings([]).dtype.kind == "U" and len(strings([])) == 0
