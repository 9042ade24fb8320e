"""Verbal counts go through one table (forecast.datasets.wording); stranding rows are checked.

Bad-file tests write a small border_stranding_counts.csv into a copy of the bundled data
directory and load it through ``forecast.datasets``: each error names the file, the line and
the field.
"""

import csv
import io
import math
import shutil

import numpy as np
import pytest

import forecast as fc
from forecast.datasets import registry as catalog
from forecast.datasets import wording
from forecast.errors import DataError

NAME = "border_stranding_counts"
FILE = "border_stranding_counts.csv"


# -- the table ---------------------------------------------------------------------------
@pytest.mark.parametrize("words, expected", [
    ("decenas", (20, 99)), ("Decenas", (20, 99)), ("  dozens ", (20, 99)),
    ("una decena", (8, 15)), ("varias decenas", (30, 99)), ("medio centenar", (40, 60)),
    ("un centenar", (80, 130)), ("about a hundred", (80, 130)),
    ("al menos un centenar", (100, 200)), ("Más de un centenar", (100, 200)),
    ("over a hundred", (100, 200)), ("cientos", (200, 999)), ("centenares", (200, 999)),
    ("hundreds", (200, 999)), ("varios cientos", (300, 999)), ("un millar", (800, 1300)),
    ("miles", (2000, 9999)), ("ninguna", (0, 0)), ("cero", (0, 0)), ("none", (0, 0)),
    ("decenas   e incluso más de un centenar", (20, 200)),
])
def test_interval_known_words(words, expected):
    assert wording.interval(words) == expected


def test_unknown_words_list_the_valid_keys():
    with pytest.raises(ValueError) as info:
        wording.interval("un montón")
    message = str(info.value)
    assert "'un montón'" in message and "valid:" in message
    assert "'decenas'" in message and "'un centenar'" in message
    assert isinstance(info.value, wording.UnknownWording)


def test_table_is_well_formed():
    for key, (low, high) in wording.VERBAL.items():
        assert key == wording.normalize(key), "keys are lower case and stripped"
        assert 0 <= low <= high, key
    # every entry is explained in the module docstring
    for key in wording.VERBAL:
        assert f"``{key}``" in wording.__doc__, key


def test_manifest_points_to_the_module():
    coding = fc.datasets.info(NAME)["verbal_coding"]
    assert isinstance(coding, str) and "forecast/datasets/wording.py" in coding


# -- the bundled rows --------------------------------------------------------------------
def _raw_rows():
    path = catalog.data_dir() / FILE
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_bundled_row_parses_and_verbal_rows_get_the_table_interval():
    rows = fc.datasets.table(NAME)
    raw = _raw_rows()
    assert len(rows) == len(raw)
    assert set(rows["statement"]) <= {"stock", "peak", "average"}
    assert (rows["window_days"] >= 1).all()
    assert (rows.loc[rows["statement"] == "stock", "window_days"] == 1).all()
    assert not rows[["low", "high"]].isna().any().any()
    verbal = rows[rows["count_words"] != ""]
    assert len(verbal) >= 10
    for row in verbal.itertuples():
        assert (row.low, row.high) == wording.VERBAL[row.count_words]
        assert math.isnan(row.point)
    for cells in raw:  # one coding: the CSV leaves the numbers of verbal rows empty
        if cells["count_words"]:
            assert cells["low"] == cells["high"] == cells["point"] == "", cells["date"]


def test_peak_and_average_rows_of_2023():
    rows = fc.datasets.table(NAME)
    apr26 = rows[rows["date"] == "2023-04-26"].set_index("statement")
    assert apr26.loc["average", ["low", "high"]].tolist() == [150, 200]
    assert apr26.loc["peak", "point"] == 400
    assert apr26["window_days"].min() > 1
    may2 = rows[(rows["date"] == "2023-05-02") & (rows["statement"] == "peak")]
    assert len(may2) == 1 and may2["high"].iloc[0] == 400


def test_new_2025_rows():
    rows = fc.datasets.table(NAME)
    nov30 = rows[(rows["date"] == "2025-11-30") & (rows["count_words"] == "una decena")]
    assert nov30[["low", "high"]].iloc[0].tolist() == [8, 15]
    dec1 = rows[rows["date"] == "2025-12-01"]
    assert ((dec1["low"] == 40) & (dec1["high"] == 45)).sum() == 1
    detained = dec1[dec1["point"] == 15]
    assert len(detained) == 1 and detained["side"].iloc[0] == "CL"


# -- bad files ---------------------------------------------------------------------------
@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    dst = tmp_path / "data"
    shutil.copytree(catalog.data_dir(), dst)
    monkeypatch.setattr(catalog, "data_dir", lambda: dst)
    catalog.manifest.cache_clear()
    yield dst
    catalog.manifest.cache_clear()


HEADER = ["date", "date_precision", "episode", "low", "high", "point", "verbal", "statement",
          "window_days", "count_words", "location", "side", "reliability", "source_title",
          "source_url", "source_date", "quote", "note"]
GOOD = {"date": "2025-11-28", "date_precision": "day", "episode": "2025-11", "low": "80",
        "high": "130", "point": "", "verbal": "un centenar", "statement": "", "window_days": "",
        "count_words": "", "location": "Chacalluta", "side": "unknown", "reliability": "C",
        "source_title": "T", "source_url": "https://example.org/a", "source_date": "2025-11-28",
        "quote": "un centenar de migrantes", "note": ""}


def _write(folder, *changes):
    """A file with one good row (line 2) and one row per dict of changes (lines 3, 4 ...)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerow(GOOD)
    for change in changes:
        writer.writerow({**GOOD, **change})
    (folder / FILE).write_text(buf.getvalue(), encoding="utf-8")


def _load_error(folder, *changes):
    _write(folder, *changes)
    with pytest.raises(DataError) as info:
        fc.datasets.table(NAME)
    message = str(info.value)
    assert FILE in message
    return message


def test_small_file_parses_and_fills_words(data_copy):
    _write(data_copy,
           {"low": "", "high": "", "count_words": "Decenas", "verbal": "Decenas de migrantes"},
           {"statement": "peak", "window_days": "5", "low": "350", "high": "450", "point": "400"},
           {"statement": "average", "window_days": "7"},
           {"low": "", "high": "", "point": "30"})
    rows = fc.datasets.table(NAME)
    assert rows["statement"].tolist() == ["stock", "stock", "peak", "average", "stock"]
    assert rows["window_days"].tolist() == [1, 1, 5, 7, 1]
    assert rows.loc[1, ["low", "high"]].tolist() == [20, 99]
    assert rows.loc[1, "count_words"] == "decenas"
    assert np.isnan(rows.loc[4, "low"]) and rows.loc[4, "point"] == 30
    loaded = fc.datasets.load(NAME)
    assert (loaded["low"].dropna() <= loaded["high"].dropna()).all()


def test_unknown_count_words_names_line_field_and_valid_keys(data_copy):
    message = _load_error(data_copy, {"low": "", "high": "", "count_words": "un montón"})
    assert "line 3" in message and "'count_words'" in message and "'un montón'" in message
    assert "valid:" in message and "'decenas'" in message and "'cientos'" in message
    assert "forecast/datasets/wording.py" in message


def test_count_words_with_numbers_is_rejected(data_copy):
    message = _load_error(data_copy, {}, {"count_words": "un centenar"})
    assert "line 4" in message and "'count_words'" in message
    assert "'low'" in message and "'high'" in message and "leave" in message


def test_count_words_with_point_is_rejected(data_copy):
    message = _load_error(data_copy, {"low": "", "high": "", "point": "100",
                                      "count_words": "un centenar"})
    assert "line 3" in message and "'point'" in message


def test_bad_statement(data_copy):
    message = _load_error(data_copy, {"statement": "maximum"})
    assert "line 3" in message and "'statement'" in message and "'maximum'" in message
    assert "stock, peak, average" in message


@pytest.mark.parametrize("bad", ["0", "2.5", "x", "-3"])
def test_bad_window_days(data_copy, bad):
    message = _load_error(data_copy, {"statement": "peak", "window_days": bad})
    assert "line 3" in message and "'window_days'" in message and repr(bad) in message


def test_stock_needs_window_one(data_copy):
    message = _load_error(data_copy, {"window_days": "3"})
    assert "line 3" in message and "'window_days'" in message and "stock" in message


def test_row_without_any_count(data_copy):
    message = _load_error(data_copy, {"low": "", "high": "", "verbal": "?"})
    assert "line 3" in message and "count_words" in message


def test_low_without_high(data_copy):
    message = _load_error(data_copy, {"high": ""})
    assert "line 3" in message and "'high' is empty" in message


def test_order_still_checked(data_copy):
    message = _load_error(data_copy, {"low": "200", "high": "100"})
    assert "line 3" in message and "low <= point <= high" in message


def test_missing_new_column(data_copy):
    _write(data_copy)
    path = data_copy / FILE
    path.write_text(path.read_text(encoding="utf-8").replace("count_words", "words", 1),
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"missing column\(s\) 'count_words'"):
        fc.datasets.table(NAME)
