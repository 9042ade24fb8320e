"""Bring your own series: ``read_csv`` validates a user file and returns the loader's shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecast.datasets.csvio import (
    FIRST_LINE,
    FREQ_NAMES,
    parse_numbers,
    parse_periods,
    read_text_table,
)
from forecast.errors import DataError


def read_csv(
    path,
    *,
    period: str = "period",
    value: str = "value",
    id_col: str | None = None,
    unit: str = "",
    counts: bool = True,
    encoding: str = "utf-8",
):
    """Read and validate a user series from CSV.

    The file needs a period column (``2018``, ``2018Q1``, ``2018-03`` or ``2018-03-31``, one
    frequency per file) and a numeric value column. With ``id_col`` the file holds several
    series and a long frame (``unique_id``, ``ds``, ``y``) is returned; otherwise a
    ``pandas.Series`` indexed by a ``PeriodIndex`` with ``.attrs`` like ``load``'s.

    Raises :class:`forecast.errors.DataError` naming the file, line and field on: bad
    encoding, empty file, missing column, non-numeric or (with ``counts=True``) negative
    values, duplicate or unsorted periods, mixed frequencies.
    """
    path = Path(path)
    required = [period, value] + ([id_col] if id_col else [])
    frame = read_text_table(path, encoding=encoding, required=required)
    values = parse_numbers(frame, value, path, nonnegative=counts)
    periods = parse_periods(frame, period, path)
    ids = frame[id_col].astype(str).to_numpy() if id_col else np.zeros(len(frame), dtype=int)
    for uid in pd.unique(ids):
        rows = np.flatnonzero(ids == uid)
        _check_order(periods[rows], rows, path, period, uid if id_col else None)
    freq = FREQ_NAMES[periods.freqstr[0]] if periods.freqstr else ""
    attrs = {
        "name": path.stem,
        "title": path.name,
        "unit": unit,
        "frequency": freq,
        "kind": "series",
        "vintage": "as read from file",
        "sources": [{"ref": "all", "title": path.name, "url": str(path.resolve()),
                     "date": "", "quote": "", "reliability": "user"}],
        "caveats": [],
    }
    if id_col:
        out = pd.DataFrame({"unique_id": ids, "ds": periods, "y": values})
        out.attrs = attrs
        return out
    series = pd.Series(values, index=pd.PeriodIndex(periods, name=period), name=path.stem)
    series.attrs = attrs
    return series


def _check_order(periods, rows, path, column, uid):
    where = "" if uid is None else f" (series {uid!r})"
    ordinals = periods.asi8
    for j in range(1, len(ordinals)):
        if ordinals[j] == ordinals[j - 1] or ordinals[j] in ordinals[:j]:
            raise DataError(
                f"{path}: line {rows[j] + FIRST_LINE}: duplicate period {periods[j]} in column "
                f"{column!r}{where}; each period must appear once"
            )
        if ordinals[j] < ordinals[j - 1]:
            raise DataError(
                f"{path}: line {rows[j] + FIRST_LINE}: period {periods[j]} comes after "
                f"{periods[j - 1]} in column {column!r}{where}; sort the rows by period"
            )
