"""The estimator contract shared by every model.

As in scikit-learn's ``BaseEstimator``: the constructor stores its keyword arguments and
nothing else; ``fit`` validates, learns attributes ending in ``_`` and returns ``self``;
``get_params``/``set_params``/``clone`` work so a model can be refit per backtest origin and
printed in a report.

Numeric work lives in the subclasses' ``_fit``/``_simulate`` on plain numpy arrays; this module
handles what is common: the positivity transform, the future index, the random generator built
from the caller's seed and the exogenous-input capability. Series are read by
:func:`forecast.panel.prepare`, the same rules as ``predict_many`` and ``backtest`` (order,
gaps, validation; see :mod:`forecast.panel`).
"""

from __future__ import annotations

import copy
import functools
import inspect

import numpy as np
import pandas as pd

from forecast.errors import ModelError
from forecast.models.distribution import Forecast
from forecast.models.transforms import Transform, choose_transform
from forecast.panel import (
    GapWarning,  # noqa: F401 (forecast.models exports it from here)
    check_count,
    check_seed,
    prepare,
    take_rows,
)


class BaseModel:
    """Base class of all models. Subclasses implement ``_fit`` and ``_simulate``.

    ``_fit(y, X)`` receives the (transformed) training values as a float ndarray and sets
    fitted attributes. ``_simulate(h, n_paths, rng, X_future)`` returns ``(point, paths)`` on
    the transformed scale, with ``paths`` of shape (n_paths, h). ``X`` and ``X_future`` reach
    them only when the class sets ``uses_exog = True``; otherwise ``fit``/``predict`` refuse
    them, so a model never silently ignores regressors.
    """

    #: the fewest observations the model can be fitted on
    min_obs: int = 1
    #: whether the model applies the positivity transform itself (e.g. growth curves)
    handles_positivity: bool = False
    #: whether ``fit(y, X)`` / ``predict(..., X_future=...)`` use exogenous regressors; a model
    #: that does not refuses them (ModelError) rather than ignore them
    uses_exog: bool = False

    # -- parameters ----------------------------------------------------------------------
    @classmethod
    def _param_names(cls):
        return list(_init_params(cls.__init__))

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
        values, X_arr = self._prepare(y, X)
        self._fit(values, X_arr)
        return self

    def fit_many(self, ys) -> list:
        """Clones of this model fitted on each series of ``ys``, without regressors: the
        same fitted models, to the last bit, as ``[self.clone().fit(y) for y in ys]``.

        Models whose kernel searches its parameters for many series at once (CES, the theta
        methods, and ensembles of them) fit the whole list together, which is several times
        faster on short series; :func:`forecast.predict_many` and :func:`forecast.backtest`
        use this for each batch of series.
        """
        if isinstance(ys, str | bytes | dict | pd.Series | pd.DataFrame | np.ndarray) or \
                not hasattr(ys, "__iter__"):
            raise ModelError(f"{self.name}.fit_many: ys must be a list of series (each a "
                             f"Series or 1-D array); got {type(ys).__name__}")
        ys = list(ys)
        models = [self.clone() for _ in ys]
        values = [m._prepare(y, None)[0] for m, y in zip(models, ys, strict=True)]
        if models:
            fit_batch(self, models, values)
        return models

    def _prepare(self, y, X):
        """Validate ``y`` (and ``X``), set the data attributes and the transform; returns the
        transformed values and the regressor rows ``fit`` passes to ``_fit``."""
        if X is not None:
            require_exog(self, "X")
        values, index, rows = prepare(y, where=self.name, min_obs=self.min_obs)
        X_arr = None if X is None else take_rows(_validate_exog(X, len(y), "X", self.name), rows)
        return self._adopt(values, index), X_arr

    def _adopt(self, values, index):
        """Set the data attributes and the transform for ``values`` on ``index``, a series
        :func:`~forecast.panel.prepare` has already validated, sorted and cut (an ensemble's
        members take its prepared series this way); returns the transformed values."""
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
        return self.transform_.forward(values)

    def _fit_batch(self, models, values):
        """``_fit`` of each prepared model (clones of this one) on its transformed values;
        models with a batched kernel override this. The default fits them one by one."""
        for m, v in zip(models, values, strict=True):
            m._fit(v)

    def predict(self, h: int, *, n_paths: int = 1000, seed=None, X_future=None) -> Forecast:
        if not hasattr(self, "index_"):
            raise ModelError(f"{self.name} is not fitted; call fit(y) first")
        h = check_count("horizon h", h)
        n_paths = check_count("n_paths", n_paths)
        if X_future is not None:
            require_exog(self, "X_future")
        Xf = None if X_future is None else _validate_exog(X_future, h, "X_future", self.name)
        point, paths = self._predict_arrays(h, n_paths, check_seed(seed), Xf)
        return Forecast(paths, future_index(self.index_, h), point=point, model=self.name)

    def _predict_arrays(self, h: int, n_paths: int, seed, Xf=None):
        """``(point, paths)`` of :meth:`predict` as arrays, for checked ``h``, ``n_paths`` and
        seed and validated ``Xf`` (no index, no Forecast: an ensemble's members are asked
        this way)."""
        rng = np.random.default_rng(seed)
        point, paths = self._simulate(h, n_paths, rng, Xf)
        point = self.transform_.inverse(np.asarray(point, dtype=float))
        paths = self.transform_.inverse(np.asarray(paths, dtype=float))
        if self.positive_:
            # back-transformed paths are >= 0 up to rounding; clip the rounding
            np.maximum(paths, 0.0, out=paths)
            point = np.maximum(point, 0.0)
        return point, paths

    def _fit(self, y: np.ndarray, X=None):  # pragma: no cover - abstract
        raise NotImplementedError

    def _simulate(self, h, n_paths, rng, X_future=None):  # pragma: no cover - abstract
        raise NotImplementedError


@functools.cache
def _init_params(init) -> tuple:
    """The keyword parameters of a constructor (cached: clones are made per series)."""
    return tuple(p.name for p in inspect.signature(init).parameters.values()
                 if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))


def fit_batch(model, models, values):
    """``model._fit_batch(models, values)`` where that is the batched form of the class's own
    ``_fit``; one by one where a subclass overrides ``_fit`` but not ``_fit_batch``."""
    if _own_batch(type(model)):
        model._fit_batch(models, values)
    else:
        BaseModel._fit_batch(model, models, values)


def batches(model) -> bool:
    """Whether ``model`` fits many series faster together than one by one: a model of this
    package whose class has a batched ``_fit_batch`` for its own ``_fit``."""
    return (isinstance(model, BaseModel) and _own_batch(type(model))
            and _defining(type(model), "_fit_batch") is not BaseModel)


def _own_batch(cls) -> bool:
    """Whether ``cls._fit_batch`` is defined at or below the class that defines its ``_fit``."""
    return issubclass(_defining(cls, "_fit_batch"), _defining(cls, "_fit"))


def _defining(cls, name):
    return next(c for c in cls.__mro__ if name in c.__dict__)


def _clone_param(value):
    if isinstance(value, BaseModel):
        return value.clone()
    if isinstance(value, list | tuple) and value and all(isinstance(v, BaseModel) for v in value):
        return type(value)(v.clone() for v in value)
    if hasattr(value, "get_params") and hasattr(value, "fit") and not isinstance(value, type):
        from sklearn.base import clone as sk_clone

        return sk_clone(value)
    return copy.deepcopy(value)


# -- exogenous regressors --------------------------------------------------------------
class ExogByMembers:
    """``uses_exog`` of a combination of models: False on the class (it has no members yet);
    on an instance, True when every member uses X, since each member is fitted with it."""

    def __get__(self, obj, owner=None) -> bool:
        if obj is None:
            return False
        try:
            members = list(obj._member_list())
            return bool(members) and all(m.uses_exog is True for m in members)
        except (TypeError, AttributeError):  # not a list of models: fit names the problem
            return False


def require_exog(model, what: str = "X"):
    """Refuse exogenous regressors given to a model that would not use them (ModelError)."""
    if getattr(model, "uses_exog", False):
        return
    from forecast import models

    users = [n for n in models.__all__ if getattr(getattr(models, n), "uses_exog", False) is True]
    raise ModelError(
        f"{_label(model)} does not use exogenous regressors, so it cannot take {what}; models "
        f"that do: {', '.join(users)}, and an Ensemble or Auto whose members all do"
    )


def _label(model) -> str:
    return getattr(model, "name", type(model).__name__)


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
