"""The ``forecast`` command line: thin wrappers that parse arguments, call the API, print.

Errors from the package (bad data, bad scenario, bad arguments) are printed on one line as
``forecast: error: ...`` and the process exits with status 2; nothing is half-written.
Arguments argparse itself refuses (``--paths abc``, an unknown option) take the same form,
naming the option and pointing to the command's ``--help``, instead of argparse's usage
block; running out of memory is one such line too.
"""

from __future__ import annotations

import argparse
import sys

from forecast import interrupts
from forecast.cli import backtest_cmd, datasets_cmd, fit_cmd, project_cmd, report_cmd
from forecast.errors import ForecastError

#: subcommand modules; each has ``register(subparsers)`` and sets ``func`` on its parser
COMMANDS = [datasets_cmd, fit_cmd, backtest_cmd, project_cmd, report_cmd]


class UsageError(ForecastError):
    """An argument the command line's parser refused (unknown option, not an integer ...)."""


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors raised as one ``UsageError`` (printed on one line by
    :func:`main`) instead of a usage block and ``sys.exit(2)``. Subcommand parsers are of the
    same class (argparse's default ``parser_class``)."""

    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser() -> argparse.ArgumentParser:
    from forecast import __version__

    parser = _Parser(
        prog="forecast",
        description="Forecasts of migration series, backtests, stranding scenarios, reports.",
    )
    parser.add_argument("--version", action="version", version=f"forecast {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"forecast: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for reproducibility notes
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        with interrupts.sigterm_unwinds():  # `kill` cleans up like Ctrl-C
            args.func(args)
    except ForecastError as exc:
        print(f"forecast: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:  # the scenario layer refuses what it can size; this is the rest
        print("forecast: error: ran out of memory; ask for less (fewer --paths, a shorter "
              "window or series)", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `forecast datasets | head`: stop quietly
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"forecast: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM as interrupts.Terminated
        terminated = isinstance(exc, interrupts.Terminated)
        print(f"forecast: {'terminated' if terminated else 'interrupted'}", file=sys.stderr)
        return interrupts.exit_status(exc)
    return 0


def _one_line(exc) -> str:
    return " ".join(str(exc).split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
