"""PDF reports: structure, metadata, key numbers, determinism and atomic writes."""

from __future__ import annotations

import warnings

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
from forecast.reports.scenario import headline, peak_exceedance  # noqa: E402

N_PATHS = 300


@pytest.fixture(scope="module")
def proj():
    return fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=N_PATHS, seed=0)


@pytest.fixture(scope="module")
def scores():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scenario.evidence_scores(seed=0, n_paths=200)


@pytest.fixture(scope="module")
def built(proj, scores, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "inauguration-2026.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path = fc.reports.scenario_report(proj, out=out, backtest_scores=scores,
                                          command="forecast report")
    return path


@pytest.fixture(scope="module")
def text(built):
    reader = pypdf.PdfReader(built)
    return "\n".join(p.extract_text() for p in reader.pages)


def test_pages_bookmarks_and_metadata(built):
    reader = pypdf.PdfReader(built)
    assert len(reader.pages) >= 10
    for page in reader.pages:  # A4 portrait
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.4) < 1 and abs(h - 841.7) < 1
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles == list(SECTIONS)
    meta = reader.metadata
    assert meta["/Title"].startswith("People stranded at Chacalluta")
    assert meta["/Author"] == f"forecast {fc.__version__}"
    assert "stranded" in meta["/Subject"]
    assert "/CreationDate" not in meta and "/ModDate" not in meta


def test_page_numbers(built, text):
    n = len(pypdf.PdfReader(built).pages)
    assert f"page 1 of {n}" in text and f"page {n} of {n}" in text


def test_key_numbers_equal_the_projection(proj, text):
    flat = " ".join(text.split())
    head = headline(proj)
    assert {d.date() for d in head["date"]} >= {
        __import__("datetime").date(2025, 12, 14), __import__("datetime").date(2026, 1, 28),
        __import__("datetime").date(2026, 3, 11)}
    for r in head.itertuples():
        sentence = (f"on {format_date(r.date)} ({r.label}) a median of {format_count(r.q50)} "
                    f"people (80% band {format_band(r.q10, r.q90)})")
        assert sentence in flat
    peaks = proj.peaks().set_index("scenario")
    needs = proj.needs().set_index("scenario")
    for name in proj.scenarios:
        p = peaks.loc[name]
        assert (f"median of {format_count(p['peak_q50'])} people (80% band "
                f"{format_band(p['peak_q10'], p['peak_q90'])}), most likely on "
                f"{format_date(p['peak_date_mode'])}") in flat
        assert (f"more than 500 people at some point: "
                f"{format_prob(peak_exceedance(proj, name, 500))}") in flat
        assert format_count(needs.loc[name, "shelter_m2_q90"]) in flat
        assert format_count(needs.loc[name, "person_days_median"]) in flat


def test_sections_have_their_content(proj, text):
    flat = " ".join(text.split())
    for row in proj.spec.assumptions()[:3]:
        assert row["item"].split()[0] in flat
    assert "ultimatum countdown" in flat
    assert "Replay of the 2023 episode" in flat
    assert "chile_expulsions" in flat
    assert "sha256" in flat and "forecast report" in flat
    assert "border_stranding_counts" in flat


def test_same_inputs_same_bytes(proj, scores, built, tmp_path):
    again = fc.reports.scenario_report(proj, out=tmp_path / "again.pdf",
                                       backtest_scores=scores, command="forecast report")
    assert again.read_bytes() == built.read_bytes()


def test_failure_leaves_no_file_and_keeps_the_old_one(proj, scores, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(scenario, "_assumptions", boom)
    target = tmp_path / "new.pdf"
    with pytest.raises(RuntimeError, match="injected"):
        fc.reports.scenario_report(proj, out=target, backtest_scores=scores, context=False)
    assert list(tmp_path.iterdir()) == []
    old = tmp_path / "old.pdf"
    old.write_bytes(b"previous report")
    with pytest.raises(RuntimeError, match="injected"):
        fc.reports.scenario_report(proj, out=old, backtest_scores=scores, context=False)
    assert old.read_bytes() == b"previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["old.pdf"]


def test_failure_while_writing_leaves_no_temp_file(proj, scores, tmp_path, monkeypatch):
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
        fc.reports.scenario_report(proj, out=tmp_path / "x.txt", context=False,
                                   evidence=False)


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


def test_pit_values_bounds(bt):
    pit = btreport.pit_values(bt.table)
    assert len(pit) == len(bt.table)
    assert pit["pit"].between(0, 1).all()


def test_formatting():
    assert format_count(1916.1) == "1,916"
    assert format_band(102, 401.6) == "102–402"
    assert format_prob(0.0043) == "<1%" and format_prob(0.3585) == "36%"
    assert format_prob(0) == "0%" and format_prob(1) == "100%"
    assert format_date("2026-03-11") == "11 Mar 2026"
