"""Sessions: tests, lint, benchmark, backtest, report. `nox -l` lists them."""

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
    """ruff over the package, tests and scripts."""
    session.install("ruff>=0.5")
    session.run("ruff", "check", "forecast", "tests", "noxfile.py")
