"""``forecast backtest``: rolling-origin backtests of models on bundled series."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd

from forecast.cli._common import Steps, add_common, command_line, positive
from forecast.cli.fit_cmd import load_series, model_class
from forecast.errors import ForecastError
from forecast.writable import check_writable

COLUMNS = ["model", "mae", "mase", "smape", "coverage80", "coverage95", "crps", "skill"]


def register(sub):
    p = sub.add_parser("backtest", help="rolling-origin backtest: scores by model",
                       description="Backtest models on bundled series (default: the annual "
                       "series used by the reproducible backtest) or CSV files; print scores "
                       "by series and model.")
    p.add_argument("data", nargs="*", metavar="DATASET", help="series names or CSV paths")
    p.add_argument("--models", default="Naive,Drift,Auto",
                   help="comma-separated model names (default Naive,Drift,Auto)")
    p.add_argument("--h", type=int, default=2, help="horizon (default 2)")
    p.add_argument("--initial", type=int, default=None, help="first training window size")
    p.add_argument("--n-origins", type=int, default=None,
                   help="use only the last N origins (instead of --initial)")
    p.add_argument("--vintage", default="latest", choices=["latest", "real-time"])
    p.add_argument("--paths", type=int, default=1000, help="sample paths (default 1000)")
    p.add_argument("--n-jobs", type=int, default=1, help="joblib workers (default 1)")
    p.add_argument("--report", metavar="PATH", help="also write the PDF backtest report")
    add_common(p, out_help="write backtest.csv (table) and scores.csv here")
    p.set_defaults(func=run)


def run(args):
    from forecast.backtest import Backtest
    from forecast.backtest.runner import backtest
    from forecast.reports import backtest_report

    positive("--h", args.h)
    positive("--paths", args.paths)
    names = [m.strip() for m in args.models.split(",") if m.strip()]
    if not names:
        raise ForecastError("--models is empty; give e.g. Naive,Drift,Auto")
    models = {n: model_class(n)() for n in names}
    if args.out:
        check_writable(args.out)  # before the backtests, not after
    if args.report:
        check_writable(Path(args.report).parent, [Path(args.report).name])
    if args.data:
        series = {Path(d).stem if d.endswith(".csv") else d: load_series(d) for d in args.data}
    else:
        from forecast.backtest.origins import min_length
        from forecast.backtest.reproduce import annual_series
        from forecast.errors import BacktestError
        from forecast.panel import prepare_panel

        # every bundled annual series with enough consecutive years for these models
        need = min_length(models.values(), args.h)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # backtest itself says nothing of gaps here
            series = {k: v for k, v in prepare_panel(annual_series(),
                                                     error=BacktestError).items()
                      if len(v) >= need}
        if not series:
            raise ForecastError(f"no bundled series has {need} consecutive years for models "
                                f"{', '.join(names)} with --h {args.h}; use a smaller --h")
    results = []
    for name, y in series.items():
        if not args.quiet and sys.stderr.isatty():
            print(f"{name}:", file=sys.stderr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bt = backtest(models, y.rename(name), args.h, initial=args.initial,
                          season_length=season_length(y.index),
                          n_origins=args.n_origins,
                          vintage=args.vintage, n_paths=args.paths, seed=args.seed,
                          n_jobs=args.n_jobs, quiet=args.quiet)
        results.append(bt)
    table = pd.concat([b.table for b in results], ignore_index=True)
    history = {k: v for b in results for k, v in b.history.items()}
    combined = Backtest(table, meta=results[0].meta, history=history)
    scores = combined.scores(by=["unique_id", "model"])
    shown = scores[["unique_id", *COLUMNS]].copy()
    from forecast.reports.formatting import format_number

    for c in COLUMNS[1:]:
        shown[c] = shown[c].map(format_number)
    print(shown.to_string(index=False))
    if args.out:
        from forecast.backtest.result import write_csv
        from forecast.outputset import output_set

        with output_set(args.out) as staged:  # the table and its scores: both new or both old
            combined.to_csv(staged.path("backtest.csv"))
            write_csv(scores, staged.path("scores.csv"), digits=4)
        print(f"wrote {staged.target('backtest.csv')} and {staged.target('scores.csv')}")
    if args.report:
        steps = Steps(args.quiet)
        steps("building the backtest report")
        path = backtest_report(combined, out=args.report, command=command_line(args.argv))
        steps.done()
        print(f"wrote {path}")


def season_length(index) -> int:
    """Seasonal period of the in-sample scales (MASE, RMSSE, MSIS) from the index frequency."""
    freq = getattr(index, "freqstr", None) or ""
    return {"Q": 4, "M": 12}.get(freq[:1], 1)
