"""Fixtures for the integration suites: a private copy of the seeds and an index built on it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from indexer import write
from tests.helpers import Pause


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
    write.build(corpus, index_root)
    return index_root


@pytest.fixture
def pause_at(tmp_path: Path) -> Iterator[Callable[[str], Pause]]:
    """Make Pause handshakes for writers the test starts; kill what is left of them after."""
    made: list[Pause] = []

    def make(point: str) -> Pause:
        made.append(Pause(tmp_path / f"pause-{len(made)}", point))
        return made[-1]

    yield make
    for pause in made:
        pause.__exit__(None, None, None)
