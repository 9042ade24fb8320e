"""PDF reports: the planners' scenario report and the data scientists' backtest report.

    import forecast as fc
    proj = fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=10_000, seed=0)
    fc.reports.scenario_report(proj, out="reports/out/inauguration-2026.pdf")
    fc.reports.backtest_report(bt, out="reports/out/backtest.pdf")

Both are A4, vector charts, page numbers, bookmarks and fixed metadata; the same inputs and
seed give the same bytes, and files are written atomically (temporary file, then rename).

Modules: ``layout`` (pages, text, tables), ``pdf`` (metadata, outline, atomic write),
``formatting`` (how numbers read), ``scenario`` and ``backtest`` (the two reports).
"""

from __future__ import annotations

from forecast.reports.backtest import backtest_report
from forecast.reports.formatting import format_band, format_count, format_date, format_prob
from forecast.reports.scenario import SECTIONS, key_dates, scenario_report

__all__ = ["SECTIONS", "backtest_report", "format_band", "format_count", "format_date",
           "format_prob", "key_dates", "scenario_report"]
