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


def test_out_that_is_a_file_fails_before_the_table(tmp_path, capsys):
    (tmp_path / "taken").write_text("x")
    assert main(["datasets", "--out", str(tmp_path / "taken")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # checked first: no table printed, nothing written
    assert captured.err == (f"forecast: error: cannot write to {tmp_path / 'taken'}: it is a "
                            "file, not a folder\n")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_out_refused_names_the_folder_not_a_temporary_file(tmp_path, capsys, monkeypatch):
    import errno
    import os

    real = os.open

    def read_only(path, *args, **kwargs):
        if os.path.dirname(path) == str(tmp_path):
            raise OSError(errno.EROFS, "Read-only file system", path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    assert main(["datasets", "show", "chile_expulsions", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == f"forecast: error: cannot write to {tmp_path}: read-only file system\n"


def test_out_creates_missing_folders(tmp_path, capsys):
    out = tmp_path / "new" / "dir"
    assert main(["datasets", "--out", str(out), "--quiet"]) == 0
    assert [p.name for p in out.iterdir()] == ["catalog.csv"]
    assert capsys.readouterr().out.rstrip().endswith(f"wrote {out / 'catalog.csv'}")
