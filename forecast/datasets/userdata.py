"""Bring your own series: ``read_csv`` reads the files people have and returns the loader's shape.

A data scientist's first files are ``year,value``, ``date,value``, ``ds,y`` or a long
``unique_id,ds,y``; a planner's are Excel exports, in Chile with ``;`` separators, decimal
commas and ``1.234.567`` thousands, saved as Windows "ANSI". The columns, the separator, the
number format, the encoding and the frequency are detected; each can be set, and where the
file cannot tell (``1.234`` in a ``;`` file) the reader refuses with a hint instead of guessing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecast.datasets.csvio import (
    FREQ_NAMES,
    MISSING,
    number_format,
    parse_numbers,
    parse_time,
    read_table,
)
from forecast.errors import DataError

#: column names recognised, in lower case; the first of each is the one preferred when a
#: file has several (a file with both ``period`` and ``year`` reads ``period``, as it always did)
PERIOD_NAMES = ("period", "year", "date", "ds", "month", "quarter", "time", "año", "ano",
                "anio", "fecha", "periodo", "período", "mes")
VALUE_NAMES = ("value", "y", "count", "valor", "cantidad", "total")
ID_NAMES = ("unique_id", "id")

_NEGATIVE_HINT = ("; pass allow_negative=True (command line: --allow-negative) for a series "
                  "that can be negative")


def read_csv(
    path,
    *,
    period_col: str | None = None,
    value_col: str | None = None,
    id_col: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    allow_negative: bool = False,
    freq: str | None = None,
    unit: str = "",
    counts: bool = True,
    encoding: str | None = None,
    period: str | None = None,
    value: str | None = None,
):
    """Read and validate a user series from CSV.

    Parameters
    ----------
    path
        The CSV file.
    period_col, value_col, id_col
        Column names. By default they are found by name (case ignored): the period among
        ``period, year, date, ds, month, quarter, time, año, fecha, periodo, mes`` (or an
        unnamed first column, as ``pandas.to_csv`` writes an index); the value among ``value,
        y, count, valor, cantidad, total`` (or the one other column of a two-column file); the
        id among ``unique_id, id``. ``period`` and ``value`` are the older names of the first
        two and still work.
    sep, decimal, thousands
        Separator (``,``, ``;``, tab or ``|``), decimal mark (``.`` or ``,``) and thousands
        separator (``,``, ``.``, ``' '``, ``''`` for none). Detected when None; a ``;`` file
        whose numbers could be read both ways (``1.234``) is refused with a hint.
    allow_negative
        Accept negative values (the default refuses them: most series here are counts).
        ``counts=False`` is the older spelling.
    freq
        ``Y``, ``Q``, ``M`` or ``D`` to read dates as that frequency. By default labels say it
        (``2018``, ``2018Q1``, ``2018-03``, ``2018-03-31``), and dates that are all first (or
        last) days of months, quarters or years are monthly, quarterly or annual.
    unit
        Unit stored in ``.attrs["unit"]``.
    encoding
        The file's encoding; by default a byte-order mark decides, else UTF-8, then cp1252
        (Windows "ANSI"), then latin-1 are tried.

    Returns
    -------
    A ``pandas.Series`` named after the file, indexed by a ``PeriodIndex`` (annual, quarterly,
    monthly) or a ``DatetimeIndex`` (daily), with ``.attrs`` like ``load``'s (``read`` says how
    the file was read). With an id column, a long frame ``unique_id, ds, y`` for
    ``predict_many`` and ``backtest``, with the same ``.attrs``.

    Raises :class:`forecast.errors.DataError` naming the file, line (1-based, in the file) and
    column on: a missing file or a directory, undecodable bytes, an empty file, missing or
    ambiguous columns, ragged rows, missing values, non-numeric, ambiguous or (unless
    allowed) negative values, bad, mixed, duplicate or unsorted periods.
    """
    path = Path(path)
    period_col = _alias(period_col, period, "period_col", "period", path)
    value_col = _alias(value_col, value, "value_col", "value", path)
    table = read_table(path, encoding=encoding, sep=sep)
    frame, lines = table.frame, table.lines
    pcol, vcol, icol = _columns(list(frame.columns), period_col, value_col, id_col, path)
    fmt = number_format(frame[vcol].tolist(), sep=table.sep, decimal=decimal,
                        thousands=thousands, column=vcol, path=path, lines=lines)
    values = parse_numbers(frame, vcol, path, lines=lines, decimal=fmt[0], thousands=fmt[1],
                           nonnegative=counts and not allow_negative,
                           negative_hint=_NEGATIVE_HINT)
    index = parse_time(frame[pcol].tolist(), pcol, path, lines=lines, freq=freq)
    ids = _ids(frame, icol, lines, path) if icol else np.zeros(len(frame), dtype=int)
    texts = frame[pcol].str.strip().to_numpy()
    for uid in pd.unique(ids):
        rows = np.flatnonzero(ids == uid)
        _check_order(index[rows], texts[rows], lines[rows], path, pcol, uid if icol else None)
    frequency = FREQ_NAMES["D" if isinstance(index, pd.DatetimeIndex) else index.freqstr[0]]
    attrs = {
        "name": path.stem,
        "title": path.name,
        "unit": unit,
        "frequency": frequency,
        "kind": "series",
        "vintage": "as read from file",
        "sources": [{"ref": "all", "title": path.name, "url": str(path.resolve()),
                     "date": "", "quote": "", "reliability": "user"}],
        "caveats": [],
        "read": {"encoding": table.encoding, "sep": table.sep, "decimal": fmt[0],
                 "thousands": fmt[1], "period_col": pcol, "value_col": vcol, "id_col": icol},
    }
    if icol:
        out = pd.DataFrame({"unique_id": ids, "ds": index, "y": values})
        out.attrs = attrs
        return out
    if isinstance(index, pd.DatetimeIndex) and len(index) > 1 and (
            np.diff(index.asi8) == pd.Timedelta(days=1).value).all():
        index = pd.DatetimeIndex(index, freq="D")
    series = pd.Series(values, index=index.rename(pcol or "period"), name=path.stem)
    series.attrs = attrs
    return series


def _alias(new, old, new_name, old_name, path):
    if old is not None and new is not None and old != new:
        raise DataError(f"{path}: {new_name}={new!r} and {old_name}={old!r} disagree; pass "
                        f"one of them")
    return new if new is not None else old


def _columns(columns, period_col, value_col, id_col, path):
    """The period, value and id columns: given, or found by name."""
    found = ", ".join(repr(c) for c in columns)
    given = [c for c in (period_col, value_col, id_col) if c is not None]
    for name in given:
        if name not in columns:
            raise DataError(f"{path}: missing column(s) {name!r}; found {found}")
    if len(set(given)) < len(given):
        raise DataError(f"{path}: the period, value and id columns must differ; got "
                        f"{', '.join(repr(c) for c in given)}")
    taken = set(given)
    icol = id_col if id_col is not None else _by_name(columns, ID_NAMES, taken, "id",
                                                      "id_col", path)
    taken.add(icol)
    pcol = period_col
    if pcol is None:
        pcol = _by_name(columns, PERIOD_NAMES, taken, "period", "period_col", path)
        if pcol is None and columns[0] == "" and "" not in taken:
            pcol = ""  # pandas' to_csv writes the index as an unnamed first column
    if pcol is None:
        raise DataError(f"{path}: no period column: found {found}; name it one of "
                        f"{', '.join(PERIOD_NAMES[:4])} or pass period_col=...")
    taken.add(pcol)
    vcol = value_col
    if vcol is None:
        vcol = _by_name(columns, VALUE_NAMES, taken, "value", "value_col", path)
        rest = [c for c in columns if c not in taken]
        if vcol is None and len(rest) == 1:
            vcol = rest[0]
    if vcol is None:
        wide = " (a wide file, one column per series, must be made long: unique_id, ds, y)"
        raise DataError(f"{path}: no value column: found {found}; name it one of "
                        f"{', '.join(VALUE_NAMES[:3])} or pass value_col=..."
                        f"{wide if len(columns) > 2 else ''}")
    return pcol, vcol, icol


def _by_name(columns, names, taken, role, flag, path):
    hits = [c for c in columns if c.strip().lower() in names and c not in taken]
    if len(hits) <= 1:
        return hits[0] if hits else None
    preferred = [c for c in hits if c.strip().lower() == names[0]]
    if preferred:
        return preferred[0]
    raise DataError(f"{path}: columns {' and '.join(repr(c) for c in hits)} could each be the "
                    f"{role}; pass {flag}=... to say which")


def _ids(frame, column, lines, path) -> np.ndarray:
    ids = frame[column].str.strip().to_numpy()
    for i, uid in enumerate(ids):
        if uid.lower() in MISSING:
            raise DataError(f"{path}: line {lines[i]}: column {column!r}: missing value; "
                            "every row of a long file needs its series id")
    return ids


def _check_order(index, texts, lines, path, column, uid):
    def label(j):  # as written, and as read when that differs (2020-01-01 is 2020-01)
        read = str(index[j].date()) if isinstance(index, pd.DatetimeIndex) else str(index[j])
        return texts[j] if texts[j] == read else f"{texts[j]} (read as {read})"

    where = "" if uid is None else f" (series {uid!r})"
    ordinals = index.asi8
    seen = {}
    for j, key in enumerate(ordinals):
        if key in seen:
            raise DataError(
                f"{path}: line {lines[j]}: duplicate period {label(j)} in column "
                f"{column!r}{where} (also on line {lines[seen[key]]}); each period must "
                "appear once"
            )
        seen[key] = j
        if j and key < ordinals[j - 1]:
            raise DataError(
                f"{path}: line {lines[j]}: period {label(j)} comes after {label(j - 1)} in "
                f"column {column!r}{where}; sort the rows by period"
            )
