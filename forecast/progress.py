"""The one progress bar: jobs done out of jobs planned, on one line of stderr.

:func:`forecast.jobs.run_jobs` drives it for ``backtest`` and ``predict_many``. (The command
line's ``Steps`` in ``forecast/cli/_common.py`` is not a bar: it names the long step under way
and its elapsed time.)
"""

from __future__ import annotations

import sys


class Progress:
    """A one-line progress bar on stderr; silent when quiet or stderr is not a terminal.

    Use as a context manager, or call :meth:`close` when done; :meth:`update` is the
    ``on_done`` callback of :func:`forecast.parallel.run_chunks`.
    """

    def __init__(self, total: int, quiet: bool = False, label: str = "jobs", stream=None):
        self.total = max(int(total), 1)
        self.done = 0
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = (not quiet) and bool(isatty and isatty())

    def update(self, n: int = 1):
        self.done += n
        if self.enabled:
            frac = min(self.done / self.total, 1.0)
            bar = "#" * int(30 * frac)
            self.stream.write(f"\r{self.label} [{bar:<30}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self):
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
