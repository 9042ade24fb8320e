"""forecast.datasets.read_csv: round trips (hypothesis) and one clear error per bad input."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forecast.datasets import read_csv
from forecast.errors import DataError, ForecastError


def write(tmp_path, text, name="series.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(1950, 2030),
    values=st.lists(st.integers(0, 10**9) | st.floats(0, 1e9, allow_nan=False), min_size=1,
                    max_size=30),
)
def test_round_trip_annual(tmp_path_factory, start, values):
    tmp = tmp_path_factory.mktemp("rt")
    y = pd.Series(np.asarray(values, dtype=float),
                  index=pd.period_range(str(start), periods=len(values), freq="Y"))
    path = tmp / "y.csv"
    pd.DataFrame({"period": y.index.astype(str), "value": y.to_numpy()}).to_csv(
        path, index=False, float_format="%.17g")
    got = read_csv(path)
    pd.testing.assert_index_equal(got.index, y.index.rename("period"))
    np.testing.assert_array_equal(got.to_numpy(), y.to_numpy())
    assert got.attrs["frequency"] == "annual"


@settings(max_examples=20, deadline=None)
@given(freq=st.sampled_from(["M", "Q", "D"]), n=st.integers(1, 40))
def test_round_trip_other_frequencies(tmp_path_factory, freq, n):
    assume(freq != "D" or n > 1)  # one date, 2019-01-01, is read as the year 2019
    idx = pd.period_range("2019-01-01", periods=n, freq=freq)
    values = np.arange(n, dtype=float) * 3.5
    path = tmp_path_factory.mktemp("rt") / "y.csv"
    labels = idx.strftime({"M": "%Y-%m", "D": "%Y-%m-%d"}[freq]) if freq != "Q" else [
        f"{p.year}Q{p.quarter}" for p in idx]
    pd.DataFrame({"when": labels, "n": values}).to_csv(path, index=False)
    got = read_csv(path, period="when", value="n")  # the older parameter names still work
    # daily dates give a DatetimeIndex (the other frequencies a PeriodIndex)
    assert list(got.index) == list(idx.to_timestamp() if freq == "D" else idx)
    np.testing.assert_array_equal(got.to_numpy(), values)


def test_long_file_with_ids(tmp_path):
    path = write(tmp_path, "id,year,v\na,2001,1\na,2002,2\nb,2001,5\n")
    got = read_csv(path, period="year", value="v", id_col="id")
    assert list(got.columns) == ["unique_id", "ds", "y"]
    assert got["y"].tolist() == [1.0, 2.0, 5.0]


def test_bad_encoding_names_line(tmp_path):
    path = write(tmp_path, "period,value\n2001,1\n2002,2 # Se\xf1or\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"line 3: bytes are not valid utf-8"):
        read_csv(path, encoding="utf-8")
    # by default Windows encodings are tried next, so the real problem is reported
    for encoding in (None, "latin-1"):
        with pytest.raises(DataError, match="line 3: column 'value' has '2 # Señor'"):
            read_csv(path, encoding=encoding)


def test_missing_file_and_errors_are_value_errors(tmp_path):
    with pytest.raises(ForecastError, match="file not found"):
        read_csv(tmp_path / "nope.csv")
    assert issubclass(DataError, ValueError)


def test_negative_allowed_when_not_counts(tmp_path):
    path = write(tmp_path, "period,value\n2001,-1.5\n2002,2\n")
    assert read_csv(path, counts=False).tolist() == [-1.5, 2.0]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("period,value\n2001,1\n2002,5,3\n2003,4\n", "line 3 has 3 fields; the header has 2"),
        ("period,value\n2001,1\n\n2002,4\n", "line 3 is blank"),
    ],
)
def test_ragged_rows_name_their_line(tmp_path, content, fragment):
    with pytest.raises(DataError, match=fragment):
        read_csv(write(tmp_path, content))


def test_trailing_blank_lines_are_fine(tmp_path):
    assert read_csv(write(tmp_path, "period,value\n2001,1\n2002,2\n\n\n")).tolist() == [1, 2]
