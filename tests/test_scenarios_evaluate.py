"""Scores of interval-censored counts, the baselines, parameter recovery and the evaluation."""

import datetime as dt
import importlib

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import forecast.scenarios as sc
from forecast.errors import ScenarioError
from forecast.metrics import LOG_SCORE_FLOOR, censored_count_scores
from forecast.scenarios import observations as obsmod
from forecast.scenarios.population import VAGUE, Population, hierarchical

ev = importlib.import_module("forecast.scenarios.evaluate")


def test_censored_scores_match_a_hand_computed_mixture():
    m = np.array([[np.log1p(40.0), np.log1p(5.0)], [np.log1p(60.0), np.log1p(9.0)]])
    s = np.array([[0.3, 0.5], [0.4, 0.5]])
    low, high = np.array([30.0, 0.0]), np.array([50.0, 10.0])
    out = censored_count_scores(m, s, low, high, np.array([0.25, 0.5]))
    f_hi = norm.cdf((np.log(51.5) - m[:, 0]) / s[:, 0]).mean()
    f_lo = norm.cdf((np.log(30.5) - m[:, 0]) / s[:, 0]).mean()
    assert out["log_score"][0] == pytest.approx(np.log(f_hi - f_lo), rel=1e-10)
    assert out["pit"][0] == pytest.approx(f_lo + 0.25 * (f_hi - f_lo), rel=1e-10)
    f2 = norm.cdf((np.log(11.5) - m[:, 1]) / s[:, 1]).mean()
    assert out["log_score"][1] == pytest.approx(np.log(f2), rel=1e-10)
    assert out["pit"][1] == pytest.approx(0.5 * f2, rel=1e-10)
    # the median of the mixture solves F(q) = 1/2
    q50 = out["q50"][0]
    assert norm.cdf((np.log1p(q50) - m[:, 0]) / s[:, 0]).mean() == pytest.approx(0.5, abs=1e-6)


def test_an_impossible_report_costs_the_floor_not_infinity():
    out = censored_count_scores([[np.log1p(5.0)]], [[0.01]], [900.0], [1000.0], [0.5])
    assert out["log_score"][0] == LOG_SCORE_FLOOR


def test_coverage_is_nominal_when_calibrated_and_fails_when_too_narrow():
    # reports of random width around counts drawn from the predictive itself
    rng = np.random.default_rng(0)
    n = 6000
    m, s = rng.normal(4, 1, n), rng.uniform(0.2, 0.8, n)
    count = np.expm1(m + s * rng.standard_normal(n))
    width = rng.uniform(0.0, 0.6, n)
    low, high = np.floor(count * (1 - width / 2)).clip(0), np.ceil(count * (1 + width))
    u = rng.random(n)
    good = censored_count_scores(m[None, :], s[None, :], low, high, u)
    narrow = censored_count_scores(m[None, :], s[None, :] / 4, low, high, u)
    for level in (50, 80, 90):
        assert good[f"in{level}"].mean() == pytest.approx(level / 100, abs=0.03)
    assert narrow["in80"].mean() < 0.6
    assert good["log_score"].mean() > narrow["log_score"].mean()


def test_decay_baseline_recovers_its_time_constant():
    rng = np.random.default_rng(1)
    pairs = []
    for _ in range(400):
        x, h = np.log1p(rng.uniform(50, 500)), float(rng.integers(1, 15))
        mean = np.log1p(np.expm1(x) * np.exp(-h / 5.0))
        c = np.expm1(mean + np.sqrt(0.04 + 0.01 * h) * rng.standard_normal())
        pairs.append((x, h, np.floor(c), np.ceil(c)))
    p = ev.fit_baseline("decay", pairs)
    assert np.exp(p[2]) == pytest.approx(5.0, rel=0.15)
    assert np.exp(p[0]) + np.exp(p[1]) * 7 == pytest.approx(0.04 + 0.07, rel=0.3)


def test_hierarchical_predictive_is_wide_with_one_episode_and_narrows_with_agreement():
    _, sd1, w1 = hierarchical([0.0], [0.01])
    one = np.sqrt(np.sum(w1 * sd1**2))
    _, sd5, w5 = hierarchical([0.0, 0.05, -0.05, 0.02, -0.02], [0.01] * 5)
    five = np.sqrt(np.sum(w5 * sd5**2))
    assert one > 0.6          # tau keeps its half-normal(1) prior
    assert five < 0.5 * one   # five agreeing episodes: a tight population


def _synthetic_spec(tmp_path):
    text = """
[window]
as_of = 2030-01-21
end = 2030-01-30
[history]
start = 2030-01-01
episode = "synthetic"
rationale = "test"
[[history.regime]]
start = 2030-01-02
end = 2030-01-21
kind = "closed"
rationale = "test"
[priors.pool]
dist = "fixed"
value = 100000
rationale = "test"
[[scenario]]
name = "status-quo"
[[scenario.regime]]
start = 2030-01-22
end = 2030-01-30
kind = "closed"
rationale = "test"
"""
    path = tmp_path / "synthetic.toml"
    path.write_text(text)
    return sc.load(path)


def test_calibration_recovers_known_parameters_at_close_to_the_stated_rate(tmp_path):
    """Truth drawn from the prior, counts simulated from it every other day, calibrated:
    the 80% posterior intervals must cover the truth about 80% of the time."""
    from forecast.scenarios.calibrate import _complete, _stages, calibrate, simulate

    spec = _synthetic_spec(tmp_path)
    priors = {"hazard": VAGUE["hazard"], "dispersal": VAGUE["dispersal"]}
    fixed = {"arrival_size": 20.0, "leak": 0.02, "obs_noise": 0.2, "deterred": 0.0,
             "clearance": 0.0, "clearance_share": 0.0, "deterrence_days": 10.0, "shock": 0.0,
             "drift": 0.01,
             "outlier": 0.0, "cut": 0.0}
    from forecast.scenarios.spec import Prior

    for k, v in fixed.items():
        priors[k] = Prior(k, "fixed", {"value": v}, "test")
    pop = Population(("synthetic",), (), {})
    hits, n_rep = {"hazard": 0, "stock": 0}, 24
    dates = pd.date_range("2030-01-02", "2030-01-21", freq="D")
    for r in range(n_rep):
        rng = np.random.default_rng(100 + r)
        truth = {k: p.sample(rng, 1) for k, p in priors.items()}
        truth["pool"] = np.array([100000.0])
        flows, _ = simulate(_complete(truth, 1), np.zeros(1, dtype=np.int64), dates,
                            spec.history.regimes, (), (),
                            _stages(np.random.SeedSequence(r)), origin=spec.history.start)
        stock = flows.stock[0]
        days = np.arange(2, 21, 2)
        noisy = np.expm1(np.log1p(stock[days]) + 0.2 * rng.standard_normal(days.size))
        frame = pd.DataFrame({"date": [dt.date(2030, 1, 1) + dt.timedelta(days=int(d))
                                       for d in days],
                              "low": np.floor(noisy * 0.9).clip(0), "high": np.ceil(noisy * 1.1),
                              "reliability": "B"})
        obs = obsmod.from_frame(frame)
        spec_r = spec.__class__(**{**spec.__dict__,
                                   "priors": {k: v for k, v in priors.items()} |
                                   {"pool": spec.priors["pool"]}})
        post = calibrate(spec_r, observations=obs, seed=r, population=pop, n_theta=3000,
                         n_rep=8, n_rounds=2, n_draws=2000)
        lo, hi = np.quantile(post.values["hazard"], [0.1, 0.9])
        hits["hazard"] += lo <= truth["hazard"][0] <= hi
        lo, hi = np.quantile(post.stock0, [0.1, 0.9])
        hits["stock"] += lo <= stock[-1] <= hi
    for name, h in hits.items():
        assert 0.6 <= h / n_rep <= 1.0, (name, h)


def test_evaluate_scores_every_method_on_a_file_and_its_summary_adds_up():
    scores = ev.evaluate(sc.REPLAY_SCENARIO, as_of="2023-05-04", n_paths=300, seed=0,
                         n_theta=1500, n_rep=6, n_rounds=1)
    assert set(scores["method"]) == set(ev.METHODS)
    later = scores[scores["method"] == "engine"]
    assert (later["date"] > pd.Timestamp("2023-05-04")).all()
    assert later["pit"].between(0, 1).all() and np.isfinite(later["log_score"]).all()
    summary = ev.evaluation_summary(scores)
    row = summary.set_index("method").loc["engine"]
    assert row["reports"] == len(later)
    assert row["cover80"] == pytest.approx(later["in80"].mean())


def test_as_of_keeps_only_what_was_known():
    spec = sc.load(sc.REPLAY_SCENARIO)
    early = spec.with_as_of("2023-04-26")
    assert all(r.start <= dt.date(2023, 4, 26) for r in early.history.regimes)
    assert not any(r.shock for r in early.history.regimes)    # the 27 Apr emergency is future
    late = spec.with_as_of("2023-05-08")
    assert [b.date for b in late.history.batches] == [dt.date(2023, 5, 7)]   # the flight
    assert all(r.start > dt.date(2023, 5, 8) for s in late.scenarios for r in s.regimes)
    assert late.scenarios[0].name == "status-quo" and not late.scenarios[0].batches


def test_the_engine_is_scored_under_the_regime_in_force_on_the_as_of_date(monkeypatch):
    """On 10 Mar 2016 the airlift (a corridor since 9 Feb) was running: the engine projects it
    continuing, not the file's closure written for 24 Nov 2015."""
    calmod = importlib.import_module("forecast.scenarios.calibrate")
    seen = []

    class Seen(Exception):
        pass

    def spy(spec, **kwargs):
        seen.append(spec)
        raise Seen

    monkeypatch.setattr(calmod, "calibrate", spy)
    with pytest.raises(Seen):
        ev.evaluate(sc.SCENARIO_DIR / "penas-blancas-2015.toml", as_of="2016-03-10",
                    methods=("engine",), n_paths=50)   # default sizes: the others from the store
    (spec,) = seen
    (scenario,) = spec.scenarios
    assert spec.as_of == dt.date(2016, 3, 10)
    assert [(r.kind, r.capacity) for r in scenario.regimes] == [("corridor", 125.0)]


def test_unknown_method_is_a_clear_error():
    with pytest.raises(ScenarioError, match="unknown method"):
        ev.evaluate(sc.REPLAY_SCENARIO, methods=("oracle",))


def test_the_particle_filter_assimilates_each_count_date_once(monkeypatch):
    """A count on the last day (upto) must not be weighted twice."""
    calmod = importlib.import_module("forecast.scenarios.calibrate")
    spec = sc.load(sc.REPLAY_SCENARIO).with_as_of("2023-04-26")   # a count on that very day
    seen = []
    real = calmod.obsmod.loglik

    def spy(values, obs, sigma, outlier=None):
        seen.append(tuple(str(d) for d in obs.dates))
        return real(values, obs, sigma, outlier)

    monkeypatch.setattr(calmod.obsmod, "loglik", spy)
    calmod._calibrate(spec, {**{k: VAGUE[k] for k in VAGUE},
                             "pool": spec.priors["pool"]},
                      calmod._observations(spec, None, spec.as_of), 0, spec.as_of,
                      200, 200, 4, 1)
    days = [d for call in seen for d in set(call)]
    assert days.count("2023-04-18") == days.count("2023-04-26") > 0
