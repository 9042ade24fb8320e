"""Ensemble: elementwise combination of members' paths, cloning, weights, warnings."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.errors import ModelError
from forecast.models import ETS, Ensemble, OptimizedTheta, ShortSeriesWarning, Theta
from forecast.models.ensemble import median3

Y = np.array([10.0, 12, 13, 15, 16, 18, 21, 22, 24, 27, 28, 30])


def _members():
    return [Theta(positive=False), OptimizedTheta(positive=False),
            ETS(refine=False, positive=False)]


@pytest.mark.parametrize("combine", ["median", "mean", [0.2, 0.5, 0.3]])
def test_combines_member_paths_elementwise(combine):
    e = Ensemble(_members(), combine=combine, positive=False).fit(Y)
    f = e.predict(4, n_paths=30, seed=5)
    # members are driven by the same seed drawn from the ensemble's generator
    seed = int(np.random.default_rng(5).integers(2**63))
    fs = [m.predict(4, n_paths=30, seed=seed) for m in e.members_]
    P = np.stack([g.paths for g in fs])
    pts = np.stack([g._point for g in fs])
    if combine == "median":
        exp, ep = np.median(P, axis=0), np.median(pts, axis=0)
    elif combine == "mean":
        exp, ep = P.mean(axis=0), pts.mean(axis=0)
    else:
        w = np.array(combine) / np.sum(combine)
        exp, ep = np.tensordot(w, P, axes=1), w @ pts
    np.testing.assert_allclose(f.paths, exp)
    np.testing.assert_allclose(f.point, ep)


@pytest.mark.parametrize("positive", [False, True])
def test_members_take_the_ensembles_prepared_series(positive):
    # unsorted years with a gap: the ensemble sorts and cuts once (last contiguous years);
    # each member is then the same as that member fitted alone on the prepared series, and
    # is usable on its own (index, transform, predict), in and out of a batch
    import pandas as pd

    years = [2021, 2005, 2014, 2017, 2018, 2019, 2020, 2016, 2015, 2013, 2012, 2011]
    y = pd.Series(np.r_[Y[:6] * 3, Y[6:]], index=pd.PeriodIndex(years, freq="Y"))
    members = [Theta(positive=positive), OptimizedTheta(positive=positive)]
    with pytest.warns(UserWarning):
        alone = Ensemble(members, positive=positive).fit(y)
    with pytest.warns(UserWarning):
        batch = Ensemble(members, positive=positive).fit_many([y, y * 2])[0]
    prepared = pd.Series(alone.y_, index=alone.index_)
    assert list(alone.index_.year) == list(range(2011, 2022))  # 2005 cut
    for e in (alone, batch):
        for m, proto in zip(e.members_, members, strict=True):
            ref = proto.clone().fit(prepared)
            assert m.index_.equals(ref.index_) and m.transform_ == ref.transform_
            np.testing.assert_array_equal(m.y_, ref.y_)
            f, g = m.predict(3, n_paths=40, seed=1), ref.predict(3, n_paths=40, seed=1)
            np.testing.assert_array_equal(f.paths, g.paths)
            assert f.index.equals(g.index)


def test_members_are_cloned_and_clone_is_unfitted():
    members = _members()
    e = Ensemble(members).fit(Y)
    assert all(not hasattr(m, "fit_") and not hasattr(m, "alpha_") for m in members)
    assert all(a is not b for a, b in zip(e.members_, members, strict=True))
    c = e.clone()
    assert not hasattr(c, "members_")
    assert repr(c.get_params()) == repr(e.get_params())


def test_short_series_warns_and_drops():
    with pytest.warns(ShortSeriesWarning, match="OptimizedTheta"):
        e = Ensemble([Theta(), OptimizedTheta()]).fit([3.0, 4.0, 5.0])
    assert len(e.members_) == 1
    with pytest.raises(ModelError):
        Ensemble([OptimizedTheta()]).fit([1.0, 2.0])


def test_min_obs_is_the_fewest_a_member_needs():
    # backtests start where min_obs says the model can be fitted: not before any member can
    assert Ensemble([Theta(), OptimizedTheta()]).min_obs == 3
    assert Ensemble([OptimizedTheta(), ETS()]).min_obs == 4
    with pytest.raises(ModelError, match="needs at least 4"):
        Ensemble([OptimizedTheta(), ETS()]).fit([1.0, 2.0, 3.0])


def test_bad_combine():
    with pytest.raises(ModelError):
        Ensemble(_members(), combine="max").fit(Y)
    with pytest.raises(ModelError):
        Ensemble(_members(), combine=[1.0, 2.0]).fit(Y)
    with pytest.raises(ModelError):
        Ensemble([]).fit(Y)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False) | st.sampled_from([0.0, -0.0, 1.0]),
                min_size=3, max_size=60).filter(lambda v: len(v) % 3 == 0))
def test_median3_equals_np_median(values):
    a, b, c = np.array(values).reshape(3, -1)
    expected = np.median(np.stack([a, b, c]), axis=0)
    np.testing.assert_array_equal(median3(a.copy(), b.copy(), c.copy()), expected)
    big = np.random.default_rng(0).standard_normal((3, 200, 6))
    np.testing.assert_array_equal(median3(*big), np.median(big, axis=0))
