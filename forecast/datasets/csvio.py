"""Reading CSV files into strings, with one clear error per problem.

Everything is read as text first (no silent type guessing); columns are then parsed
explicitly so an error can name the file, the line and the field.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.errors import DataError

#: line number in the file of the first data row (the header is line 1)
FIRST_LINE = 2


def read_text_table(path, *, encoding: str = "utf-8", required=()) -> pd.DataFrame:
    """Read a CSV as a frame of strings; raise DataError on encoding, emptiness or columns."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, expected a CSV file") from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"{path}: line {line}: bytes are not valid {encoding} (byte {exc.start}); "
            f"save the file as {encoding} or pass encoding=..."
        ) from None
    text = text.removeprefix("\ufeff").rstrip("\r\n") + "\n"
    if not text.strip():
        raise DataError(f"{path}: file is empty; expected a header row and data rows")
    _check_field_counts(text, path)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True,
            index_col=False,
        )
    except pd.errors.ParserError as exc:
        raise DataError(f"{path}: malformed CSV: {_first_line(exc)}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"found {', '.join(repr(c) for c in frame.columns)}"
        )
    if frame.empty:
        raise DataError(f"{path}: has a header but no data rows")
    return frame


def _check_field_counts(text: str, path) -> None:
    """Every line has as many fields as the header (pandas would shift or drop cells)."""
    import csv

    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    for row in reader:
        if len(row) != len(header):
            line = reader.line_num
            what = "is blank" if not row else f"has {len(row)} fields"
            raise DataError(f"{path}: line {line} {what}; the header has {len(header)} "
                            f"({', '.join(header)})")


def _first_line(exc) -> str:
    return str(exc).strip().splitlines()[0]


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_numbers(frame, column, path, *, allow_empty=False, nonnegative=True) -> np.ndarray:
    """Parse a text column as floats; name the line and value of the first bad cell."""
    values = frame[column].astype(str).str.strip().to_numpy()
    out = np.full(len(values), np.nan)
    for i, text in enumerate(values):
        if text == "" or text.lower() in ("nan", "na"):
            if allow_empty:
                continue
            raise DataError(f"{path}: line {i + FIRST_LINE}: column {column!r} is empty")
        if not _NUMBER.match(text):
            raise DataError(
                f"{path}: line {i + FIRST_LINE}: column {column!r} has {text!r}, not a number "
                "(write plain digits, '.' as decimal point, no thousands separators)"
            )
        out[i] = float(text)
        if nonnegative and out[i] < 0:
            raise DataError(
                f"{path}: line {i + FIRST_LINE}: column {column!r} has negative value "
                f"{text}; counts must be >= 0"
            )
    return out


_PERIOD_PATTERNS = (
    ("Y", re.compile(r"^\d{4}$")),
    ("Q", re.compile(r"^\d{4}-?Q[1-4]$")),
    ("M", re.compile(r"^\d{4}-\d{2}$")),
    ("D", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
)
FREQ_NAMES = {"Y": "annual", "Q": "quarterly", "M": "monthly", "D": "daily"}


def period_frequency(text: str) -> str | None:
    for freq, pattern in _PERIOD_PATTERNS:
        if pattern.match(text):
            return freq
    return None


def parse_periods(frame, column, path, *, freq=None) -> pd.PeriodIndex:
    """Parse a column of period labels (2018, 2018Q1, 2018-03, 2018-03-31) of one frequency."""
    texts = frame[column].astype(str).str.strip().tolist()
    seen = None
    for i, text in enumerate(texts):
        f = period_frequency(text)
        if f is None:
            raise DataError(
                f"{path}: line {i + FIRST_LINE}: column {column!r} has {text!r}, not a period; "
                "valid forms: 2018, 2018Q1, 2018-03, 2018-03-31"
            )
        if seen is None:
            seen = (f, i)
        elif f != seen[0]:
            raise DataError(
                f"{path}: line {i + FIRST_LINE}: column {column!r} mixes frequencies: "
                f"{text!r} is {FREQ_NAMES[f]} but line {seen[1] + FIRST_LINE} is "
                f"{FREQ_NAMES[seen[0]]}; use one frequency per series"
            )
    freq = freq or seen[0]
    try:
        return pd.PeriodIndex([pd.Period(t.replace("-Q", "Q"), freq=freq) for t in texts])
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: column {column!r}: invalid period: {exc}") from None


def vintage_end(text: str) -> pd.Timestamp:
    """The last day a vintage stated as YYYY, YYYY-MM or YYYY-MM-DD can refer to.

    Taking the end of the stated precision is conservative: a figure published "in 2021" is
    treated as unknown until 31 December 2021, so real-time selection never looks ahead.
    """
    text = str(text).strip()
    freq = period_frequency(text)
    if freq not in ("Y", "M", "D"):
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    return pd.Period(text, freq=freq).end_time.normalize()


def parse_dates(frame, column, path, *, allow_empty=False) -> pd.DatetimeIndex:
    texts = frame[column].astype(str).str.strip().tolist()
    out = []
    for i, text in enumerate(texts):
        if text == "" and allow_empty:
            out.append(pd.NaT)
            continue
        if period_frequency(text) != "D":
            raise DataError(
                f"{path}: line {i + FIRST_LINE}: column {column!r} has {text!r}; "
                "expected a date YYYY-MM-DD"
            )
        try:
            out.append(pd.Timestamp(text))
        except ValueError:
            raise DataError(
                f"{path}: line {i + FIRST_LINE}: column {column!r} has invalid date {text!r}"
            ) from None
    return pd.DatetimeIndex(out)
