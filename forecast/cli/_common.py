"""Options shared by the subcommands (--seed, --out, --quiet), their checks, and ``Steps``.

``Steps`` is a step list, not a progress bar: it names the long step under way and the time
since the command started. The one progress bar (jobs done of jobs planned) is
:class:`forecast.progress.Progress`, which ``backtest`` and ``predict_many`` drive.
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time

from forecast.errors import ForecastError
from forecast.panel import check_count


def add_common(p, *, out_help: str, out_default=None):
    p.add_argument("--seed", type=seed, default=0, help="random seed, an integer >= 0 "
                   "(default 0)")
    p.add_argument("--out", default=out_default, metavar="DIR", help=out_help)
    p.add_argument("--quiet", action="store_true", help="no progress messages on stderr")


def seed(text: str) -> int:
    """``--seed``: an integer >= 0 (what numpy's SeedSequence takes)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text!r}")
    return value


def positive(name: str, value: int) -> int:
    """An option that counts something (--h, --paths): the package's one rule for counts."""
    return check_count(name, value, ForecastError)


class Steps:
    """The long step under way on stderr ("[  1.2 s] label ..."); silent unless stderr is a
    TTY. Each call replaces the line; ``done()`` ends it."""

    def __init__(self, quiet: bool = False, stream=None):
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = (not quiet) and bool(isatty and isatty())
        self.t0 = time.perf_counter()
        self.open = False

    def __call__(self, label: str):
        if self.enabled:
            self.stream.write(f"\r\033[K[{time.perf_counter() - self.t0:5.1f} s] {label} ...")
            self.stream.flush()
            self.open = True

    def done(self):
        if self.enabled and self.open:
            self.stream.write(f"\r\033[K[{time.perf_counter() - self.t0:5.1f} s] done\n")
            self.stream.flush()
            self.open = False


def command_line(argv=None) -> str:
    """The command as typed (``forecast`` + arguments), for reproducibility notes."""
    args = sys.argv[1:] if argv is None else argv
    return " ".join(["forecast", *map(shlex.quote, args)])
