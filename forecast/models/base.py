"""The estimator contract shared by every model.

As in scikit-learn's ``BaseEstimator``: the constructor stores its keyword arguments and
nothing else; ``fit`` validates, learns attributes ending in ``_`` and returns ``self``;
``get_params``/``set_params``/``clone`` work so a model can be refit per backtest origin and
printed in a report.

Numeric work lives in the subclasses' ``_fit``/``_simulate`` on plain numpy arrays; this module
handles what is common: input validation, the positivity transform, the future index and the
random generator built from the caller's seed.
"""

from __future__ import annotations

import copy
import inspect
import warnings

import numpy as np
import pandas as pd

from forecast.errors import ModelError
from forecast.models.distribution import Forecast
from forecast.models.transforms import Transform, choose_transform


class BaseModel:
    """Base class of all models. Subclasses implement ``_fit`` and ``_simulate``.

    ``_fit(y, X)`` receives the (transformed) training values as a float ndarray and sets
    fitted attributes. ``_simulate(h, n_paths, rng, X_future)`` returns ``(point, paths)`` on
    the transformed scale, with ``paths`` of shape (n_paths, h).
    """

    #: the fewest observations the model can be fitted on
    min_obs: int = 1
    #: whether the model applies the positivity transform itself (e.g. growth curves)
    handles_positivity: bool = False

    # -- parameters ----------------------------------------------------------------------
    @classmethod
    def _param_names(cls):
        sig = inspect.signature(cls.__init__)
        return [
            p.name
            for p in sig.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]

    def get_params(self, deep: bool = True) -> dict:
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                for key, sub in value.get_params(deep=True).items():
                    params[f"{name}__{key}"] = sub
        return params

    def set_params(self, **params):
        valid = self._param_names()
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ModelError(
                    f"{type(self).__name__} has no parameter {name!r}; valid: {', '.join(valid)}"
                )
            if sub:
                getattr(self, name).set_params(**{sub: value})
            else:
                setattr(self, name, value)
        return self

    def clone(self):
        """An unfitted copy with the same parameters (sub-estimators cloned too)."""
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            params[name] = _clone_param(value)
        return type(self)(**params)

    def __repr__(self) -> str:
        defaults = {
            p.name: p.default for p in inspect.signature(type(self).__init__).parameters.values()
        }
        shown = []
        for name in self._param_names():
            value = getattr(self, name)
            default = defaults.get(name, inspect.Parameter.empty)
            try:
                same = default is not inspect.Parameter.empty and bool(value == default)
            except Exception:  # arrays, estimators: always show
                same = False
            if not same:
                shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    @property
    def name(self) -> str:
        """Short label used in tables and legends."""
        return type(self).__name__

    # -- fit / predict -------------------------------------------------------------------
    def fit(self, y, X=None):
        values, index = validate_series(y, min_obs=self.min_obs, model=self.name)
        values, index, X = _last_contiguous(values, index, X, self.name, self.min_obs)
        self.index_ = index
        self.n_obs_ = len(values)
        self.y_ = values
        positive = getattr(self, "positive", False)
        if positive == "auto":
            positive = bool(np.all(values >= 0))
        self.positive_ = bool(positive)
        if self.positive_ and np.any(values < 0):
            raise ModelError(
                f"{self.name}: positive=True but y has negative values "
                f"(min {values.min():g}); pass positive=False for series that can be negative"
            )
        if self.positive_ and not self.handles_positivity:
            self.transform_ = choose_transform(values)
        else:
            self.transform_ = Transform.identity()
        X_arr = None if X is None else _validate_exog(X, len(values), "X", self.name)
        self._fit(self.transform_.forward(values), X_arr)
        return self

    def predict(self, h: int, *, n_paths: int = 1000, seed=None, X_future=None) -> Forecast:
        if not hasattr(self, "index_"):
            raise ModelError(f"{self.name} is not fitted; call fit(y) first")
        h = validate_horizon(h)
        if int(n_paths) < 1:
            raise ModelError(f"n_paths must be >= 1; got {n_paths}")
        Xf = None if X_future is None else _validate_exog(X_future, h, "X_future", self.name)
        rng = np.random.default_rng(seed)
        point, paths = self._simulate(h, int(n_paths), rng, Xf)
        point = self.transform_.inverse(np.asarray(point, dtype=float))
        paths = self.transform_.inverse(np.asarray(paths, dtype=float))
        if self.positive_:
            # back-transformed paths are >= 0 up to rounding; clip the rounding
            np.maximum(paths, 0.0, out=paths)
            point = np.maximum(point, 0.0)
        return Forecast(paths, future_index(self.index_, h), point=point, model=self.name)

    def _fit(self, y: np.ndarray, X=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def _simulate(self, h, n_paths, rng, X_future=None):  # pragma: no cover - abstract
        raise NotImplementedError


class GapWarning(UserWarning):
    """A period-indexed series had gaps; the model was fitted on its last contiguous stretch."""


def _last_contiguous(values, index, X, model, min_obs):
    """Keep the stretch after the last gap of a PeriodIndex, warning about what is dropped.

    Published series often skip years (e.g. 2005, 2014, then 2017 onward). Treating such
    points as consecutive would fake a trend, so models fit on the last contiguous run.
    """
    if not isinstance(index, pd.PeriodIndex) or len(index) < 2:
        return values, index, X
    steps = np.diff(index.asi8)
    if np.any(steps <= 0):
        raise ModelError(f"{model}: y's periods must be unique and increasing; "
                         f"found {index[1:][steps <= 0][0]} after a later or equal period")
    gaps = np.flatnonzero(steps != 1)
    if gaps.size == 0:
        return values, index, X
    start = int(gaps[-1]) + 1
    if len(values) - start < min_obs:
        raise ModelError(
            f"{model}: y has gaps and its last contiguous stretch ({index[start]}–{index[-1]}, "
            f"{len(values) - start} points) is shorter than the {min_obs} the model needs"
        )
    warnings.warn(
        f"{model}: y has gaps (after {', '.join(str(index[g]) for g in gaps)}); fitting on "
        f"the last contiguous stretch {index[start]}–{index[-1]} ({len(values) - start} points)",
        GapWarning,
        stacklevel=3,
    )
    X = None if X is None else (X.iloc[start:] if hasattr(X, "iloc") else np.asarray(X)[start:])
    return values[start:], index[start:], X


def _clone_param(value):
    if isinstance(value, BaseModel):
        return value.clone()
    if isinstance(value, list | tuple) and value and all(isinstance(v, BaseModel) for v in value):
        return type(value)(v.clone() for v in value)
    if hasattr(value, "get_params") and hasattr(value, "fit") and not isinstance(value, type):
        from sklearn.base import clone as sk_clone

        return sk_clone(value)
    return copy.deepcopy(value)


# -- validation helpers (shared by models, backtest and predict_many) ---------------------
def validate_horizon(h) -> int:
    if isinstance(h, bool) or not isinstance(h, int | np.integer) or int(h) < 1:
        raise ModelError(f"horizon h must be an integer >= 1; got {h!r}")
    return int(h)


def validate_series(y, *, min_obs: int = 1, model: str = "model"):
    """Return (values as float ndarray, index) or raise ModelError naming the problem."""
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise ModelError(f"{model}: y must be a Series or 1-D array, got a DataFrame "
                             f"with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    if isinstance(y, pd.Series):
        index = y.index
        raw = y.to_numpy()
    else:
        raw = np.asarray(y)
        if raw.ndim != 1:
            raise ModelError(f"{model}: y must be 1-D; got shape {raw.shape}")
        index = pd.RangeIndex(len(raw))
    try:
        values = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        bad = next((v for v in raw if not _is_number(v)), None)
        raise ModelError(f"{model}: y must be numeric; found {bad!r}") from None
    if values.ndim != 1:
        raise ModelError(f"{model}: y must be 1-D; got shape {values.shape}")
    nan = np.flatnonzero(~np.isfinite(values))
    if nan.size:
        where = index[nan[0]]
        raise ModelError(
            f"{model}: y has {nan.size} missing or infinite value(s), first at {where}; "
            "fill or drop them before fitting"
        )
    if len(values) < min_obs:
        raise ModelError(f"{model}: needs at least {min_obs} observations; got {len(values)}")
    return values, index


def _is_number(v) -> bool:
    try:
        float(v)
    except (TypeError, ValueError):
        return False
    return True


def _validate_exog(X, n, what, model):
    arr = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.shape[0] != n:
        raise ModelError(f"{model}: {what} has {arr.shape[0]} rows; expected {n}")
    if not np.all(np.isfinite(arr)):
        raise ModelError(f"{model}: {what} has missing or infinite values")
    return arr


def future_index(index, h: int):
    """The h periods after ``index`` (PeriodIndex, regular DatetimeIndex or integer index)."""
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=h, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq
        if freq is None and len(index) >= 3:
            try:
                freq = pd.DatetimeIndex(index, freq="infer").freq
            except ValueError:  # irregular dates
                freq = None
        if freq is not None:
            return pd.date_range(index[-1], periods=h + 1, freq=freq)[1:]
        return pd.RangeIndex(len(index), len(index) + h)
    if len(index) and pd.api.types.is_integer_dtype(index):
        step = int(index[-1] - index[-2]) if len(index) > 1 else 1
        start = int(index[-1]) + step
        return pd.RangeIndex(start, start + step * h, step)
    return pd.RangeIndex(len(index), len(index) + h)
