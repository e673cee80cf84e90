"""Fixtures for the integration suites: a private copy of the seeds and an index built on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from indexer import store


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    """The seed pages copied into a folder the test may change."""
    target = tmp_path / "corpus"
    shutil.copytree(seeds_dir, target)
    return target


@pytest.fixture
def root(tmp_path: Path, corpus: Path) -> Path:
    """An index root freshly built from `corpus`."""
    index_root = tmp_path / "index"
    store.build(corpus, index_root)
    return index_root
