"""Corrupted bundled files give one clear error naming file, line and problem."""

import shutil

import pytest

import forecast as fc
from forecast.datasets import registry as catalog
from forecast.errors import DataError


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    src = catalog.data_dir()
    dst = tmp_path / "data"
    shutil.copytree(src, dst)
    monkeypatch.setattr(catalog, "data_dir", lambda: dst)
    catalog.manifest.cache_clear()
    yield dst
    catalog.manifest.cache_clear()


def _edit_line(path, lineno, old, new):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[lineno - 1]
    lines[lineno - 1] = lines[lineno - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def _first_value_line(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    return header.index("value"), lines[1].split(",")


def test_non_numeric_value(data_copy):
    path = data_copy / "chile_expulsions.csv"
    text = path.read_text(encoding="utf-8").split("\n")
    col = text[0].split(",").index("value")
    cells = text[1].split(",")
    _edit_line(path, 2, f"{cells[0]},{cells[1]}" if col == 1 else cells[col],
               f"{cells[0]},12 mil" if col == 1 else "12 mil")
    with pytest.raises(DataError, match=r"chile_expulsions.csv: line 2: column 'value' has "):
        fc.datasets.load("chile_expulsions")


def test_missing_column(data_copy):
    path = data_copy / "chile_expulsions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("source_url", "link", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"chile_expulsions.csv: missing column\(s\) 'source_url'"):
        fc.datasets.load("chile_expulsions")


def test_empty_file(data_copy):
    (data_copy / "chile_expulsions.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="chile_expulsions.csv: file is empty"):
        fc.datasets.load("chile_expulsions")


def test_bad_encoding(data_copy):
    path = data_copy / "chile_expulsions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(DataError, match="chile_expulsions.csv: line 1: bytes are not valid"):
        fc.datasets.load("chile_expulsions")


def test_source_required(data_copy):
    path = data_copy / "chile_census_foreign_born.csv"
    frame = fc.datasets.table("chile_census_foreign_born")
    url = frame["source_url"].iloc[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(url, "", 1), encoding="utf-8")
    with pytest.raises(DataError, match="source_url is empty"):
        fc.datasets.load("chile_census_foreign_born")


def test_two_primary_values_for_one_vintage(data_copy):
    path = data_copy / "chile_irregular_entries.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    primary = next(i for i, line in enumerate(lines) if ",primary," in line)
    # the same period and vintage published twice as primary with different values
    lines.insert(primary + 1, lines[primary].replace(",primary,", ",primary,", 1))
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(DataError, match="more than one primary value for period"):
        fc.datasets.load("chile_irregular_entries")


def test_manifest_unknown_kind(data_copy):
    path = data_copy / "manifest.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('kind = "events"', 'kind = "happenings"', 1), encoding="utf-8")
    with pytest.raises(DataError, match="kind 'happenings'; valid: series"):
        fc.datasets.names()
