"""One-line-per-dataset summary (what ``forecast datasets`` prints)."""

from __future__ import annotations

import pandas as pd

from forecast.datasets.loader import table
from forecast.datasets.registry import info, names


def _span(meta, rows) -> str:
    kind = meta["kind"]
    if kind in ("series", "nationality"):
        years = rows["period"]
        return f"{years.min()}–{years.max()}"
    col = {"table": "period_start", "stranding": "date", "events": "date",
           "peru": "ref_date"}[kind]
    end = rows["period_end"].max() if kind == "table" else rows[col].max()
    return f"{rows[col].min().date()}–{end.date()}"


def catalog() -> pd.DataFrame:
    """Name, title, kind, span, unit, number of rows and of distinct sources per dataset."""
    records = []
    for name in names():
        meta = info(name)
        rows = table(name)
        records.append({
            "name": name,
            "title": meta["title"],
            "kind": meta["kind"],
            "span": _span(meta, rows),
            "unit": meta["unit"],
            "rows": len(rows),
            "sources": rows.loc[rows["source_url"].str.strip() != "", "source_url"].nunique(),
        })
    return pd.DataFrame.from_records(records)
