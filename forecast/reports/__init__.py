"""PDF reports: the planners' scenario report and the data scientists' backtest report.

    import forecast as fc
    proj = fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=10_000, seed=0)
    fc.reports.scenario_report(proj, out="reports/out/inauguration-2026.pdf", lang="es",
                               attribution=..., context=..., backtests=..., replay=...)
    fc.reports.backtest_report(bt, out="reports/out/backtest.pdf")

Reports lay out objects computed elsewhere (a Projection, a Backtest, context forecasts and
evidence from :mod:`forecast.scenarios.context` and :mod:`forecast.scenarios.evidence`);
they fit nothing, and nothing about one border is written here: places, key dates and
thresholds come from the scenario file's ``[report]`` table.

Both are A4, vector charts, page numbers, bookmarks and fixed metadata; the same inputs and
seed give the same bytes wherever they are written, files are written atomically (temporary
file, then rename), and matplotlib's global settings are left as they were.

The scenario report comes in English and Spanish (``lang="en" | "es"``): every word from one
catalogue with both languages side by side (``catalogue``), numbers and dates by each
language's conventions (``language``: "1,250" / "1.250", "11 March 2026" / "11 de marzo de
2026").

Modules: ``layout`` (pages, text measured as matplotlib draws it, tables), ``pdf`` (metadata,
outline, atomic write), ``catalogue`` and ``language`` (the two editions' words, numbers and
dates), ``formatting`` (how numbers read in English, for the command line), ``scenario`` and
``backtest`` (the two reports).
"""

from __future__ import annotations

from forecast.reports.backtest import backtest_report
from forecast.reports.formatting import format_band, format_count, format_date, format_prob
from forecast.reports.language import LANGUAGES, Language
from forecast.reports.scenario import SECTIONS, scenario_report, sections

__all__ = ["LANGUAGES", "SECTIONS", "Language", "backtest_report", "format_band",
           "format_count", "format_date", "format_prob", "scenario_report", "sections"]
