"""``forecast report``: the planners' scenario report (the main job)."""

from __future__ import annotations

from pathlib import Path

from forecast.cli._common import Steps, add_common, command_line
from forecast.cli.project_cmd import load_projection


def register(sub):
    p = sub.add_parser("report", help="build the scenario report PDF (the main job)",
                       description="Build the planners' scenario report from a scenario file "
                       "(default: the bundled inauguration-2026.toml) into OUT/<name>.pdf.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO_FILE", help="scenario TOML file")
    p.add_argument("--paths", type=int, default=10_000, help="paths per scenario (10000)")
    p.set_defaults(as_of=None)
    add_common(p, out_help="output directory (default reports/out)", out_default="reports/out")
    p.set_defaults(func=run)


def run(args):
    from forecast.reports import scenario_report

    steps = Steps(args.quiet)
    proj = load_projection(args, steps)
    target = Path(args.out) / f"{proj.spec.path.stem}.pdf"
    path = scenario_report(proj, out=target, seed=args.seed, command=command_line(args.argv),
                           progress=lambda label: steps(f"report: {label}"))
    steps.done()
    print(path)
