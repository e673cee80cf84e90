"""The small index (small_index.py) opened once per test module."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.read.searcher import Searcher
from tests.unit.read.small_index import DOCS, write_index


@pytest.fixture(scope="module")
def index_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_index(tmp_path_factory.mktemp("ix"), DOCS)


@pytest.fixture(scope="module")
def searcher(index_root: Path) -> Searcher:
    return Searcher(index_root)
