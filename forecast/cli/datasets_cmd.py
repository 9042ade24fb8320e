"""``forecast datasets``: list the bundled datasets, or show one with its sources."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd

from forecast import datasets
from forecast.atomicwrite import write_atomic
from forecast.errors import DataError
from forecast.writable import check_writable


def register(sub):
    p = sub.add_parser("datasets", help="list bundled datasets, or show one with its sources",
                       description="List the bundled datasets (name, title, span, unit, "
                       "number of sources), or show one dataset's values with their sources.")
    p.add_argument("action", nargs="?", choices=["list", "show"], default="list")
    p.add_argument("name", nargs="?", help="dataset name (for 'show')")
    p.add_argument("--vintage", default="latest",
                   help="for series: 'latest' (default), 'first' or a date YYYY-MM-DD")
    p.add_argument("--all", action="store_true",
                   help="show every row: all vintages, alternates and derived values")
    p.add_argument("--out", metavar="DIR",
                   help="also write the table shown as CSV under DIR (catalog.csv or NAME.csv)")
    p.add_argument("--quiet", action="store_true", help="print the table only, no notes")
    p.set_defaults(func=run)


def run(args):
    if args.out is not None:
        check_writable(args.out)  # an unusable --out is reported before the table
    if args.action == "list" and not args.name:
        unused = [o for o, used in (("--vintage", args.vintage != "latest"),
                                    ("--all", args.all)) if used]
        if unused:  # ignoring them would print the catalog as if they had been applied
            raise DataError(f"{' and '.join(unused)} apply to one dataset: 'forecast "
                            "datasets show NAME " + " ".join(unused) + " ...'")
        cat = print_catalog(args.quiet)
        _write(cat, args.out, "catalog")
    else:
        if not args.name:
            raise DataError(
                "'forecast datasets show' needs a dataset name; valid names: "
                + ", ".join(datasets.names()))
        _write(show(args.name, args.vintage, args.all), args.out, args.name)


def _write(frame, out, stem):
    if out is not None:
        path = write_atomic(Path(out) / f"{stem}.csv",
                            frame.to_csv(index=False, lineterminator="\n"))
        print(f"wrote {path}")


def print_catalog(quiet=False):
    cat = datasets.catalog()
    table = cat[["name", "title", "span", "unit", "sources"]].astype(str)
    table["title"] = [textwrap.shorten(t, 56, placeholder="…") for t in table["title"]]
    table["unit"] = [textwrap.shorten(t, 24, placeholder="…") for t in table["unit"]]
    print(left_aligned(table))
    if not quiet:
        print(f"\n{len(cat)} datasets in {datasets.data_dir()}; "
              "'forecast datasets show NAME' prints values and sources.")
    return cat


def show(name, vintage="latest", every=False):
    meta = datasets.info(name)
    if meta["kind"] == "series" and not every:
        check_vintage(name, vintage)
        series = datasets.load(name, vintage=vintage, alternates=True)  # validate first
    elif vintage != "latest":
        raise DataError(f"--vintage applies to series datasets; {name!r} is a {meta['kind']} "
                        "table (use --all to see every row)")
    print(f"{name}: {meta['title']}")
    print(f"unit: {meta['unit']}; kind: {meta['kind']}; frequency: {meta['frequency']}")
    print(textwrap.fill("definition: " + " ".join(meta["definition"].split()), 100))
    if meta.get("selection"):
        print(textwrap.fill("selection: " + " ".join(meta["selection"].split()), 100))
    print()
    if meta["kind"] == "series" and not every:
        frame = series.reset_index()
        frame["period"] = frame["period"].astype(str)
        frame["methodology"] = frame["period"].map(series.attrs["methodology"])
        frame["release"] = frame["period"].map(series.attrs["release"])
        refs = series.attrs["sources"]
        written = frame[["period", "value", "release", "methodology", "alternates"]].copy()
        for key in ("title", "url", "quote", "reliability"):
            written[f"source_{key}"] = [r[key] for r in refs]
        shown = frame[["period", "value", "release", "methodology", "alternates"]].copy()
        shown["value"] = shown["value"].map(lambda v: f"{v:,.0f}")
        print(f"values ({series.attrs['vintage']}):")
        print(left_aligned(shown.astype(str)))
    else:
        rows = datasets.table(name)
        cols = [c for c in rows.columns
                if c not in ("source_title", "source_url", "source_date", "quote", "note",
                             "vintage_date")]
        with pd.option_context("display.max_colwidth", 40, "display.width", 200):
            print(rows[cols].to_string(index=False))
        refs = [{"ref": str(i + 1), "title": r.source_title, "url": r.source_url,
                 "date": r.source_date, "quote": r.quote, "reliability": r.reliability}
                for i, r in enumerate(rows.itertuples(index=False))]
        written = rows.drop(columns=[c for c in ("vintage_date",) if c in rows.columns])
    print("\nsources:")
    for ref in refs:
        head = f"  [{ref['ref']}] ({ref['reliability']}) {ref['title']}"
        if ref.get("date"):
            head += f", {ref['date']}"
        print(head)
        if ref.get("url"):
            print(f"      {ref['url']}")
        if ref.get("quote"):
            print(textwrap.fill(f"“{ref['quote']}”", 96, initial_indent="      ",
                                subsequent_indent="      "))
    for caveat in meta.get("caveats", []):
        print(textwrap.fill("caveat: " + caveat, 100))
    return written


def check_vintage(name: str, vintage: str) -> None:
    """``--vintage``: 'latest', 'first', or a date from which some figure of ``name`` was
    public (the loader's own words say neither the option nor the earliest valid date)."""
    if vintage in ("latest", "first"):
        return
    try:
        cutoff = pd.Timestamp(vintage)
    except (ValueError, TypeError):
        cutoff = pd.NaT
    if pd.isna(cutoff):
        raise DataError(f"--vintage {vintage!r} is not valid; use 'latest', 'first' or a date "
                        "YYYY-MM-DD such as '2021-06-30'")
    first = datasets.vintages(name)["vintage_date"].min()
    if cutoff < first:
        raise DataError(f"--vintage {vintage}: no figure of {name!r} was public by "
                        f"{cutoff.date()}; its first were public on {first.date()} (or use "
                        "--vintage first)")


def left_aligned(frame: pd.DataFrame) -> str:
    """Plain-text table with left-aligned text columns (pandas right-aligns strings)."""
    widths = [max(len(str(c)), *(len(v) for v in frame[c])) for c in frame.columns]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(frame.columns, widths, strict=True))]
    for row in frame.itertuples(index=False):
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)
