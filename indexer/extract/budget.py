"""What one file's extraction may cost: time, text size and work steps.

The pipeline (pipeline.process_bytes) gives every page a `Budget`; its stages check it
between steps and the costly loops (repeats.collapse_repeats) charge it as they go. A page
that runs over is skipped with a one-line reason, so one hostile page (a paragraph of
millions of characters, a hundred thousand repeated lines) can never hold a build, an
update worker or an upload for minutes while the other files wait.

The clock is injected and the step limit is a plain counter, so a test can exhaust a
budget deterministically instead of waiting for the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

EXTRACT_SECONDS = 10.0  # a real page takes milliseconds; ten seconds is a hostile one
# Decoded characters a page may have (the 20 MB file limit allows ~7 million Chinese
# characters; the longest real article pages hold a few hundred thousand).
MAX_EXTRACT_CHARS = 4_000_000
EXTRACT_STEPS: int | None = None  # no step limit by default: time and size bound a page


class BudgetExceeded(Exception):
    """A page cost more than its budget; the message is the Skipped record's reason."""


@dataclass
class Budget:
    """Limits for one page: wall seconds (by `clock`), characters, and work steps.

    `steps` is None for no step limit; a test sets a small one (or a fake clock) to make
    a page run out at a known point.
    """

    # Read at creation, not import, so a limit set on the module reaches every page.
    seconds: float = field(default_factory=lambda: EXTRACT_SECONDS)
    max_chars: int = field(default_factory=lambda: MAX_EXTRACT_CHARS)
    steps: int | None = field(default_factory=lambda: EXTRACT_STEPS)
    clock: Callable[[], float] = time.monotonic
    spent: int = 0
    started: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def check_size(self, chars: int) -> None:
        """Refuse a page whose text is longer than `max_chars` before any stage runs."""
        if chars > self.max_chars:
            raise BudgetExceeded(
                f"page too long to extract: {chars} characters (limit {self.max_chars})"
            )

    def check(self, stage: str) -> None:
        """Raise BudgetExceeded if the time or the steps ran out (say where)."""
        elapsed = self.clock() - self.started
        if elapsed > self.seconds:
            raise BudgetExceeded(
                f"extraction took longer than {self.seconds:g} s (stopped at {stage})"
            )
        if self.steps is not None and self.spent > self.steps:
            raise BudgetExceeded(
                f"extraction needed more than {self.steps} steps (stopped at {stage})"
            )

    def spend(self, steps: int, stage: str = "repeated blocks") -> None:
        """Charge `steps` units of work, then check the limits."""
        self.spent += steps
        self.check(stage)
