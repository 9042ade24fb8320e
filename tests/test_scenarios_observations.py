"""Press counts as intervals, and the interval-censored likelihood against scipy."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from forecast.errors import ScenarioError
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
        "count_words": ["", "", "", "decenas", "", "un centenar"],
        "statement": ["stock", "stock", "stock", "stock", "stock", "peak"],
        "window_days": [1, 1, 1, 1, 1, 5],
        "side": ["unknown", "unknown", "unknown", "CL", "PE", "unknown"],
        "reliability": ["B", "C", "A", "C", "C", "B"],
    }).set_index("date")


def test_intervals_from_ranges_points_and_words():
    obs = obsmod.from_frame(_frame(), "2023-04").after("2023-04-26")
    assert [str(d) for d in obs.dates] == ["2023-05-04", "2023-05-08", "2023-05-15"]
    assert obs.low.tolist() == [300, pytest.approx(382.5), 0]
    assert obs.high.tolist() == [np.inf, pytest.approx(517.5), 0]
    assert obs.scale.tolist() == [1.25 * 1.5, 1.0, 0.75]
    nov = obsmod.from_frame(_frame(), "2025-11", exclude_sides=["PE"])
    assert len(nov) == 1 and (nov.low[0], nov.high[0]) == (20, 99)
    both = obsmod.from_frame(_frame(), "2025-11")   # nothing excluded unless the file says so
    assert len(both) == 2
    peak = obsmod.from_frame(_frame(), "2023-04").until("2023-04-26")
    assert peak.statements == ["peak"] and peak.window.tolist() == [5]
    assert (peak.low[0], peak.high[0]) == (80, 130)


def test_a_row_without_any_count_and_a_bad_statement_are_errors():
    bad = _frame().reset_index()
    bad.loc[0, ["point", "count_words"]] = [np.nan, ""]
    with pytest.raises(ScenarioError, match="row 1 .*no count"):
        obsmod.from_frame(bad, "2023-04")
    bad = _frame().reset_index()
    bad.loc[0, "statement"] = "maximum"
    with pytest.raises(ScenarioError, match="statement 'maximum'; valid: stock, peak, average"):
        obsmod.from_frame(bad, "2023-04")
    bad = _frame().reset_index()
    bad.loc[0, "count_words"] = "un montón"
    bad.loc[0, "point"] = np.nan
    with pytest.raises(ScenarioError, match="un montón"):
        obsmod.from_frame(bad, "2023-04")


def test_statistic_reads_stock_peak_and_average_over_their_window():
    frame = pd.DataFrame({"date": pd.to_datetime(["2030-01-05", "2030-01-05", "2030-01-05"]),
                          "low": [1, 1, 1], "high": [9, 9, 9],
                          "statement": ["stock", "peak", "average"], "window_days": [1, 3, 3]})
    obs = obsmod.from_frame(frame)
    stock = np.array([[0, 1, 2, 9, 4, 3], [5, 5, 5, 5, 5, 5]])   # columns: 1 ... 6 Jan
    values = obsmod.statistic(stock, obs, pd.Timestamp("2029-12-31"))
    # day 5 Jan is column 5: stock 3; peak over 3..5 Jan = 9; mean over 3..5 Jan = 16/3
    assert values[0].tolist() == [3.0, 9.0, pytest.approx(16 / 3)]
    assert values[1].tolist() == [5.0, 5.0, 5.0]


def test_reports_of_one_day_share_an_error_term():
    """Two reports of the same day: quadrature against a Monte Carlo of the shared error."""
    frame = pd.DataFrame({"date": pd.to_datetime(["2030-01-05", "2030-01-05"]),
                          "low": [90, 110], "high": [130, 160], "reliability": ["B", "B"]})
    obs = obsmod.from_frame(frame)
    values, sigma = np.array([[120.0, 120.0]]), np.array([0.3])
    got = obsmod.loglik(values, obs, sigma)[0]
    rng = np.random.default_rng(0)
    n, rho = 2_000_000, obsmod.SAME_DAY_CORRELATION
    e = np.sqrt(rho) * rng.standard_normal((n, 1)) + np.sqrt(1 - rho) * rng.standard_normal((n, 2))
    c = np.log1p(120.0) + 0.3 * e
    inside = ((c >= np.log([90.5, 110.5])) & (c <= np.log([131.5, 161.5]))).all(axis=1)
    assert got == pytest.approx(np.log(inside.mean()), abs=0.01)
    # two reports of one range agree more often than independent ones would
    same = obsmod.from_frame(frame.assign(low=[90, 90], high=[130, 130]))
    joint = obsmod.loglik(values, same, sigma)[0]
    alone = obsmod.loglik(values[:, :1], same._take(np.array([True, False])), sigma)[0]
    assert joint > 2 * alone + 0.1


def test_loglik_matches_scipy_by_hand():
    obs = obsmod.from_frame(_frame(), "2023-04").after("2023-04-26")
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
    obs23, obs25 = obsmod.load("2023-04"), obsmod.load("2025-11", exclude_sides=["PE"])
    assert len(obs23) >= 5 and len(obs25) >= 3
    assert np.all(obs23.low <= obs23.high)


def _one(low, high, date="2030-01-05"):
    return obsmod.from_frame(pd.DataFrame({"date": pd.to_datetime([date]), "low": [low],
                                           "high": [high], "reliability": ["B"]}))


def _p(z, s, low, high):
    return norm.cdf((np.log(high + 1.5) - z) / s) - norm.cdf((np.log(low + 0.5) - z) / s)


def test_outlier_mixture_by_hand():
    obs = _one(40, 50)
    stock, sigma, eps = 120.0, 0.3, 0.2
    got = obsmod.loglik(np.array([[stock]]), obs, np.array([sigma]), np.array([eps]))[0]
    z, k = np.log1p(stock), obsmod.OUTLIER_SCALE
    expected = (1 - eps) * _p(z, sigma, 40, 50) + eps * _p(z, k * sigma, 40, 50)
    assert got == pytest.approx(np.log(expected), rel=1e-10)
    # without outliers it is the plain single-report probability
    plain = obsmod.loglik(np.array([[stock]]), obs, np.array([sigma]))[0]
    assert plain == pytest.approx(np.log(_p(z, sigma, 40, 50)), rel=1e-10)


def test_outliers_of_a_day_are_their_own_error():
    """Two reports of one day with outliers: quadrature against a Monte Carlo."""
    frame = pd.DataFrame({"date": pd.to_datetime(["2030-01-05", "2030-01-05"]),
                          "low": [90, 300], "high": [130, 400], "reliability": ["B", "B"]})
    obs = obsmod.from_frame(frame)
    values, sigma, eps = np.array([[120.0, 120.0]]), np.array([0.3]), 0.15
    got = obsmod.loglik(values, obs, sigma, np.array([eps]))[0]
    rng = np.random.default_rng(2)
    n, rho, k = 2_000_000, obsmod.SAME_DAY_CORRELATION, obsmod.OUTLIER_SCALE
    e = np.sqrt(rho) * rng.standard_normal((n, 1)) + np.sqrt(1 - rho) * rng.standard_normal((n, 2))
    wide = rng.random((n, 2)) < eps
    e = np.where(wide, k * rng.standard_normal((n, 2)), e)
    c = np.log1p(120.0) + 0.3 * e
    inside = ((c >= np.log([90.5, 300.5])) & (c <= np.log([131.5, 401.5]))).all(axis=1)
    assert got == pytest.approx(np.log(inside.mean()), abs=0.02)


def test_an_outlier_probability_makes_a_far_report_far_less_damning():
    obs = _one(900, 1000)
    values, sigma = np.array([[50.0]]), np.array([0.3])
    without = obsmod.loglik(values, obs, sigma)[0]
    with_ = obsmod.loglik(values, obs, sigma, np.array([0.1]))[0]
    assert with_ > without + 10


def test_components_match_draws_of_the_predictive():
    """The weighted components give the probability a simulated press count falls in a range."""
    from forecast.metrics import censored_count_scores

    rng = np.random.default_rng(1)
    n = 400
    stock = rng.integers(0, 300, size=(n, 6))
    sigma, eps = rng.uniform(0.2, 0.6, n), rng.uniform(0, 0.3, n)
    obs = _one(40, 80, "2030-01-04")
    start = pd.Timestamp("2029-12-31")
    m, s, w = obsmod.components(stock, obs, start, sigma, eps)
    assert m.shape == (2 * n, 1) and w.sum() == pytest.approx(1.0)
    got = np.exp(censored_count_scores(m, s, obs.low, obs.high, np.array([0.5]),
                                       weights=w)["log_score"][0])
    reps = 2000
    draws = np.stack([obsmod.predictive(stock, sigma, rng, eps)[:, 4] for _ in range(reps)])
    freq = ((np.round(draws) >= 40) & (np.round(draws) <= 80)).mean()
    assert got == pytest.approx(freq, abs=0.01)
