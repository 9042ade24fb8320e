"""`forecast datasets` and `forecast datasets show NAME`; errors are one line, exit 2."""

import subprocess
import sys

import forecast as fc
from forecast.cli import main


def test_datasets_table(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[0].split()
    assert header == ["name", "title", "span", "unit", "sources"]
    for name in fc.datasets.names():
        assert name in out


def test_show_prints_values_and_sources(capsys):
    assert main(["datasets", "show", "chile_irregular_entries"]) == 0
    out = capsys.readouterr().out
    assert "56,586" in out
    assert "https://" in out and "sources:" in out
    assert "6,130" in out  # the alternate is shown beside the primary


def test_show_first_vintage(capsys):
    assert main(["datasets", "show", "chile_foreign_population", "--vintage", "first"]) == 0
    assert "1,251,225" in capsys.readouterr().out


def test_show_all_rows_of_a_table(capsys):
    assert main(["datasets", "show", "border_stranding_counts", "--all"]) == 0
    out = capsys.readouterr().out
    assert "2023-05-15" in out and "decenas" in out


def test_unknown_dataset_one_line_error(capsys):
    assert main(["datasets", "show", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("forecast: error: unknown dataset 'nope'; valid names:")


def test_console_script_runs():
    proc = subprocess.run([sys.executable, "-m", "forecast.cli", "datasets"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "chile_foreign_population" in proc.stdout


def test_out_writes_csv_with_sources(tmp_path, capsys):
    assert main(["datasets", "show", "chile_expulsions", "--out", str(tmp_path)]) == 0
    import pandas as pd

    frame = pd.read_csv(tmp_path / "chile_expulsions.csv")
    assert frame.loc[frame["period"] == 2019, "value"].item() == 2232
    assert frame["source_url"].str.startswith("http").all()
    assert main(["datasets", "--out", str(tmp_path), "--quiet"]) == 0
    catalog = pd.read_csv(tmp_path / "catalog.csv")
    assert set(fc.datasets.names()) == set(catalog["name"])
    assert not list(tmp_path.glob(".*.tmp"))
