"""The end-of-run line that says browser tests were skipped (tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.conftest import browser_skip_line

REASON = "/usr/bin/chromium not found; run `apt-get install -y chromium` to include them"


def report(nodeid: str) -> pytest.TestReport:
    return pytest.TestReport(
        nodeid, ("x.py", 1, nodeid), {}, "skipped", ("x.py", 1, f"Skipped: {REASON}"), "setup"
    )


def test_skipped_browser_tests_end_the_run_with_one_line_saying_how_to_enable_them() -> None:
    skipped = [report("tests/browser/test_a.py::t[desktop]"), report("tests/web/test_b.py::t")]
    skipped.append(report("tests/browser/test_a.py::t[phone-390]"))
    assert browser_skip_line(skipped) == f"BROWSER TESTS SKIPPED (2): {REASON}"
    assert browser_skip_line([report("tests/web/test_b.py::t")]) is None
    assert browser_skip_line([]) is None


def test_property_tests_carry_no_deadline_and_no_speed_health_check() -> None:
    from hypothesis import HealthCheck, settings

    assert settings().deadline is None
    assert HealthCheck.too_slow in settings().suppress_health_check
    assert settings(max_examples=5).deadline is None  # an explicit @settings inherits it
