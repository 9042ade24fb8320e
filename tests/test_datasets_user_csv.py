"""Users' own CSV files: the shapes people have (year,value; ds,y; long files; Chilean Excel
exports), detection and overrides, one DataError per bad file, and a fuzz over CSV shapes.

Every generated file either reads to the values it was written from or raises a one-line
DataError naming the file; no other exception ever escapes.
"""

import codecs

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forecast as fc
from forecast.cli import main
from forecast.datasets import read_csv
from forecast.errors import DataError, ForecastError


def write(tmp_path, text, name="series.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def annual(start, values):
    return pd.period_range(str(start), periods=len(values), freq="Y")


# -- the shapes people have ---------------------------------------------------------------
@pytest.mark.parametrize("header", ["year,value", "period,value", "date,value", "ds,y",
                                    "Year,Count", "fecha,valor", "año,cantidad", "time,total"])
def test_column_names_are_detected(tmp_path, header):
    got = read_csv(write(tmp_path, f"{header}\n2001,10\n2002,12\n2003,15\n"))
    assert list(got.index) == list(annual(2001, [0] * 3))
    assert got.tolist() == [10.0, 12.0, 15.0]
    assert got.attrs["read"]["period_col"] == header.split(",")[0]


def test_first_of_month_dates_are_monthly(tmp_path):
    got = read_csv(write(tmp_path, "date,value\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n"))
    assert isinstance(got.index, pd.PeriodIndex) and got.index.freqstr == "M"
    assert [str(p) for p in got.index] == ["2020-01", "2020-02", "2020-03"]
    assert got.attrs["frequency"] == "monthly"


@pytest.mark.parametrize(
    "dates, freq, first",
    [
        (["2020-01-01", "2020-04-01", "2020-07-01"], "Q", "2020Q1"),
        (["2019-01-01", "2020-01-01", "2021-01-01"], "Y", "2019"),
        (["2020-01-31", "2020-02-29", "2020-03-31"], "M", "2020-01"),  # pandas' month ends
        (["2020-03-31", "2020-06-30"], "Q", "2020Q1"),
        (["2020-01-01 00:00:00", "2020-02-01 00:00:00"], "M", "2020-01"),  # Excel midnight
    ],
)
def test_dates_marking_periods_read_as_those_periods(tmp_path, dates, freq, first):
    body = "".join(f"{d},{i}\n" for i, d in enumerate(dates))
    got = read_csv(write(tmp_path, "ds,y\n" + body))
    assert got.index.freqstr.startswith(freq) and str(got.index[0]) == first


def test_daily_dates_give_a_datetime_index(tmp_path):
    got = read_csv(write(tmp_path, "ds,y\n2025-11-28,3\n2025-11-29,5\n2025-11-30,4\n"))
    assert isinstance(got.index, pd.DatetimeIndex) and got.index.freqstr == "D"
    assert got.attrs["frequency"] == "daily"


def test_freq_overrides_the_dates(tmp_path):
    path = write(tmp_path, "ds,y\n2020-01-01,1\n2020-04-01,2\n")
    assert read_csv(path).index.freqstr == "Q-DEC"
    assert [str(p) for p in read_csv(path, freq="M").index] == ["2020-01", "2020-04"]
    with pytest.raises(DataError, match="freq='W' is not valid"):
        read_csv(path, freq="W")


def test_long_file_returns_the_long_frame(tmp_path):
    path = write(tmp_path, "unique_id,ds,y\na,2020-01-01,1\nb,2020-01-01,5\na,2020-02-01,2\n"
                 "b,2020-02-01,6\n")
    got = read_csv(path)
    assert list(got.columns) == ["unique_id", "ds", "y"]
    assert got["unique_id"].tolist() == ["a", "b", "a", "b"]
    assert [str(p) for p in got["ds"]] == ["2020-01", "2020-01", "2020-02", "2020-02"]
    assert got["y"].tolist() == [1.0, 5.0, 2.0, 6.0]
    # and it is what predict_many takes
    out = fc.predict_many(fc.models.Naive(), got, h=2, n_paths=50, seed=0)
    assert sorted(set(out["unique_id"])) == ["a", "b"]
    assert [str(p) for p in out["ds"].iloc[:2]] == ["2020-03", "2020-04"]


def test_id_column_named_id_and_override(tmp_path):
    path = write(tmp_path, "id,year,n\nx,2001,1\nx,2002,2\n")
    assert read_csv(path)["unique_id"].tolist() == ["x", "x"]
    path = write(tmp_path, "serie,año,n\nx,2001,1\nx,2002,2\n")
    got = read_csv(path, id_col="serie", period_col="año", value_col="n")
    assert got["y"].tolist() == [1.0, 2.0]


def test_chilean_excel_export(tmp_path):
    # ';' separators, decimal commas, '.' thousands, Windows "ANSI", CRLF, trailing ';'
    text = "Año;Valor;\r\n2019;1.492.522;\r\n2020;1.462.103,5;\r\n2021;1.482.390;\r\n"
    got = read_csv(write(tmp_path, text, encoding="cp1252"))
    assert got.tolist() == [1492522.0, 1462103.5, 1482390.0]
    assert got.attrs["read"] == {"encoding": "cp1252", "sep": ";", "decimal": ",",
                                 "thousands": ".", "period_col": "Año", "value_col": "Valor",
                                 "id_col": None}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("year;value\n2001;2,5\n2002;3,25\n", [2.5, 3.25]),  # decimal comma
        ("year;value\n2001;1.5\n2002;2.25\n", [1.5, 2.25]),  # decimal point in a ';' file
        ("year\tvalue\n2001\t1.234,5\n2002\t7\n", [1234.5, 7.0]),
        ('year,value\n2001,"1,234.5"\n2002,"12,000"\n', [1234.5, 12000.0]),
        ("year,value\n2001,1.234\n2002,2\n", [1.234, 2.0]),  # ',' files: a decimal point
        ("year|value\n2001|1e3\n2002|2\n", [1000.0, 2.0]),
    ],
)
def test_number_formats_detected(tmp_path, text, expected):
    assert read_csv(write(tmp_path, text)).tolist() == expected


def test_ambiguous_number_refused_with_hint_then_set(tmp_path):
    path = write(tmp_path, "año;valor\n2001;1.234\n2002;2.500\n")
    with pytest.raises(DataError) as info:
        read_csv(path)
    message = str(info.value)
    assert "line 2: column 'valor' has '1.234'" in message
    assert "decimal=','" in message and "decimal='.'" in message
    assert read_csv(path, decimal=",").tolist() == [1234.0, 2500.0]
    assert read_csv(path, decimal=".").tolist() == [1.234, 2.5]
    assert read_csv(path, thousands=".").tolist() == [1234.0, 2500.0]


def test_separator_override_and_bad_values(tmp_path):
    path = write(tmp_path, "year;value\n2001;1\n2002;2\n")
    assert read_csv(path, sep=";").tolist() == [1.0, 2.0]
    with pytest.raises(DataError, match="no period column: found 'year;value'"):
        read_csv(path, sep=",")
    for bad in ("", ";;", "7"):
        with pytest.raises(DataError, match=f"sep={bad!r} is not a separator"):
            read_csv(path, sep=bad)
    with pytest.raises(DataError, match="decimal='x,' is not valid"):
        read_csv(path, decimal="x,")
    with pytest.raises(DataError, match="decimal and thousands are both"):
        read_csv(path, decimal=",", thousands=",")


def test_excel_sep_hint_line(tmp_path):
    path = write(tmp_path, "sep=;\nyear;value\n2001;1,5\n2002;x\n")
    with pytest.raises(DataError, match="line 4: column 'value' has 'x'"):
        read_csv(path)
    path = write(tmp_path, "sep=;\r\nyear;value\r\n2001;1,5\r\n")
    assert read_csv(path).tolist() == [1.5]


def test_tab_separator_as_typed(tmp_path):
    path = write(tmp_path, "year\tvalue\n2001\t1\n2002\t2\n")
    assert read_csv(path, sep="\\t").tolist() == read_csv(path, sep="tab").tolist() == [1, 2]


@pytest.mark.parametrize(
    "raw",
    [
        b"year,value\r2001,1\r2002,2\r",  # old Mac Excel: CR only
        b"\xef\xbb\xbfyear,value\r\n2001,1\r\n2002,2\r\n",  # Excel "CSV UTF-8": BOM
        codecs.BOM_UTF16_LE + "year,value\n2001,1\n2002,2\n".encode("utf-16-le"),
        "year,value\n2001,1\n2002,2\n".encode("latin-1"),
    ],
)
def test_line_endings_and_encodings(tmp_path, raw):
    got = read_csv(write(tmp_path, raw))
    assert got.tolist() == [1.0, 2.0] and list(got.index) == list(annual(2001, [0, 0]))


def test_pandas_to_csv_output_reads_back(tmp_path):
    # the first file a data scientist writes: Series.to_csv(), index unnamed, values "0"
    y = pd.Series([3.0, 4.5], index=pd.period_range("2020-01", periods=2, freq="M"))
    path = tmp_path / "y.csv"
    y.to_csv(path)
    got = read_csv(path)
    assert list(got.index) == list(y.index) and got.tolist() == y.tolist()


def test_two_column_file_takes_the_other_column_as_values(tmp_path):
    assert read_csv(write(tmp_path, "year,personas\n2001,4\n")).tolist() == [4.0]


def test_cr_only_line_numbers_in_errors(tmp_path):
    path = write(tmp_path, b"year,value\r2001,1\r2002,x\r")
    with pytest.raises(DataError, match="line 3: column 'value' has 'x'"):
        read_csv(path)


def test_line_numbers_count_quoted_newlines(tmp_path):
    path = write(tmp_path, 'year,value,note\n2001,1,"two\nlines"\n2002,-1,ok\n')
    with pytest.raises(DataError, match="line 4: column 'value' has negative value -1"):
        read_csv(path)


def test_negative_values_refused_naming_the_row_then_allowed(tmp_path):
    path = write(tmp_path, "year,value\n2001,1.5\n2002,-2\n")
    with pytest.raises(DataError) as info:
        read_csv(path)
    assert "line 3: column 'value' has negative value -2" in str(info.value)
    assert "allow_negative=True" in str(info.value)
    assert read_csv(path, allow_negative=True).tolist() == [1.5, -2.0]


# -- one DataError per bad file -----------------------------------------------------------
@pytest.mark.parametrize(
    "content, fragment",
    [
        ("year,value\n2001,1\n2002,nan\n", "line 3: column 'value': missing value ('nan')"),
        ("year;value\n2001;1\n2002;\n", "line 3: column 'value': missing value (a blank cell)"),
        ("year,value\n2001,1\n,2\n", "line 3: column 'year' has a missing value"),
        ("id,year,value\na,2001,1\n,2002,2\n", "line 3: column 'id': missing value"),
        ("year,date,value\n2001,2001-01-01,1\n", "columns 'year' and 'date' could each be"),
        ("year,chile,peru\n2001,1,2\n", "wide file"),
        ("a;b,c\n1;2,3\n", "cannot tell the separator"),
        ("year,value,value\n2001,1,2\n", "columns 2 and 3 are both named 'value'"),
        ("year,value\n01-02-2020,1\n", "write dates as YYYY-MM-DD"),
        ("date,value\n2020-02-30,1\n", "line 2: column 'date' has invalid date '2020-02-30'"),
        ("date,value\n2020-01,1\n2020-13,1\n", "line 3: column 'date' has invalid period"),
        ("year,value\n0000,1\n", "line 2: column 'year' has invalid period '0000'"),
        ("ds,y\n0001-01-05,1\n", "has invalid date '0001-01-05'; valid: a real day"),
        ("year,value\n2001,1e400\n", "line 2: column 'value' has '1e400', too large"),
        ("year,value\n43831,1\n", "looks like an Excel date number"),
        ("ds,y\n2020-01-01,1\n2020-01-01,2\n", "line 3: duplicate period 2020-01-01 (read as "
                                               "2020) in column 'ds' (also on line 2)"),
        ("ds,y\n2020-02-01,1\n2020-01-01,2\n", "line 3: period 2020-01-01 (read as 2020-01) "
                                               "comes after 2020-02-01 (read as 2020-02)"),
        ("year,value\n2001,1.234,5\n", "line 2 has 3 fields"),
        ("year;value\n2001;1.5\n2002;1234,5\n", "line 2: column 'value' has '1.5'"),
        ("", "file is empty"),
        ("period,value\n", "no data rows"),
        ("when,value\n2001,1\n", "no period column: found 'when', 'value'"),
        ("period,value\n2001,1\n2002,abc\n", "line 3: column 'value' has 'abc', not a number"),
        ("period,value\n2001,1\n2002,-4\n", "line 3: column 'value' has negative value -4"),
        ("period,value\n2001,1\n2001,2\n", "line 3: duplicate period 2001"),
        ("period,value\n2002,1\n2001,2\n", "line 3: period 2001 comes after 2002"),
        ("period,value\n2001,1\n2002-03,2\n", "line 3: column 'period' mixes frequencies"),
        ("period,value\n2001,1\nlast year,2\n", "line 3: column 'period' has 'last year'"),
        ("period,value\n2001,1\n2002,1.234.5.6\n", "line 3: column 'value' has '1.234.5.6'"),
        ("period,value\n2001,1\n2002,\n", "line 3: column 'value': missing value"),
        ("period,value\n2001,1\n2002,NaN\n", "line 3: column 'value': missing value ('NaN')"),

    ],
)
def test_bad_files_one_clear_error(tmp_path, content, fragment):
    path = write(tmp_path, content)
    with pytest.raises(DataError) as info:
        read_csv(path)
    message = str(info.value)
    assert fragment in message
    assert message.startswith(str(path)) and "\n" not in message


def test_directory_and_binary_files(tmp_path):
    with pytest.raises(DataError, match="is a directory"):
        read_csv(tmp_path)
    with pytest.raises(DataError, match="Excel workbook"):
        read_csv(write(tmp_path, b"PK\x03\x04\x14\x00rest of a zip"))
    with pytest.raises(DataError, match="NUL bytes"):
        read_csv(write(tmp_path, "year,value\n2001,1\n".encode("utf-16-le")))
    # 0x81 is neither UTF-8 nor cp1252, and latin-1 makes it a control character
    with pytest.raises(DataError, match=r"line 2: cannot decode .*tried utf-8, cp1252, latin-1"):
        read_csv(write(tmp_path, b"year,value\n2001,1\x81\n"))


def test_given_columns_must_exist_and_differ(tmp_path):
    path = write(tmp_path, "year,value\n2001,1\n")
    with pytest.raises(DataError, match="missing column\\(s\\) 'when'; found 'year', 'value'"):
        read_csv(path, period_col="when")
    with pytest.raises(DataError, match="must differ"):
        read_csv(path, period_col="year", value_col="year")
    with pytest.raises(DataError, match="disagree"):
        read_csv(path, period_col="year", period="value")


# -- the fuzz: every generated CSV reads right or raises one DataError ---------------------
# a convention: separator, decimal mark, thousands separator (as people's files have them)
CONVENTIONS = [(",", ".", ""), (",", ".", ","), (";", ",", "."), (";", ",", ""),
               (";", ".", ""), ("\t", ",", "."), ("\t", ".", ","), ("|", ".", "")]
LABELS = {
    "Y": lambda p: str(p.year),
    "Q": lambda p: f"{p.year}Q{p.quarter}",
    "M": lambda p: p.strftime("%Y-%m"),
    "Mdate": lambda p: p.start_time.strftime("%Y-%m-%d"),
    "Ydate": lambda p: p.start_time.strftime("%Y-%m-%d"),
    "D": lambda p: p.strftime("%Y-%m-%d"),
}


def number_text(whole: int, frac: str, decimal: str, thousands: str, negative: bool) -> str:
    digits = f"{whole:,}".replace(",", thousands) if thousands else str(whole)
    return ("-" if negative else "") + digits + (decimal + frac if frac else "")


@st.composite
def csv_files(draw):
    sep, decimal, thousands = draw(st.sampled_from(CONVENTIONS))
    kind = draw(st.sampled_from(sorted(LABELS)))
    n = draw(st.integers(2, 12))
    freq = {"Mdate": "M", "Ydate": "Y"}.get(kind, kind)
    start = pd.Period(draw(st.dates(pd.Timestamp("1990-01-02").date(),
                                    pd.Timestamp("2030-12-28").date())), freq="D")
    if kind == "D":
        start = start if start.day != 1 else start + 1
    index = pd.period_range(start.asfreq(freq), periods=n, freq=freq)
    numbers = draw(st.lists(st.tuples(st.integers(0, 10**8), st.text("0123456789", max_size=3),
                                      st.booleans()), min_size=n, max_size=n))
    allow_negative = draw(st.booleans())
    cells = [number_text(w, f, decimal, thousands, neg and allow_negative)
             for w, f, neg in numbers]
    expected = [float(c.replace(thousands, "").replace(decimal, ".") if thousands
                      else c.replace(decimal, ".")) for c in cells]
    header = draw(st.sampled_from([("year", "value"), ("ds", "y"), ("fecha", "valor"),
                                   ("período", "cantidad"), ("date", "count")]))
    ids = draw(st.sampled_from([None, ["a"] * n, ["a", "b"] * (n // 2) + ["c"] * (n % 2)]))
    rows = [[LABELS[kind](p), c] for p, c in zip(index, cells, strict=True)]
    if ids is not None:  # several series share one date axis row by row
        rows = [[uid, *r] for uid, r in zip(ids, rows, strict=True)]
    names = (["unique_id"] if ids is not None else []) + list(header)
    corruption = draw(st.sampled_from(["none", "none", "value", "period", "ragged", "blank",
                                       "swap", "bytes"]))
    junk = draw(st.sampled_from(["", "nan", "abc", "-", "1.2.3,4", "12 mil", "N/A", "€",
                                 "1,5", "3", '"', "2020-13", "0000", "1e999", "2020-02-30",
                                 "2019Q5", " ", "0001-01-05", "01/02/2020"]))
    row = draw(st.integers(0, n - 1))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    if (corruption, ids is None) == ("swap", False) or (corruption, encoding) == (
            "bytes", "utf-16"):
        corruption = "none"  # long files may interleave; a UTF-16 code unit is just a letter
    if corruption == "value":
        rows[row][-1] = junk
    elif corruption == "period":
        rows[row][-2] = junk
    elif corruption == "ragged":
        rows[row] = rows[row][:-1]
    elif corruption == "swap":
        rows[0], rows[-1] = rows[-1], rows[0]

    def quote(cell):
        return '"' + cell.replace('"', '""') + '"' if sep in cell or '"' in cell else cell

    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines = [sep.join(names)] + [sep.join(quote(c) for c in r) for r in rows]
    if corruption == "blank":
        lines.insert(row + 1, "")
    text = eol.join(lines) + eol
    raw = text.encode(encoding)
    if corruption == "bytes":
        raw = raw[: len(raw) // 2] + b"\x81\x00" + raw[len(raw) // 2:]
    return dict(raw=raw, expected=expected, index=index, ids=ids, sep=sep, decimal=decimal,
                thousands=thousands, corruption=corruption, allow_negative=allow_negative,
                kind=kind, row=row, junk=junk)


def check_error(exc, path):
    message = str(exc)
    assert isinstance(exc, DataError), f"{type(exc).__name__}: {message}"
    assert "\n" not in message and message.startswith(str(path)), message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=csv_files(), tell_format=st.booleans())
def test_fuzz_csv_shapes_read_right_or_raise_one_data_error(tmp_path_factory, case,
                                                            tell_format):
    path = tmp_path_factory.mktemp("fuzz") / "user.csv"
    path.write_bytes(case["raw"])
    options = {"allow_negative": case["allow_negative"]}
    if tell_format:
        options.update(sep=case["sep"], decimal=case["decimal"],
                       thousands=case["thousands"] or "")
    try:
        got = read_csv(path, **options)
    except Exception as exc:  # noqa: BLE001 - the point: nothing but DataError escapes
        check_error(exc, path)
        # a clean file told its format always reads; untold, only an ambiguous number in a
        # file not separated by ',' may be refused
        assert case["corruption"] != "none" or (
            not tell_format and "which reads as" in str(exc) and case["sep"] != ","), str(exc)
        # a cell with no digits is no number at all: the error names its line (unless another
        # cell's ambiguity, which stops reading first, is what is reported)
        if case["corruption"] == "value" and not any(ch.isdigit() for ch in case["junk"]) and (
                "which reads as" not in str(exc)):
            assert f"line {case['row'] + 2}:" in str(exc), str(exc)
        return
    if case["corruption"] != "none":
        # a corrupted value can still be a valid number (e.g. "3"); nothing else reads
        assert case["corruption"] == "value", case["corruption"]
        return
    values = got["y"] if isinstance(got, pd.DataFrame) else got
    assert values.tolist() == case["expected"]
    index = pd.Index(got["ds"]) if isinstance(got, pd.DataFrame) else got.index
    want = case["index"].to_timestamp() if case["kind"] == "D" else case["index"]
    assert list(index) == list(want)
    assert isinstance(got, pd.DataFrame) == (case["ids"] is not None)


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(
    st.binary(max_size=120),
    st.text(st.sampled_from("0123456789-.,;\t\r\n\"Q aynd"), max_size=80).map(
        lambda t: ("year,value\n" + t).encode()),
))
def test_fuzz_arbitrary_bytes_read_or_raise_one_data_error(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("bytes") / "user.csv"
    path.write_bytes(raw)
    try:
        got = read_csv(path, allow_negative=True)
    except Exception as exc:  # noqa: BLE001 - the point: nothing but DataError escapes
        check_error(exc, path)
        return
    values = got["y"] if isinstance(got, pd.DataFrame) else got
    assert len(values) > 0 and np.isfinite(values.to_numpy()).all()


def test_fuzz_writer_formats_numbers_like_excel():
    assert number_text(1234567, "5", ",", ".", True) == "-1.234.567,5"
    assert number_text(1234567, "", ".", ",", False) == "1,234,567"


# -- the command line ---------------------------------------------------------------------
GOOD_FILES = {
    "year.csv": "year,value\n2015,10\n2016,12\n2017,15\n2018,16\n",
    "monthly.csv": "date,value\n2020-01-01,1\n2020-02-01,2\n2020-03-01,3\n2020-04-01,4\n",
    "dsy.csv": "ds,y\n2020-01-01,1\n2020-01-02,2\n2020-01-03,3\n2020-01-04,4\n",
    "long.csv": "unique_id,ds,y\na,2001,1\na,2002,2\na,2003,3\n",
    "chile.csv": "Año;Valor\r\n2019;1.492.522\r\n2020;1.462.103,5\r\n2021;1.482.390\r\n",
}


@pytest.mark.parametrize("name", sorted(GOOD_FILES))
def test_cli_fit_reads_each_good_shape(tmp_path, capsys, name):
    path = write(tmp_path, GOOD_FILES[name], name=name,
                 encoding="cp1252" if name == "chile.csv" else "utf-8")
    assert main(["fit", str(path), "--model", "Naive", "--h", "2", "--paths", "50"]) == 0
    out = capsys.readouterr().out
    assert "Naive forecast" in out and "95% high" in out
    if name == "dsy.csv":  # days print as dates, as daily periods did
        assert "2020-01-05" in out and "00:00:00" not in out


def test_cli_fit_flags_reach_the_reader(tmp_path, capsys):
    path = write(tmp_path, "serie;cuando;n\nx;2001;-1,5\nx;2002;2,5\nx;2003;3\n")
    args = ["fit", str(path), "--model", "Naive", "--h", "1", "--paths", "50"]
    assert main(args) == 2
    assert "no period column" in capsys.readouterr().err
    flags = ["--period-col", "cuando", "--value-col", "n", "--id-col", "serie", "--sep", ";",
             "--decimal", ",", "--thousands", ".", "--allow-negative"]
    assert main(args + flags) == 0
    assert "x: Naive forecast" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, fragment",
    [
        (None, "is a directory"),
        ("year,value\n2001,1\n2002,NaN\n", "line 3: column 'value': missing value"),
        (b"year,value\r2001,1\r2002,-3\r", "line 3: column 'value' has negative value -3"),
        ("year;value\n2001;1.234\n", "which reads as"),
        ("unique_id,ds,y\na,2001,1\nb,2001,2\n", "holds 2 series (a, b)"),
    ],
)
def test_cli_fit_bad_files_exit_2_with_one_line(tmp_path, capsys, content, fragment):
    path = tmp_path if content is None else write(tmp_path, content)
    assert main(["fit", str(path), "--model", "Naive", "--paths", "50"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("forecast: error: ") and err.count("\n") == 1
    assert fragment in err and str(path) in err


# -- a Series whose index is not a time axis is refused, not renumbered 0, 1, 2 ------------
@pytest.mark.parametrize("index", [["a", "b", "c"], ["2001", "2002", "2003"], [0.5, 1.5, 2.5]])
def test_model_refuses_a_series_with_a_non_time_index(index):
    y = pd.Series([1.0, 2.0, 3.0], index=index)
    with pytest.raises(ForecastError, match="index"):
        fc.models.Naive().fit(y)
    long = pd.DataFrame({"unique_id": "a", "ds": index, "y": [1.0, 2.0, 3.0]})
    with pytest.raises(ForecastError, match="index"):
        fc.predict_many(fc.models.Naive(), long, h=1, n_paths=10)


def test_models_keep_accepting_time_and_integer_indexes():
    # what base.py's check must still let through
    for index in (annual(2001, [0] * 3), pd.date_range("2020-01-01", periods=3, freq="D"),
                  pd.RangeIndex(3), pd.Index([2001, 2002, 2003])):
        f = fc.models.Naive().fit(pd.Series([1.0, 2.0, 3.0], index=index)).predict(
            h=1, n_paths=10, seed=0)
        assert np.isfinite(f.point.to_numpy()).all()
