"""Progress on stderr for runs that take a while: ``done/total`` on one line rewritten in place, once a run has
taken 2 s, only when stderr is a terminal and never with ``--quiet`` (scripts and CI logs see nothing)."""

from __future__ import annotations

import sys
import time


class Progress:
    """Call with ``(done, total)`` as work advances; :meth:`close` clears the line."""

    def __init__(self, what: str, quiet: bool = False, after: float = 2.0):
        self.what, self.after = what, after
        self.on = not quiet and sys.stderr.isatty()
        self.start, self.shown = time.monotonic(), False

    def __call__(self, done: int, total: int) -> None:
        if self.on and time.monotonic() - self.start >= self.after:
            print(f"\rreanalysis: {done}/{total} {self.what}", end="", file=sys.stderr, flush=True)
            self.shown = True

    def close(self) -> None:
        if self.shown:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
