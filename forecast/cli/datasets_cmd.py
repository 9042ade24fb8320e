"""``forecast datasets``: list the bundled datasets, or show one with its sources."""

from __future__ import annotations

import textwrap

import pandas as pd

from forecast import datasets
from forecast.errors import DataError


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
    p.set_defaults(func=run)


def run(args):
    if args.action == "list":
        if args.name:
            return show(args.name, args.vintage, args.all)
        print_catalog()
    else:
        if not args.name:
            raise DataError(
                "'forecast datasets show' needs a dataset name; valid names: "
                + ", ".join(datasets.names()))
        show(args.name, args.vintage, args.all)


def print_catalog():
    cat = datasets.catalog()
    table = cat[["name", "title", "span", "unit", "sources"]].copy()
    table["title"] = [textwrap.shorten(t, 60, placeholder="…") for t in table["title"]]
    with pd.option_context("display.max_colwidth", 70, "display.width", 200):
        print(table.to_string(index=False))
    print(f"\n{len(cat)} datasets in {datasets.data_dir()}; "
          "'forecast datasets show NAME' prints values and sources.")


def show(name, vintage="latest", every=False):
    meta = datasets.info(name)
    print(f"{name}: {meta['title']}")
    print(f"unit: {meta['unit']}; kind: {meta['kind']}; frequency: {meta['frequency']}")
    print(textwrap.fill("definition: " + " ".join(meta["definition"].split()), 100))
    if meta.get("selection"):
        print(textwrap.fill("selection: " + " ".join(meta["selection"].split()), 100))
    print()
    if meta["kind"] == "series" and not every:
        series = datasets.load(name, vintage=vintage, alternates=True)
        frame = series.reset_index()
        frame["period"] = frame["period"].astype(str)
        frame["methodology"] = frame["period"].map(series.attrs["methodology"])
        frame["release"] = frame["period"].map(series.attrs["release"])
        frame["value"] = frame["value"].map(lambda v: f"{v:,.0f}")
        print(f"values ({series.attrs['vintage']}):")
        print(frame.to_string(index=False))
        refs = series.attrs["sources"]
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
