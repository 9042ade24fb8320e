"""Invariants of the stock-flow kernel (hypothesis): mass balance, no negative stock,
path-wise monotonicity under common random numbers, reproducibility."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.scenarios.stockflow import (
    CLOSED,
    CORRIDOR,
    DOCUMENTS,
    OPEN,
    crossing_rates,
    draw_arrivals,
    step_stock,
    uniforms,
)


@st.composite
def inputs(draw):
    n = draw(st.integers(1, 6))
    t = draw(st.integers(1, 25))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    scale = draw(st.sampled_from([0, 1, 5, 50, 500]))
    return dict(
        stock0=rng.integers(0, 300, n),
        arrivals=rng.poisson(scale, (n, t)),
        codes=rng.integers(0, 4, t),
        capacity=rng.integers(0, 200, t),
        batch=np.where(rng.random(t) < 0.2, rng.integers(0, 150, t), 0),
        leak=rng.uniform(0, 0.3, n), open_rate=rng.uniform(0, 1, n),
        docs=rng.uniform(0, 1, n), dispersal=rng.uniform(0, 1, n),
        u1=rng.random((n, t)), u2=rng.random((n, t)),
    )


def _run(x, codes=None, capacity=None):
    codes = x["codes"] if codes is None else codes
    cap = x["capacity"] if capacity is None else capacity
    cap = np.where(codes == CORRIDOR, cap, 0)
    rate = crossing_rates(codes, x["leak"], x["open_rate"], x["docs"])
    return step_stock(x["stock0"], x["arrivals"], rate, cap, x["batch"], x["dispersal"],
                      x["u1"], x["u2"])


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_mass_balance_and_no_negative_flows(x):
    f = _run(x)
    change = np.diff(f.stock, axis=1)
    assert np.array_equal(change, f.arrivals - f.crossings - f.batch - f.dispersal)
    assert f.balance_error() == 0
    for a in (f.stock, f.crossings, f.batch, f.dispersal):
        assert a.min() >= 0 and a.dtype.kind == "i"
    assert np.all(f.batch <= x["batch"][None, :])


@settings(max_examples=150, deadline=None)
@given(inputs(), st.data())
def test_closing_the_border_never_lowers_the_stock(x, data):
    t = x["arrivals"].shape[1]
    close = np.array(data.draw(st.lists(st.booleans(), min_size=t, max_size=t)))
    closed_codes = np.where(close, CLOSED, x["codes"])
    assert np.all(_run(x, codes=closed_codes).stock >= _run(x).stock)


@settings(max_examples=150, deadline=None)
@given(inputs(), st.integers(0, 300))
def test_more_corridor_capacity_never_raises_the_stock(x, extra):
    codes = np.full_like(x["codes"], CORRIDOR)
    low = _run(x, codes=codes)
    high = _run(x, codes=codes, capacity=x["capacity"] + extra)
    assert np.all(high.stock <= low.stock)


def test_rates_are_ordered_by_regime():
    leak, open_rate, docs = np.array([0.05]), np.array([0.9]), np.array([0.3])
    r = crossing_rates(np.array([OPEN, CLOSED, DOCUMENTS, CORRIDOR]), leak, open_rate, docs)[0]
    assert r[1] == r[3] == 0.05
    assert np.isclose(r[2], 0.3 + 0.7 * 0.05) and r[0] == 0.9


def test_stochastic_rounding_is_unbiased():
    rng = np.random.default_rng(1)
    n = 200_000
    rate = np.full((n, 1), 0.137)
    f = step_stock(np.full(n, 50), np.zeros((n, 1), int), rate, np.zeros(1), np.zeros(1),
                   np.zeros(n), rng.random((n, 1)), rng.random((n, 1)))
    assert abs(f.crossings.mean() - 50 * 0.137) < 0.01


def test_negative_binomial_moments_and_seed():
    mean = np.full((40_000, 3), 30.0)
    k = np.full(40_000, 2.0)
    a = draw_arrivals(np.random.default_rng(5), mean, k)
    b = draw_arrivals(np.random.default_rng(5), mean, k)
    assert np.array_equal(a, b)
    assert abs(a.mean() - 30) < 0.5
    assert abs(a.var() / (30 + 30**2 / 2) - 1) < 0.05  # var = mu + mu^2 / k
    u = uniforms(np.random.default_rng(0), 4, 7)
    assert u.shape == (4, 7) and u.min() >= 0 and u.max() < 1


@settings(max_examples=60, deadline=None)
@given(stock=st.integers(0, 10**6), arrivals=st.integers(0, 10**5),
       u=st.sampled_from([0.0, 0.5, float(np.nextafter(1.0, 0.0))]),
       rate=st.sampled_from([0.0, 1.0, float(np.nextafter(1.0, 0.0))]))
def test_edge_rates_and_uniforms_keep_flows_within_the_stock(stock, arrivals, u, rate):
    # rate 1 with u just below 1: y*rate + u rounds up to y + 1 in floating point
    one = np.ones((1, 1))
    f = step_stock(np.array([stock]), np.array([[arrivals]]), np.array([[rate]]), np.zeros(1),
                   np.zeros(1), np.array([rate]), u * one, u * one)
    assert f.crossings[0, 0] <= stock + arrivals
    assert f.stock.min() >= 0 and f.dispersal.min() >= 0 and f.batch.min() >= 0
    assert f.balance_error() == 0


def test_closure_age_counts_from_the_spell_start_and_a_declared_change_makes_it_known():
    import datetime as dt

    from forecast.scenarios import schedule
    from forecast.scenarios.spec import Regime

    day = dt.date
    items = [Regime(day(2030, 1, 2), day(2030, 1, 5), "closed"),
             Regime(day(2030, 1, 6), day(2030, 1, 9), "documents", shock=True),
             Regime(day(2030, 1, 10), day(2030, 1, 11), "open"),
             Regime(day(2030, 1, 12), day(2030, 1, 13), "closed")]
    dates = [day(2030, 1, k) for k in range(2, 14)]
    known = schedule.KNOWN
    expected = [0, 1, 2, 3, known, known, known, known, -1, -1, 0, 1]
    assert schedule.closed_age(items, dates, day(2030, 1, 1)).tolist() == expected
    # a window that starts inside the spell knows how long the closure has lasted
    assert schedule.closed_age(items, dates[2:], day(2030, 1, 1)).tolist() == expected[2:]
    assert schedule.shocks(items, dates).tolist() == [d == day(2030, 1, 6) for d in dates]
    cleared = [Regime(day(2030, 1, 2), day(2030, 1, 5), "closed", cleared=True),
               Regime(day(2030, 1, 6), day(2030, 1, 9), "closed", shock=True)]
    assert schedule.shocks(cleared, dates, "cleared").tolist() == [d == day(2030, 1, 2)
                                                                   for d in dates]
    assert schedule.shocks(cleared, dates).tolist() == [d == day(2030, 1, 6) for d in dates]
