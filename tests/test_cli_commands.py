"""The fit, backtest, project and report subcommands: output, files, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from forecast.cli import main


def err_line(capsys):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("forecast: error: ")
    return err[0]


@pytest.mark.parametrize("cmd", ["fit", "backtest", "project", "report", "datasets"])
def test_help(cmd, capsys):
    with pytest.raises(SystemExit) as exc:
        main([cmd, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "--help" in out
    if cmd != "datasets":
        for opt in ("--seed", "--out", "--quiet"):
            assert opt in out


def test_fit_prints_and_writes(tmp_path, capsys):
    assert main(["fit", "chile_expulsions", "--h", "3", "--paths", "200", "--quiet",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "80% low" in out and "95% high" in out
    assert (tmp_path / "forecast.csv").read_text().startswith("period,point")
    assert (tmp_path / "forecast.png").stat().st_size > 0


def test_fit_user_csv(tmp_path, capsys):
    csv = tmp_path / "mine.csv"
    csv.write_text("period,value\n" + "".join(f"{2010 + i},{100 + 7 * i}\n" for i in range(10)))
    assert main(["fit", str(csv), "--model", "Drift", "--h", "2", "--quiet"]) == 0
    assert "Drift forecast" in capsys.readouterr().out


@pytest.mark.parametrize("argv, words", [
    (["fit", "no_such_dataset"], "unknown dataset"),
    (["fit", "chile_expulsions", "--model", "Bogus"], "valid: "),
    (["fit", "chile_expulsions", "--paths", "0"], "--paths"),
    (["fit", "missing.csv"], "not found"),
    (["backtest", "chile_expulsions", "--models", "Naive,Bogus"], "unknown model 'Bogus'"),
    (["project", "no_such_file.toml"], "not found"),
    (["project", "--as-of", "2025-13-45", "--paths", "10"], "--as-of: expected a date"),
    (["project", "--as-of", "2025-11-21", "--paths", "10"], "before the first count"),
    (["project", "--as-of", "2026-03-11", "--paths", "10"], "no day is left to project"),
    (["project", "--paths", "0"], "--paths"),
    (["project", "--paths", "abc"], "argument --paths: invalid int value: 'abc' (see "
                                    "'forecast project --help')"),
    (["project", "--seed", "-1"], "argument --seed: must be an integer >= 0, got '-1'"),
    (["project", "--bogus"], "unrecognized arguments: --bogus"),
    (["report", "no_such_file.toml"], "not found"),
    (["report", "--paths", "-5"], "--paths"),
    (["report", "--seed", "x"], "argument --seed: must be an integer >= 0, got 'x'"),
    (["nocommand"], "argument COMMAND: invalid choice: 'nocommand'"),
])
def test_errors_are_one_line_exit_2(argv, words, capsys):
    assert main(argv) == 2
    assert words in err_line(capsys)


@pytest.mark.parametrize("argv, words", [
    (["fit", "chile_expulsions", "--h", "0"], "--h must be an integer >= 1"),
    (["fit", "chile_expulsions", "--h", "20000"], "--h 20000 is too long; valid: 1 to"),
    (["fit", "chile_expulsions", "--paths", "10000000"], "lower --paths to"),
    (["fit", "chile_expulsions", "--seed", "-1"], "--seed"),
    (["fit", "chile_expulsions", "--model", "Bogus"], "--model: unknown model 'Bogus'"),
    (["fit", "chile_expulsions", "--sep", ";"], "--sep applies to CSV files"),
    (["fit", "chile_expulsions", "--decimal", "x"], "--decimal"),
    (["fit", "", "--paths", "10"], "path is empty"),
    (["fit", "chile_expulsions", "--paths", "10", "--out", ""], "empty"),
    (["backtest", "chile_expulsions", "--n-jobs", "0"], "--n-jobs 0 runs nothing; valid"),
    (["backtest", "chile_expulsions", "--seed", "-1"], "--seed"),
    (["backtest", "chile_expulsions", "--initial", "0"], "--initial must be"),
    (["backtest", "chile_expulsions", "--n-origins", "0"], "--n-origins must be"),
    (["backtest", "chile_expulsions", "--initial", "3", "--n-origins", "2"],
     "either --initial or --n-origins"),
    (["backtest", "chile_expulsions", "--models", "Naive", "--report", "bt.txt"],
     "--report bt.txt: the path must end in .pdf"),
    (["backtest", "chile_expulsions", "--models", "Naive", "--report", ""], "--report is empty"),
    (["datasets", "--vintage", "first"], "--vintage apply to one dataset"),
    (["datasets", "--all"], "--all apply to one dataset"),
    (["datasets", "show", "chile_expulsions", "--vintage", ""], "--vintage '' is not valid"),
    (["datasets", "show", "chile_expulsions", "--vintage", "1900-01-01"],
     "its first were public on"),
])
def test_fit_backtest_datasets_options_one_line_exit_2(argv, words, capsys):
    assert main(argv) == 2
    assert words in err_line(capsys)


def test_fit_of_a_huge_value_is_refused(tmp_path, capsys):
    """Count models work on log(y), capped before exp at about 1e304: 1.7e308 would be
    forecast as 1e304, so the command line refuses such a value rather than change it."""
    csv = tmp_path / "big.csv"
    csv.write_text("year,value\n2000,1\n2001,2\n2002,1.7e308\n")
    assert main(["fit", str(csv), "--model", "Naive"]) == 2
    assert "value 1.7e+308 for period 2002 is too large" in err_line(capsys)


def test_fit_chart_draws_names_as_written(tmp_path, capsys):
    from matplotlib.text import Text

    import forecast as fc
    from forecast.cli import fit_cmd

    name = r"cost $\frac{1}{$ of a_b 5%"
    csv = tmp_path / f"{name}.csv"
    csv.write_text("year,value\n" + "".join(f"{2010 + i},{100 + 7 * i}\n" for i in range(6)))
    assert main(["fit", str(csv), "--model", "Drift", "--paths", "50", "--quiet",
                 "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "forecast.png").stat().st_size > 0
    y = fc.datasets.read_csv(csv)
    f = fc.models.Drift().fit(y).predict(3, n_paths=20, seed=0)
    fig = fit_cmd._plot(f, y, f"{name}: Drift")
    title = [t for t in fig.findobj(Text) if t.get_text() == f"{name}: Drift"]
    assert title and not title[0].get_parse_math()


def test_backtest_writes_table_and_report(tmp_path, capsys):
    report = tmp_path / "bt.pdf"
    assert main(["backtest", "chile_expulsions", "--models", "Naive,Drift", "--paths", "200",
                 "--quiet", "--out", str(tmp_path), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Naive" in out and "Drift" in out and "mase" in out
    assert (tmp_path / "backtest.csv").exists() and (tmp_path / "scores.csv").exists()
    assert report.read_bytes().startswith(b"%PDF")


def test_project_prints_headlines_and_saves(tmp_path, capsys):
    assert main(["project", "--paths", "200", "--quiet", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "status-quo" in out and "presidential inauguration" in out and "peak" in out
    assert (tmp_path / "daily.csv").exists() and (tmp_path / "needs.csv").exists()


def test_report_subprocess_default_location(tmp_path):
    """`forecast report` writes reports/out/<stem>.pdf relative to the working directory."""
    proc = subprocess.run(  # the timeout guards against hanging; it is not a speed test
        [sys.executable, "-m", "forecast.cli", "report", "--paths", "200", "--quiet"],
        cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / "reports" / "out" / "inauguration-2026.pdf"
    assert proc.stdout.strip().endswith("inauguration-2026.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    assert not [p for p in target.parent.iterdir() if p.suffix == ".tmp"]


def test_subprocess_error_exit_code(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "forecast.cli", "fit", "nope"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown dataset" in proc.stderr


def test_report_computes_what_the_scenario_file_asks_and_hands_it_over(monkeypatch):
    """`forecast report` computes the context, backtests and replay the [report] table names
    (the report itself only lays them out)."""
    import forecast as fc
    from forecast.cli import report_cmd
    from forecast.scenarios import context, evidence

    calls = []
    monkeypatch.setattr(context, "context_forecasts",
                        lambda names, seed, as_of: calls.append(("context", tuple(names), seed,
                                                                 as_of)) or {})
    monkeypatch.setattr(evidence, "backtest_evidence",
                        lambda seed, n_paths: calls.append(("backtests", seed)) or [])
    monkeypatch.setattr(evidence, "replay_evidence",
                        lambda path, seed: calls.append(("replay", path, seed)) or "rp")
    monkeypatch.setattr(evidence, "episode_evaluation", lambda: "scores")
    labels = []
    spec = fc.scenarios.load(fc.scenarios.DEFAULT_SCENARIO)
    got = report_cmd.report_inputs(spec, seed=3, progress=labels.append)
    # the context series as published by the file's as-of date
    assert calls == [("context", spec.report.context, 3, spec.as_of), ("backtests", 3),
                     ("replay", fc.scenarios.REPLAY_SCENARIO, 3)]
    assert got == {"context": {}, "backtests": [], "replay": "rp", "evaluation": "scores"}
    assert labels == ["context forecasts", "backtests", "replay of replay-2023.toml"]

    calls.clear()
    bare = fc.scenarios.load(fc.scenarios.SCENARIO_DIR / "bruzgi-2021.toml")
    got = report_cmd.report_inputs(bare, seed=0)
    # no context series (so no series model to backtest), no replay named: none computed
    assert calls == []
    assert got["context"] is None and got["replay"] is None and got["backtests"] == []
