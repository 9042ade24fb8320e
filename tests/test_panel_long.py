"""The whole-frame path of ``prepare_panel`` for long frames gives what the per-series path
gives (same series, same values, same index dtype, same warnings), including gaps, shuffled
rows and ids that need sorting; inputs it does not handle fall back to the per-series path."""

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.errors import DataError, ModelError
from forecast.panel import GapWarning, _prepare_long, prepare_panel


def per_series(frame):
    """The same frame as a dict of Series: always the per-series path."""
    return {uid: pd.Series(g["y"].to_numpy(), index=pd.Index(g["ds"].array))
            for uid, g in frame.groupby("unique_id", sort=False)}


def run(data, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = prepare_panel(data, error=DataError, **kw)
    return out, [str(w.message) for w in caught if issubclass(w.category, GapWarning)]


@st.composite
def frames(draw):
    n_series = draw(st.integers(1, 5))
    period = draw(st.booleans())
    rows = []
    for i in range(n_series):
        years = sorted(draw(st.sets(st.integers(1990, 2030), min_size=1, max_size=12)))
        values = draw(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=len(years),
                               max_size=len(years)))
        uid = draw(st.sampled_from(["b", "a", "c", "z", "m"])) + str(i)
        rows += [(uid, t, v) for t, v in zip(years, values, strict=True)]
    frame = pd.DataFrame(rows, columns=["unique_id", "ds", "y"])
    if period:
        frame["ds"] = pd.PeriodIndex.from_ordinals(frame["ds"] - 1970, freq="Y")
    perm = draw(st.permutations(range(len(frame))))
    return frame.iloc[list(perm)].reset_index(drop=True)


@settings(max_examples=80, deadline=None)
@given(frames())
def test_long_frame_matches_per_series(frame):
    fast, fast_warn = run(frame)
    slow, slow_warn = run(per_series(frame))
    assert list(fast) == list(slow)
    for uid in slow:
        pd.testing.assert_series_equal(fast[uid], slow[uid], check_names=False)
        assert fast[uid].index.dtype == slow[uid].index.dtype
    assert fast_warn == slow_warn


def test_gap_example_cut_and_warned():
    years = [2005, 2014, 2017, 2018, 2019, 2020, 2021]
    frame = pd.DataFrame({"unique_id": "x", "y": np.arange(7.0) + 1,
                          "ds": pd.PeriodIndex([str(y) for y in years], freq="Y")})
    out, warned = run(frame.iloc[::-1])
    assert list(out["x"].index.year) == [2017, 2018, 2019, 2020, 2021]
    assert out["x"].tolist() == [3.0, 4.0, 5.0, 6.0, 7.0]
    assert warned == ["series 'x': y has gaps (after 2005, 2014); fitting on the last "
                      "contiguous stretch 2017–2021 (5 points)"]


@pytest.mark.parametrize("frame", [
    pd.DataFrame({"unique_id": ["a", "a"], "ds": [1, 1], "y": [1.0, 2.0]}),       # duplicate
    pd.DataFrame({"unique_id": ["a", "a"], "ds": [1, 2], "y": [1.0, np.nan]}),    # NaN
    pd.DataFrame({"unique_id": ["a", "a"], "ds": [1, 2], "y": [1.0, 1e301]}),     # too big
    pd.DataFrame({"unique_id": ["a", None], "ds": [1, 2], "y": [1.0, 2.0]}),      # no id
    pd.DataFrame({"unique_id": ["a", "a"], "ds": ["1", "2"], "y": [1.0, 2.0]}),   # str ds
    pd.DataFrame({"unique_id": ["a", "a"], "ds": [1, 2], "y": ["1", "x"]}),       # str y
])
def test_inputs_with_errors_go_to_the_per_series_path(frame):
    assert _prepare_long(frame, error=DataError, min_obs=1, model=None) is None
    with pytest.raises(DataError, match="series 'a'|unique_id"):
        prepare_panel(frame, error=DataError)


def test_too_short_is_the_per_series_model_error():
    frame = pd.DataFrame({"unique_id": ["a", "a", "b"], "ds": [1, 2, 1], "y": [1.0, 2, 3]})
    with pytest.raises(ModelError, match="series 'b': Theta needs at least 2"):
        prepare_panel(frame, error=DataError, min_obs=2, model="Theta")
