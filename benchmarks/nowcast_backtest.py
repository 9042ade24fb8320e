"""Backtest of the nowcast from year-to-date counts against the annual model alone, with vintages.

Every year-to-date count of ``chile_irregular_entries_partial`` (one concept) with a known
publication date is an origin: on the day it became public (``source_date``, end of the month
or year when only those are given) the nowcast (:class:`forecast.models.Nowcast` around
``Auto``) and ``Auto`` alone are fitted on the figures public that day
(:func:`forecast.models.nowcast.fit_as_of`), and both are scored on that year's annual total as
published last. Counts published after their year's total, or of years with no total yet, are
listed and not scored. The model runs with its defaults: the prior on the pace deviation
(``prior_weight``, ``prior_sd``) is learned at each origin from the past years public then
(:func:`forecast.models.nowcast.learn_prior`), never from the year scored; nothing is tuned.

    python benchmarks/nowcast_backtest.py [--n-paths 4000] [--seed 0]

Writes reports/backtests/nowcast.md and nowcast.csv (byte for byte the same for the same data
and arguments) and prints the figures.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import forecast as fc
from forecast import metrics
from forecast.atomicwrite import write_atomic
from forecast.errors import DataError
from forecast.models.nowcast import Nowcast, fit_as_of, learn_prior, year_to_date

NAME = "chile_irregular_entries"
OUT = Path(__file__).resolve().parents[1] / "reports" / "backtests"
LEVELS = (0.025, 0.1, 0.9, 0.975)
METHODS = ("nowcast", "annual")


def origins(name: str) -> tuple[pd.DataFrame, list[str]]:
    """One origin per (year, publication day): the latest window public that day."""
    rows = year_to_date(name)
    notes = [f"{r.period_start.date()}..{r.period_end.date()} ({r.value:,.0f}): no source "
             "date, so no day it was known; not an origin"
             for r in rows[rows["public_from"].isna()].itertuples()]
    dated = rows[rows["public_from"].notna()].sort_values(["year", "public_from", "period_end"])
    kept = dated.groupby(["year", "public_from"], sort=True).tail(1)
    notes += [f"{r.period_start.date()}..{r.period_end.date()} ({r.value:,.0f}, public "
              f"{r.public_from.date()}): a longer window of {r.year} became public the same "
              "day; not scored" for r in dated.drop(index=kept.index).itertuples()]
    return kept, notes


def run(n_paths: int, seed: int):
    totals = fc.datasets.load(NAME)
    table, notes = origins(NAME)
    out = []
    for r in table.itertuples(index=False):
        window = f"{r.period_start.date()}..{r.period_end.date()}"
        key = pd.Period(str(r.year), freq="Y")
        if key not in totals.index:
            notes.append(f"{window} ({r.value:,.0f}, public {r.public_from.date()}): {r.year} "
                         "has no published annual total yet; not scored")
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = fit_as_of(NAME, r.public_from, model=Nowcast())
        except DataError:
            notes.append(f"{window} ({r.value:,.0f}, public {r.public_from.date()}): no annual "
                         f"figure of {NAME} was public yet; not scored")
            continue
        last = model.index_[-1].year
        if r.year <= last:
            notes.append(f"{window} ({r.value:,.0f}, public {r.public_from.date()}): the "
                         f"{r.year} total was public by then; not scored")
            continue
        target = model.targets_.loc[model.targets_["year"] == r.year].iloc[0]
        if target["period_end"] != r.period_end:
            notes.append(f"{window} ({r.value:,.0f}, public {r.public_from.date()}): the longer "
                         f"window to {target['period_end'].date()} was public by then, so this "
                         "count adds nothing; not scored")
            continue
        h = r.year - last
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fcst, how = model.predict_explained(h, n_paths=n_paths, seed=seed)
        step = h - 1
        row = {"year": r.year, "window": window, "ytd": r.value,
               "origin": str(r.public_from.date()), "fraction": round(r.fraction, 4),
               "annual_years": " ".join(model.used_.loc[model.used_["kind"] == "annual",
                                                         "period"]),
               "past_years": " ".join(map(str, how["past_years"].iloc[step])),
               "prior_weight": target["prior_weight"], "prior_sd": target["prior_sd"],
               "annual_weight": round(float(how["annual_weight"].iloc[step]), 4),
               "y": float(totals[key])}
        q = np.quantile(fcst.paths[:, step], LEVELS)
        row.update({"nowcast_point": float(fcst._point[step]),
                    **{f"nowcast_{metrics_col(v)}": float(x) for v, x in zip(LEVELS, q,
                                                                           strict=True)}})
        if model.annual_ is not None:
            alone = model.annual_.predict(h, n_paths=n_paths, seed=seed)
            qa = np.quantile(alone.paths[:, step], LEVELS)
            row.update({"annual_point": float(alone._point[step]),
                        **{f"annual_{metrics_col(v)}": float(x) for v, x in zip(LEVELS, qa,
                                                                              strict=True)}})
        else:
            row.update({"annual_point": np.nan,
                        **{f"annual_{metrics_col(v)}": np.nan for v in LEVELS}})
            notes.append(f"{window} (public {r.public_from.date()}): Auto could not be fitted "
                         f"({model.annual_error_}); the nowcast used the share alone")
        out.append(row)
    return pd.DataFrame(out), notes


def metrics_col(level: float) -> str:
    from forecast.models.distribution import quantile_column

    return quantile_column(level)


def tidy(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    cols = {f"{method}_point": "point", **{f"{method}_{metrics_col(v)}": metrics_col(v)
                                           for v in LEVELS}}
    out = frame[["year", "origin", "y", *cols]].rename(columns=cols)
    out["method"] = method
    return out[out["point"].notna()]


def scores(frame: pd.DataFrame) -> pd.DataFrame:
    """MAE, interval scores (95%, 80%) and coverage per method and subset of origins."""
    both = frame[frame["annual_point"].notna()]
    parts = []
    for subset, rows, methods in (("head to head", both, METHODS),
                                  ("every origin", frame, ("nowcast",))):
        for method in methods:
            t = tidy(rows, method)
            if t.empty:
                continue
            parts.append({"origins": subset, "method": method, "n": len(t),
                          "MAE": metrics.mae(t), "IS95": metrics.winkler95(t),
                          "IS80": metrics.winkler80(t), "cover95": metrics.coverage95(t),
                          "cover80": metrics.coverage80(t)})
    return pd.DataFrame(parts)


def by_year(frame: pd.DataFrame) -> pd.DataFrame:
    """MAE and interval scores per scored year and method (every origin of that year)."""
    parts = []
    for method in METHODS:
        t = tidy(frame, method)
        if t.empty:
            continue
        table = metrics.evaluate(t, {"MAE": metrics.mae, "IS95": metrics.winkler95,
                                     "IS80": metrics.winkler80}, by="year")
        table["n"] = t.groupby("year").size().to_numpy()
        table["method"] = method
        parts.append(table)
    return pd.concat(parts).sort_values(["year", "method"], kind="stable")


def markdown(frame, table, years, notes, n_paths, seed) -> str:
    def n(v):
        return "—" if pd.isna(v) else f"{v:,.0f}"

    n_annual = int(frame["annual_point"].notna().sum())
    zero_low = int((frame["annual_q2_5"] == 0).sum())
    lines = [
        "# Nowcast from year-to-date counts vs the annual model alone",
        "",
        f"Series `{NAME}`; year-to-date counts from `{NAME}_partial` (concept "
        f"`{year_to_date(NAME).attrs['concept']}`). Generated by "
        f"`benchmarks/nowcast_backtest.py --n-paths {n_paths} --seed {seed}` "
        "(`nox -s nowcast_backtest`).",
        "",
        "Each origin is the day a year-to-date count became public (its `source_date`; a month "
        "or year counts from its end). On that day the nowcast (`Nowcast` around `Auto`) and "
        "`Auto` alone are fitted on the figures public then (the vintage rule, annual and "
        "year-to-date alike) and scored on the year's annual total as published last. The "
        "annual model's paths are the same in both (same seed). Interval scores are "
        "Winkler scores (lower is better), as in `forecast.metrics`.",
        "",
        "Constants: the only ones are the prior on the pace deviation (`prior_weight` "
        "pseudo-years, scale `prior_sd`; see `forecast/models/nowcast.py`). They are learned "
        "**without the year being scored**, and stricter than leave-one-year-out: at each "
        "origin, from the past years public on that day only (leave-one-year-out predictive "
        "log density over those years, on the grid of `forecast.models.nowcast.learn_prior`). "
        "With fewer than two past years nothing can be learned and the a-priori value (1 "
        "pseudo-year, scale 1) is used. Nothing else is tuned.",
        "",
        "## Scores",
        "",
        "| origins | method | n | MAE | interval score 95% | interval score 80% | "
        "coverage 95% | coverage 80% |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in table.itertuples(index=False):
        lines.append(f"| {r.origins} | {r.method} | {r.n} | {r.MAE:,.0f} | {r.IS95:,.0f} | "
                     f"{r.IS80:,.0f} | {r.cover95:.0%} | {r.cover80:.0%} |")
    lines += [
        "",
        "Head to head: the origins where `Auto` could be fitted (at least 3 consecutive annual "
        "figures public); every origin adds those where the nowcast used the share alone. "
        f"`Auto`'s 95% interval starts at 0 at {zero_low} of {n_annual} of them (paths of its "
        "additive members clipped at zero on this short, broken series): it covers by width, "
        "and its interval score is mostly that width.",
        "",
        "## By year",
        "",
        "| year | method | origins | MAE | interval score 95% | interval score 80% |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for r in years.itertuples(index=False):
        lines.append(f"| {r.year} | {r.method} | {r.n} | {r.MAE:,.0f} | {r.IS95:,.0f} | "
                     f"{r.IS80:,.0f} |")
    top = max(learn_prior.__defaults__[0])
    at_top = int((frame["prior_weight"] == top).sum())
    lines += [
        "",
        f"The prior learned: at {at_top} of {len(frame)} origins the largest weight on the "
        f"grid ({top:g} pseudo-years) wins, i.e. the past years' shares are predicted best by "
        "even pace (z = 0) with the learned spread rather than by their own mean; origins "
        "with fewer than two past years use the a-priori (1, 1).",
        "",
        "## Per origin",
        "",
        "| year | window | count | public | annual figures used | past years (shares) | "
        "prior (weight, sd) | annual weight | published total | nowcast [95%] | "
        "annual alone [95%] |",
        "|---:|---|---:|---|---|---|---|---:|---:|---|---|",
    ]
    for r in frame.itertuples(index=False):
        annual = ("—" if pd.isna(r.annual_point) else
                  f"{n(r.annual_point)} [{n(r.annual_q2_5)}, {n(r.annual_q97_5)}]")
        lines.append(
            f"| {r.year} | {r.window} | {n(r.ytd)} | "
            f"{r.origin} | {r.annual_years} | {r.past_years or '—'} | "
            f"{r.prior_weight:g}, {r.prior_sd:g} | {r.annual_weight:.2f} | {n(r.y)} | "
            f"{n(r.nowcast_point)} [{n(r.nowcast_q2_5)}, {n(r.nowcast_q97_5)}] | {annual} |")
    lines += ["", "## Not scored", ""] + [f"- {note}" for note in notes] + [""]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-paths", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    frame, notes = run(args.n_paths, args.seed)
    table = scores(frame)
    csv_frame = frame.rename(columns=lambda c: c.replace(".", "_"))
    OUT.mkdir(parents=True, exist_ok=True)
    write_atomic(OUT / "nowcast.csv", frame.to_csv(index=False, lineterminator="\n",
                                                   float_format="%.6g"))
    text = markdown(csv_frame, table, by_year(frame), notes, args.n_paths, args.seed)
    write_atomic(OUT / "nowcast.md", text)
    print(text)


if __name__ == "__main__":
    main()
