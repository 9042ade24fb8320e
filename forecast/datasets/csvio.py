"""Reading CSV files into strings, with one clear error per problem.

Everything is read as text first (no silent type guessing); columns are then parsed
explicitly so an error can name the file, the line and the field. Bundled files are read
strictly (UTF-8, ``,`` separator, plain numbers); a user's file can leave the encoding, the
separator and the number format to be detected (:func:`read_table`, :func:`number_format`),
because the files people have come from Excel in many locales.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from forecast.errors import DataError

#: line number in the file of the first data row (the header is line 1)
FIRST_LINE = 2
#: separators a user's file may use, in order of preference when detecting
SEPARATORS = (",", ";", "\t", "|")
#: encodings tried, in order, when the caller does not name one
ENCODINGS = ("utf-8", "cp1252", "latin-1")
#: cells read as a missing value (compared in lower case, after stripping spaces)
MISSING = frozenset({"", "nan", "na", "n/a", "#n/a", "null"})
#: how many lines the separator is detected on (a file is consistent or it is not)
_SNIFF_LINES = 200


class TextTable(NamedTuple):
    """A CSV read as strings, with what was detected and where each row starts."""

    frame: pd.DataFrame
    #: 1-based line in the file where each row of ``frame`` starts
    lines: np.ndarray
    encoding: str
    sep: str


def read_text_table(path, *, encoding: str = "utf-8", required=()) -> pd.DataFrame:
    """Read a CSV as a frame of strings; raise DataError on encoding, emptiness or columns.

    The strict reader of bundled files: UTF-8 (a byte-order mark is dropped) and ``,``.
    """
    return read_table(path, encoding=encoding, sep=",", required=required).frame


def read_table(path, *, encoding: str | None = None, sep: str | None = None,
               required=()) -> TextTable:
    """Read a CSV as strings. ``encoding=None`` tries :data:`ENCODINGS` (after a byte-order
    mark, which decides); ``sep=None`` detects one of :data:`SEPARATORS` from the header and
    the rows. Line endings may be ``\\n``, ``\\r\\n`` or ``\\r`` (old Mac Excel)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DataError(f"{path}: is a directory, expected a CSV file") from None
    except PermissionError:
        raise DataError(f"{path}: permission denied; cannot read the file") from None
    except OSError as exc:  # a symbolic link loop, a name too long, a device error ...
        why = (exc.strerror or type(exc).__name__).lower()
        raise DataError(f"{path}: cannot read the file: {why}") from None
    text, encoding = decode(raw, path, encoding)
    # one line ending, so csv's line count is the line number an editor shows
    text = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n"
    if not text.strip():
        raise DataError(f"{path}: file is empty; expected a header row and data rows")
    if isinstance(sep, str):
        sep = {"\\t": "\t", "tab": "\t"}.get(sep, sep)  # as typed on a command line
    # Excel's own hint "sep=;" on the first line names the separator
    hint = re.match(r"sep=(.)\n", text)
    if hint:
        sep = hint.group(1) if sep is None else sep
    if sep is None:
        sep = _detect_separator(text, path)
    elif not isinstance(sep, str) or len(sep) != 1 or sep in "\"\n" or sep.isalnum():
        raise DataError(f"{path}: sep={sep!r} is not a separator; valid: one character "
                        "such as ',', ';', '\\t' or '|'")
    header, rows, lines = _records(text, sep, path, skip=1 if hint else 0)
    frame = _frame(header, rows, path)
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"found {', '.join(repr(c) for c in frame.columns)}"
        )
    if frame.empty:
        raise DataError(f"{path}: has a header but no data rows")
    return TextTable(frame, np.asarray(lines, dtype=int), encoding, sep)


# -- bytes to text ------------------------------------------------------------------------
def decode(raw: bytes, path, encoding: str | None = None) -> tuple[str, str]:
    """``(text, encoding used)``; a byte-order mark is dropped."""
    if encoding is not None:
        try:
            return raw.decode(encoding).removeprefix("\ufeff"), encoding
        except UnicodeDecodeError as exc:
            raise DataError(
                f"{path}: line {_byte_line(raw, exc.start)}: bytes are not valid "
                f"{encoding} (byte {exc.start}); save the file as {encoding} or pass "
                "encoding=..."
            ) from None
        except LookupError:
            raise DataError(f"{path}: unknown encoding {encoding!r}; valid: e.g. utf-8, "
                            "cp1252, latin-1, utf-16") from None
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            # the mark says what the file is: decode with it or fail, never guess past it
            return decode(raw, path, name)
    if raw.startswith(b"PK\x03\x04"):
        raise DataError(f"{path}: is an Excel workbook or a zip archive, not a CSV file; in "
                        "Excel use Save As > CSV UTF-8")
    if b"\x00" in raw:
        raise DataError(f"{path}: line {_byte_line(raw, raw.index(0))}: has NUL "
                        "bytes: not a text CSV (UTF-16 without a byte-order mark, or binary); "
                        "save it as CSV UTF-8 or pass encoding='utf-16'")
    first_error = None
    for name in ENCODINGS:
        try:
            text = raw.decode(name)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        # latin-1 decodes any byte; C1 control characters mean the guess is wrong
        if name == "latin-1" and re.search("[\x80-\x9f]", text):
            continue
        return text, name
    at = first_error.start
    raise DataError(
        f"{path}: line {_byte_line(raw, at)}: cannot decode byte {at} (0x{raw[at]:02x}); "
        f"tried {', '.join(ENCODINGS)}; save the file as CSV UTF-8 or pass encoding=..."
    )


def _byte_line(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


# -- text to rows -------------------------------------------------------------------------
def _detect_separator(text: str, path) -> str:
    """The separator that splits the header into 2+ fields and every row alike."""
    sample = "\n".join(text.split("\n", _SNIFF_LINES)[:_SNIFF_LINES])
    fits = {}
    for sep in SEPARATORS:
        rows = [r for r in csv.reader(io.StringIO(sample), delimiter=sep,
                                      skipinitialspace=True) if any(f.strip() for f in r)]
        if rows and len(rows[0]) >= 2:
            fits[sep] = np.mean([len(r) == len(rows[0]) for r in rows])
    if not fits:
        return ","  # one column: the missing-column error says what is there
    best = max(fits.values())
    chosen = [s for s, share in fits.items() if share == best]
    if len(chosen) > 1:
        names = " or ".join(repr(s) for s in chosen)
        raise DataError(f"{path}: cannot tell the separator: every line splits on {names}; "
                        f"pass sep=... (one of {names})")
    return chosen[0]


def _records(text: str, sep: str, path, skip: int = 0):
    """Header, data rows and the line where each row starts; blank rows only at the end.
    The first ``skip`` lines are not part of the table."""
    reader = csv.reader(io.StringIO(text), delimiter=sep, skipinitialspace=True)
    header, rows, lines = None, [], []
    blank = None
    previous = 0
    try:
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if start <= skip:
                continue
            if not any(f.strip() for f in row):
                blank = blank or start
                continue
            if blank is not None:
                raise DataError(f"{path}: line {blank} is blank; remove blank lines between "
                                "rows")
            if header is None:
                header = row
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        raise DataError(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from None
    if header is None:
        raise DataError(f"{path}: file is empty; expected a header row and data rows")
    names = [h.strip() for h in header]
    for row, line in zip(rows, lines, strict=True):
        if len(row) != len(header):
            raise DataError(f"{path}: line {line} has {len(row)} fields; the header has "
                            f"{len(header)} ({', '.join(names)})")
    return names, rows, lines


def _frame(names, rows, path) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(names)
    # Excel writes a separator at the end of each line: an unnamed, empty last column
    while names and len(names) > 1 and not names[-1] and not any(
            c.strip() for c in columns[-1]):
        names, columns = names[:-1], columns[:-1]
    seen = {}
    for j, name in enumerate(names):
        if name in seen:
            raise DataError(f"{path}: columns {seen[name] + 1} and {j + 1} are both named "
                            f"{name!r}; column names must be unique")
        seen[name] = j
    return pd.DataFrame({n: list(c) for n, c in zip(names, columns, strict=True)},
                        columns=names, dtype=object).astype(str)


def _line(lines, i: int) -> int:
    return int(lines[i]) if lines is not None else i + FIRST_LINE


# -- numbers ------------------------------------------------------------------------------
def _number_pattern(decimal: str, thousands: str) -> re.Pattern:
    d = re.escape(decimal)
    plain = rf"(\d+({d}\d*)?|{d}\d+)([eE][+-]?\d+)?"
    if not thousands:
        return re.compile(rf"^[+-]?{plain}$")
    t = re.escape(thousands)
    return re.compile(rf"^[+-]?({plain}|\d{{1,3}}({t}\d{{3}})+({d}\d*)?)$")


def _to_float(text: str, decimal: str, thousands: str) -> float:
    if thousands:
        text = text.replace(thousands, "")
    return float(text.replace(decimal, "."))


def number_format(texts, *, sep: str = ",", decimal: str | None = None,
                  thousands: str | None = None, column: str = "", path="",
                  lines=None) -> tuple[str, str]:
    """``(decimal, thousands)`` of a column of number cells, detected where not given.

    Two conventions compete: decimal point with ``,`` thousands (1,234.5) and decimal comma
    with ``.`` thousands (1.234,5, as Excel writes in Chile). A convention is possible if every
    cell reads under it. When both are and they give different numbers (``1.234``), a file
    separated by ``,`` means a decimal point; with ``;`` or a tab either is plausible, so the
    ambiguity is refused with a hint. ``thousands=''`` allows no thousands separator.
    """
    for name, value in (("decimal", decimal), ("thousands", thousands)):
        if value is not None and (not isinstance(value, str) or len(value) > 1
                                  or value.isdigit() or (name == "decimal" and not value)):
            valid = "'.' or ','" if name == "decimal" else "'.', ',', ' ', \"'\" or ''"
            raise DataError(f"{path}: {name}={value!r} is not valid; valid: {valid}")
    if decimal is not None and decimal == thousands:
        raise DataError(f"{path}: decimal and thousands are both {decimal!r}; they must differ")
    conventions = [(".", ","), (",", ".")]
    if decimal is not None:
        conventions = [(decimal, "," if decimal == "." else ".")]
    if thousands is not None:
        conventions = [(d, thousands) for d, _ in conventions if d != thousands]
    cells = [(i, t.strip()) for i, t in enumerate(texts) if t.strip().lower() not in MISSING]
    readings = {}
    for d, t in conventions:
        pattern = _number_pattern(d, t)
        if all(pattern.match(text) for _, text in cells):
            readings[(d, t)] = [_to_float(text, d, t) for _, text in cells]
    if not readings:
        return conventions[0] if len(conventions) == 1 else (
            _preferred(conventions, cells, sep))
    if len(readings) == 1:
        return next(iter(readings))
    (a, ra), (b, rb) = readings.items()
    if ra == rb or sep == ",":
        return a
    k = next(k for k in range(len(cells)) if ra[k] != rb[k])
    i, text = cells[k]
    raise DataError(
        f"{path}: line {_line(lines, i)}: column {column!r} has {text!r}, which reads as "
        f"{ra[k]:g} with decimal {a[0]!r} or {rb[k]:g} with decimal {b[0]!r}; pass "
        f"decimal='{a[0]}' or decimal='{b[0]}'"
    )


def _preferred(conventions, cells, sep):
    """Where no convention reads every cell: the one reading most (ties: what ``sep``
    suggests), so the error names the cell that is really wrong."""
    def score(c):
        pattern = _number_pattern(*c)
        return (sum(bool(pattern.match(t)) for _, t in cells), (c[0] == ",") == (sep != ","))
    return max(conventions, key=score)


_NUMBER = _number_pattern(".", "")


def parse_numbers(frame, column, path, *, allow_empty=False, nonnegative=True, lines=None,
                  decimal: str = ".", thousands: str = "", negative_hint: str = ""
                  ) -> np.ndarray:
    """Parse a text column as floats; name the line and value of the first bad cell.

    The default format is the bundled files' (plain digits, ``.`` decimal point); a user's
    file passes what :func:`number_format` found and the rows' ``lines``.
    """
    values = frame[column].astype(str).str.strip().to_numpy()
    pattern = _number_pattern(decimal, thousands)
    out = np.full(len(values), np.nan)
    for i, text in enumerate(values):
        if text.lower() in MISSING:
            if allow_empty:
                continue
            what = "a blank cell" if not text else repr(text)
            raise DataError(f"{path}: line {_line(lines, i)}: column {column!r}: missing value "
                            f"({what}); give a number for every row or drop the row")
        if not pattern.match(text):
            if (decimal, thousands) == (".", ""):
                form = "write plain digits, '.' as decimal point, no thousands separators"
            else:
                form = (f"numbers in this file read with decimal {decimal!r} and thousands "
                        f"{thousands!r}; pass decimal=... and thousands=... if that is wrong")
            raise DataError(f"{path}: line {_line(lines, i)}: column {column!r} has {text!r}, "
                            f"not a number ({form})")
        out[i] = _to_float(text, decimal, thousands)
        if not np.isfinite(out[i]):
            raise DataError(f"{path}: line {_line(lines, i)}: column {column!r} has {text!r}, "
                            "too large for a number")
        if nonnegative and out[i] < 0:
            raise DataError(
                f"{path}: line {_line(lines, i)}: column {column!r} has negative value "
                f"{text}; counts must be >= 0{negative_hint}"
            )
    return out


# -- periods and dates --------------------------------------------------------------------
_PERIOD_PATTERNS = (
    ("Y", re.compile(r"^\d{4}$")),
    ("Q", re.compile(r"^\d{4}-?Q[1-4]$")),
    ("M", re.compile(r"^\d{4}-\d{2}$")),
    ("D", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
)
FREQ_NAMES = {"Y": "annual", "Q": "quarterly", "M": "monthly", "D": "daily"}
_LABEL_FORMS = "2018, 2018Q1, 2018-03, 2018-03-31"


def period_frequency(text: str) -> str | None:
    for freq, pattern in _PERIOD_PATTERNS:
        if pattern.match(text):
            return freq
    return None


def parse_periods(frame, column, path, *, freq=None) -> pd.PeriodIndex:
    """Parse a column of period labels (2018, 2018Q1, 2018-03, 2018-03-31) of one frequency."""
    texts = frame[column].astype(str).str.strip().tolist()
    seen = _label_frequency(texts, column, path, None)
    freq = freq or seen
    try:
        return pd.PeriodIndex([pd.Period(t.replace("-Q", "Q"), freq=freq) for t in texts])
    except (ValueError, TypeError) as exc:
        raise DataError(f"{path}: column {column!r}: invalid period: {exc}") from None


def _label_frequency(texts, column, path, lines) -> str:
    """The one frequency of a column of labels; the first odd label's line if there is none."""
    seen = None
    for i, text in enumerate(texts):
        f = period_frequency(text)
        if f is None:
            what = "a missing value" if text.lower() in MISSING else f"{text!r}, not a period"
            hint = ""
            if re.match(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$", text):
                hint = "; write dates as YYYY-MM-DD"
            elif re.match(r"^\d{5}$", text):  # days since 1899-12-30
                hint = "; this looks like an Excel date number: format the column as a date"
            raise DataError(f"{path}: line {_line(lines, i)}: column {column!r} has {what}; "
                            f"valid forms: {_LABEL_FORMS}{hint}")
        if seen is None:
            seen = (f, i)
        elif f != seen[0]:
            raise DataError(
                f"{path}: line {_line(lines, i)}: column {column!r} mixes frequencies: "
                f"{text!r} is {FREQ_NAMES[f]} but line {_line(lines, seen[1])} is "
                f"{FREQ_NAMES[seen[0]]}; use one frequency per series"
            )
    return seen[0]


_FIRST_YEAR, _LAST_YEAR = 1678, 2261
_MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?$")
_FREQ_ALIASES = {"Y": "Y", "A": "Y", "YEAR": "Y", "ANNUAL": "Y", "Q": "Q", "QUARTER": "Q",
                 "QUARTERLY": "Q", "M": "M", "MONTH": "M", "MONTHLY": "M", "D": "D",
                 "DAY": "D", "DAILY": "D"}


def parse_time(texts, column, path, *, lines=None, freq: str | None = None):
    """The time axis of a user's series: a PeriodIndex (annual, quarterly, monthly) or, for
    daily dates, a DatetimeIndex.

    Dates stand for a coarser period when every date marks one: all first (or last) days of
    months are monthly; of quarters, quarterly; 1 January (or 31 December), annual. That is how
    spreadsheets and ``pandas.to_csv`` write monthly data. ``freq`` (Y, Q, M, D) overrides.
    """
    texts = [_MIDNIGHT.sub(r"\1", str(t).strip()) for t in texts]
    if freq is not None:
        key = str(freq).strip().upper()
        if key not in _FREQ_ALIASES:
            raise DataError(f"{path}: freq={freq!r} is not valid; valid: Y, Q, M, D")
        freq = _FREQ_ALIASES[key]
    label = _label_frequency(texts, column, path, lines)
    if label != "D":
        if freq is not None and freq != label:
            raise DataError(f"{path}: column {column!r} has {FREQ_NAMES[label]} labels such as "
                            f"{texts[0]!r}, not {FREQ_NAMES[freq]} ones; drop freq=... or "
                            "write dates YYYY-MM-DD")
    out = []
    for i, text in enumerate(texts):
        try:
            if label != "D":
                out.append(pd.Period(text.replace("-Q", "Q"), freq=label))
                continue
            out.append(pd.Timestamp(text))
            # pandas' nanosecond dates end there; no migration series starts earlier
            if not _FIRST_YEAR <= out[-1].year <= _LAST_YEAR:
                raise ValueError(text)
        except (ValueError, OverflowError):
            what, valid = ("date", "day YYYY-MM-DD") if label == "D" else (
                "period", f"period ({_LABEL_FORMS})")
            raise DataError(f"{path}: line {_line(lines, i)}: column {column!r} has invalid "
                            f"{what} {text!r}; valid: a real {valid} in the years "
                            f"{_FIRST_YEAR}-{_LAST_YEAR}") from None
    if label != "D":
        return pd.PeriodIndex(out, freq=label)
    dates = pd.DatetimeIndex(out)
    freq = freq or _date_frequency(dates)
    if freq == "D":
        return dates
    return dates.to_period(freq)


def _date_frequency(dates: pd.DatetimeIndex) -> str:
    for edge, months in ((dates.is_month_start, (1, 1)), (dates.is_month_end, (12, 3))):
        if edge.all():
            if (dates.month == months[0]).all():
                return "Y"
            if (dates.month % 3 == months[1] % 3).all():
                return "Q"
            return "M"
    return "D"


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
