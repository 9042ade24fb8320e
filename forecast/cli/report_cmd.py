"""``forecast report``: the planners' scenario report (the main job).

The command computes what the report shows (the projection, the context forecasts of the
series the scenario file's ``[report]`` table names, the backtests and the replay of the
episode it names) and hands the objects to :func:`forecast.reports.scenario_report`, which
only lays them out.
"""

from __future__ import annotations

from forecast.cli._common import Steps, add_common, command_line
from forecast.cli.project_cmd import load_projection, uncalibrated_notice
from forecast.outputset import output_set
from forecast.writable import check_writable

#: Sample paths of the backtests behind the evidence section.
BACKTEST_PATHS = 500


def register(sub):
    p = sub.add_parser("report", help="build the scenario report PDF (the main job)",
                       description="Build the planners' scenario report from a scenario file "
                       "(default: the bundled inauguration-2026.toml) into OUT/<name>.pdf.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO_FILE", help="scenario TOML file")
    p.add_argument("--paths", type=int, default=10_000, help="paths per scenario (10000)")
    p.set_defaults(as_of=None)
    add_common(p, out_help="output directory (default reports/out)", out_default="reports/out")
    p.set_defaults(func=run)


def report_inputs(spec, *, seed: int = 0, progress=None) -> dict:
    """``{context, backtests, replay}`` for :func:`forecast.reports.scenario_report`, as the
    scenario file's ``[report]`` table asks (no context series or replay: None)."""
    from forecast.scenarios.context import context_forecasts
    from forecast.scenarios.evidence import backtest_evidence, replay_evidence

    step = progress or (lambda label: None)
    settings = spec.report
    context = None
    if settings.context:
        step("context forecasts")
        context = context_forecasts(settings.context, seed=seed)
    step("backtests")
    backtests = backtest_evidence(seed=seed, n_paths=BACKTEST_PATHS)
    replay = None
    if settings.replay is not None:
        step(f"replay of {settings.replay.name}")
        replay = replay_evidence(settings.replay, seed=seed)
    return {"context": context, "backtests": backtests, "replay": replay}


def run(args):
    from forecast.reports import scenario_report

    steps = Steps(args.quiet)
    check_writable(args.out)  # now, not after minutes of work
    proj = load_projection(args, steps)
    name = f"{proj.spec.path.stem}.pdf"
    inputs = report_inputs(proj.spec, seed=args.seed,
                           progress=lambda label: steps(f"report: {label}"))
    # the report's files are one set: an interrupted run leaves the previous report whole
    with output_set(args.out) as staged:
        scenario_report(proj, out=staged.path(name), **inputs, command=command_line(args.argv),
                        progress=lambda label: steps(f"report: {label}"))
    steps.done()
    notice = uncalibrated_notice(proj)
    if notice:
        print(notice)
    print(staged.target(name))
