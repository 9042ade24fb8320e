"""``forecast report``: the planners' scenario report (the main job).

The command computes what the report shows (the projection, the context forecasts of the
series the scenario file's ``[report]`` table names, the backtests and the replay of the
episode it names) and hands the objects to :func:`forecast.reports.scenario_report`, which
only lays them out.
"""

from __future__ import annotations

from forecast.cli._common import Steps, add_common
from forecast.cli.project_cmd import load_projection, scenario_path, uncalibrated_notice
from forecast.outputset import output_set
from forecast.writable import check_writable


def register(sub):
    from forecast.reports.language import LANGUAGES

    p = sub.add_parser("report", help="build the scenario report PDF (the main job)",
                       description="Build the planners' scenario report from a scenario file "
                       "(default: the bundled inauguration-2026.toml) into OUT/<name>.pdf, "
                       "in English (--lang en) or Spanish (--lang es).")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO_FILE", help="scenario TOML file")
    p.add_argument("--paths", type=int, default=10_000, help="paths per scenario (10000)")
    p.add_argument("--lang", choices=LANGUAGES, default="en",
                   help="language of the report: en (English, default) or es (Spanish)")
    p.add_argument("--as-of", default=None, metavar="DATE",
                   help="another as-of date YYYY-MM-DD inside the window: the counts up to it "
                   "start the projection")
    add_common(p, out_help="output directory (default reports/out)", out_default="reports/out")
    p.set_defaults(func=run)


def rebuild_command(args) -> str:
    """``forecast report`` with only the options that decide the report's content (scenario
    file name, paths, seed, language, as-of date): not ``--out`` nor ``--quiet``, so the same
    inputs give the same PDF bytes wherever it is written."""
    from pathlib import Path

    from forecast import scenarios

    words = ["forecast", "report"]
    if args.scenario and Path(args.scenario).resolve() != scenarios.DEFAULT_SCENARIO.resolve():
        words.append(Path(args.scenario).name)
    words += ["--paths", str(args.paths), "--seed", str(args.seed), "--lang", args.lang]
    if args.as_of is not None:
        from forecast.scenarios.dates import as_date

        words += ["--as-of", str(as_date(args.as_of, "--as-of"))]
    return " ".join(words)


def stale_as_of(proj, as_of) -> str | None:
    """The warning for an as-of date past the data: no count after the last one before it."""
    if as_of is None or proj.observations is None or not len(proj.observations):
        return None
    day = proj.spec.as_of
    before = proj.observations.until(day)
    if not len(before) or len(proj.observations.after(day)):
        return None
    last = before.dates.max()
    return (f"forecast: warning: --as-of {day}: the data hold no count after {last} (the last "
            f"one before {day}); the projection starts from that count, "
            f"{(day - last.astype(object)).days} day(s) old")


def report_inputs(spec, *, seed: int = 0, progress=None) -> dict:
    """``{context, backtests, replay, evaluation}`` for
    :func:`forecast.reports.scenario_report`, as the scenario file's ``[report]`` table asks
    (no context series: context None and no backtests; no replay: None; evaluation: the
    shipped leave-one-episode-out scores, None when they do not match the engine)."""
    # the backtests' sample paths are those of `nox -s backtest`, so the PDF's scores are
    # those of reports/backtests/summary.md (same seed, same paths)
    from forecast.backtest.reproduce import N_PATHS
    from forecast.scenarios.context import context_forecasts
    from forecast.scenarios.evidence import backtest_evidence, replay_evidence

    step = progress or (lambda label: None)
    settings = spec.report
    context = None
    if settings.context:
        step("context forecasts")
        context = context_forecasts(settings.context, seed=seed, as_of=spec.as_of)
    backtests = []
    if settings.context:
        # the evidence for the annual models the report uses (a file naming no annual series
        # uses none, and another border's report has no use for these series' backtests)
        step("backtests")
        backtests = backtest_evidence(seed=seed, n_paths=N_PATHS)
    replay = None
    if settings.replay is not None:
        step(f"replay of {settings.replay.name}")
        replay = replay_evidence(settings.replay, seed=seed)
    from forecast.scenarios.evidence import episode_evaluation

    # every bundled episode, leave-one-episode-out, as `nox -s scenario_backtest` scored them
    return {"context": context, "backtests": backtests, "replay": replay,
            "evaluation": episode_evaluation()}


def attribution(proj):
    """What each assumption adds, at the file's first threshold (the brief and section 4)."""
    return proj.attribution(threshold=proj.spec.report.thresholds[0])


def run(args):
    import sys

    from forecast import scenarios
    from forecast.background import Background
    from forecast.reports import scenario_report

    steps = Steps(args.quiet)
    check_writable(args.out)  # now, not after minutes of work
    spec = scenarios.load(scenario_path(args))
    # the evidence (context forecasts, backtests, replay) depends on the file's [report] table
    # and its as-of date only: it is computed in a second process, where a CPU is free, while
    # this one projects
    dated = spec if args.as_of is None else spec.with_as_of(args.as_of)
    with Background(report_inputs, dated, seed=args.seed) as evidence:
        proj = load_projection(args, steps, spec)
        stale = stale_as_of(proj, args.as_of)
        if stale:
            steps.done()
            print(stale, file=sys.stderr)
        steps("report: attribution")
        inputs = {"attribution": attribution(proj)}
        steps("report: context forecasts, backtests, replay")
        inputs.update(evidence.result())
    name = f"{proj.spec.path.stem}.pdf"
    # the report's files are one set: an interrupted run leaves the previous report whole
    with output_set(args.out) as staged:
        scenario_report(proj, out=staged.path(name), lang=args.lang, **inputs,
                        command=rebuild_command(args),
                        progress=lambda label: steps(f"report: {label}"))
    steps.done()
    notice = uncalibrated_notice(proj)
    if notice:
        print(notice)
    print(staged.target(name))
