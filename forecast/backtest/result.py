"""`Backtest`: the tidy table of a rolling-origin backtest and what is computed from it.

Everything here is a pure function of ``table`` (scores, plots, Diebold–Mariano tests, CSV),
so a table written with :meth:`Backtest.to_csv` and read back scores the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast import metrics as _metrics
from forecast.atomicwrite import write_atomic
from forecast.backtest.dm import diebold_mariano
from forecast.errors import BacktestError


class Backtest:
    """Result of :func:`forecast.backtest`.

    Attributes
    ----------
    table : DataFrame
        One row per (unique_id, model, origin, step): unique_id, model, origin, ds, step, y,
        point, q2.5, q10, q25, q50, q75, q90, q97.5, crps, naive, scale_mae, scale_mse.
    meta : dict
        The settings of the run (h, initial, step, window, vintage, seed, models ...).
    """

    def __init__(self, table: pd.DataFrame, meta: dict | None = None, history=None):
        self.table = table
        self.meta = dict(meta or {})
        self.history = history or {}

    def __repr__(self) -> str:
        t = self.table
        return (f"Backtest(series={t['unique_id'].nunique()}, models={list(t['model'].unique())}, "
                f"origins={t['origin'].nunique()}, h={int(t['step'].max()) if len(t) else 0})")

    @property
    def models(self) -> list:
        return list(pd.unique(self.table["model"]))

    # -- scores --------------------------------------------------------------------------
    def scores(self, by="model", metrics=None) -> pd.DataFrame:
        """Metrics per group: ``by`` is any of "model", "step", "unique_id", "origin" (or a
        list of them; None for one overall row). ``metrics`` defaults to
        :data:`forecast.metrics.DEFAULT_METRICS`: MAE, RMSE, bias, MAPE, sMAPE, MASE, RMSSE,
        coverage of the 80% and 95% intervals, their interval (Winkler) scores, MSIS,
        pinball loss, CRPS and MAE skill relative to Naive.
        """
        table = self.table
        keys = [by] if isinstance(by, str) else list(by or [])
        if "model" in keys:
            # groups in the order the models were given, not alphabetical
            table = table.assign(model=pd.Categorical(table["model"], categories=self.models))
        out = _metrics.evaluate(table, metrics=metrics, by=by)
        if "model" in keys:
            out["model"] = out["model"].astype(object)
        return out

    def dm(self, model_a: str, model_b: str, *, step: int = 1, loss="squared",
           alternative: str = "two-sided") -> pd.DataFrame:
        """Diebold–Mariano test (HLN-corrected) of ``model_a`` against ``model_b`` per series,
        on the ``step``-ahead errors in origin order. The lag truncation is ``step``
        (consecutive origins); a negative statistic favours ``model_a``.
        """
        for m in (model_a, model_b):
            if m not in self.models:
                raise BacktestError(f"model {m!r} is not in the backtest; models: {self.models}")
        t = self.table[self.table["step"] == step]
        if t.empty:
            raise BacktestError(f"no rows at step={step}; steps: "
                                f"{sorted(self.table['step'].unique())}")
        rows = []
        for uid, part in t.groupby("unique_id", sort=True, observed=True):
            wide = part.pivot(index="origin", columns="model", values="point").sort_index()
            y = part.drop_duplicates("origin").set_index("origin")["y"].reindex(wide.index)
            e1 = (wide[model_a] - y).to_numpy()
            e2 = (wide[model_b] - y).to_numpy()
            res = diebold_mariano(e1, e2, h=int(step), loss=loss, alternative=alternative)
            rows.append({"unique_id": uid, "step": step, "n": res.n,
                         "mean_diff": res.mean_diff, "statistic": res.statistic,
                         "pvalue": res.pvalue})
        return pd.DataFrame(rows)

    # -- output --------------------------------------------------------------------------
    def to_csv(self, path=None, *, digits: int = 6):
        """Write the table as CSV with floats rounded to ``digits`` significant digits in
        positional notation (byte-identical across runs); returns the text if ``path`` is None.
        """
        return write_csv(self.table, path, digits=digits)

    def plot(self, unique_id=None, metric: str = "mae", axes=None):
        """Two panels: ``metric`` by horizon step per model, and the forecasts from every
        origin for one series (the first one by default) over the realised values.
        """
        import matplotlib.pyplot as plt

        if axes is None:
            fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        else:
            fig = axes[0].figure
        ax_err, ax_fc = axes
        fn = _metrics.DEFAULT_METRICS.get(metric)
        if fn is None:
            raise BacktestError(f"metric {metric!r} unknown; choose from "
                                f"{', '.join(_metrics.DEFAULT_METRICS)}")
        by_step = fn(self.table, ["model", "step"])
        for i, model in enumerate(self.models):
            s = by_step.xs(model, level="model")
            ax_err.plot(s.index, s.to_numpy(), marker="o", color=f"C{i}", label=model)
        ax_err.set_xticks(sorted(pd.unique(self.table["step"])))
        ax_err.set_xlabel("horizon step")
        ax_err.set_ylabel(metric.upper())
        ax_err.set_title(f"{metric.upper()} by horizon")
        ax_err.legend(fontsize="small")

        uids = list(pd.unique(self.table["unique_id"]))
        uid = uids[0] if unique_id is None else unique_id
        part = self.table[self.table["unique_id"] == uid]
        if part.empty:
            raise BacktestError(f"unique_id {uid!r} is not in the backtest; ids: {uids}")
        actual = part.drop_duplicates("ds").sort_values("ds")
        hist = self.history.get(uid)
        if hist is not None:
            ax_fc.plot(_x(pd.Series(hist.index)), hist.to_numpy(), color="black", lw=1.5,
                       label="observed")
        else:
            ax_fc.plot(_x(actual["ds"]), actual["y"], color="black", lw=1.5, label="observed")
        for i, model in enumerate(self.models):
            sub = part[part["model"] == model]
            for j, (_, fc) in enumerate(sub.groupby("origin", sort=True, observed=True)):
                fc = fc.sort_values("step")
                ax_fc.plot(_x(fc["ds"]), fc["point"], color=f"C{i}", lw=1, alpha=0.8,
                           label=model if j == 0 else None)
        ax_fc.set_title(f"forecasts per origin: {uid}")
        ax_fc.legend(fontsize="small")
        fig.tight_layout()
        return fig


def _x(values):
    s = pd.Series(values)
    if isinstance(s.dtype, pd.PeriodDtype):
        return s.dt.to_timestamp().to_numpy()
    return s.to_numpy()


def format_floats(values, digits: int = 6, zero: float = 1e-9) -> list[str]:
    """Floats as text with ``digits`` significant digits in positional notation; values with
    ``|v| < zero`` (rounding noise such as a skill of -2.7e-15) are written as '0'."""
    out = []
    for v in np.asarray(values, dtype=float) + 0.0:
        if abs(v) < zero:
            out.append("0")
            continue
        if not np.isfinite(v):
            out.append("" if np.isnan(v) else ("inf" if v > 0 else "-inf"))
            continue
        text = np.format_float_positional(v, precision=digits, unique=False, fractional=False,
                                          trim="-")
        out.append("0" if text in ("-0", "0") else text)
    return out


def write_csv(frame: pd.DataFrame, path=None, *, digits: int = 6):
    """CSV with deterministic text: fixed float formatting, periods and dates as strings."""
    out = pd.DataFrame(index=range(len(frame)))
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_float_dtype(s.dtype):
            out[col] = format_floats(s.to_numpy(), digits)
        else:
            out[col] = s.astype(str).to_numpy()
    text = out.to_csv(index=False, lineterminator="\n")
    if path is None:
        return text
    return write_atomic(path, text)
