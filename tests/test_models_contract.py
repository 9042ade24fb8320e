"""The estimator contract, checked over every model ``forecast.models`` exports.

As scikit-learn's ``check_estimator``: the constructor stores its parameters and nothing else;
``get_params``/``set_params`` round-trip; ``clone`` gives an unfitted copy with equal
parameters; ``fit`` returns ``self``, learns attributes ending in ``_`` and leaves the
parameters alone; ``predict`` before ``fit`` raises; seeds reproduce; positive series give no
negative paths; shapes; monotone quantiles; ``X`` refused by models that cannot use it.

The models are enumerated from ``forecast.models.__all__``, so a new model is checked without
touching this file. A model whose constructor needs arguments must get example instances in
``EXAMPLES``; without them its checks fail rather than skip.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import pickle
import pkgutil
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

import forecast.models as fm
from forecast.errors import ModelError
from forecast.models import (
    ETS,
    BaseModel,
    Drift,
    Ensemble,
    Growth,
    Naive,
    Regression,
    SeasonalNaive,
    Theta,
)


def exported_models() -> list[type]:
    found = [getattr(fm, name) for name in fm.__all__]
    return [c for c in found if isinstance(c, type) and issubclass(c, BaseModel)
            and c is not BaseModel]


def defined_models() -> set[type]:
    """Every BaseModel subclass defined in a module of forecast.models."""
    for info in pkgutil.iter_modules(fm.__path__):
        importlib.import_module(f"{fm.__name__}.{info.name}")
    out, todo = set(), [BaseModel]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(f"{fm.__name__}."):
                out.add(sub)
    return out


MODELS = exported_models()
IDS = [c.__name__ for c in MODELS]

#: example instances, by class name; required for a model whose constructor needs arguments,
#: and used to exercise non-default settings (sub-estimators, weights, fixed orders)
EXAMPLES = {
    "Ensemble": lambda: [
        Ensemble([Naive(), Drift(), Theta()]),
        Ensemble([Theta(), ETS(refine=False)], combine=[0.3, 0.7], spread=1.2, positive=True),
        Ensemble([Regression(), Regression(lags=1, trend=True)], combine="mean"),  # uses X
    ],
    "Regression": lambda: [Regression(), Regression(estimator=Ridge(alpha=0.5), lags=2,
                                                    trend=True)],
    "SeasonalNaive": lambda: [SeasonalNaive(), SeasonalNaive(season_length=3)],
    "Growth": lambda: [Growth(), Growth(curve="gompertz", scale="original")],
    "ARIMA": lambda: [fm.ARIMA(), fm.ARIMA(order=(1, 1, 0), constant=True)],
}

# a noisy, trending, positive annual series
_T = 20
Y = pd.Series(
    np.round(1000 + 40 * np.arange(_T)
             + np.cumsum(np.random.default_rng(42).normal(0, 30, _T)), 1),
    index=pd.period_range("2001", periods=_T, freq="Y"),
)
# positive and heading for zero: its drift (-28 a year) would go negative at the first step
Y_DECLINING = pd.Series([400.0, 350, 310, 260, 225, 180, 150, 118, 90, 70, 49, 35, 22, 14, 8],
                        index=pd.period_range("2005", periods=15, freq="Y"))
X = pd.DataFrame({"x": np.sin(np.arange(_T)) + 0.1 * np.arange(_T)}, index=Y.index)
X_FUTURE = pd.DataFrame({"x": np.sin(np.arange(_T, _T + 4)) + 0.1 * np.arange(_T, _T + 4)})


def examples(cls) -> list[BaseModel]:
    if cls.__name__ in EXAMPLES:
        made = EXAMPLES[cls.__name__]()
        assert made and all(type(m) is cls for m in made), f"EXAMPLES[{cls.__name__!r}]"
        return made
    try:
        inspect.signature(cls).bind()
    except TypeError:
        pytest.fail(f"{cls.__name__}'s constructor needs arguments: add example instances "
                    f"to EXAMPLES in tests/test_models_contract.py")
    return [cls()]


def fit(model, y=Y, X=None):
    with warnings.catch_warnings():  # Ensemble/Auto drop members on short series, by design
        warnings.simplefilter("ignore", fm.ShortSeriesWarning)
        return model.fit(y, X)


def same(a, b) -> bool:
    """Parameter equality: models and sklearn estimators by their parameters, recursively."""
    if isinstance(a, BaseModel) or (hasattr(a, "get_params") and not isinstance(a, type)):
        return type(a) is type(b) and same(a.get_params(deep=False), b.get_params(deep=False))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return (type(a) is type(b) and len(a) == len(b)
                and all(same(u, v) for u, v in zip(a, b, strict=True)))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b)
    return type(a) is type(b) and a == b


def estimators_in(value):
    """The models and sklearn estimators held by a parameter value."""
    values = value if isinstance(value, list | tuple) else [value]
    return [v for v in values if hasattr(v, "fit") and not isinstance(v, type)]


def learned(obj) -> list[str]:
    return [k for k in vars(obj) if k.endswith("_")]


# -- coverage of the check itself ----------------------------------------------------------
def test_every_model_is_exported_and_checked():
    assert MODELS, "forecast.models.__all__ exports no model"
    missing = {c.__name__ for c in defined_models()} - set(IDS)
    assert not missing, f"models defined in forecast.models but not exported: {missing}"
    stale = set(EXAMPLES) - set(IDS)
    assert not stale, f"EXAMPLES names models that are not exported: {stale}"


# -- constructor -----------------------------------------------------------------------------
@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_constructor_stores_exactly_its_parameters(cls):
    kinds = {p.kind for p in inspect.signature(cls.__init__).parameters.values()}
    assert not kinds & {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}
    names = cls._param_names()
    assert "positive" in names  # every model can be told whether the series is a count
    for model in examples(cls):
        assert sorted(vars(model)) == sorted(names)
        params = model.get_params(deep=False)
        rebuilt = cls(**params)
        # stored as given: not copied, converted or validated into something else
        assert all(vars(rebuilt)[k] is v for k, v in params.items()), cls.__name__
        assert not learned(rebuilt)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_get_params_set_params_round_trip(cls):
    models = examples(cls)
    for model in models:
        shallow = model.get_params(deep=False)
        deep = model.get_params(deep=True)
        assert set(shallow) == set(cls._param_names())
        assert all(deep[k] is v for k, v in shallow.items())
        assert model.set_params(**shallow) is model
        assert all(getattr(model, k) is v for k, v in shallow.items())
        nested = {k: v for k, v in deep.items() if "__" in k}
        model.set_params(**nested)
        assert same(model.get_params(deep=True), deep)
        with pytest.raises(ModelError, match="no parameter"):
            model.set_params(no_such_parameter=1)
    # one example's parameters set on another make the two equal, down to the forecasts
    first, last = models[0].clone(), models[-1]
    first.set_params(**last.clone().get_params(deep=False))
    assert same(first.get_params(deep=False), last.get_params(deep=False))
    assert repr(first) == repr(last)
    np.testing.assert_array_equal(fit(first).predict(3, n_paths=20, seed=0).paths,
                                  fit(last.clone()).predict(3, n_paths=20, seed=0).paths)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_clone_is_an_unfitted_copy_with_equal_parameters(cls):
    for model in examples(cls):
        for source in (model, fit(model.clone())):
            c = source.clone()
            assert type(c) is cls
            assert same(c.get_params(deep=False), model.get_params(deep=False))
            assert not learned(c), learned(c)
            assert repr(c) == repr(model)
            for name, value in source.get_params(deep=False).items():
                for ours, theirs in zip(estimators_in(getattr(c, name)), estimators_in(value),
                                        strict=True):
                    assert ours is not theirs, f"{cls.__name__}.{name} shared by the clone"


# -- fit / predict ---------------------------------------------------------------------------
@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_fit_returns_self_and_leaves_parameters_alone(cls):
    for model in examples(cls):
        m = model.clone()
        params = copy.deepcopy(m.get_params(deep=False))
        before = set(vars(m))
        assert fit(m) is m
        new = set(vars(m)) - before
        assert new and all(k.endswith("_") for k in new), sorted(new)
        assert same(m.get_params(deep=False), params)
        # sub-estimators passed as parameters stay unfitted (fit works on clones)
        for name, value in m.get_params(deep=False).items():
            for est in estimators_in(value):
                assert not learned(est), f"{cls.__name__}.{name} was fitted in place"


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_pickles_unfitted_and_fitted(cls):
    # parallel backtests and predict_many ship models to worker processes
    for model in examples(cls):
        assert same(pickle.loads(pickle.dumps(model)).get_params(deep=False),
                    model.get_params(deep=False))
        m = fit(model.clone())
        again = pickle.loads(pickle.dumps(m))
        np.testing.assert_array_equal(again.predict(3, n_paths=20, seed=0).paths,
                                      m.predict(3, n_paths=20, seed=0).paths)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_predict_before_fit_raises(cls):
    for model in examples(cls):
        with pytest.raises(ModelError, match="not fitted"):
            model.clone().predict(3)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_fits_on_min_obs_and_refuses_fewer(cls):
    for model in examples(cls):
        n = model.min_obs
        assert isinstance(n, int) and n >= 1
        f = fit(model.clone(), Y.iloc[-n:]).predict(2, n_paths=20, seed=0)
        assert np.all(np.isfinite(f.paths))
        if n > 1:
            with pytest.raises(ModelError):
                fit(model.clone(), Y.iloc[-(n - 1):])


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_seeds_reproduce_and_differ(cls):
    for model in examples(cls):
        m = fit(model.clone())
        a = m.predict(4, n_paths=100, seed=3)
        b = fit(model.clone()).predict(4, n_paths=100, seed=3)
        np.testing.assert_array_equal(a.paths, b.paths)
        np.testing.assert_array_equal(a.point, b.point)
        c = m.predict(4, n_paths=100, seed=4)
        assert not np.array_equal(a.paths, c.paths), f"{model!r}: seeds 3 and 4 give one path set"
        np.testing.assert_array_equal(a.point, c.point)  # the point forecast is not random
        # refitting leaves nothing of the earlier fit behind: fitted on other data first,
        # then on Y, a model forecasts as one fitted on Y only
        refit = fit(fit(model.clone(), Y_DECLINING))
        np.testing.assert_array_equal(refit.predict(4, n_paths=100, seed=3).paths, a.paths)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_shapes_index_and_monotone_quantiles(cls):
    levels = np.linspace(0.01, 0.99, 25)
    for model in examples(cls):
        m = fit(model.clone())
        for h, n_paths in ((1, 1), (5, 37)):
            f = m.predict(h, n_paths=n_paths, seed=0)
            assert f.paths.shape == (n_paths, h)
            assert len(f.point) == h and np.all(np.isfinite(f.point))
            assert np.all(np.isfinite(f.paths))
            assert list(f.index) == list(pd.period_range("2021", periods=h, freq="Y"))
            q = f.quantile(list(levels)).to_numpy()
            assert q.shape == (h, len(levels))
            assert np.all(np.diff(q, axis=1) >= 0)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_positive_series_give_no_negative_paths(cls):
    for model in examples(cls):
        for y in (Y, Y_DECLINING):
            f = fit(model.clone(), y).predict(8, n_paths=500, seed=1)
            assert np.all(f.paths >= 0), f"{model!r}: min path {f.paths.min():g}"
            assert np.all(f.point >= 0)


@pytest.mark.parametrize("cls", MODELS, ids=IDS)
def test_refuses_X_unless_it_uses_it(cls):
    assert isinstance(cls.uses_exog, bool)
    for model in examples(cls):
        uses = model.uses_exog  # a combination uses X when its members do
        assert isinstance(uses, bool)
        if not uses:
            with pytest.raises(ModelError) as err:
                fit(model.clone(), Y, X)
            assert cls.__name__ in str(err.value) and "X" in str(err.value)
            with pytest.raises(ModelError, match="X_future"):
                fit(model.clone()).predict(4, X_future=X_FUTURE)
            continue
        with_x = fit(model.clone(), Y, X).predict(4, n_paths=50, seed=0, X_future=X_FUTURE)
        without = fit(model.clone(), Y).predict(4, n_paths=50, seed=0)
        assert with_x.paths.shape == (50, 4)
        assert not np.allclose(with_x.point, without.point), f"{model!r} ignores X"
