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


def test_unsorted_periods_are_an_error():
    idx = pd.PeriodIndex(["2012", "2011", "2013"], freq="Y")
    with pytest.raises(ModelError, match="unique and increasing"):
        Naive().fit(pd.Series([1.0, 2.0, 3.0], index=idx))
