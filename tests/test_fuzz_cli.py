"""Fuzzing the command line in process: whatever the file or the option, `forecast` either
succeeds (exit 0, and then it fitted the values the file holds) or prints one line
``forecast: error: ...`` naming what is wrong and exits 2; never a traceback."""

from __future__ import annotations

import contextlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.cli import fit_cmd, main

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def run(argv, capsys):
    """``main(argv)`` in process: (exit status, stdout, stderr lines). A raised exception
    fails the test with its traceback, which is the point."""
    capsys.readouterr()
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err.strip().splitlines()


def one_error_line(status, err):
    assert status == 2, (status, err)
    assert len(err) == 1 and err[0].startswith("forecast: error: "), err
    assert "Traceback" not in err[0]
    return err[0]


@contextlib.contextmanager
def recording_fits():
    """Every series a model is fitted on by ``forecast fit``, in order (the real models)."""
    seen = []
    real = fit_cmd.model_class

    def model_class(name):
        cls = real(name)

        def fit(self, y, X=None):
            seen.append(y.copy())
            return cls.fit(self, y, X)

        return type(cls.__name__, (cls,), {"fit": fit})

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fit_cmd, "model_class", model_class)
        yield seen


# -- (a) CSV files for `forecast fit` -----------------------------------------------------
def _number(v: float, decimal: str, thousands: str) -> str:
    whole, _, frac = f"{abs(v):.2f}".partition(".")
    frac = frac.rstrip("0")
    if thousands:
        whole = f"{int(whole):,d}".replace(",", thousands)
    text = whole + (decimal + frac if frac else "")
    return ("-" if v < 0 else "") + text


LABELS = {"Y": str, "Q": str, "M": str, "D": lambda p: str(p.to_timestamp().date())}


@st.composite
def csv_cases(draw):
    """A series written as a file, then mutated; ``expect`` is ``"ok"`` (it must read, and
    fit on ``values``), ``"error"`` (it must be refused on one line) or ``"either"``."""
    n = draw(st.integers(3, 9))  # Auto works from 3 values; fewer is 'one_row'
    freq = draw(st.sampled_from(["Y", "Y", "Q", "M", "D"]))
    start = pd.Period(f"{draw(st.integers(1990, 2020))}-01-01", freq="D").asfreq(freq, "S")
    index = pd.period_range(start, periods=n, freq=freq)
    cents = draw(st.lists(st.integers(0, 10**9), min_size=n, max_size=n))
    values = [c / 100 for c in cents]
    header = list(draw(st.sampled_from([("year", "value"), ("ds", "y"), ("date", "count"),
                                        ("fecha", "valor"), ("año", "total"),
                                        ("period", "value")])))
    sep, decimal, thousands = draw(st.sampled_from(
        [(",", ".", ""), (";", ",", ""), (";", ",", "."), ("\t", ".", ""), ("|", ".", ","),
         (";", ".", "")]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    mutation = draw(st.sampled_from(
        ["none", "rename_period", "rename_value", "drop_period", "drop_value", "blank_value",
         "blank_period", "text_value", "duplicate", "unsorted", "gap", "negative",
         "negative_allowed", "huge", "infinite", "one_row", "empty", "header_only",
         "binary", "padding", "crlf", "extra_column", "decimal_comma_in_comma_file"]))
    row = draw(st.integers(0, n - 1))
    expect = "ok"
    allow_negative = mutation == "negative_allowed"
    labels = [LABELS[freq](p) for p in index]
    if mutation in ("negative", "negative_allowed"):
        values[row] = -values[row] - 1
        expect = "ok" if allow_negative else "error"
    elif mutation == "huge":
        values[row] = draw(st.sampled_from([1e15, 1e100, 1e300, 1e-300, 1e305, 1.7e308]))
        # a model may refuse such numbers, in one line; beyond 1e300 the command line must
        # (the log-scale models would forecast 1.7e308 as 1e304)
        expect = "either" if values[row] <= 1e300 else "error"
    elif mutation == "one_row":
        labels, values = labels[:1], values[:1]
        expect = "either"  # some models need more than one value
    cells = [_number(v, decimal, thousands) for v in values]
    if mutation == "huge":  # written plainly, as a program would write them
        cells[row] = repr(values[row]).replace(".", decimal)
    if mutation == "infinite":
        cells[row] = draw(st.sampled_from(["1e400", "inf", "-inf", "Infinity"]))
        expect = "error"
    rows = [[p, c] for p, c in zip(labels, cells, strict=True)]
    if mutation == "rename_period":
        header[0] = draw(st.sampled_from(["when", "periode", "x", "yr"]))
        expect = "error"
    elif mutation == "rename_value":  # a two-column file: the other column is the value
        header[1] = draw(st.sampled_from(["personas", "v", "número", "stock"]))
    elif mutation in ("drop_period", "drop_value"):
        k = 0 if mutation == "drop_period" else 1
        header = [header[1 - k]]
        rows = [[r[1 - k]] for r in rows]
        expect = "error"
    elif mutation == "blank_value":
        rows[row][1] = draw(st.sampled_from(["", " ", "NA", "nan", "#N/A"]))
        expect = "error"
    elif mutation == "blank_period":
        rows[row][0] = ""
        expect = "error"
    elif mutation == "text_value":
        rows[row][1] = draw(st.sampled_from(["abc", "12a", "1 2 3", "€", "--5", "1e", "0x10",
                                             "12 mil", "½"]))
        expect = "error"
    elif mutation == "duplicate" and n > 1:
        rows.insert(row + 1, [rows[row][0], rows[row][1]])
        expect = "error"
    elif mutation == "unsorted" and n > 1:
        rows[0], rows[-1] = rows[-1], rows[0]
        expect = "error"
    elif mutation == "gap" and n > 2:
        k = draw(st.integers(1, n - 2))  # a period missing in the middle
        del rows[k], values[k]
        if n - 1 - k < 3:  # models fit the run after the gap, which may be too short
            expect = "either"
    elif mutation == "extra_column":
        header.append("note")
        rows = [[*r, "x"] for r in rows]
        expect = "error" if header[1] not in ("value", "y", "count", "valor", "total") \
            else "ok"
    elif mutation == "decimal_comma_in_comma_file" and sep == ",":
        rows = [[p, f'"{c.replace(".", ",")}"'] for p, c in rows]
        expect = "either"  # 1,5 in a ',' file: read as 1.5, or refused as ambiguous
    elif mutation == "padding":
        rows = [[f"  {p} ", f" {c}  "] for p, c in rows]
    eol = "\r\n" if mutation == "crlf" else "\n"

    def quote(c):  # a cell holding the separator is quoted, as spreadsheets write it
        return f'"{c}"' if sep in c and not c.startswith('"') else c

    text = eol.join([sep.join(header)] + [sep.join(quote(c) for c in r) for r in rows]) + eol
    if mutation == "empty":
        text, expect = draw(st.sampled_from(["", "\n", "  \n\n"])), "error"
    elif mutation == "header_only":
        text, expect = sep.join(header) + "\n", "error"
    if encoding == "cp1252" and any(ord(ch) > 255 and ch != "€" for ch in text):
        encoding = "utf-8"
    raw = text.encode(encoding)
    if mutation == "binary":
        junk = draw(st.binary(min_size=1, max_size=40))
        at = draw(st.integers(0, len(raw)))
        raw = draw(st.sampled_from([junk, raw[:at] + junk + raw[at:]]))
        expect = "either"
    return dict(raw=raw, expect=expect, values=values, mutation=mutation,
                allow_negative=allow_negative, last=values[-1])


@FUZZ
@given(case=csv_cases(), model=st.sampled_from(["Naive", "Naive", "Drift", "Auto", "Theta"]))
def test_fuzz_fit_csv_reads_what_the_file_holds_or_refuses_in_one_line(
        tmp_path_factory, capsys, case, model):
    path = tmp_path_factory.mktemp("csv") / "series.csv"
    path.write_bytes(case["raw"])
    argv = ["fit", str(path), "--model", model, "--h", "2", "--paths", "30", "--quiet"]
    if case["allow_negative"]:
        argv.append("--allow-negative")
    with recording_fits() as seen:
        status, out, err = run(argv, capsys)
    if status != 0 or case["expect"] == "error":
        line = one_error_line(status, err)
        assert case["expect"] != "ok", line
        assert str(path) in line or "--" in line, line  # names the file (or the option)
        return
    assert err == []
    if case["mutation"] == "binary":
        return  # junk that happens to read: nothing to compare it with
    # the model saw the file's values, all of them, in the file's order
    assert len(seen) == 1
    np.testing.assert_allclose(seen[0].to_numpy(), case["values"], rtol=1e-12)
    if model == "Naive":  # Naive's forecast is the last value, printed rounded in every row
        points = [float(r.split()[1].replace(",", "")) for r in out.splitlines()[2:]]
        last = case["last"]
        assert points and all(abs(p - last) <= 0.5 + 1e-12 * abs(last) for p in points), out


# -- (b) option values for fit, backtest and datasets ---------------------------------------
def option(name, good, bad):
    """(name, value, is_valid) for one option; None leaves the option out."""
    given = [st.tuples(st.just(name), st.sampled_from(good), st.just(True))] if good else []
    return st.one_of(st.none(), *given,
                     st.tuples(st.just(name), st.sampled_from(bad), st.just(False)))


NOT_AN_INT = ["abc", "2.5", "", " ", "1e3", "0x10", "--", "3x"]
COUNT_BAD = ["0", "-1", "-100", *NOT_AN_INT]
SEED_BAD = ["-1", "-5", *NOT_AN_INT]
MODEL_NAMES = ["Naive", "Drift", "Mean", "Theta"]
MODEL_BAD = ["", "Bogus", "naive", "BaseModel", "Ensemble", "Regression", "Naive;Drift",
             "$x^2$", "../../etc/passwd"]


def argv_of(command, fixed, chosen):
    argv = [command, *fixed]
    for item in chosen:
        if item is not None:
            argv += [item[0], item[1]]
    return argv


def check_options(status, err, chosen):
    """Any invalid option: exit 2 and the line names one of them. All valid: exit 0, or a
    one-line refusal for what only the data can tell (a horizon too long for the series)."""
    bad = [name for name, _, ok in filter(None, chosen) if not ok]
    if bad or status != 0:
        line = one_error_line(status, err)
        if bad:
            spelled = {s for b in bad for s in (b, b.lstrip("-"), b.lstrip("-").replace("-",
                                                                                       "_"))}
            assert any(s in line for s in spelled), (bad, line)
    else:
        assert err == []


@FUZZ
@given(chosen=st.tuples(
    option("--h", ["1", "3", "12", " 2"], COUNT_BAD + ["100000000"]),
    option("--paths", ["1", "20", "50"], COUNT_BAD + ["10000000000"]),
    option("--seed", ["0", "7", "123456789012345678901234567890"], SEED_BAD),
    option("--model", MODEL_NAMES + ["Auto"], MODEL_BAD),
    option("--sep", [], [",", ";", "x"]),          # a bundled dataset is no CSV
    option("--value-col", [], ["value"]),
), data=st.sampled_from(["chile_expulsions", "chile_expulsions", "no_such_dataset",
                         "border_stranding_counts", "", " "]))
def test_fuzz_fit_options(capsys, chosen, data):
    if not chosen[1]:  # keep the default 2000 paths short
        chosen = (chosen[0], ("--paths", "20", True), *chosen[2:])
    status, _, err = run(argv_of("fit", [data, "--quiet"], chosen), capsys)
    if data != "chile_expulsions":  # a bad name, or an option's value: one line either way
        one_error_line(status, err)
        return
    check_options(status, err, chosen)


def test_fit_out_checked_before_fitting(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("x")
    for out, words in [("", "empty"), (str(target), "not a folder")]:
        status, _, err = run(["fit", "chile_expulsions", "--paths", "20", "--out", out],
                             capsys)
        assert words in one_error_line(status, err)


@FUZZ
@given(chosen=st.tuples(
    option("--models", ["Naive", "Naive,Drift", "Drift,Mean", " Naive , Theta "],
           MODEL_BAD[1:] + [",", "Naive,,Bogus", ""]),
    option("--h", ["1", "2"], COUNT_BAD),
    option("--initial", ["3", "4"], ["0", "-2", "abc", "1"]),
    option("--n-origins", ["1", "2"], ["0", "-1", "x"]),
    option("--paths", ["10", "30"], COUNT_BAD),
    option("--n-jobs", ["1", "-1"], ["0", "abc", "1.5"]),
    option("--seed", ["0", "3"], SEED_BAD),
    option("--vintage", ["latest", "real-time"], ["", "first", "2020-01-01", "Latest"]),
))
def test_fuzz_backtest_options(capsys, chosen):
    if chosen[2] and chosen[3] and chosen[2][2] and chosen[3][2]:
        chosen = (*chosen[:3], None, *chosen[4:])  # both valid: only one may be given
    if not chosen[4]:
        chosen = (*chosen[:4], ("--paths", "20", True), *chosen[5:])
    argv = argv_of("backtest", ["chile_expulsions", "--quiet"], chosen)
    if not chosen[0]:
        argv += ["--models", "Naive,Drift"]
    status, _, err = run(argv, capsys)
    check_options(status, err, chosen)


@pytest.mark.parametrize("report, words", [
    ("", "empty"), ("scores.txt", ".pdf"), ("folder.pdf", "folder"), ("file/x.pdf", "file"),
])
def test_backtest_report_path_checked_before_the_backtests(tmp_path, capsys, report, words):
    (tmp_path / "folder.pdf").mkdir()
    (tmp_path / "file").write_text("x")
    target = report if report == "" else str(tmp_path / report)
    status, _, err = run(["backtest", "chile_expulsions", "--models", "Naive", "--paths",
                          "10", "--report", target], capsys)
    line = one_error_line(status, err)
    assert "--report" in line and words in line, line


def test_backtest_csv_series_with_the_same_name_are_refused(tmp_path, capsys):
    for d in ("a", "b"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "s.csv").write_text(
            "year,value\n" + "".join(f"{2000 + i},{10 + i}\n" for i in range(8)))
    status, _, err = run(["backtest", str(tmp_path / "a" / "s.csv"),
                          str(tmp_path / "b" / "s.csv"), "--models", "Naive", "--paths",
                          "10"], capsys)
    assert "'s'" in one_error_line(status, err)


@FUZZ
@given(action=st.sampled_from([[], ["list"], ["show"], ["show", "chile_expulsions"],
                               ["show", "border_stranding_counts"], ["show", "nope"],
                               ["show", ""], ["bogus"]]),
       chosen=st.tuples(
           option("--vintage", ["latest", "first", "2024-06-30"],
                  ["", "bogus", "2019-13-01", "1900-01-01", "latest "]),
           st.one_of(st.none(), st.just(("--all", None, True)))))
def test_fuzz_datasets_options(capsys, action, chosen):
    vintage, every = chosen
    argv = ["datasets", *action, "--quiet"]
    if vintage:
        argv += [vintage[0], vintage[1]]
    if every:
        argv.append("--all")
    status, _, err = run(argv, capsys)
    shows_series = action == ["show", "chile_expulsions"] and not every
    if status == 0:
        assert err == []
        # a --vintage that cannot apply is refused, never ignored
        assert not vintage or vintage[1] == "latest" or shows_series, argv
        assert not vintage or vintage[2], argv
        return
    line = one_error_line(status, err)
    if vintage and not vintage[2] and shows_series:
        assert "vintage" in line, line
