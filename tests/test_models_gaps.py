"""Series with missing years are fitted on their last contiguous stretch, with a warning."""

import numpy as np
import pandas as pd
import pytest

from forecast.errors import ModelError
from forecast.models import Drift, GapWarning, Naive


def gapped():
    idx = pd.PeriodIndex(["2005", "2014", "2017", "2018", "2019", "2020"], freq="Y")
    return pd.Series([10.0, 40.0, 100.0, 110.0, 120.0, 130.0], index=idx)


def test_drift_uses_only_years_after_the_gap():
    with pytest.warns(GapWarning, match="2017–2020"):
        model = Drift(positive=False).fit(gapped())
    f = model.predict(2, n_paths=10, seed=0)
    # slope of 2017-2020 is 10 per year; including 2005/2014 as consecutive would give 24
    np.testing.assert_allclose(f.point.to_numpy(), [140.0, 150.0])
    assert list(f.index.astype(str)) == ["2021", "2022"]


def test_contiguous_series_does_not_warn(recwarn):
    y = gapped().iloc[2:]
    Naive().fit(y)
    assert not [w for w in recwarn if issubclass(w.category, GapWarning)]


def test_stretch_too_short_is_an_error():
    idx = pd.PeriodIndex(["2010", "2011", "2012", "2020"], freq="Y")
    with pytest.raises(ModelError, match="last contiguous stretch"):
        Drift().fit(pd.Series([1.0, 2.0, 3.0, 4.0], index=idx))


def test_unsorted_periods_are_sorted_and_X_follows_its_rows():
    # the one order rule (forecast.panel): sort, as predict_many and backtest do
    idx = pd.PeriodIndex(["2012", "2011", "2013"], freq="Y")
    model = Naive(positive=False).fit(pd.Series([2.0, 1.0, 3.0], index=idx))
    assert list(model.index_.astype(str)) == ["2011", "2012", "2013"]
    np.testing.assert_array_equal(model.y_, [1.0, 2.0, 3.0])
    f = model.predict(1, n_paths=5, seed=0)
    assert f.point.tolist() == [3.0] and str(f.index[0]) == "2014"
    from forecast.models import Regression

    # X rows travel with their y rows: y = 2x exactly, in any row order
    x = np.arange(1.0, 9.0)
    order = np.array([3, 0, 6, 1, 7, 2, 5, 4])
    years = pd.period_range("2000", periods=8, freq="Y")
    y = pd.Series(2 * x[order], index=years[order])
    fitted = Regression(lags=1, positive=False).fit(y, X=x[order])
    future = fitted.predict(1, n_paths=5, seed=0, X_future=[9.0]).point
    assert future.iloc[0] == pytest.approx(18.0)


def test_duplicate_periods_are_an_error():
    idx = pd.PeriodIndex(["2011", "2012", "2012"], freq="Y")
    with pytest.raises(ModelError, match="more than one value for 2012"):
        Naive().fit(pd.Series([1.0, 2.0, 3.0], index=idx))
