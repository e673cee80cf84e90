"""Shared fixtures for all test suites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.helpers import HANG_GUARD

# Property tests must not depend on the machine's speed: Hypothesis' default 200 ms
# deadline per example and its "too slow" health check fail a correct test on a loaded
# machine. Every @settings in the suite inherits this profile.
settings.register_profile("untimed", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("untimed")

# The same for a search request's time budget (webui's SEARCH_SECONDS, 2 s by default): a
# test app or server over a real index, on a machine slow enough, would answer a 503 or hits
# without highlights. Every app the tests create, in process or as `python -m webui`, reads
# this; the budget itself is tested with an injected clock (tests/unit/read).
os.environ["NEWS_SEARCH_SECONDS"] = str(HANG_GUARD)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


def browser_skip_line(skipped: list[pytest.TestReport]) -> str | None:
    """One unmistakable line when browser tests were skipped, naming the reason (which
    says how to enable them), or None. Without it a machine lacking Chromium would end
    a run of `make test` green, silently without the browser suite."""
    browser = [r for r in skipped if r.nodeid.startswith("tests/browser/")]
    if not browser:
        return None
    longrepr = browser[0].longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    return f"BROWSER TESTS SKIPPED ({len(browser)}): {reason}"


def pytest_terminal_summary(terminalreporter) -> None:
    line = browser_skip_line(terminalreporter.stats.get("skipped", []))
    if line:
        terminalreporter.write_line(line, red=True, bold=True)
