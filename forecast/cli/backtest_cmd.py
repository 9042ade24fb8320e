"""``forecast backtest``: rolling-origin backtests of models on bundled series."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd

from forecast.cli._common import Steps, add_common, command_line, positive
from forecast.cli.fit_cmd import check_size, load_series, model_class
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
    p.add_argument("--n-jobs", type=int, default=1,
                   help="joblib workers (default 1; -1 every core, -2 all but one)")
    p.add_argument("--report", metavar="PATH", help="also write the PDF backtest report")
    add_common(p, out_help="write backtest.csv (table) and scores.csv here")
    p.set_defaults(func=run)


def run(args):
    from forecast.backtest import Backtest
    from forecast.backtest.runner import backtest
    from forecast.reports import backtest_report

    check_options(args)
    names = [m.strip() for m in args.models.split(",") if m.strip()]
    if not names:
        raise ForecastError("--models is empty; give e.g. Naive,Drift,Auto")
    models = {n: model_class(n, "--models")() for n in names}
    if args.out is not None:
        check_writable(args.out)  # before the backtests, not after
    if args.report is not None:
        check_report(args.report)
    if args.data:
        series = read_series(args.data)
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
    if args.out is not None:
        from forecast.backtest.result import write_csv
        from forecast.outputset import output_set

        with output_set(args.out) as staged:  # the table and its scores: both new or both old
            combined.to_csv(staged.path("backtest.csv"))
            write_csv(scores, staged.path("scores.csv"), digits=4)
        print(f"wrote {staged.target('backtest.csv')} and {staged.target('scores.csv')}")
    if args.report is not None:
        steps = Steps(args.quiet)
        steps("building the backtest report")
        path = backtest_report(combined, out=args.report, command=command_line(args.argv))
        steps.done()
        print(f"wrote {path}")


def check_options(args) -> None:
    """The numeric options, before any work; the series decide the rest (a --h or --initial
    too long for them is refused by the backtest, naming the series)."""
    positive("--h", args.h)
    positive("--paths", args.paths)
    check_size(args.h, args.paths)
    if args.initial is not None:
        positive("--initial", args.initial)
    if args.n_origins is not None:
        positive("--n-origins", args.n_origins)
    if args.initial is not None and args.n_origins is not None:
        raise ForecastError("pass either --initial or --n-origins, not both")
    if args.n_jobs == 0:  # joblib's convention: 1, 2 ... workers; -1 every core
        raise ForecastError("--n-jobs 0 runs nothing; valid: 1, 2 ... workers, or -1 for "
                            "every core (-2 all but one ...)")


def check_report(report: str) -> None:
    """``--report``: a .pdf path whose folder can be written, checked before the backtests."""
    from forecast.errors import OutputError

    if not report.strip():
        raise OutputError("--report is empty; give a PDF path such as reports/out/bt.pdf")
    path = Path(report)
    if path.suffix.lower() != ".pdf":
        raise OutputError(f"--report {report}: the path must end in .pdf")
    try:
        check_writable(path.parent, [path.name])
    except OutputError as exc:
        raise OutputError(f"--report {report}: {exc}") from None


def read_series(data: list[str]) -> dict:
    """The series named on the command line, by name (a CSV file by its stem)."""
    series, given = {}, {}
    for d in data:
        name = Path(d).stem if d.endswith(".csv") else d
        if name in given and given[name] != d:  # one would silently replace the other
            raise ForecastError(f"{given[name]} and {d} would both be series {name!r}; "
                                "rename one of the files")
        given[name] = d
        series[name] = load_series(d)
    return series


def season_length(index) -> int:
    """Seasonal period of the in-sample scales (MASE, RMSSE, MSIS) from the index frequency."""
    freq = getattr(index, "freqstr", None) or ""
    return {"Q": 4, "M": 12}.get(freq[:1], 1)
