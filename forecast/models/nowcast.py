"""`Nowcast`: an annual total from that year's year-to-date count, combined with an annual model.

A year-to-date count ``P`` for 1 January .. ``end`` covers a fraction ``f`` of the calendar year
(days elapsed / days in the year). Its share of the annual total ``A`` is written

    log(P / A) = log f + (1 - f) z

where ``z`` is the *pace deviation*: 0 when the count accrues evenly through the year, and
about ``1 - r`` when the rest of the year runs at ``r`` times the year-to-date pace. Scaling by
``1 - f`` is what maps windows onto each other: a past year's share for January–June says how
the pace changed after June, and the same ``z`` gives the share of any other window, with a
deviation that vanishes as ``f -> 1`` (a count through 30 November says almost everything).

For each year to nowcast, one ``z`` per past year (where both a year-to-date count and the
annual total are known) is taken from the window closest in ``f`` -- the same window when that
year has it, otherwise the nearest one mapped through ``f`` (``fitted_years_`` says which).
``z`` gets a conjugate normal / scaled-inverse-chi-square prior centred on 0 (even pace) with
``prior_weight`` pseudo-years of scale ``prior_sd`` (Gelman et al., BDA, section 3.3), so the
predictive of ``z`` is a Student t with ``prior_weight + n`` degrees of freedom, location
``n zbar / (prior_weight + n)`` and scale ``sigma_n sqrt(1 + 1 / (prior_weight + n))``. Left at
None, the two are learned at fit time from those same past years, by leave-one-year-out
predictive density (:func:`learn_prior`): never from the year being nowcast, and, through
:func:`fit_as_of`, only from figures public on the date.

The annual model's forecast for that year is summarised on the log scale by its point and a
robust scale (interquartile range of log paths / 1.349: additive models clip some paths at 0,
which have no log). The two are combined by precision on the log scale,

    log A = w m_annual + (1 - w) (log P - log f - (1 - f) z)
    w = s_share^2 / (s_share^2 + s_annual^2)

path by path: each annual path keeps its rank (its normal score) and each share draw is
independent, so the combined paths have the precision-weighted scale. The weights are measured
on a fixed-seed reference draw of the annual model, so point forecasts and weights do not
depend on the caller's seed (the paths do). The less of the
year has passed, the larger ``s_share = (1 - f) s_z`` and the more weight the annual model
keeps. Later years of the horizon keep the annual model's paths, each moved by the factor by
which the nowcast moved its own path. When the annual model cannot be fitted (too few annual
figures public), a nowcast year uses the share alone, and forecasting beyond it is refused.

Bundled data (the vintage rule): :func:`fit_as_of` fits on the figures public on a date:
annual values whose vintage is on or before it, and year-to-date counts whose ``source_date``
is (a date stated as a month or year counts from its end; an undated count is never public).

    from forecast.models.nowcast import fit_as_of
    m = fit_as_of("chile_irregular_entries", "2024-08-31")   # the figures public that day
    f, how = m.predict_explained(2, n_paths=2000, seed=0)    # how: basis, count, share, weight
    m.used_, m.left_out_                                      # figures used / not yet public
    Nowcast(annual=Theta()).fit(y, partial=counts).predict(3)  # any annual series and counts
"""

from __future__ import annotations

import datetime as dt
import re
import warnings

import numpy as np
import pandas as pd
from scipy import special, stats

from forecast.errors import DataError, ModelError
from forecast.models.base import BaseModel, future_index, require_exog
from forecast.models.distribution import Forecast
from forecast.panel import GapWarning, check_count, check_seed, prepare

#: columns of a table of year-to-date counts (``fit(y, partial=...)``)
PARTIAL_COLUMNS = ("period_start", "period_end", "value")
#: IQR of a standard normal: turns the interquartile range of log paths into a scale
_IQR_NORMAL = 2 * stats.norm.ppf(0.75)
#: log paths are capped here before exp, as the count models do (exp(700) ~ 1e304)
_LOG_CAP = 700.0
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: the reference draw of the annual model that fixes the weights (see predict_explained)
_REFERENCE_PATHS = 4000
_REFERENCE_SEED = 0


# -- numeric kernel (numpy in, numbers out) ------------------------------------------------
def year_fraction(start, end) -> float:
    """Share of the calendar year that 1 January .. ``end`` covers: days / days in the year."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    days_in_year = 366 if pd.Timestamp(year=end.year, month=12, day=31).dayofyear == 366 else 365
    return ((end - start).days + 1) / days_in_year


def pace_deviation(partial, annual, fraction):
    """``z = (log(partial / annual) - log f) / (1 - f)`` (module docstring)."""
    partial, annual, f = (np.asarray(v, dtype=float) for v in (partial, annual, fraction))
    return (np.log(partial / annual) - np.log(f)) / (1 - f)


def pace_predictive(z, prior_weight: float = 1.0, prior_sd: float = 1.0):
    """Student-t predictive of the next year's pace deviation from past years' ``z``.

    Returns ``(loc, scale, df)`` under a normal / scaled-inverse-chi-square prior centred on
    0 with ``prior_weight`` pseudo-years (for both the mean and the variance) of scale
    ``prior_sd``.
    """
    z = np.asarray(z, dtype=float).ravel()
    n, k0 = len(z), float(prior_weight)
    kn = k0 + n
    zbar = float(z.mean()) if n else 0.0
    ss = float(((z - zbar) ** 2).sum())
    s2 = (k0 * prior_sd**2 + ss + k0 * n * zbar**2 / kn) / kn
    return n * zbar / kn, float(np.sqrt(s2 * (1 + 1 / kn))), kn


def log_scale(paths) -> tuple[float, float]:
    """Median and robust scale (IQR / 1.349) of ``log(paths)``; scale inf when the lower
    quartile is not positive (the paths say nothing usable on the log scale)."""
    q25, q50, q75 = np.quantile(np.asarray(paths, dtype=float), [0.25, 0.5, 0.75])
    if q25 <= 0 or not np.isfinite(q75):
        return (float(np.log(q50)) if q50 > 0 else -np.inf), np.inf
    return float(np.log(q50)), float(np.log(q75 / q25) / _IQR_NORMAL)


def annual_weight(share_scale: float, annual_scale: float) -> float:
    """Precision weight of the annual model on the log scale:
    ``s_share^2 / (s_share^2 + s_annual^2)`` (0 when the annual scale is infinite)."""
    if not np.isfinite(annual_scale):
        return 0.0
    total = share_scale**2 + annual_scale**2
    return 0.5 if total == 0 else float(share_scale**2 / total)


def normal_scores(values) -> np.ndarray:
    """Normal score of each value's rank (ties broken by position, so it is deterministic)."""
    values = np.asarray(values, dtype=float)
    ranks = np.empty(len(values))
    ranks[np.argsort(values, kind="stable")] = np.arange(len(values))
    return special.ndtri((ranks + 0.5) / len(values))


def learn_prior(z_by_year, weights=(0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0),
                sds=(0.25, 0.5, 1.0, 1.5, 2.0)) -> tuple[float, float]:
    """``(prior_weight, prior_sd)`` from a grid, by leave-one-year-out predictive log density.

    Each year's ``z`` is scored under :func:`pace_predictive` fitted on the other years; the
    pair with the highest total wins (ties: the first in grid order). :class:`Nowcast` uses
    it on the past years it has when ``prior_weight`` or ``prior_sd`` is None.
    """
    z = np.asarray(list(z_by_year), dtype=float)
    if len(z) < 2:  # nothing to learn from: one pseudo-year of scale 1, or the fixed value
        return (float(weights[0]) if len(weights) == 1 else 1.0,
                float(sds[0]) if len(sds) == 1 else 1.0)
    best, best_score = (1.0, 1.0), -np.inf
    for k0 in weights:
        for sd in sds:
            score = 0.0
            for i in range(len(z)):
                loc, scale, df = pace_predictive(np.delete(z, i), k0, sd)
                score += stats.t.logpdf(z[i], df, loc=loc, scale=scale)
            if score > best_score + 1e-12:
                best, best_score = (float(k0), float(sd)), score
    return best


# -- year-to-date tables ---------------------------------------------------------------------
def year_to_date_rows(partial, where: str = "partial") -> pd.DataFrame:
    """The year-to-date rows of a table of partial counts, with ``year`` and ``fraction``.

    A row is year-to-date when it starts on 1 January and ends before 31 December of the same
    year; other spans (several years, one month, a whole year) are left out.
    """
    if not isinstance(partial, pd.DataFrame):
        raise ModelError(f"{where}: expected a DataFrame with columns "
                         f"{', '.join(PARTIAL_COLUMNS)}; got {type(partial).__name__}")
    missing = [c for c in PARTIAL_COLUMNS if c not in partial.columns]
    if missing:
        raise ModelError(f"{where}: missing column(s) {', '.join(missing)}; needs "
                         f"{', '.join(PARTIAL_COLUMNS)} (optional: source_date, concept)")
    frame = partial.reset_index(drop=True).copy()
    try:
        frame["period_start"] = pd.to_datetime(frame["period_start"])
        frame["period_end"] = pd.to_datetime(frame["period_end"])
    except (ValueError, TypeError) as exc:
        raise ModelError(f"{where}: period_start/period_end must be dates: {exc}") from None
    values = pd.to_numeric(frame["value"], errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float)) | (values.to_numpy(dtype=float) <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ModelError(f"{where}: row {i}: value {frame['value'].iloc[i]!r}; year-to-date "
                         "counts must be positive numbers")
    frame["value"] = values.astype(float)
    start, end = frame["period_start"], frame["period_end"]
    ytd = ((start.dt.month == 1) & (start.dt.day == 1) & (end.dt.year == start.dt.year)
           & ~((end.dt.month == 12) & (end.dt.day == 31)) & (end >= start))
    frame = frame[ytd.to_numpy()].copy()
    frame["year"] = frame["period_start"].dt.year.astype(int)
    frame["fraction"] = [year_fraction(s, e) for s, e in
                         zip(frame["period_start"], frame["period_end"], strict=True)]
    if "source_date" not in frame.columns:
        frame["source_date"] = ""
    return frame.sort_values(["year", "period_end"], kind="stable").reset_index(drop=True)


def _annual_totals(y, where) -> dict[int, float]:
    """Year -> value of an annual series (annual PeriodIndex or integer years)."""
    index = y.index
    if isinstance(index, pd.PeriodIndex) and index.freqstr.startswith("Y"):
        years = [p.year for p in index]
    elif pd.api.types.is_integer_dtype(index):
        years = [int(v) for v in index]
    else:
        raise ModelError(f"{where}: year-to-date counts need an annual series (a yearly "
                         "PeriodIndex or integer years) to match years to their windows; "
                         f"got an index of type {type(index).__name__}")
    return dict(zip(years, np.asarray(y, dtype=float).tolist(), strict=True))


# -- the model ---------------------------------------------------------------------------------
class Nowcast(BaseModel):
    """Annual totals nowcast from year-to-date counts, combined with an annual model.

    Parameters
    ----------
    annual : model or None
        The annual model (None: :class:`~forecast.models.Auto`); cloned at fit.
    prior_weight : float or None
        Pseudo-years of the prior on the pace deviation ``z`` (centred on even pace).
    prior_sd : float or None
        Scale of that prior. None (the default) learns each from the past years' ``z`` by
        :func:`learn_prior`; with fewer than two past years, where nothing can be learned,
        it is 1 (one pseudo-year; scale 1: the rest of a year may run from about a third to
        three times the year-to-date pace), set a priori.
    positive : "auto", True or False
        Passed to the annual model when its own ``positive`` is "auto". Nowcast years are
        positive by construction (shares work on the log scale of positive counts).

    ``fit(y, partial=None)``: ``y`` the annual series, ``partial`` a frame of counts with
    ``period_start``, ``period_end``, ``value`` (optional ``source_date``), as
    ``forecast.datasets.load("chile_irregular_entries_partial")`` gives. Its year-to-date rows
    for years after ``y`` ends are nowcast (the latest window of each); those of years in
    ``y`` estimate the shares. Without ``partial`` the model is the annual model.
    """

    def __init__(self, annual=None, prior_weight=None, prior_sd=None, positive="auto"):
        self.annual = annual
        self.prior_weight = prior_weight
        self.prior_sd = prior_sd
        self.positive = positive

    @property
    def min_obs(self) -> int:
        # what the annual model needs; with a year-to-date count to nowcast, fewer will do
        try:
            return int(self._annual_model().min_obs)
        except ModelError:
            return 1  # not a model: fit names the problem

    def _annual_model(self):
        from forecast.models.auto import Auto

        model = Auto() if self.annual is None else self.annual
        if not isinstance(model, BaseModel):
            raise ModelError(f"Nowcast: annual must be a model; got {model!r}")
        model = model.clone()
        if getattr(model, "positive", None) == "auto" and self.positive != "auto":
            model.positive = self.positive
        return model

    def _check_prior(self):
        for name in ("prior_weight", "prior_sd"):
            value = getattr(self, name)
            if value is None:
                continue
            if (isinstance(value, bool) or not isinstance(value, int | float)
                    or not np.isfinite(value) or value <= 0):
                raise ModelError(f"Nowcast: {name} must be a number > 0 or None (learned); "
                                 f"got {value!r}")

    def fit(self, y, X=None, *, partial=None):
        if X is not None:
            require_exog(self, "X")
        self._check_prior()
        if self.positive not in ("auto", True, False):
            raise ModelError(f"Nowcast: positive must be 'auto', True or False; got "
                             f"{self.positive!r}")
        model = self._annual_model()
        self.annual_error_ = None
        try:
            self.annual_ = model.fit(y)
            self.index_ = model.index_
        except ModelError as exc:
            with warnings.catch_warnings():  # the annual model warned already, or failed
                warnings.simplefilter("ignore", GapWarning)
                _, index, _ = prepare(y, where=self.name)  # bad data: its own error
            self.annual_, self.annual_error_, self.index_ = None, str(exc), index
            failed = exc
        self.n_obs_ = len(self.index_)
        self.targets_ = self._targets(y, partial)
        if self.annual_ is None and self.targets_.empty:
            raise failed  # nothing to nowcast: the annual model's own refusal
        return self

    def _targets(self, y, partial) -> pd.DataFrame:
        """One row per nowcast year: its window, count, past years used and the share."""
        columns = ["year", "period_start", "period_end", "value", "source_date", "fraction",
                   "past_years", "prior_weight", "prior_sd", "z_loc", "z_scale", "z_df",
                   "share", "share_scale"]
        self.fitted_years_ = pd.DataFrame(columns=["target", "year", "period_start",
                                                   "period_end", "value", "annual", "fraction",
                                                   "z", "same_window"])
        if partial is None:
            return pd.DataFrame(columns=columns)
        totals = _annual_totals(y, self.name)
        rows = year_to_date_rows(partial, where=f"{self.name}: partial")
        bad = [year for year, v in totals.items() if v <= 0 and year in set(rows["year"])]
        if bad:
            raise ModelError(f"{self.name}: the annual total of {bad[0]} is {totals[bad[0]]:g}; "
                             "shares of the year need positive annual totals")
        last = self.index_[-1]
        last_year = last.year if isinstance(last, pd.Period) else int(last)
        past = rows[rows["year"].isin(list(totals))]
        targets, used = [], []
        for year, group in rows[rows["year"] > last_year].groupby("year", sort=True):
            row = group.iloc[-1]  # the latest window of that year
            f = row["fraction"]
            z, years = [], []
            for past_year, pg in past.groupby("year", sort=True):
                gap = np.abs(pg["fraction"].to_numpy() - f)
                pick = pg.iloc[len(gap) - 1 - int(np.argmin(gap[::-1]))]  # ties: later window
                zi = float(pace_deviation(pick["value"], totals[past_year], pick["fraction"]))
                z.append(zi)
                years.append(int(past_year))
                used.append({"target": int(year), "year": int(past_year),
                             "period_start": pick["period_start"],
                             "period_end": pick["period_end"], "value": pick["value"],
                             "annual": totals[past_year], "fraction": pick["fraction"], "z": zi,
                             "same_window": (pick["period_end"].month, pick["period_end"].day)
                             == (row["period_end"].month, row["period_end"].day)})
            k0, sd = self._prior(z)
            loc, scale, df = pace_predictive(z, k0, sd)
            targets.append({"year": int(year), "period_start": row["period_start"],
                            "period_end": row["period_end"], "value": row["value"],
                            "source_date": row["source_date"], "fraction": f,
                            "past_years": years, "prior_weight": k0, "prior_sd": sd,
                            "z_loc": loc, "z_scale": scale, "z_df": df,
                            "share": f * np.exp((1 - f) * loc), "share_scale": (1 - f) * scale})
        if used:
            self.fitted_years_ = pd.DataFrame(used)
        return pd.DataFrame(targets, columns=columns)

    def _prior(self, z) -> tuple[float, float]:
        """(prior_weight, prior_sd): the fixed ones, the others learned from ``z``."""
        k0, sd = self.prior_weight, self.prior_sd
        if k0 is not None and sd is not None:
            return float(k0), float(sd)
        grid = {}
        if k0 is not None:
            grid["weights"] = (float(k0),)
        if sd is not None:
            grid["sds"] = (float(sd),)
        return learn_prior(z, **grid)

    def predict(self, h: int, *, n_paths: int = 1000, seed=None, X_future=None) -> Forecast:
        return self.predict_explained(h, n_paths=n_paths, seed=seed, X_future=X_future)[0]

    def predict_explained(self, h: int, *, n_paths: int = 1000, seed=None, X_future=None):
        """``(forecast, table)``: the forecast of :meth:`predict` and one row per period
        saying how it was made (``basis`` nowcast or annual model, the count used, the share,
        the log-scale spreads and the annual model's weight).

        The weights and spreads come from a reference draw of the annual model with a fixed
        seed, so the point forecast and the table do not depend on ``seed``; the paths do.
        """
        if not hasattr(self, "targets_"):
            raise ModelError(f"{self.name} is not fitted; call fit(y) first")
        h = check_count("horizon h", h)
        n_paths = check_count("n_paths", n_paths)
        seed = check_seed(seed)
        if X_future is not None:
            require_exog(self, "X_future")
        index = future_index(self.index_, h)
        years = [p.year if isinstance(p, pd.Period) else int(p) for p in index]
        by_year = {int(r.year): r for r in self.targets_.itertuples(index=False)}
        name = f"Nowcast({self.annual_.name})" if self.annual_ is not None else "Nowcast"
        if self.annual_ is not None and not set(years) & set(by_year):
            alone = self.annual_.predict(h, n_paths=n_paths, seed=seed)  # nothing to nowcast
            return (Forecast(alone.paths, index, point=alone._point, model=name),
                    pd.DataFrame({"period": [str(p) for p in index], "basis": "annual model"}))
        if self.annual_ is None:
            beyond = [y for y in years if y not in by_year]
            if beyond:
                raise ModelError(f"{self.name}: the annual model could not be fitted "
                                 f"({self.annual_error_}), so only years with a year-to-date "
                                 f"count can be forecast ({', '.join(map(str, by_year)) or 'none'}"
                                 f"); {beyond[0]} has none: lower h")
            reference = (np.zeros((_REFERENCE_PATHS, h)), np.zeros(h))
            own = (np.zeros((n_paths, h)), np.zeros(h))
        else:
            ref = self.annual_.predict(h, n_paths=_REFERENCE_PATHS, seed=_REFERENCE_SEED)
            # the caller's seed goes to the annual model: its paths are the annual model's own
            alone = self.annual_.predict(h, n_paths=n_paths, seed=seed)
            reference = (ref.paths.copy(), ref._point.copy())
            own = (alone.paths.copy(), alone._point.copy())
        _, point, rows, spreads = self._combine(*reference, years, by_year,
                                                np.random.default_rng(_REFERENCE_SEED))
        share_seed = None if seed is None else np.random.SeedSequence(seed).spawn(1)[0]
        paths, _, _, _ = self._combine(*own, years, by_year, np.random.default_rng(share_seed),
                                       spreads)
        for k, row in enumerate(rows):
            row["period"] = str(index[k])
        return Forecast(paths, index, point=point, model=name), pd.DataFrame(rows)

    def _combine(self, paths, point, years, by_year, rng, spreads=None):
        """Nowcast each year that has a count, in order; ``spreads`` (from the reference
        pass) fixes each nowcast year's annual scale and weight, else they are measured."""
        measured, rows = {}, []
        for k, year in enumerate(years):
            target = by_year.get(year)
            if target is None:
                rows.append({"basis": "annual model"})
                continue
            f = target.fraction
            centre = np.log(target.value) - np.log(f) - (1 - f) * target.z_loc
            draws = centre - target.share_scale * rng.standard_t(target.z_df, len(paths))
            annual_ok = self.annual_ is not None and point[k] > 0
            if spreads is not None:
                s_annual, w = spreads[k]
            elif annual_ok:
                s_annual = log_scale(paths[:, k])[1]
                w = annual_weight(target.share_scale, s_annual)
            else:
                s_annual, w = np.inf, 0.0
            measured[k] = (s_annual, w)
            if annual_ok and np.isfinite(s_annual):
                # each annual path keeps its rank, on the log-normal the weight assumes
                gauss = np.log(point[k]) + s_annual * normal_scores(paths[:, k])
            else:
                gauss = np.full(len(paths), np.log(point[k]) if annual_ok else 0.0)
            log_paths = np.minimum(w * gauss + (1 - w) * draws, _LOG_CAP)
            new_point = float(np.exp(w * np.log(point[k]) + (1 - w) * centre) if w > 0
                              else np.exp(centre))
            if annual_ok and k + 1 < len(years):
                # later years follow the annual model from the nowcast's level, path by path
                factor = np.exp(np.minimum(log_paths - gauss, _LOG_CAP))
                paths[:, k + 1:] *= factor[:, None]
                point[k + 1:] *= new_point / point[k]
            paths[:, k], point[k] = np.exp(log_paths), new_point
            rows.append({"basis": "nowcast",
                         "window": f"{target.period_start.date()}..{target.period_end.date()}",
                         "count": target.value, "source_date": target.source_date,
                         "fraction": f, "share": target.share,
                         "share_scale": target.share_scale, "annual_scale": s_annual,
                         "annual_weight": w, "past_years": list(target.past_years)})
        return paths, point, rows, measured


# -- bundled datasets as of a date -------------------------------------------------------------
def as_of_date(value, where: str = "as_of") -> pd.Timestamp:
    """A calendar day (``YYYY-MM-DD``, a date or a Timestamp); DataError naming ``where``."""
    if isinstance(value, dt.date) and not pd.isna(value):  # datetime, Timestamp: dates too
        return pd.Timestamp(value).normalize()
    text = str(value).strip() if isinstance(value, str) else None
    if text is not None and _ISO_DAY.fullmatch(text):
        try:
            return pd.Timestamp(dt.date.fromisoformat(text))
        except ValueError as exc:
            raise DataError(f"{where}: {value!r} is not a valid date ({exc}); expected "
                            "YYYY-MM-DD, e.g. 2024-08-31") from None
    raise DataError(f"{where}: {value!r} is not a date; expected YYYY-MM-DD, e.g. 2024-08-31")


def partial_dataset(name: str) -> str | None:
    """The bundled table of sub-annual counts of series ``name`` (``NAME_partial``), if any."""
    from forecast import datasets

    other = f"{name}_partial"
    if other in datasets.names() and datasets.info(other)["kind"] == "table":
        return other
    return None


def public_from(source_date) -> pd.Timestamp:
    """The day from which a figure dated ``source_date`` was public (NaT when undated)."""
    from forecast.datasets.csvio import vintage_end

    text = "" if source_date is None or pd.isna(source_date) else str(source_date).strip()
    return pd.NaT if text == "" else vintage_end(text)


def year_to_date(name: str, as_of=None, *, concept=None) -> pd.DataFrame:
    """Year-to-date counts of bundled series ``name`` (from ``NAME_partial``), public on
    ``as_of`` (None: all of them, dated or not), of one ``concept``.

    ``concept`` None takes the concept most year-to-date rows share (the table mixes
    concepts, which must not be compared); the rows carry it. Columns: ``year``,
    ``period_start``, ``period_end``, ``value``, ``concept``, ``source_date``,
    ``public_from``, ``fraction``.
    """
    from forecast import datasets

    table = partial_dataset(name)
    if table is None:
        raise DataError(f"dataset {name!r} has no table of year-to-date counts "
                        f"({name}_partial); nowcasts need one")
    rows = year_to_date_rows(datasets.load(table).reset_index(drop=True), where=table)
    if concept is None:
        counts = rows.groupby("concept").size()  # ties: the first name in sorted order
        concept = counts.idxmax() if len(counts) else None
    elif concept not in set(rows["concept"]):
        raise DataError(f"{table}: no year-to-date rows with concept {concept!r}; valid: "
                        f"{', '.join(sorted(set(rows['concept'])))}")
    rows = rows[rows["concept"] == concept].copy()
    rows["public_from"] = pd.DatetimeIndex([public_from(s) for s in rows["source_date"]])
    if as_of is not None:
        cutoff = as_of_date(as_of)
        rows = rows[rows["public_from"].notna() & (rows["public_from"] <= cutoff)]
    rows.attrs = {"name": table, "concept": concept}
    return rows.reset_index(drop=True)


def fit_as_of(name: str, as_of=None, *, model=None, concept=None, where: str = "as_of"):
    """A :class:`Nowcast` (``model``, default ``Nowcast()``) fitted on the figures of ``name``
    public on ``as_of``.

    Annual values: ``datasets.load(name, vintage=as_of)``; year-to-date counts:
    :func:`year_to_date` (``source_date`` on or before ``as_of``). ``as_of`` None uses every
    figure (latest vintages). The fitted model has ``used_``: one row per figure used
    (``kind`` annual / year-to-date, period, value, public date) and ``left_out_``: the
    year-to-date counts of the concept that were not public yet or are undated. ``where``
    names the date in errors (the command line passes ``"--as-of"``).
    """
    from forecast import datasets

    cutoff = None if as_of is None else as_of_date(as_of, where)
    try:
        y = datasets.load(name, vintage="latest" if cutoff is None else str(cutoff.date()))
    except DataError as exc:
        if cutoff is None:
            raise
        first = datasets.vintages(name)
        first = first.loc[first["status"] == "primary", "vintage_date"].min()
        raise DataError(f"{where} {cutoff.date()}: no figure of {name!r} was public yet ({exc});"
                        f" the first was public on {first.date()}") from None
    everything = year_to_date(name, None, concept=concept)
    ytd = everything if cutoff is None else everything[
        everything["public_from"].notna() & (everything["public_from"] <= cutoff)]
    model = Nowcast() if model is None else model
    if not isinstance(model, Nowcast):
        raise ModelError(f"fit_as_of: model must be a Nowcast (wrap the annual model: "
                         f"Nowcast(annual={model!r})); got {type(model).__name__}")
    model.fit(y, partial=ytd)
    vint = datasets.vintages(name)
    annual_rows = []
    for period, value in y.items():
        same = ((vint["period"] == period) & (vint["value"] == value)
                & (vint["status"] == "primary"))
        if cutoff is not None:
            same &= vint["vintage_date"] <= cutoff
        dates = vint.loc[same, "vintage"]  # sorted by vintage date: the first publication
        annual_rows.append({"kind": "annual", "period": str(period), "value": value,
                            "public": str(dates.iloc[0]) if len(dates) else ""})
    ytd_rows = [{"kind": "year-to-date",
                 "period": f"{r.period_start.date()}..{r.period_end.date()}",
                 "value": r.value, "public": str(r.source_date)}
                for r in ytd.itertuples(index=False)]
    model.used_ = pd.DataFrame(annual_rows + ytd_rows, columns=["kind", "period", "value",
                                                                "public"])
    model.left_out_ = everything.drop(index=ytd.index)[
        ["period_start", "period_end", "value", "source_date"]].reset_index(drop=True)
    model.as_of_ = cutoff
    model.concept_ = everything.attrs.get("concept")
    return model
