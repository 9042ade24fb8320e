"""PDF reports: the planners' scenario report and the data scientists' backtest report.

    import forecast as fc
    proj = fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=10_000, seed=0)
    fc.reports.scenario_report(proj, out="reports/out/inauguration-2026.pdf",
                               context=..., backtests=..., replay=...)   # computed objects
    fc.reports.backtest_report(bt, out="reports/out/backtest.pdf")

Reports lay out objects computed elsewhere (a Projection, a Backtest, context forecasts and
evidence from :mod:`forecast.scenarios.context` and :mod:`forecast.scenarios.evidence`);
they fit nothing, and nothing about one border is written here: places, key dates and
thresholds come from the scenario file's ``[report]`` table.

Both are A4, vector charts, page numbers, bookmarks and fixed metadata; the same inputs and
seed give the same bytes wherever they are written, files are written atomically (temporary
file, then rename), and matplotlib's global settings are left as they were.

Modules: ``layout`` (pages, text, tables), ``pdf`` (metadata, outline, atomic write),
``formatting`` (how numbers read), ``scenario`` and ``backtest`` (the two reports).
"""

from __future__ import annotations

from forecast.reports.backtest import backtest_report
from forecast.reports.formatting import format_band, format_count, format_date, format_prob
from forecast.reports.scenario import SECTIONS, scenario_report

__all__ = ["SECTIONS", "backtest_report", "format_band", "format_count", "format_date",
           "format_prob", "scenario_report"]
