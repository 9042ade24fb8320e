"""The package's own exceptions.

Every error raised on bad input is a :class:`ForecastError` (a ``ValueError``), so callers can
catch one type; the message names the input, the place (file, row, column, key) and what would
be valid.
"""

from __future__ import annotations


class ForecastError(ValueError):
    """Base class of every error this package raises on bad input."""


class DataError(ForecastError):
    """A dataset, CSV file or series is missing, malformed or out of range."""


class ModelError(ForecastError):
    """A model was given settings or data it cannot use."""


class BacktestError(ForecastError):
    """A backtest was asked for something the data cannot support."""


class ScenarioError(ForecastError):
    """A scenario file or specification is invalid."""


class ReportError(ForecastError):
    """A report could not be built from the given inputs."""


class OutputError(ForecastError, OSError):
    """An output file or folder cannot be created or written.

    Also an ``OSError``, so code that caught the operating system's error from a write keeps
    working; the message names the target the user gave, never a temporary file.
    """
