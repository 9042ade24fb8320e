"""Loading bundled datasets with vintage selection and provenance in ``.attrs``.

Selection rule for series datasets (one value per period):

* rows with ``status = "primary"`` are candidates; ``alternate`` rows (conflicting published
  figures, typos, non-official claims) and ``derived`` rows (arithmetic on sourced figures)
  are never picked silently: pass ``alternates=True`` to see them beside the series, or
  ``derived=True`` to let derived rows compete as candidates;
* ``vintage="latest"``: the candidate published last (the most recent revision);
* ``vintage="first"``: the candidate published first (the first release);
* ``vintage=<date>``: the latest candidate already public on that date, where a vintage
  stated as ``2021`` or ``2021-10`` counts as public only from the end of that year or month
  (no look-ahead); periods with no figure public by then are left out.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecast.datasets.csvio import (
    FIRST_LINE,
    parse_dates,
    parse_numbers,
    parse_periods,
    read_text_table,
    vintage_end,
)
from forecast.datasets.registry import info, path_of
from forecast.errors import DataError

SOURCE_COLUMNS = ("reliability", "source_title", "source_url", "source_date", "quote", "note")
#: Reliability grades a source row may carry (A official ... C press/NGO; derived: computed).
RELIABILITY_GRADES = ("A", "B", "C", "derived")
STATUSES = ("primary", "alternate", "derived")

_KIND_COLUMNS = {
    "series": ("period", "value", "unit", "vintage", "release", "status", "methodology"),
    "table": ("period_start", "period_end", "value", "unit", "concept"),
    "nationality": ("period", "source_kind", "nationality", "count", "share", "status",
                    "vintage"),
    "stranding": ("date", "date_precision", "episode", "low", "high", "point", "verbal",
                  "statement", "window_days", "count_words", "location", "side"),
    "events": ("date", "end_date", "kind", "country", "description", "capacity", "count"),
    "peru": ("ref_date", "value", "unit", "concept", "status"),
}


# -- raw rows ----------------------------------------------------------------------------
def table(name: str) -> pd.DataFrame:
    """Every row of dataset ``name`` with parsed types: all vintages, alternates and sources."""
    meta = info(name)
    path = path_of(name)
    frame = read_text_table(path, required=_KIND_COLUMNS[meta["kind"]] + SOURCE_COLUMNS)
    _check_sources(frame, path)
    parse = _PARSERS[meta["kind"]]
    return parse(frame, path)


def _check_sources(frame, path):
    for i, row in enumerate(frame.itertuples(index=False)):
        line = i + FIRST_LINE
        if row.reliability not in RELIABILITY_GRADES:
            raise DataError(
                f"{path}: line {line}: reliability {row.reliability!r}; valid: "
                f"{', '.join(RELIABILITY_GRADES)}"
            )
        if row.reliability != "derived":
            for col in ("source_title", "source_url", "quote"):
                if not str(getattr(row, col)).strip():
                    raise DataError(f"{path}: line {line}: {col} is empty; every figure "
                                    "needs its source title, URL and quote")


def _parse_series(frame, path):
    out = frame.copy()
    out["period"] = parse_periods(frame, "period", path, freq="Y")
    out["value"] = parse_numbers(frame, "value", path)
    out["vintage_date"] = _vintage_dates(frame, path)
    _check_status(frame, path)
    key = out.loc[out["status"] == "primary", ["period", "vintage_date"]]
    dup = key.duplicated(keep=False).to_numpy()
    if dup.any():
        line = int(np.flatnonzero(dup)[0])
        rows = key.index[dup]
        raise DataError(
            f"{path}: line {rows[0] + FIRST_LINE}: more than one primary value for period "
            f"{key.iloc[line]['period']} and the same vintage; mark conflicting figures "
            "status=alternate"
        )
    return out


def _vintage_dates(frame, path):
    dates = []
    for i, text in enumerate(frame["vintage"]):
        try:
            dates.append(vintage_end(text))
        except ValueError as exc:
            raise DataError(f"{path}: line {i + FIRST_LINE}: column 'vintage': {exc}") from None
    return pd.DatetimeIndex(dates)


def _check_status(frame, path):
    bad = ~frame["status"].isin(STATUSES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"{path}: line {i + FIRST_LINE}: status {frame['status'].iloc[i]!r}; valid: "
            f"{', '.join(STATUSES)}"
        )


def _parse_table(frame, path):
    out = frame.copy()
    out["period_start"] = parse_dates(frame, "period_start", path)
    out["period_end"] = parse_dates(frame, "period_end", path)
    out["value"] = parse_numbers(frame, "value", path)
    backwards = (out["period_end"] < out["period_start"]).to_numpy()
    if backwards.any():
        i = int(np.flatnonzero(backwards)[0])
        raise DataError(f"{path}: line {i + FIRST_LINE}: period_end is before period_start")
    return out


def _parse_nationality(frame, path):
    out = frame.copy()
    out["period"] = parse_periods(frame, "period", path, freq="Y")
    out["count"] = parse_numbers(frame, "count", path, allow_empty=True)
    out["share"] = parse_numbers(frame, "share", path, allow_empty=True)
    _check_status(frame, path)
    return out


def _parse_stranding(frame, path):
    """Parse dates, numbers, ``statement``/``window_days`` and verbal counts (``wording``).

    A row gives either numbers (``low`` and ``high``, or only ``point``) or ``count_words``
    (a key of :data:`forecast.datasets.wording.VERBAL`, with ``low``/``high``/``point``
    empty); ``low`` and ``high`` of verbal rows are filled from that table.
    """
    from forecast.datasets import wording

    statements_valid = ("stock", "peak", "average")
    out = frame.copy()
    out["date"] = parse_dates(frame, "date", path)
    for col in ("low", "high", "point"):
        out[col] = parse_numbers(frame, col, path, allow_empty=True)
    statements, windows, words = [], [], []
    for i, row in enumerate(frame.itertuples(index=False)):
        where = f"{path}: line {i + FIRST_LINE}"
        statement = str(row.statement).strip().lower() or "stock"
        if statement not in statements_valid:
            raise DataError(f"{where}: column 'statement' has {row.statement!r}; valid: "
                            f"{', '.join(statements_valid)} (empty = stock)")
        text = str(row.window_days).strip()
        if text == "":
            window = 1
        elif text.isdigit() and int(text) >= 1:
            window = int(text)
        else:
            raise DataError(f"{where}: column 'window_days' has {text!r}; expected a whole "
                            "number of days >= 1 (empty = 1)")
        if statement == "stock" and window != 1:
            raise DataError(f"{where}: column 'window_days' is {window} but statement is "
                            "'stock' (people present on the date): use 1, or statement "
                            "'peak' / 'average' for a statement about several days")
        key = wording.normalize(row.count_words)
        numbers = [c for c in ("low", "high", "point") if not np.isnan(out[c].iloc[i])]
        if key:
            if key not in wording.VERBAL:
                raise DataError(f"{where}: column 'count_words' has {row.count_words!r}, "
                                "not in the verbal-count table (forecast/datasets/wording.py);"
                                f" valid: {wording.valid_keys()}")
            if numbers:
                raise DataError(f"{where}: column 'count_words' is {key!r} but "
                                f"{', '.join(repr(c) for c in numbers)} also given; leave "
                                "low, high and point empty: the interval comes from "
                                "forecast/datasets/wording.py")
            low, high = wording.VERBAL[key]
            out.iloc[i, out.columns.get_loc("low")] = low
            out.iloc[i, out.columns.get_loc("high")] = high
        else:
            has_low, has_high = "low" in numbers, "high" in numbers
            if has_low != has_high:
                missing = "high" if has_low else "low"
                raise DataError(f"{where}: column {missing!r} is empty; give both low and "
                                "high (or only point, or count_words)")
            if not numbers:
                raise DataError(f"{where}: no count: give low and high (or point) or "
                                "count_words (a key of forecast/datasets/wording.py)")
        statements.append(statement)
        windows.append(window)
        words.append(key)
    out["statement"] = statements
    out["window_days"] = np.array(windows, dtype=int)
    out["count_words"] = words
    order = (out["low"] > out["high"]) | (out["point"] < out["low"]) | (
        out["point"] > out["high"]
    )
    if order.any():
        i = int(np.flatnonzero(order.to_numpy())[0])
        raise DataError(f"{path}: line {i + FIRST_LINE}: need low <= point <= high")
    return out


#: Optional columns of a user's counts file and the value an absent column takes.
COUNT_DEFAULTS = {"low": "", "high": "", "point": "", "verbal": "", "statement": "",
                  "window_days": "", "count_words": "", "date_precision": "day",
                  "side": "unknown", "location": "", "reliability": "C", "source_title": "",
                  "source_url": "", "source_date": "", "quote": "", "note": ""}


def read_counts(path, *, episode: str | None = None) -> pd.DataFrame:
    """A user's dated counts of stranded people, validated like ``border_stranding_counts``.

    Columns: ``date`` and either ``low``/``high`` (or ``point``) or ``count_words``; optional
    :data:`COUNT_DEFAULTS` (reliability A/B/C, default C). Returns the rows with index ``date``
    and column ``episode`` (default: the file's stem). Bad rows raise one DataError naming the
    file, line and column.
    """
    path = Path(path)
    frame = read_text_table(path, required=("date",))
    for col, default in COUNT_DEFAULTS.items():
        if col not in frame.columns:
            frame[col] = default
    for i, value in enumerate(frame["reliability"]):
        code = str(value).strip() or "C"
        if code not in RELIABILITY_GRADES:
            raise DataError(f"{path}: line {i + FIRST_LINE}: column 'reliability' has "
                            f"{value!r}; valid: {', '.join(RELIABILITY_GRADES)} (empty = C)")
        frame.iloc[i, frame.columns.get_loc("reliability")] = code
    frame["episode"] = episode or path.stem
    return _parse_stranding(frame, path).set_index("date")


def _parse_events(frame, path):
    out = frame.copy()
    out["date"] = parse_dates(frame, "date", path)
    out["end_date"] = parse_dates(frame, "end_date", path, allow_empty=True)
    for col in ("capacity", "count"):
        out[col] = parse_numbers(frame, col, path, allow_empty=True)
    return out


def _parse_peru(frame, path):
    out = frame.copy()
    out["ref_date"] = parse_dates(frame, "ref_date", path)
    out["value"] = parse_numbers(frame, "value", path)
    _check_status(frame, path)
    return out


_PARSERS = {
    "series": _parse_series,
    "table": _parse_table,
    "nationality": _parse_nationality,
    "stranding": _parse_stranding,
    "events": _parse_events,
    "peru": _parse_peru,
}


# -- selection ---------------------------------------------------------------------------
def vintages(name: str) -> pd.DataFrame:
    """All published rows of a series dataset: period, value, vintage, vintage_date, status ...

    ``vintage_date`` is the conservative date from which the figure was public (see the
    module docstring); real-time backtests use it to rebuild what was known at each origin.
    """
    meta = info(name)
    if meta["kind"] != "series":
        raise DataError(f"dataset {name!r} is a {meta['kind']} table and has no vintages; "
                        f"series datasets: {', '.join(_series_names())}")
    rows = table(name)
    return rows.sort_values(["period", "vintage_date"], kind="stable").reset_index(drop=True)


def _series_names():
    from forecast.datasets.registry import names

    return [n for n in names() if info(n)["kind"] == "series"]


def load(name: str, vintage="latest", *, alternates: bool = False, derived: bool = False):
    """Load a bundled dataset.

    Series datasets return a ``pandas.Series`` with an annual ``PeriodIndex``; the others
    return a ``DataFrame`` indexed by period or date. ``.attrs`` holds ``name``, ``title``,
    ``unit``, ``frequency``, ``vintage`` (the rule used), ``sources`` (title, URL, quote,
    date and reliability of each value used) and, for series, the ``methodology`` label per
    period. See the module docstring for the selection rule.
    """
    meta = info(name)
    rows = table(name)
    if meta["kind"] != "series":
        return _load_frame(meta, rows, alternates)
    return _load_series(meta, rows, vintage, alternates, derived)


def _pick(rows, vintage, derived):
    ok = rows["status"].eq("primary")
    if derived:
        ok |= rows["status"].eq("derived")
    cand = rows[ok]
    if isinstance(vintage, str) and vintage in ("latest", "first"):
        rule = vintage
    else:
        try:
            cutoff = pd.Timestamp(vintage)
        except (ValueError, TypeError):
            raise DataError(
                f"vintage {vintage!r} is not valid; use 'latest', 'first' or a date "
                "such as '2021-06-30'"
            ) from None
        cand = cand[cand["vintage_date"] <= cutoff]
        rule = f"as published by {cutoff.date()}"
    cand = cand.sort_values(["period", "vintage_date"], kind="stable")
    keep = "first" if rule == "first" else "last"
    return cand.drop_duplicates("period", keep=keep), rule


def _load_series(meta, rows, vintage, alternates, derived):
    picked, rule = _pick(rows, vintage, derived)
    if picked.empty:
        raise DataError(f"dataset {meta['name']!r} has no values {rule}")
    index = pd.PeriodIndex(picked["period"], freq="Y", name="period")
    series = pd.Series(picked["value"].to_numpy(), index=index, name=meta["name"])
    series.attrs = _attrs(meta, picked, rule)
    series.attrs["methodology"] = {
        str(p): m for p, m in zip(picked["period"], picked["methodology"], strict=True)
    }
    series.attrs["release"] = {
        str(p): r for p, r in zip(picked["period"], picked["release"], strict=True)
    }
    if alternates:
        others = rows.drop(index=picked.index)
        frame = series.to_frame("value")
        frame.attrs = series.attrs
        frame["alternates"] = [
            "; ".join(
                f"{v:,.0f} ({s if s != 'primary' else rel}, vintage {vin})"
                for v, s, rel, vin in others.loc[
                    others["period"] == p, ["value", "status", "release", "vintage"]
                ].itertuples(index=False)
            )
            for p in index
        ]
        return frame
    return series


def _load_frame(meta, rows, alternates):
    kind = meta["kind"]
    if "status" in rows.columns and not alternates:
        rows = rows[rows["status"] == "primary"]
    index_col = {"table": None, "nationality": "period", "stranding": "date",
                 "events": "date", "peru": "ref_date"}[kind]
    frame = rows.reset_index(drop=True)
    if kind == "table":
        frame.index = pd.IntervalIndex.from_arrays(
            frame["period_start"], frame["period_end"], closed="both", name="period"
        )
    else:
        frame = frame.set_index(index_col)
        if kind == "nationality":
            frame.index = pd.PeriodIndex(frame.index, freq="Y", name="period")
    frame = frame.sort_index(kind="stable")
    frame.attrs = _attrs(meta, rows, "all rows" if alternates else "primary rows")
    return frame


def _attrs(meta, rows, rule) -> dict:
    sources = []
    for row in rows.itertuples(index=False):
        sources.append({
            "ref": str(_row_ref(row)),
            "title": row.source_title,
            "url": row.source_url,
            "date": row.source_date,
            "quote": row.quote,
            "reliability": row.reliability,
            **({"vintage": row.vintage} if hasattr(row, "vintage") else {}),
        })
    return {
        "name": meta["name"],
        "title": meta["title"],
        "unit": meta["unit"],
        "frequency": meta["frequency"],
        "kind": meta["kind"],
        "vintage": rule,
        "sources": sources,
        "caveats": list(meta.get("caveats", [])),
    }


def _row_ref(row):
    for col in ("period", "date", "ref_date"):
        if hasattr(row, col):
            value = getattr(row, col)
            return value.date() if isinstance(value, pd.Timestamp) else value
    return f"{row.period_start.date()}/{row.period_end.date()}"
