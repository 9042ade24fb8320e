"""``forecast fit``: fit a model to a bundled dataset or a CSV file and print its forecast."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecast import datasets, models
from forecast.cli._common import Steps, add_common, positive
from forecast.errors import DataError, ForecastError, ModelError
from forecast.models import nowcast
from forecast.outputset import output_set
from forecast.writable import check_writable


def register(sub):
    p = sub.add_parser("fit", help="fit a model to a dataset or CSV and print its forecast",
                       description="Fit a model to a bundled series (by name) or a CSV file "
                       "(columns such as year,value, date,value or ds,y) and print the point "
                       "forecast with 80% and 95% bands.")
    p.add_argument("data", metavar="DATASET_OR_CSV", help="bundled series name or CSV path")
    p.add_argument("--model", default="Auto", help="model class name (default Auto)")
    p.add_argument("--h", type=int, default=5, help="horizon in periods (default 5)")
    p.add_argument("--paths", type=int, default=2000, help="sample paths (default 2000)")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="use only the figures public on DATE (YYYY-MM-DD; bundled series), "
                   "and nowcast the years after the last annual figure from their "
                   "year-to-date counts public by then (see forecast.models.Nowcast)")
    csv = p.add_argument_group("reading a CSV (detected when not given)")
    csv.add_argument("--period-col", help="column of periods or dates (year, date, ds ...)")
    csv.add_argument("--value-col", help="column of values (value, y, count ...)")
    csv.add_argument("--id-col", help="series id column of a long file (unique_id, id)")
    csv.add_argument("--sep", help="field separator: ',', ';', tab or '|'")
    csv.add_argument("--decimal", choices=DECIMALS, help="decimal mark: '.' or ','")
    csv.add_argument("--thousands", choices=THOUSANDS,
                     help="thousands separator: ',', '.', ' ' or '' (none)")
    csv.add_argument("--allow-negative", action="store_true", default=None,
                     help="accept negative values (refused by default: counts)")
    add_common(p, out_help="write forecast.csv and forecast.png here")
    p.set_defaults(func=run)


def model_class(name: str, option: str = "--model"):
    """The model class called ``name``; ``option`` is how the error names the option."""
    # estimators that need nothing but the series (Ensemble and Regression need arguments)
    valid = [n for n in models.__all__
             if isinstance(getattr(models, n), type) and issubclass(getattr(models, n),
                                                                    models.BaseModel)
             and n not in ("BaseModel", "Ensemble", "Regression", "Nowcast")]
    if name not in valid:
        raise ModelError(f"{option}: unknown model {name!r}; valid: {', '.join(valid)}")
    return getattr(models, name)


CSV_OPTIONS = ("period_col", "value_col", "id_col", "sep", "decimal", "thousands",
               "allow_negative")
#: what --decimal and --thousands may be (read_csv's number conventions)
DECIMALS = (".", ",")
THOUSANDS = (",", ".", " ", "")
#: the largest horizon, and the most sample values (--paths x --h), a run may ask for: the
#: models step through the horizon in Python, and 20 million values already take about
#: 10 s and 1 GB with Auto; beyond that a run would look hung or run out of memory
MAX_H = 10_000
MAX_VALUES = 20_000_000
#: the largest value a series may hold: count models work on log(y) and cap it before exp
#: at 700 (about 1e304), so a larger value would be forecast as if it were 1e304
MAX_MAGNITUDE = 1e300


def check_size(h: int, paths: int) -> None:
    """Refuse a horizon or a number of paths that could not finish in reasonable time."""
    if h > MAX_H:
        raise ForecastError(f"--h {h} is too long; valid: 1 to {MAX_H:,d} periods")
    if h * paths > MAX_VALUES:
        raise ForecastError(
            f"--paths {paths} with --h {h} asks for {h * paths:,d} sample values; at most "
            f"{MAX_VALUES:,d} (--paths x --h): lower --paths to {MAX_VALUES // h:,d} or less")


def check_horizon(y, h: int) -> None:
    """Refuse a horizon whose periods pandas cannot represent (its dates end in 2262)."""
    from pandas.errors import OutOfBoundsDatetime

    from forecast.models.base import future_index

    try:
        future_index(y.index, h)
    except (OutOfBoundsDatetime, OverflowError):
        last = y.index[-1]
        room = (pd.Timestamp.max.normalize() - last).days \
            if isinstance(last, pd.Timestamp) else 0
        valid = f"; valid for this daily series: 1 to {room:,d}" if room >= 1 else ""
        raise ForecastError(f"--h {h}: the forecast would end after the last date pandas "
                            f"can hold ({pd.Timestamp.max.date()}){valid}") from None


def load_series(data: str, **csv_options) -> pd.Series:
    if not data.strip():
        raise DataError("the dataset or CSV path is empty; give a bundled series name ("
                        + ", ".join(_series_names()) + ") or a path to a CSV file")
    path = Path(data)
    if path.suffix.lower() == ".csv" or path.exists():
        # read_csv names a missing file or a directory itself
        y = datasets.read_csv(path, **csv_options)
        if isinstance(y, pd.DataFrame):  # a long file: fit forecasts one series
            ids = list(pd.unique(y["unique_id"]))
            if len(ids) > 1:
                raise DataError(f"{path}: holds {len(ids)} series ({', '.join(map(str, ids[:5]))}"
                                f"{' ...' if len(ids) > 5 else ''}); the command line reads one "
                                "series per file: keep one series' rows, or pass the file to "
                                "forecast.predict_many or forecast.backtest in Python")
            attrs = y.attrs
            y = pd.Series(y["y"].to_numpy(), index=pd.Index(y["ds"].array, name="ds"),
                          name=str(ids[0]))
            y.attrs = attrs
        return check_magnitude(y, path)
    if data not in datasets.names():
        raise DataError(f"unknown dataset {data!r}; valid: {', '.join(datasets.names())} "
                        "(or a path to a CSV file)")
    if datasets.info(data).get("kind") != "series":
        raise DataError(f"dataset {data!r} is not a series; series: "
                        f"{', '.join(_series_names())}")
    if csv_options:  # silently ignoring them would hide a typo in the file name
        given = ", ".join("--" + k.replace("_", "-") for k in csv_options)
        verb = "apply" if len(csv_options) > 1 else "applies"
        raise DataError(f"{given} {verb} to CSV files; {data!r} is a bundled dataset (or give "
                        "the path of a CSV file)")
    return datasets.load(data)


def check_magnitude(y, path):
    """Refuse values the models cannot forecast faithfully (see :data:`MAX_MAGNITUDE`)."""
    values = y["y"] if isinstance(y, pd.DataFrame) else y
    big = np.flatnonzero(np.abs(values.to_numpy(dtype=float)) > MAX_MAGNITUDE)
    if len(big):
        where = y["ds"].iloc[big[0]] if isinstance(y, pd.DataFrame) else y.index[big[0]]
        raise DataError(f"{path}: value {values.iloc[big[0]]:.4g} for period {where} is too "
                        f"large to forecast; valid: values up to {MAX_MAGNITUDE:.0e} in "
                        "absolute value (rescale the series, e.g. to thousands)")
    return y


def _series_names() -> list[str]:
    return [n for n in datasets.names() if datasets.info(n).get("kind") == "series"]


def run(args):
    positive("--h", args.h)
    positive("--paths", args.paths)
    check_size(args.h, args.paths)
    cls = model_class(args.model)
    as_of = None if args.as_of is None else nowcast.as_of_date(args.as_of, "--as-of")
    if args.out is not None:
        check_writable(args.out)  # before fitting, not after
    csv_options = {k: getattr(args, k) for k in CSV_OPTIONS if getattr(args, k) is not None}
    if as_of is not None:
        return run_as_of(args, cls, as_of, csv_options)
    y = load_series(args.data, **csv_options)
    check_horizon(y, args.h)
    steps = Steps(args.quiet)
    steps(f"fitting {args.model}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fc = cls().fit(y).predict(h=args.h, n_paths=args.paths, seed=args.seed)
        except ModelError as exc:
            raise ModelError(f"cannot forecast {args.data!r}: {exc}") from None
    steps.done()
    frame = _table(fc)
    name = y.name or Path(args.data).stem
    print(f"{name}: {args.model} forecast, {args.paths} paths, seed {args.seed}")
    shown = frame.copy()
    for c in shown.columns[1:]:
        shown[c] = shown[c].map(lambda v: f"{v:,.0f}")
    shown.columns = ["period", "point", "95% low", "80% low", "80% high", "95% high"]
    print(shown.to_string(index=False))
    if not args.quiet:
        for w in sorted({str(w.message) for w in caught}):
            print(f"note: {w}")
    if args.out is not None:
        with output_set(args.out) as staged:  # the CSV and its chart: both new, or both old
            staged.write("forecast.csv", frame.to_csv(index=False, lineterminator="\n"))
            staged.write_figure("forecast.png", _plot(fc, y, f"{name}: {args.model}"),
                                dpi=100)
        print(f"wrote {staged.target('forecast.csv')} and {staged.target('forecast.png')}")


def run_as_of(args, cls, as_of, csv_options):
    """``fit --as-of``: the figures public on that date, and a nowcast where a year-to-date
    count of a year after the last annual figure is public."""
    data = args.data
    if data not in datasets.names() or csv_options:
        load_series(data, **csv_options)  # names an unknown dataset or a misplaced option
        raise DataError(f"--as-of applies to bundled series, whose figures carry publication "
                        f"dates; {data!r} is a CSV file (drop --as-of, or cut the file to the "
                        "figures known on that day)")
    if datasets.info(data).get("kind") != "series":
        load_series(data)
    steps = Steps(args.quiet)
    steps(f"fitting {args.model} as of {as_of.date()}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if nowcast.partial_dataset(data) is not None:
                model = nowcast.fit_as_of(data, as_of, model=models.Nowcast(annual=cls()),
                                          where="--as-of")
                y = datasets.load(data, vintage=str(as_of.date()))
                check_horizon(y, args.h)
                fc, how = model.predict_explained(args.h, n_paths=args.paths, seed=args.seed)
            else:
                model = None
                y = _load_as_of(data, as_of)
                check_horizon(y, args.h)
                fc = cls().fit(y).predict(h=args.h, n_paths=args.paths, seed=args.seed)
                how = pd.DataFrame({"period": [str(i) for i in fc.index],
                                    "basis": "annual model"})
        except ModelError as exc:
            raise ModelError(f"cannot forecast {data!r} as of {as_of.date()}: {exc}") from None
    steps.done()
    frame = _table(fc)
    frame.insert(1, "basis", how["basis"].to_numpy())
    print(f"{data}: {fc.model if model is not None else args.model} forecast as of "
          f"{as_of.date()}, {args.paths} paths, seed {args.seed}")
    for line in _figures_used(data, as_of, y, model, how):
        print(line)
    shown = frame.copy()
    for c in shown.columns[2:]:
        shown[c] = shown[c].map(lambda v: f"{v:,.0f}")
    shown.columns = ["period", "basis", "point", "95% low", "80% low", "80% high",
                     "95% high"]
    print(shown.to_string(index=False))
    if not args.quiet:
        for w in sorted({str(w.message) for w in caught}):
            print(f"note: {w}")
    if args.out is not None:
        with output_set(args.out) as staged:
            staged.write("forecast.csv", frame.to_csv(index=False, lineterminator="\n"))
            staged.write_figure("forecast.png", _plot(fc, y, f"{data}: {fc.model} as of "
                                                      f"{as_of.date()}"), dpi=100)
        print(f"wrote {staged.target('forecast.csv')} and {staged.target('forecast.png')}")


def _load_as_of(data, as_of):
    try:
        return datasets.load(data, vintage=str(as_of.date()))
    except DataError as exc:
        raise DataError(f"--as-of {as_of.date()}: {exc}") from None


def _table(fc) -> pd.DataFrame:
    """Point and 80%/95% bands per period; daily CSVs' DatetimeIndex printed as dates."""
    labels = [str(i.date()) if isinstance(i, pd.Timestamp) else str(i) for i in fc.index]
    frame = pd.DataFrame({"period": labels, "point": fc.point.to_numpy()})
    q = fc.quantile([0.025, 0.1, 0.9, 0.975])
    for c in q.columns:
        frame[c] = q[c].to_numpy()
    return frame


def _figures_used(data, as_of, y, model, how) -> list[str]:
    """Lines naming every figure the forecast rests on and its publication date."""
    if model is None:
        public = [f"{p} {v:,.0f}" for p, v in y.items()]
        return [f"figures public on {as_of.date()} (vintage rule):",
                f"  annual {y.index[0]}-{y.index[-1]}: {', '.join(public)}",
                f"  no year-to-date counts for {data}: annual model only"]
    used = model.used_
    annual = used[used["kind"] == "annual"]
    ytd = used[used["kind"] == "year-to-date"]
    lines = [f"figures public on {as_of.date()} (vintage rule: publication date on or before "
             "it):",
             "  annual " + ", ".join(f"{r.period} {r.value:,.0f} [{r.public}]"
                                     for r in annual.itertuples(index=False))]
    if model.concept_ is None:
        lines.append(f"  year-to-date: {data}_partial has no counts from 1 January: annual "
                     "model only")
    elif len(ytd):
        lines.append(f"  year-to-date ({model.concept_}): "
                     + ", ".join(f"{r.period} {r.value:,.0f} [{r.public}]"
                                 for r in ytd.itertuples(index=False)))
    else:
        lines.append(f"  year-to-date ({model.concept_}): none public yet")
    for r in how[how["basis"] == "nowcast"].itertuples(index=False):
        shares = model.fitted_years_[model.fitted_years_["target"] == int(r.period)]
        past = ", ".join(f"{p.year} to {p.period_end:%d %b}"
                         + ("" if p.same_window else " (mapped by fraction of the year)")
                         for p in shares.itertuples(index=False)) or "none (prior only)"
        lines.append(f"  nowcast {r.period}: year-to-date {r.window} = {r.count:,.0f} "
                     f"[{r.source_date}], {r.fraction:.0%} of the year; share {r.share:.3f} "
                     f"from past years {past}; annual model weight {r.annual_weight:.2f}")
    if model.concept_ is not None and not (how["basis"] == "nowcast").any():
        lines.append("  nowcast: no year after the last annual figure has a year-to-date "
                     "count public by then: annual model only")
    if len(model.left_out_):
        lines.append("  left out (not public by then, or undated): " + ", ".join(
            f"{r.period_start.date()}..{r.period_end.date()} [{r.source_date or 'no date'}]"
            for r in model.left_out_.itertuples(index=False)))
    return lines


def _plot(fc, y, title):
    from matplotlib.figure import Figure

    from forecast.reports.layout import literal_text

    fig = Figure(figsize=(8, 4.5))
    ax = fig.subplots()
    fc.plot(ax=ax, history=y)
    ax.set_title(title)
    ax.set_xlabel("period")
    ax.set_ylabel(y.attrs.get("unit") or "value")
    ax.grid(True, alpha=0.3)
    literal_text(fig)  # a file's name or unit is text, not mathtext ("$x^2$", "a_b")
    fig.tight_layout()
    return fig
