"""Sessions: tests, lint, benchmark, scenario_backtest, backtest, report, population. `nox -l`
lists them.

`nox` alone runs tests and lint. Benchmarks print figures and write tables under
reports/benchmarks/; backtest and report regenerate reports/backtests/ and reports/out/.
"""

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session):
    """The whole test suite (the same command CI runs)."""
    session.install("-e", ".[test,dask]")
    session.run("python", "-m", "pytest", "-q", *session.posargs)


@nox.session
def lint(session):
    """ruff over the package, tests, benchmarks and this file."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", "forecast", "tests", "benchmarks", "noxfile.py")


@nox.session
def benchmark(session):
    """M3 yearly speed vs statsforecast, M1/M3/Tourism leave-one-collection-out accuracy and
    intervals, backtest and scenario timings."""
    session.install("-e", ".[bench,dask]")
    session.run("python", "benchmarks/m3_yearly.py", *session.posargs)
    session.run("python", "benchmarks/yearly_loco.py")
    session.run("python", "benchmarks/backtest.py")
    session.run("python", "benchmarks/scenarios.py")


@nox.session
def scenario_backtest(session):
    """Stranding engine vs persistence and decay, leave-one-episode-out, every as-of date."""
    session.install("-e", ".")
    session.run("python", "benchmarks/scenario_backtest.py", *session.posargs)


@nox.session
def nowcast_backtest(session):
    """Nowcast from year-to-date counts vs the annual model alone, with vintages."""
    session.install("-e", ".")
    session.run("python", "benchmarks/nowcast_backtest.py", *session.posargs)


@nox.session
def backtest(session):
    """Backtest every bundled yearly series with every model into reports/backtests/."""
    session.install("-e", ".")
    session.run("python", "-c", "from forecast.backtest import reproduce; reproduce()")


@nox.session
def report(session):
    """Build the scenario and backtest PDFs and render every page to PNG for review."""
    session.install("-e", ".")
    session.run("python", "benchmarks/build_reports.py", *session.posargs)


@nox.session
def population(session):
    """Calibrate the bundled episodes and rewrite forecast/scenarios/population_store.json."""
    session.install("-e", ".")
    session.run("python", "-c", "from forecast.scenarios import population as p; "
                "print(p.write_store())")
