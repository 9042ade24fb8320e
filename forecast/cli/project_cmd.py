"""``forecast project``: stranding scenario projections; headline numbers and tidy CSVs."""

from __future__ import annotations

from pathlib import Path

from forecast.cli._common import Steps, add_common, positive
from forecast.errors import ScenarioError
from forecast.writable import check_writable


def register(sub):
    p = sub.add_parser("project", help="project people stranded under each scenario",
                       description="Run the stranding scenarios of a scenario file (default: "
                       "the bundled inauguration-2026.toml) and print headline numbers.")
    p.add_argument("scenario", nargs="?", metavar="SCENARIO_FILE", help="scenario TOML file")
    p.add_argument("--as-of", default=None, metavar="DATE",
                   help="another as-of date YYYY-MM-DD inside the window")
    p.add_argument("--paths", type=int, default=10_000, help="paths per scenario (10000)")
    p.add_argument("--evaluate", action="store_true",
                   help="score the engine and the persistence and decay baselines on the "
                   "file's own counts (every as-of date, or --as-of) instead of projecting")
    add_common(p, out_help="write the tidy CSVs (daily, peaks, needs ...) here")
    p.set_defaults(func=run)


def scenario_path(args) -> Path:
    """The SCENARIO_FILE argument (default: the bundled one), checked before any work; the
    other options too (--paths, --as-of)."""
    from forecast import scenarios
    from forecast.scenarios.dates import as_date

    positive("--paths", args.paths)
    if args.as_of is not None:
        as_date(args.as_of, "--as-of")
    path = Path(args.scenario) if args.scenario else scenarios.DEFAULT_SCENARIO
    if not path.is_file():
        raise ScenarioError(f"scenario file {str(path)!r} not found; the bundled ones are in "
                            f"{scenarios.SCENARIO_DIR}")
    return path


def load_projection(args, steps, spec=None):
    """The projection the arguments ask for, of ``spec`` (default: the file they name)."""
    from forecast import scenarios

    spec = scenarios.load(scenario_path(args)) if spec is None else spec
    steps("calibrating and projecting")
    proj = scenarios.project(spec, n_paths=args.paths, seed=args.seed,
                             as_of=args.as_of)
    return proj


def uncalibrated_notice(proj) -> str | None:
    """The loud line a run from the priors alone prints (``history.uncalibrated = true``)."""
    if proj.calibrated:
        return None
    return (f"UNCALIBRATED: {proj.spec.path.name} sets history.uncalibrated = true: no counts "
            f"were used; every number comes from the priors alone")


def run_evaluation(args):
    from forecast import scenarios

    path = scenario_path(args)
    steps = Steps(args.quiet)
    steps("scoring the engine and the baselines")
    scores = scenarios.evaluate(path, as_of=args.as_of, n_paths=min(args.paths, 2000),
                                seed=args.seed)
    steps.done()
    summary = scenarios.evaluation_summary(scores)
    print(f"{path.name}: {summary['reports'].iloc[0]} later counts from "
          f"{summary['as_of_dates'].iloc[0]} as-of date(s); behaviour and baselines learned "
          f"on the other bundled episodes")
    print(f"{'method':<12} {'log score':>9} {'50% band':>8} {'80% band':>8} {'90% band':>8} "
          f"{'interval score':>14}")
    for r in summary.itertuples():
        print(f"{r.method:<12} {r.log_score:>9.2f} {r.cover50:>8.0%} {r.cover80:>8.0%} "
              f"{r.cover90:>8.0%} {r.interval_score80:>14.2f}")
    print("log score: mean log-probability of the reported ranges (higher is better); bands: "
          "share of counts inside the central band (randomized PIT)")
    if args.out:
        from forecast.atomicwrite import write_atomic

        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "scores.csv", scores.to_csv(index=False, lineterminator="\n"))
        print(f"\nwrote {out / 'scores.csv'}")


def run(args):
    from forecast.reports.formatting import format_band, format_count, format_date, format_prob
    from forecast.scenarios.headline import headline, peak_exceedance, thresholds

    if args.out:
        check_writable(args.out)  # now, not after minutes of work
    if args.evaluate:
        run_evaluation(args)
        return
    steps = Steps(args.quiet)
    proj = load_projection(args, steps)
    steps.done()
    notice = uncalibrated_notice(proj)
    if notice:
        print(notice)
    print(f"{proj.spec.title}")
    print(f"as of {format_date(proj.spec.as_of)}; {proj.n_paths:,d} paths per scenario, "
          f"seed {proj.seed}; median (80% band) of people stranded")
    head = headline(proj)
    peaks = proj.peaks().set_index("scenario")
    for name in proj.scenarios:
        print(f"\n{name}:")
        for r in head[head["scenario"] == name].itertuples():
            print(f"  {format_date(r.date):>11} {r.label:<38} {format_count(r.q50):>7} "
                  f"({format_band(r.q10, r.q90)})")
        p = peaks.loc[name]
        chances = ", ".join(f"P(>{k:,d}) {format_prob(peak_exceedance(proj, name, k))}"
                            for k in thresholds(proj))
        print(f"  {'peak':>11} {'most likely ' + format_date(p['peak_date_mode']):<38} "
              f"{format_count(p['peak_q50']):>7} ({format_band(p['peak_q10'], p['peak_q90'])})"
              f"; {chances}")
    if args.out:
        written = proj.save(args.out)
        print(f"\nwrote {len(written)} CSV files to {args.out}")
