"""Recalibration on a panel's own rolling origins: the intercept shift by hand, the rows it
scores, that it moves a wrong calibration toward the truth, and that the recalibrated model
forecasts alike through every entry point."""

from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from test_models_calibration import normal_table

import forecast as fc
from forecast import recalibration as R
from forecast.errors import DataError, ModelError
from forecast.jobs import job_seed
from forecast.models import Auto, Theta
from forecast.models import calibration as C


# -- adapt, by hand -----------------------------------------------------------------------
def test_adapt_moves_each_step_by_its_shrunk_mean_residual():
    cal = replace(normal_table(h=3), disagreement=0.5, length=0.1)
    step = np.array([1, 1, 1, 2])
    ldis = np.array([0.0, 1.0, -1.0, 0.2])
    n_obs = np.array([10, 20, 30, 10])
    pred = cal.predict_rows(step, ldis, n_obs)
    np.testing.assert_allclose(pred, 0.5 * ldis + 0.1 * np.log(n_obs))  # intercepts log 1 = 0
    lz = pred + np.array([0.3, 0.6, 0.9, -0.4])
    full = C.adapt(cal, step, ldis, n_obs, lz, strength=0.0)
    # step 1: mean of 0.3, 0.6, 0.9; step 2: -0.4; step 3 has no rows and carries step 2's
    np.testing.assert_allclose(full.step_intercepts, [0.6, -0.4, -0.4])
    shrunk = C.adapt(cal, step, ldis, n_obs, lz, strength=3.0)
    np.testing.assert_allclose(shrunk.step_intercepts, [1.8 / 6, -0.4 / 4, -0.4 / 4])
    # the slopes, the residual table and the ranges stay as learned
    for field in ("disagreement", "length", "residual_probs", "residual_quantiles",
                  "ln_range", "ldis_range"):
        assert getattr(shrunk, field) == getattr(cal, field)
    assert shrunk.source["rows_per_step"] == [3, 1, 0]
    # a huge strength keeps the pooled calibration
    np.testing.assert_allclose(C.adapt(cal, step, ldis, n_obs, lz, strength=1e12)
                               .step_intercepts, 0.0, atol=1e-11)


def test_adapt_extends_the_steps_a_panel_reaches_beyond_the_table():
    cal = normal_table(h=2)
    step = np.array([1, 2, 3, 4])
    out = C.adapt(cal, step, np.zeros(4), np.full(4, 10), np.array([0.1, 0.2, 0.3, 0.4]),
                  strength=0.0)
    np.testing.assert_allclose(out.step_intercepts, [0.1, 0.2, 0.3, 0.4])


def test_adapt_clips_each_residual_to_the_table_range():
    cal = normal_table(h=1)
    top = cal.residual_quantiles[-1]
    # one row 40 log units out (a flat stretch's spread of 1e-16) counts as the table's top
    out = C.adapt(cal, [1, 1], [0.0, 0.0], [10, 10], [0.0, 40.0], strength=0.0)
    assert out.step_intercepts[0] == pytest.approx(top / 2)


def test_adapt_refuses_a_missing_strength_and_bad_rows():
    cal = normal_table()
    with pytest.raises(ModelError, match="no learned adapt_strength"):
        C.adapt(cal, [1], [0.0], [10], [0.0])  # the table has no adapt_strength
    for bad in (-1.0, "3", np.nan, True):
        with pytest.raises(ModelError, match=f"strength must be .*got {bad!r}"):
            C.adapt(cal, [1], [0.0], [10], [0.0], strength=bad)
    with pytest.raises(ModelError, match="equally long"):
        C.adapt(cal, [1, 2], [0.0], [10], [0.0], strength=1.0)
    for rows, what in ((([1], [0.0], [10], [np.nan]), "lz"),
                       (([1, 2], [0.0, np.nan], [10, 10], [0.0, 0.0]), "ldis"),
                       (([1], [0.0], [0], [0.0]), "n_obs"),
                       (([2.7], [0.0], [10], [0.0]), "step"),
                       (([0], [0.0], [10], [0.0]), "step")):
        with pytest.raises(ModelError, match=f"bad rows in {what}"):
            C.adapt(cal, *rows, strength=1.0)
    learned = replace(cal, adapt_strength=4.0)
    assert C.adapt(learned, [1], [0.0], [10], [1.0]).step_intercepts[0] == pytest.approx(0.2)
    # persisted, and checked when read
    assert C.Calibration.from_json(learned.to_json()) == learned
    for bad in (-2.0, "300"):
        with pytest.raises(ModelError, match="adapt_strength"):
            C.Calibration.from_json(replace(cal, adapt_strength=bad).to_json())


def test_quantile_score_is_the_pinball_loss():
    cal = replace(normal_table(h=1), disagreement=0.5)
    lz = np.array([-1.0, 0.0, 2.0])
    ldis = np.array([-2.0, 0.5, 1.0])
    q80, q95 = np.interp([0.8, 0.95], cal.residual_probs, cal.residual_quantiles)
    expect = sum(np.mean(np.maximum(p * (lz - 0.5 * ldis - q), (p - 1) * (lz - 0.5 * ldis - q)))
                 for p, q in ((0.8, q80), (0.95, q95)))
    assert cal.quantile_score([1, 1, 1], ldis, [10] * 3, lz) == pytest.approx(expect)


def test_shipped_table_has_a_learned_strength():
    assert C.default().adapt_strength is not None and C.default().adapt_strength >= 0


# -- the rows -----------------------------------------------------------------------------
def test_rolling_errors_score_each_cut_on_the_values_after_it():
    y = np.r_[np.linspace(10.0, 40.0, 14), 55.0, 41.0, 47.0]  # 17 points
    panel = pd.DataFrame({"unique_id": "a", "ds": np.arange(17), "y": y})
    rows = R.rolling_errors(Auto(), panel, h=2, origins=3, n_paths=200)
    # cuts at 16, 15, 14 points: steps 1; 1, 2; 1, 2
    assert rows["n"].tolist() == [16, 15, 15, 14, 14]
    assert rows["step"].tolist() == [1, 1, 2, 1, 2]
    assert rows["origin"].tolist() == [15, 14, 14, 13, 13]
    np.testing.assert_array_equal(rows["actual"], [y[16], y[15], y[16], y[14], y[15]])
    # the point is the raw combination's forecast from the cut, with its job seed
    raw = Auto(calibration=None).fit(y[:15])
    f = raw.predict(2, n_paths=200, seed=job_seed(0, "a", "Auto", 14))
    np.testing.assert_allclose(rows["point"].iloc[1:3], f.point)
    np.testing.assert_allclose(rows["sd"].iloc[1:3], C.path_scale(f._point, f.paths))
    np.testing.assert_allclose(rows["lz"], C.log_abs_z(rows["actual"], rows["point"],
                                                       rows["sd"]))


def test_rolling_errors_skip_cuts_too_short_and_refuse_a_panel_with_none():
    shortest = int(round(np.exp(C.default().ln_range[0])))
    y = np.arange(1.0, shortest + 3)  # room for two cuts
    rows = R.rolling_errors(Auto(), {"a": pd.Series(y)}, h=4, n_paths=50)
    assert sorted(rows["n"].unique()) == [shortest, shortest + 1]
    with pytest.raises(DataError, match="no series is long enough"):
        R.rolling_errors(Auto(), {"a": pd.Series(np.arange(1.0, shortest + 1))}, h=2)


def test_rolling_errors_line_up_on_series_of_unequal_length():
    rng = np.random.default_rng(7)
    panel = {name: pd.Series(50 + np.cumsum(rng.normal(1, 3, n)))
             for name, n in (("b", 13), ("a", 10), ("c", 9))}
    rows = R.rolling_errors(Auto(), panel, h=3, n_paths=100)
    for uid, part in rows.groupby("unique_id"):
        y = panel[uid].to_numpy()
        np.testing.assert_array_equal(part["actual"], y[part["n"] + part["step"] - 1])
        np.testing.assert_array_equal(part["origin"], part["n"] - 1)
    assert rows.groupby("unique_id").size().to_dict() == {"a": 6, "b": 6, "c": 3}


def test_flat_stretches_give_no_rows():
    shortest = int(round(np.exp(C.default().ln_range[0])))
    flat = np.r_[np.full(shortest + 2, 5.0), 9.0]  # the cuts see a constant history
    rng = np.random.default_rng(1)
    panel = {"flat": pd.Series(flat), "walk": pd.Series(20 + np.cumsum(rng.normal(size=15)))}
    rows = R.rolling_errors(Auto(), panel, h=2, n_paths=100)
    assert set(rows["unique_id"]) == {"walk"}
    with pytest.raises(DataError, match="flat"):
        R.rolling_errors(Auto(), {"flat": pd.Series(flat)}, h=2, n_paths=100)


def test_a_bad_strength_is_named_before_any_fitting():
    own = Auto(calibration=normal_table())  # learned by hand: no adapt_strength
    too_short = {"a": pd.Series([1.0, 2.0, 3.0, 4.0])}  # fitting would fail otherwise
    with pytest.raises(ModelError, match="no learned adapt_strength"):
        fc.recalibrate(own, too_short, 2)
    with pytest.raises(ModelError, match="got -5"):
        fc.recalibrate(Auto(), too_short, 2, strength=-5)


def test_recalibrate_needs_an_auto_with_a_calibration():
    panel = {"a": pd.Series(np.arange(1.0, 20.0))}
    with pytest.raises(ModelError, match="needs an Auto"):
        fc.recalibrate(Theta(), panel, 2)
    with pytest.raises(ModelError, match="no calibration to move"):
        fc.recalibrate(Auto(calibration=None), panel, 2)


# -- what it does -------------------------------------------------------------------------
def cycles(n_series=120, n=22, h=3, seed=0):
    """Series on a 9-year cycle with little noise: each member tracks the recent level, so
    its one-step noise model is narrow and the pooled calibration much too narrow here."""
    rng = np.random.default_rng(seed)
    t = np.arange(n + h)
    train, test = [], []
    for i in range(n_series):
        y = 100 + 6 * np.sin(2 * np.pi * t / 9 + rng.uniform(0, 2 * np.pi)) \
            + 0.5 * rng.normal(size=n + h)
        train.append(pd.DataFrame({"unique_id": f"s{i:03d}", "ds": t[:n], "y": y[:n]}))
        test.append(pd.DataFrame({"unique_id": f"s{i:03d}", "step": np.arange(1, h + 1),
                                  "y": y[n:]}))
    return pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True)


def coverage80(model, train, test):
    out = fc.predict_many(model, train, h=3, n_paths=500, quiet=True)
    out = out.merge(test, on=["unique_id", "step"], validate="1:1")
    return float(np.mean((out["y"] >= out["q10"]) & (out["y"] <= out["q90"])))


def test_recalibration_moves_a_wrong_calibration_toward_held_out_coverage():
    train, test = cycles()
    recal = fc.recalibrate(Auto(), train, 3, n_paths=500, strength=100.0)
    # the panel's rolling origins say the pooled calibration is too narrow at every step
    assert min(recal.calibration.source["shift"]) > 0.1
    before, after = coverage80(Auto(), train, test), coverage80(recal, train, test)
    assert before < 0.6  # the pooled calibration is wrong here: the test means something
    assert abs(after - 0.8) < abs(before - 0.8) - 0.1


def test_recalibration_is_deterministic_and_the_same_for_any_n_jobs():
    train, _ = cycles(n_series=12)
    one = fc.recalibrate(Auto(), train, 3, n_paths=200, strength=10.0, seed=3)
    two = fc.recalibrate(Auto(), train, 3, n_paths=200, strength=10.0, seed=3, n_jobs=2)
    assert one.calibration == two.calibration
    other = fc.recalibrate(Auto(), train, 3, n_paths=200, strength=10.0, seed=4)
    assert other.calibration != one.calibration


def test_a_recalibrated_auto_forecasts_alike_through_every_entry_point():
    train, _ = cycles(n_series=8)
    model = fc.recalibrate(Auto(), train, 3, n_paths=200, strength=10.0)
    many = fc.predict_many(model, train, h=3, n_paths=300, seed=5)
    y = train[train["unique_id"] == "s003"].set_index("ds")["y"].rename("s003")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m = model.clone().fit(y)
    f = m.predict(3, n_paths=300, seed=job_seed(5, "s003", m.name, y.index[-1]))
    rows = many[many["unique_id"] == "s003"]
    np.testing.assert_array_equal(rows["point"], f.point)
    np.testing.assert_array_equal(rows["q10"], np.quantile(f.paths, 0.1, axis=0))
    # and a backtest's rows at an origin are predict_many's on the data up to it
    one = train[train["unique_id"] == "s003"]
    bt = fc.backtest([model], one, h=3, n_origins=2, n_paths=300, seed=5, quiet=True).table
    for origin, part in bt.groupby("origin"):
        upto = fc.predict_many(model, one[one["ds"] <= origin], h=3, n_paths=300, seed=5)
        np.testing.assert_array_equal(part["point"].to_numpy(), upto["point"].to_numpy())
        np.testing.assert_array_equal(part["q10"].to_numpy(), upto["q10"].to_numpy())
