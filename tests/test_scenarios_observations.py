"""Press counts as intervals, and the interval-censored likelihood against scipy."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from forecast.scenarios import observations as obsmod


def _frame():
    return pd.DataFrame({
        "date": pd.to_datetime(["2023-05-08", "2023-05-04", "2023-05-15", "2025-11-28",
                                "2025-11-22", "2023-04-26"]),
        "date_precision": ["day", "approx", "day", "day", "day", "approx"],
        "episode": ["2023-04", "2023-04", "2023-04", "2025-11", "2025-11", "2023-04"],
        "low": [np.nan, 300, 0, np.nan, 400, np.nan],
        "high": [np.nan, np.nan, 0, np.nan, 500, np.nan],
        "point": [450, np.nan, 0, np.nan, np.nan, np.nan],
        "verbal": ["", "más de 300", "ninguna", "decenas", "", "ha habido"],
        "side": ["unknown", "unknown", "unknown", "CL", "PE", "unknown"],
        "reliability": ["B", "C", "A", "C", "C", "B"],
    }).set_index("date")


def test_intervals_from_ranges_points_and_words():
    obs = obsmod.from_frame(_frame(), "2023-04")
    assert [str(d) for d in obs.dates] == ["2023-05-04", "2023-05-08", "2023-05-15"]
    assert obs.low.tolist() == [300, pytest.approx(382.5), 0]
    assert obs.high.tolist() == [np.inf, pytest.approx(517.5), 0]
    assert obs.scale.tolist() == [1.25 * 1.5, 1.0, 0.75]
    nov = obsmod.from_frame(_frame(), "2025-11")  # the Peru-side row is left out
    assert len(nov) == 1 and (nov.low[0], nov.high[0]) == (20, 99)


def test_loglik_matches_scipy_by_hand():
    obs = obsmod.from_frame(_frame(), "2023-04")
    stock = np.array([[350.0, 400.0, 3.0]])
    sigma = np.array([0.3])
    z = np.log1p(stock[0])
    s = 0.3 * obs.scale
    p0 = 1 - norm.cdf((np.log(300.5) - z[0]) / s[0])
    p1 = (norm.cdf((np.log(517.5 + 1.5) - z[1]) / s[1])
          - norm.cdf((np.log(382.5 + 0.5) - z[1]) / s[1]))
    p2 = norm.cdf((np.log(1.5) - z[2]) / s[2])
    expected = np.log(p0) + np.log(p1) + np.log(p2)
    assert obsmod.loglik(stock, obs, sigma)[0] == pytest.approx(expected, rel=1e-10)


def test_loglik_prefers_stocks_inside_the_interval():
    obs = obsmod.from_frame(_frame(), "2023-04").between("2023-05-08", "2023-05-08")
    ll = obsmod.loglik(np.array([[450.0], [150.0], [2000.0]]), obs, np.full(3, 0.3))
    assert ll[0] > ll[1] and ll[0] > ll[2]


def test_bundled_dataset_gives_both_episodes():
    pytest.importorskip("forecast.datasets")
    try:
        obs23, obs25 = obsmod.load("2023-04"), obsmod.load("2025-11")
    except Exception as exc:  # the loader is developed alongside
        pytest.skip(f"dataset not loadable: {exc}")
    assert len(obs23) >= 5 and len(obs25) >= 3
    assert np.all(obs23.low <= obs23.high)
