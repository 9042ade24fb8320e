"""The data scientists' backtest report: scores by model and horizon, error by horizon,
interval coverage, calibration (PIT) and the forecasts of every series and origin."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.errors import ReportError
from forecast.reports import pdf
from forecast.reports.formatting import format_number, format_prob
from forecast.reports.layout import Column, Document

SECTIONS = ("1 Scores", "2 Error by horizon", "3 Coverage and calibration",
            "4 Forecasts per series and origin")


def pit_values(table: pd.DataFrame) -> pd.DataFrame:
    """Approximate PIT of each realised value: its position among the table's quantile
    columns, interpolated linearly between levels (0 below the lowest, 1 above the highest)."""
    cols = sorted((c for c in table.columns if re.fullmatch(r"q\d+(\.\d+)?", c)),
                  key=lambda c: float(c[1:]))
    levels = np.array([float(c[1:]) / 100 for c in cols])
    q = table[cols].to_numpy(dtype=float)
    y = table["y"].to_numpy(dtype=float)
    pit = np.empty(len(y))
    for i in range(len(y)):
        row = np.maximum.accumulate(q[i])
        if y[i] <= row[0]:
            pit[i] = levels[0] * (1.0 if y[i] == row[0] else 0.0)
        elif y[i] >= row[-1]:
            pit[i] = 1.0 if y[i] > row[-1] else levels[-1]
        else:
            pit[i] = np.interp(y[i], row, levels)
    return pd.DataFrame({"model": table["model"].to_numpy(), "pit": pit})


def backtest_report(bt, out="reports/out/backtest.pdf", *, title: str | None = None,
                    command: str | None = None) -> Path:
    """Build the backtest report of ``bt`` (a :class:`forecast.backtest.Backtest`) at ``out``."""
    from forecast import __version__

    table = bt.table
    if table is None or len(table) == 0:
        raise ReportError("the backtest has no rows; nothing to report")
    series = list(pd.unique(table["unique_id"]))
    title = title or f"Backtest of {len(bt.models)} models on {len(series)} series"
    doc = Document(title, short_title="Backtest report")
    m = bt.meta
    doc.section(SECTIONS[0], title)
    doc.paragraph(
        f"Rolling-origin backtest: horizon h={m.get('h')}, step {m.get('step', 1)}, window "
        f"{m.get('window', 'expanding')}, vintage {m.get('vintage', 'latest')}, "
        f"{m.get('n_paths', 'n/a')} sample paths per forecast, seed {m.get('seed', 'n/a')}. "
        f"Series: {', '.join(map(str, series))}. Models: {', '.join(bt.models)}. "
        f"Origins: {table['origin'].nunique()} distinct. forecast {__version__}."
        + (f" Command: {command}" if command else ""))
    doc.paragraph(
        "MASE and RMSSE are scaled by the in-sample naive error of each training window; "
        "skill is 1 - MAE / MAE of Naive from the same origin; coverage is the share of "
        "realised values inside the 80% and 95% intervals; CRPS is computed from the sample "
        "paths.", size=7.5, color="0.3")
    _scores_tables(doc, bt)
    doc.section(SECTIONS[1], "How errors grow with the horizon")
    doc.chart(lambda axes: _by_horizon(axes, bt), 7.0, nrows=2, hspace=0.8, bottom=0.5)
    doc.section(SECTIONS[2], "Do the intervals hold what they promise?")
    doc.chart(lambda ax: _coverage_chart(ax, bt), 3.8, bottom=1.1)
    pit = pit_values(table)
    n = len(bt.models)
    ncols = min(3, n)
    nrows = int(np.ceil(n / ncols))
    doc.paragraph(
        "PIT: the position of each realised value within its forecast distribution, "
        "interpolated between the stored quantiles. A calibrated model gives a flat "
        "histogram (density 1); a U shape means intervals too narrow, a hump too wide.",
        size=7.5, color="0.3")
    doc.chart(lambda axes: _pit_chart(axes, pit, bt.models), 0.6 + 2.1 * nrows, nrows=nrows,
              ncols=ncols, wspace=0.55, hspace=0.75)
    doc.section(SECTIONS[3], "Point forecasts from every origin over the realised values")
    for uid in series:
        doc.chart(lambda ax, uid=uid: _forecasts(ax, bt, uid), 3.6, bottom=0.9)
    doc.finish()
    meta = pdf.metadata(title=title, subject="Rolling-origin backtest: scores, coverage, "
                        "calibration and forecasts per series and origin")
    return pdf.save(doc, out, meta)


def _scores_tables(doc, bt):
    cols = [Column("model", 1.3), Column("step", 0.45, "right"), Column("MAE", 0.85, "right"),
            Column("RMSE", 0.85, "right"), Column("MASE", 0.6, "right"),
            Column("sMAPE %", 0.65, "right"), Column("cover 80%", 0.65, "right"),
            Column("cover 95%", 0.65, "right"), Column("CRPS", 0.8, "right"),
            Column("skill", 0.6, "right")]
    for uid, part in bt.table.groupby("unique_id", sort=False):
        from forecast.backtest import Backtest

        sub = Backtest(part.reset_index(drop=True), meta=bt.meta)
        overall = sub.scores(by="model").assign(step="all")
        by_step = sub.scores(by=["model", "step"])
        frame = pd.concat([overall, by_step], ignore_index=True)
        order = {mdl: i for i, mdl in enumerate(bt.models)}
        frame = frame.sort_values(["model", "step"], key=lambda s: s.map(order) if s.name ==
                                  "model" else s.astype(str), kind="stable")
        doc.subsection(f"{uid}: {part['origin'].nunique()} origins", keep=1.5)
        rows = [[r.model, str(r.step), format_number(r.mae), format_number(r.rmse),
                 format_number(r.mase), format_number(r.smape), format_prob(r.coverage80),
                 format_prob(r.coverage95), format_number(r.crps), format_number(r.skill)]
                for r in frame.itertuples()]
        doc.table(cols, rows, size=7.5)


def _by_horizon(axes, bt):
    for ax, metric, label in zip(axes, ("mase", "crps"),
                                 ("MASE (scaled, unitless)", "CRPS (units of the series)"),
                                 strict=True):
        s = bt.scores(by=["model", "step"])
        for i, model in enumerate(bt.models):
            part = s[s["model"] == model]
            ax.plot(part["step"], part[metric], marker="o", color=f"C{i % 10}", label=model)
        ax.set_xticks(sorted(pd.unique(bt.table["step"])))
        ax.set_xlabel("horizon (steps ahead)")
        ax.set_ylabel(label)
        ax.set_title(f"{metric.upper()} by horizon, all series")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="x-small", ncol=3, loc="upper left")


def _coverage_chart(ax, bt):
    s = bt.scores(by="model")
    x = np.arange(len(s))
    ax.bar(x - 0.2, 100 * s["coverage80"], 0.4, label="80% interval", color="C0")
    ax.bar(x + 0.2, 100 * s["coverage95"], 0.4, label="95% interval", color="C1")
    ax.axhline(80, color="C0", ls="--", lw=1, label="nominal 80%")
    ax.axhline(95, color="C1", ls="--", lw=1, label="nominal 95%")
    ax.set_xticks(x, [textwrap.shorten(str(m), 14, placeholder="…") for m in s["model"]],
                  rotation=30, ha="right", fontsize="small")
    ax.set_ylabel("realised values inside (%)")
    ax.set_ylim(0, 105)
    ax.set_title("Interval coverage by model, all series and horizons")
    ax.legend(fontsize="x-small", ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.22),
              frameon=False)
    ax.grid(True, axis="y", alpha=0.3)


def _pit_chart(axes, pit, models):
    axes = np.atleast_1d(axes)
    bins = np.linspace(0, 1, 6)
    for ax, (i, model) in zip(axes, enumerate(models), strict=False):
        values = pit.loc[pit["model"] == model, "pit"].to_numpy()
        ax.hist(values, bins=bins, density=True, color=f"C{i % 10}", alpha=0.8,
                label=f"{model} (n={len(values)})")
        ax.axhline(1, color="black", ls="--", lw=1, label="calibrated")
        ax.set_xlim(0, 1)
        ax.set_xlabel("PIT (probability)")
        ax.set_ylabel("density")
        ax.set_title(textwrap.shorten(str(model), 24, placeholder="…"), fontsize=9)
        ax.legend(fontsize="xx-small", loc="upper center")
    for ax in axes[len(models):]:
        ax.set_visible(False)


def _forecasts(ax, bt, uid):
    from forecast.backtest.result import _x

    part = bt.table[bt.table["unique_id"] == uid]
    hist = bt.history.get(uid)
    if hist is not None:
        ax.plot(_x(pd.Series(hist.index)), hist.to_numpy(), color="black", lw=1.5,
                marker=".", label="observed")
    else:
        actual = part.drop_duplicates("ds").sort_values("ds")
        ax.plot(_x(actual["ds"]), actual["y"], color="black", lw=1.5, marker=".",
                label="observed")
    for i, model in enumerate(bt.models):
        sub = part[part["model"] == model]
        for j, (_, fc) in enumerate(sub.groupby("origin", sort=True, observed=True)):
            fc = fc.sort_values("step")
            ax.plot(_x(fc["ds"]), fc["point"], color=f"C{i % 10}", lw=1, alpha=0.85,
                    marker="o", ms=2, label=model if j == 0 else None)
    ax.set_title(f"{uid}: point forecasts from each origin")
    ax.set_xlabel("period")
    unit = getattr(hist, "attrs", {}).get("unit", "") if hist is not None else ""
    ax.set_ylabel(unit or "value (units of the series)")
    ax.yaxis.set_major_formatter(_thousands())
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=5, fontsize="x-small",
              frameon=False)


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v:,.0f}")
