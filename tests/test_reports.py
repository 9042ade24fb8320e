"""PDF reports: structure, metadata, key numbers, determinism, atomic writes, no side effects."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
import warnings

import numpy as np
import pandas as pd
import pytest

pypdf = pytest.importorskip("pypdf")

import forecast as fc  # noqa: E402
from forecast.reports import (  # noqa: E402
    SECTIONS,
    format_band,
    format_count,
    format_date,
    format_prob,
    scenario,
)
from forecast.reports import backtest as btreport  # noqa: E402
from forecast.scenarios import projection as projmod  # noqa: E402
from forecast.scenarios.context import context_forecasts  # noqa: E402
from forecast.scenarios.evidence import backtest_evidence, replay_evidence  # noqa: E402

N_PATHS = 300


@pytest.fixture(scope="module")
def proj():
    return fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=N_PATHS, seed=0)


@pytest.fixture(scope="module")
def inputs(proj):
    """What `forecast report` computes and hands to the report, smaller."""
    report = proj.spec.report
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {"attribution": proj.attribution(threshold=report.thresholds[0]),
                "context": context_forecasts(report.context, seed=0, n_paths=300),
                "backtests": backtest_evidence(seed=0, n_paths=200),
                "replay": replay_evidence(report.replay, seed=0, n_paths=300,
                                          score_paths=200)}


@pytest.fixture(scope="module")
def built(proj, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "inauguration-2026.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = fc.reports.scenario_report(proj, out=out, **inputs, command="forecast report")
    return path


def pdf_text(path) -> str:
    """The text of every page, whitespace collapsed (cells and wrapped lines become spaces)."""
    reader = pypdf.PdfReader(path)
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.fixture(scope="module")
def text(built):
    return pdf_text(built)


def test_pages_bookmarks_and_metadata(proj, built):
    reader = pypdf.PdfReader(built)
    assert len(reader.pages) >= 10
    for page in reader.pages:  # A4 portrait
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.4) < 1 and abs(h - 841.7) < 1
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles == list(SECTIONS)
    meta = reader.metadata
    assert meta["/Title"] == proj.spec.title
    assert meta["/Author"] == f"forecast {fc.__version__}"
    assert f"stranded at the {'-'.join(proj.spec.report.countries)} border" in meta["/Subject"]
    assert "/CreationDate" not in meta and "/ModDate" not in meta


def test_page_numbers(built, text):
    n = len(pypdf.PdfReader(built).pages)
    assert f"page 1 of {n}" in text and f"page {n} of {n}" in text


def _quantiles(values):
    return [float(v) for v in np.quantile(values, [0.1, 0.5, 0.9])]


def test_key_numbers_in_the_pdf_equal_the_projection(proj, text):
    """Rows of the key-date, peak and needs tables, recomputed here from the stock paths."""
    report = proj.spec.report
    last = proj.dates[-1].date()
    days = {d: label for d, label in report.key_dates if d <= last}
    assert {dt.date(2025, 12, 14), dt.date(2026, 1, 28), dt.date(2026, 3, 11)} <= set(days)
    for name in proj.scenarios:
        stock = proj.stock(name)
        shown = str(proj.spec.scenario(name).label) or name   # the file's label, in English
        for day, label in days.items():
            col = stock[:, proj.dates.get_loc(str(day))]
            q10, q50, q90 = _quantiles(col)
            chances = [format_prob((col > k).mean()) for k in report.thresholds]
            row = " ".join([shown, format_date(day), label, format_count(q50),
                            format_band(q10, q90), *chances])
            assert row in text
        peak = stock[:, 1:].max(axis=1)
        q10, q50, q90 = _quantiles(peak)
        mode = proj.dates[1:][np.bincount(stock[:, 1:].argmax(axis=1)).argmax()]
        row = " ".join([shown, format_count(q50), format_band(q10, q90), format_date(mode),
                        *[format_prob((peak > k).mean()) for k in report.thresholds]])
        assert row in text
        days_stranded = _quantiles(stock[:, 1:].sum(axis=1))
        peak90 = np.quantile(peak, 0.9)
        row = " ".join([
            shown, format_count(days_stranded[1]), format_band(days_stranded[0],
                                                               days_stranded[2]),
            format_count(projmod.WATER_LITRES_PER_PERSON_DAY * days_stranded[2]),
            format_count(projmod.WATER_LITRES_PER_PERSON_DAY * peak90),
            format_count(projmod.SHELTER_M2_PER_PERSON * peak90)])
        assert row in text


def test_sections_have_their_content(proj, inputs, text):
    for row in proj.spec.assumptions()[:3]:
        assert row["item"].split()[0] in text
    assert "ultimatum countdown" in text
    assert "Replay of the 2023 episode" in text
    assert "chile_expulsions" in text
    assert "sha256" in text and "forecast report" in text
    assert "border_stranding_counts" in text
    assert "the Chacalluta (Chile) / Santa Rosa (Peru) crossing" in text
    # the context model is described as what it is: a median combination
    for c in inputs["context"].values():
        assert c.model.startswith("Auto (median of ") and f"model {c.model}" in text
    for c in inputs["context"].values():
        assert format_count(np.quantile(c.forecast.paths[:, 0], 0.5)) in text


def test_same_inputs_same_bytes_wherever_written(proj, inputs, built, tmp_path):
    again = fc.reports.scenario_report(proj, out=tmp_path / "deeper" / "again.pdf", **inputs,
                                       command="forecast report")
    assert again.read_bytes() == built.read_bytes()
    ids = pypdf.PdfReader(again).trailer["/ID"]
    assert len(ids) == 2 and ids[0] == ids[1] and len(bytes(ids[0].original_bytes)) == 16


def test_same_bytes_drawn_in_one_process_or_two(proj, inputs, built, tmp_path, monkeypatch):
    import multiprocessing

    import forecast.background

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("needs the fork start method")
    drawn = {}
    for forked in (True, False):
        monkeypatch.setattr(forecast.background, "can_fork", lambda forked=forked: forked)
        drawn[forked] = fc.reports.scenario_report(proj, out=tmp_path / f"{forked}.pdf",
                                                   **inputs, command="forecast report")
    assert drawn[True].read_bytes() == drawn[False].read_bytes() == built.read_bytes()
    # the pages come back in order: page k of the PDF holds page k's number
    reader = pypdf.PdfReader(drawn[True])
    n = len(reader.pages)
    assert n >= 4
    for k, page in enumerate(reader.pages, start=1):
        assert f"page {k} of {n}" in " ".join(page.extract_text().split())


@pytest.fixture
def no_computing(monkeypatch):
    """Make fitting, backtesting, learning and scoring fail: the report must not need them."""
    def refuse(*args, **kwargs):
        raise AssertionError("the report layer computed something")

    import importlib

    # packages export functions named like their modules: fetch the modules themselves
    for module, name in [("forecast.backtest.reproduce", "run"),
                         ("forecast.scenarios.population", "learn"),
                         ("forecast.scenarios.evaluate", "evaluate"),
                         ("forecast.scenarios.projection", "calibrate"),
                         ("forecast.scenarios.projection", "_simulate")]:
        monkeypatch.setattr(importlib.import_module(module), name, refuse)
    monkeypatch.setattr(fc.models.base.BaseModel, "fit", refuse)


def test_missing_objects_each_get_one_line_and_nothing_is_computed(proj, tmp_path,
                                                                   no_computing):
    path = fc.reports.scenario_report(proj, out=tmp_path / "bare.pdf")
    text = pdf_text(path)
    assert "No context forecasts were given to this build" in text
    assert "No backtests were given to this build" in text
    assert "No replay of an earlier episode was given to this build" in text
    assert "Context forecasts: none in this build" in text
    titles = [o.title for o in pypdf.PdfReader(path).outline if not isinstance(o, list)]
    assert titles == list(SECTIONS)


def test_the_brief_names_the_episodes_where_the_engine_loses_out_of_sample(proj):
    from forecast.reports.language import Language

    rows = [dict(episode=ep, method=m, log_score=v)
            for ep, scores in (("A", (-1.0, -2.0, -3.0)), ("B", (-3.0, -2.5, -2.8)))
            for m, v in zip(("engine", "decay", "persistence"), scores, strict=True)]
    for lang, words in (("en", "the engine loses on B ("), ("es", "el modelo pierde en B (")):
        L = Language(lang)
        line = scenario._trust_lines(L, proj, None, (pd.DataFrame(rows), 0, 100))[0]
        assert words in line
        assert f"{L.decimal(-2.0, 2)}" in line and f"{L.decimal(-2.25, 2)}" in line  # pooled
    wins = [dict(r, log_score=-9.0) if r["method"] != "engine" else r for r in rows]
    line = scenario._trust_lines(Language("en"), proj, None, (pd.DataFrame(wins), 0, 100))[0]
    assert "beats both baselines on every episode" in line
    # without the scores the brief has no such line (nothing is computed for it)
    assert not scenario._trust_lines(Language("en"), proj, None, None)[0].startswith("Out of")
    assert len(scenario._trust_lines(Language("en"), proj, None, (pd.DataFrame(rows), 0, 9))) == 2


@pytest.mark.parametrize("first, last", [("2021-09-09", "2021-09-24"),
                                         ("2025-11-28", "2026-03-11")])
def test_date_labels_of_a_half_width_panel_do_not_overlap(first, last):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from forecast.reports.language import Language

    fig, axes = plt.subplots(1, 2, figsize=(6.3, 2.2))   # two panels side by side, as page 2
    try:
        ax = axes[0]
        ax.plot(pd.to_datetime([first, last]), [0, 1])
        scenario._date_axis(ax, Language("en"), first, last)
        fig.canvas.draw()
        boxes = sorted((t.get_window_extent() for t in ax.get_xticklabels()
                        if t.get_text()), key=lambda b: b.x0)
        assert len(boxes) >= 2
        assert all(a.x1 < b.x0 for a, b in zip(boxes, boxes[1:], strict=False))
    finally:
        plt.close(fig)


def test_a_file_naming_no_annual_series_says_so_instead_of_missing_backtests(proj, tmp_path,
                                                                            no_computing):
    report = dataclasses.replace(proj.spec.report, context=())
    other = dataclasses.replace(proj, spec=dataclasses.replace(proj.spec, report=report))
    text = pdf_text(fc.reports.scenario_report(other, out=tmp_path / "none.pdf"))
    assert "This file names no annual series" in text
    assert "No backtests were given to this build" not in text
    assert "Backtests: rolling origin" not in text  # no method for what was not done


def test_case_text_comes_from_the_scenario_file(proj, tmp_path):
    report = dataclasses.replace(
        proj.spec.report, crossings=("North Gate", "South Gate"), countries=("Aland", "Bland"),
        key_dates=((dt.date(2026, 1, 5), "election day"),), thresholds=(50, 200))
    other = dataclasses.replace(proj, spec=dataclasses.replace(
        proj.spec, title="People stranded at North Gate", report=report))
    path = fc.reports.scenario_report(other, out=tmp_path / "other.pdf")
    reader = pypdf.PdfReader(path)
    first = " ".join(reader.pages[0].extract_text().split())
    assert "the North Gate (Aland) / South Gate (Bland) crossing" in first
    assert "Chacalluta" not in first and "presidential" not in first
    assert "5 Jan 2026 election day" in first   # the key date heads a column of the brief
    assert "stranded at the Aland-Bland border" in reader.metadata["/Subject"]
    text = pdf_text(path)
    assert "P(>50)" in text and "P(>200)" in text and "P(>500)" not in text


def test_building_a_report_leaves_matplotlib_settings_alone(proj, tmp_path):
    import matplotlib

    with matplotlib.rc_context({"pdf.fonttype": 3, "font.size": 13.0}):
        before = dict(matplotlib.rcParams)
        path = fc.reports.scenario_report(proj, out=tmp_path / "rc.pdf")
        after = dict(matplotlib.rcParams)
    assert after == before
    # and the PDF still embeds TrueType (Type 42) subsets, as asked per save, not the
    # caller's Type 3: matplotlib writes them as Type0 fonts over CIDFontType2 (TrueType)
    fonts = set()
    for page in pypdf.PdfReader(path).pages[:2]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", [font]):
                fonts.add(str(desc.get_object()["/Subtype"]))
    assert fonts == {"/CIDFontType2"}


def _raw():
    with open(fc.scenarios.DEFAULT_SCENARIO, "rb") as fh:
        return tomllib.load(fh)


@pytest.mark.parametrize("change, words", [
    (lambda r: r.update(crossings="Chacalluta"), "report.crossings: must be a list"),
    (lambda r: r.update(countries=["Chile"]), "report.countries: names 1 countries for 2"),
    (lambda r: r.update(context=["no_such_series"]), "report.context: 'no_such_series' is not"),
    (lambda r: r.update(context=["border_stranding_counts"]), "valid: chile_"),
    (lambda r: r.update(replay="missing.toml"), "report.replay: file not found"),
    (lambda r: r.update(thresholds=[1000, 500]), "report.thresholds: must increase"),
    (lambda r: r.update(thresholds=[]), "report.thresholds: must be a list of 1 to 3"),
    (lambda r: r.update(thresholds=[2.5]), "report.thresholds: must be a whole number"),
    (lambda r: r.update(colour="red"), "report.colour: unknown key 'colour'; valid keys: "),
    (lambda r: r["key_date"][0].update(date=dt.date(2027, 1, 1)),
     "report.key_date[0].date: 2027-01-01 is after window.end 2026-03-11"),
    (lambda r: r["key_date"][1].pop("label"), "report.key_date[1].label: is required"),
    (lambda r: r["key_date"][0].update(date="14/12/2025"), "report.key_date[0].date"),
])
def test_report_table_is_validated(change, words):
    raw = _raw()
    change(raw["report"])
    with pytest.raises(fc.errors.ScenarioError, match="inauguration-2026.toml: ") as exc:
        fc.scenarios.parse(raw, fc.scenarios.DEFAULT_SCENARIO)
    assert words in str(exc.value)


def test_report_table_is_optional_and_read():
    raw = _raw()
    spec = fc.scenarios.parse(raw, fc.scenarios.DEFAULT_SCENARIO)
    assert spec.report.crossings == ("Chacalluta", "Santa Rosa")
    assert spec.report.replay == fc.scenarios.REPLAY_SCENARIO
    assert [label for _, label in spec.report.key_dates][-1] == "presidential inauguration"
    del raw["report"]
    bare = fc.scenarios.parse(raw, fc.scenarios.DEFAULT_SCENARIO)
    assert bare.report == fc.scenarios.spec.ReportSettings()
    assert scenario.place(bare.report) == "the border crossing"
    # presentation only: the calibration caches (keyed on repr) and equality ignore it
    assert repr(bare) == repr(spec) and bare == spec


def test_failure_leaves_no_file_and_keeps_the_old_one(proj, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(scenario, "_assumptions", boom)
    target = tmp_path / "new.pdf"
    with pytest.raises(RuntimeError, match="injected"):
        fc.reports.scenario_report(proj, out=target)
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.pdf"
    old.write_bytes(b"previous report")
    with pytest.raises(RuntimeError, match="injected"):
        fc.reports.scenario_report(proj, out=old)
    assert old.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["old.pdf"]


def test_failure_while_writing_leaves_no_temp_file(tmp_path, monkeypatch):
    import os

    from forecast.reports import pdf

    def fail(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        pdf.write_atomic(tmp_path / "x.pdf", b"%PDF")
    assert list(tmp_path.iterdir()) == []


def test_path_must_be_pdf(proj, tmp_path):
    with pytest.raises(fc.errors.ReportError):
        fc.reports.scenario_report(proj, out=tmp_path / "x.txt")


@pytest.fixture(scope="module")
def bt():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fc.backtest([fc.models.Naive(), fc.models.Drift()],
                           fc.datasets.load("chile_expulsions"), 2, n_paths=200, seed=0,
                           quiet=True)


def test_backtest_report(bt, tmp_path):
    path = fc.reports.backtest_report(bt, out=tmp_path / "bt.pdf")
    reader = pypdf.PdfReader(path)
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles == list(btreport.SECTIONS)
    assert len(reader.pages) >= 4
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "chile_expulsions" in text and "PIT" in text
    again = fc.reports.backtest_report(bt, out=tmp_path / "bt2.pdf")
    assert again.read_bytes() == path.read_bytes()


def test_pit_values_by_hand_and_calibration():
    import numpy as np
    from scipy import stats

    # columns out of order and a decimal level: PIT interpolates between sorted levels
    table = pd.DataFrame({
        "model": ["A"] * 7,
        "q90": [8.0] * 7, "q10": [4.0] * 7, "q50": [6.0] * 7, "q2.5": [2.0] * 7,
        "y": [5.0, 7.5, 3.0, 1.0, 9.0, 2.0, 8.0],
    })
    pit = btreport.pit_values(table)["pit"].to_numpy()
    # 5 in [4, 6]: 0.1 + 0.4 * 1/2; 7.5 in [6, 8]: 0.5 + 0.4 * 3/4; 3 in [2, 4]: 0.025 +
    # 0.075 / 2; below q2.5: 0; above q90: 1; on the lowest / highest quantile: its level
    np.testing.assert_allclose(pit, [0.3, 0.8, 0.0625, 0.0, 1.0, 0.025, 0.9])

    # calibrated forecasts give uniform PIT; forecasts half as wide as the truth do not
    rng = np.random.default_rng(0)
    levels = np.arange(1, 100) / 100
    y = rng.standard_normal(2000)
    cols = [f"q{round(100 * q):g}" for q in levels]

    def pits(sd):
        q = pd.DataFrame(np.tile(stats.norm.ppf(levels, scale=sd), (len(y), 1)), columns=cols)
        return btreport.pit_values(q.assign(model="N", y=y))["pit"]

    assert stats.kstest(pits(1.0), "uniform").pvalue > 0.05
    narrow = pits(0.5)
    assert stats.kstest(narrow, "uniform").pvalue < 1e-6
    assert ((narrow < 0.1) | (narrow > 0.9)).mean() > 0.4  # U-shaped: too many in the tails


def test_formatting():
    assert format_count(1916.1) == "1,916"
    assert format_band(102, 401.6) == "102–402"
    assert format_prob(0.0043) == "<1%" and format_prob(0.3585) == "36%"
    assert format_prob(0) == "0%" and format_prob(1) == "100%"
    assert format_date("2026-03-11") == "11 Mar 2026"


# -- text from files is drawn as written ------------------------------------------------------
LITERAL = [r"$x^2$ of a_b", r"100% \n sure", r"cost $\frac{1}{$", "a $ b $ c_d"]


def _draw(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()


def test_mathtext_in_a_name_would_break_a_chart():
    """The oracle of the tests below: matplotlib parses such names as mathtext by default,
    and fails while drawing them."""
    from matplotlib.figure import Figure

    fig = Figure()
    fig.subplots().set_title(LITERAL[2])
    with pytest.raises(ValueError):
        _draw(fig)


def test_page_and_chart_text_is_literal():
    from matplotlib.text import Text

    from forecast.reports.layout import Column, Document

    doc = Document(LITERAL[0])
    doc.section(LITERAL[0], LITERAL[1])
    doc.subsection(LITERAL[2])
    doc.paragraph(LITERAL[3])
    doc.bullets(LITERAL[:2])
    doc.table([Column(LITERAL[0], 2.0), Column("n", 1.0, "right")],
              [[name, "1"] for name in LITERAL])

    def draw(axes):
        top, bottom = axes
        top.plot([0, 1, 2], [1, 2, 3], label=LITERAL[0])
        top.plot([0, 1, 2], [3, 2, 1], label=LITERAL[2])
        top.set_title(LITERAL[3])
        top.set_xlabel(LITERAL[1])
        top.annotate(LITERAL[2], (1, 2))
        top.legend()
        bottom.bar(range(4), [1, 2, 3, 4])
        bottom.set_xticks(range(4), LITERAL)          # names as tick labels
        bottom.set_yscale("log")                      # numbers keep their mathtext: 10^0

    doc.chart(draw, 5.0, nrows=2)
    doc.finish()
    fig = doc.pages[0]
    _draw(fig)
    texts = [t for t in fig.findobj(Text) if t.get_text()]
    shown = {t.get_text() for t in texts if not t.get_parse_math()}
    # every name, wherever it was put, is a literal Text with exactly the input string
    assert set(LITERAL) <= shown
    assert all(not t.get_parse_math() for t in texts if t.get_text() in LITERAL)
    log_labels = [t for t in fig.axes[1].yaxis.get_ticklabels() if "mathdefault" in
                  t.get_text()]
    assert log_labels and all(t.get_parse_math() for t in log_labels)


def test_reports_with_dollar_labels_build_and_show_them(proj, tmp_path):
    y = fc.datasets.load("chile_expulsions").rename(r"series $y_1$ 5%")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bt = fc.backtest({r"$x^2$_naive": fc.models.Naive(), r"drift $\frac{$": fc.models.Drift()},
                         y, 2, n_paths=100, seed=0, quiet=True)
    path = fc.reports.backtest_report(bt, out=tmp_path / "bt.pdf")
    text = pdf_text(path)
    assert r"series $y_1$ 5%" in text and r"$x^2$_naive" in text

    report = dataclasses.replace(proj.spec.report,
                                 key_dates=((dt.date(2026, 1, 5), r"day $\frac{$ of a_b"),))
    other = dataclasses.replace(proj, spec=dataclasses.replace(
        proj.spec, title=r"Stranded: $x^2$ 100%", report=report))
    path = fc.reports.scenario_report(other, out=tmp_path / "scenario.pdf")
    text = pdf_text(path)
    assert r"Stranded: $x^2$ 100%" in text and r"day $\frac{$ of a_b" in text


def test_context_series_are_the_vintage_of_the_as_of_date():
    """A value first published after the as-of date does not inform the context forecast."""
    from forecast.errors import ScenarioError
    from forecast.scenarios.context import context_forecasts

    at = fc.datasets.vintages("chile_irregular_entries")
    at = at[at["status"] == "primary"]
    later = at[at["vintage_date"] > pd.Timestamp("2025-11-28")]
    assert len(later)  # the bundled data hold values published after the default as-of date
    got = context_forecasts(["chile_irregular_entries"], n_paths=50, as_of="2025-11-28")
    c = got["chile_irregular_entries"]
    first_seen = at.groupby(at["period"].astype(str))["vintage_date"].min()
    assert (first_seen[c.series.index.astype(str)] <= pd.Timestamp("2025-11-28")).all()
    assert str(c.series.index[-1]) < str(later["period"].astype(str).max())
    assert c.as_of == "2025-11-28"
    assert context_forecasts(["chile_irregular_entries"], n_paths=50)[
        "chile_irregular_entries"].as_of == ""
    with pytest.raises(ScenarioError, match="no value of 'chile_irregular_entries' was "
                                            "published by 1990-01-01"):
        context_forecasts(["chile_irregular_entries"], n_paths=50, as_of="1990-01-01")


def test_an_unknown_context_series_is_named_as_unknown():
    from forecast.errors import DataError
    from forecast.scenarios.context import context_forecasts

    with pytest.raises(DataError, match="unknown dataset 'no_such_series'"):
        context_forecasts(["no_such_series"], n_paths=50, as_of="2025-11-28")
