"""Projections on the bundled scenario file and the 2023 replay."""

import datetime as dt

import matplotlib
import numpy as np
import pandas as pd
import pytest

import forecast.scenarios as sc
from forecast.scenarios.projection import QUANTILES

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def proj():
    return sc.project(sc.load(sc.DEFAULT_SCENARIO), n_paths=600, seed=3)


@pytest.fixture(scope="module")
def replay():
    return sc.replay(n_paths=2000, seed=0)


def test_default_path_exists():
    assert sc.DEFAULT_SCENARIO.is_file() and sc.DEFAULT_SCENARIO.name == "inauguration-2026.toml"


def test_every_path_balances_and_stays_non_negative(proj):
    for flows in proj.flows.values():
        assert flows.balance_error() == 0
        assert flows.stock.min() >= 0
        # one column per day from the as-of date to the end date, inclusive
        assert flows.stock.shape == (600, (proj.spec.end - proj.spec.as_of).days + 1)


def test_same_seed_same_result_and_other_seed_differs(proj):
    again = sc.project(sc.load(sc.DEFAULT_SCENARIO), n_paths=600, seed=3)
    for name in proj.scenarios:
        assert np.array_equal(again.stock(name), proj.stock(name))
    other = sc.project(sc.load(sc.DEFAULT_SCENARIO), n_paths=600, seed=4,
                       posterior=proj.posterior)
    assert not np.array_equal(other.stock("status-quo"), proj.stock("status-quo"))


def test_closed_status_quo_never_below_reopening_path_by_path(proj):
    # same draws, the only difference after 27 Jan is the regime: documents >= leak; both
    # deter arrivals alike (the pool has no papers), so arrivals are the same
    assert np.all(proj.stock("status-quo") >= proj.stock("documents-reopen"))


def test_daily_frame_is_tidy_and_quantiles_monotone(proj):
    daily = proj.daily()
    assert len(daily) == 4 * 104
    cols = [f"q{round(100 * q):g}" for q in QUANTILES]
    assert list(daily.columns[3:10]) == cols
    assert np.all(np.diff(daily[cols].to_numpy(), axis=1) >= 0)
    for k in (100, 500, 1000):
        assert daily[f"p_over_{k}"].between(0, 1).all()
    assert np.all(daily["p_over_100"] >= daily["p_over_500"])


def test_needs_are_sized_at_the_90th_percentile(proj):
    # Sphere: 15 litres per person per day, 3.5 m2 per person; "sized at the 90th
    # percentile" means about 90% of paths need no more than the planned amount
    needs = proj.needs().set_index("scenario")
    for name in proj.scenarios:
        s = proj.stock(name)[:, 1:]
        row = needs.loc[name]
        covered_water = np.mean(15 * s.sum(axis=1) <= row["water_litres_window_q90"] + 1e-6)
        covered_shelter = np.mean(3.5 * s.max(axis=1) <= row["shelter_m2_q90"] + 1e-6)
        assert 0.89 <= covered_water <= 0.93
        assert 0.89 <= covered_shelter <= 0.93


def test_totals_add_up_to_the_stock_change(proj):
    totals = proj.totals()
    assert set(totals["flow"]) == {"arrivals", "crossings", "batch", "dispersal"}
    f = proj.flows["corridor-flights"]
    net = f.arrivals.sum(1) - f.crossings.sum(1) - f.batch.sum(1) - f.dispersal.sum(1)
    assert np.array_equal(net, f.stock[:, -1] - f.stock[:, 0])
    seats = sum(b.capacity for b in proj.spec.scenario("corridor-flights").batches)
    assert seats > 0 and f.batch.sum(axis=1).max() <= seats


def test_headline_dates_and_peaks(proj):
    at = proj.at(["2025-12-14", "2026-01-28", "2026-03-11"])
    assert len(at) == 12 and (at["q10"] <= at["q50"]).all() and (at["q50"] <= at["q90"]).all()
    peaks = proj.peaks()
    assert (peaks["peak_date_q50"] > pd.Timestamp("2025-11-28")).all()
    with pytest.raises(ValueError, match="outside the projection"):
        proj.at(["2027-01-01"])


def test_save_writes_tidy_csvs_atomically(proj, tmp_path):
    written = proj.save(tmp_path / "out")
    names = {p.stem for p in written}
    assert {"daily", "peaks", "needs", "totals", "assumptions", "posterior"} <= names
    assert not list((tmp_path / "out").glob("*.tmp"))
    back = pd.read_csv(tmp_path / "out" / "daily.csv")
    assert len(back) == len(proj.daily())


def test_charts_render(proj, replay):
    import matplotlib.pyplot as plt

    ax = proj.fan_chart("status-quo")
    assert ax.get_ylabel().startswith("people stranded") and ax.get_legend() is not None
    ax = proj.comparison_chart()
    assert len(ax.get_legend().get_texts()) == 4
    ax = replay.replay_chart()
    assert ax.get_legend() is not None
    plt.close("all")


def test_as_of_moves_the_window():
    later = sc.project(sc.DEFAULT_SCENARIO, n_paths=200, seed=0, as_of="2025-12-10")
    assert later.dates[0] == pd.Timestamp("2025-12-10")
    days = (dt.date(2026, 3, 11) - dt.date(2025, 12, 10)).days + 1
    assert later.stock("status-quo").shape[1] == days


def test_pool_sample_is_used():
    a = sc.project(sc.DEFAULT_SCENARIO, n_paths=300, seed=0)
    b = sc.project(sc.DEFAULT_SCENARIO, n_paths=300, seed=0, pool=np.full(50, 3_370_000.0))
    assert b.stock("status-quo")[:, -1].mean() > a.stock("status-quo")[:, -1].mean()


def test_replay_projects_what_happened_as_a_scenario_not_an_input(replay):
    # the flight and the clearance are in the as-happened scenario only
    assert replay.flows["as-happened"].batch[:, 6].max() == 115      # 7 May (day 7 of May)
    assert replay.flows["status-quo"].batch.sum() == 0
    # the clearance (corridor of 90 a day, 9-15 May) lets people through; the status quo
    # only lets the leak through
    moved = replay.flows["as-happened"].crossings[:, 8:].sum(axis=1)
    leaked = replay.flows["status-quo"].crossings[:, 8:].sum(axis=1)
    assert np.median(moved) > np.median(leaked)


def test_a_declared_shock_disperses_part_of_the_crowd_at_once():
    spec = sc.load(sc.DEFAULT_SCENARIO)
    import dataclasses

    quiet = dataclasses.replace(spec, scenarios=tuple(
        dataclasses.replace(s, regimes=tuple(dataclasses.replace(r, shock=False)
                                             for r in s.regimes)) for s in spec.scenarios))
    a = sc.project(spec, n_paths=400, seed=2)
    b = sc.project(quiet, n_paths=400, seed=2, posterior=a.posterior)
    day1 = a.stock("status-quo")[:, 1], b.stock("status-quo")[:, 1]   # 29 Nov, the shock day
    # the shock removes its share of the crowd at once (arrivals also differ a little: the
    # declared closure is fully known, so the comparison is of distributions, not paths):
    # what stays is about 1 - shock, the share drawn for each path
    stay = 1.0 - a.params["status-quo"]["shock"]
    ratio = day1[0] / np.maximum(day1[1], 1)
    assert abs(np.median(ratio) - np.median(stay)) < 0.1, (np.median(ratio), np.median(stay))
    assert np.median(stay) < 0.9                       # a share that visibly moves the crowd
    assert (day1[0] <= day1[1]).mean() > 0.9


def test_a_clearance_and_a_declaration_move_their_own_shares():
    """On the first day of a regime marked cleared the share clearance_share leaves, on that
    of a regime marked shock the share shock; each alone, with the same random numbers."""
    import datetime as dt

    from forecast.scenarios.calibrate import _complete, _stages, simulate
    from forecast.scenarios.spec import Regime

    day = dt.date
    dates = [day(2030, 1, k) for k in range(2, 8)]
    n = 500
    theta = _complete({"pool": np.full(n, 1e5), "hazard": np.full(n, 1e-9),
                       "arrival_size": np.full(n, 5.0), "dispersal": np.zeros(n),
                       "leak": np.zeros(n), "obs_noise": np.full(n, 0.3),
                       "deterred": np.zeros(n), "deterrence_days": np.full(n, 5.0),
                       "shock": np.full(n, 0.25), "clearance": np.zeros(n),
                       "clearance_share": np.full(n, 0.9), "drift": np.full(n, 0.01),
                       "outlier": np.zeros(n)}, n)
    stock0 = np.full(n, 1000)

    def run(**flags):
        regimes = [Regime(day(2030, 1, 2), day(2030, 1, 3), "closed"),
                   Regime(day(2030, 1, 4), day(2030, 1, 7), "closed", **flags)]
        seeds = np.random.SeedSequence(5)
        flows, _ = simulate(theta, stock0, dates, regimes, [], [], _stages(seeds))
        return flows.stock[:, 3]   # the stock at the end of 4 Jan

    plain, cleared, declared = run(), run(cleared=True), run(shock=True)
    assert np.all(plain == 1000)   # no arrivals, no dispersal: nothing moves
    # stochastic rounding: floor(1000 x share + u) leave on the day
    assert set(np.unique(cleared)) <= {100, 101} and set(np.unique(declared)) <= {750, 751}
    both = run(cleared=True, shock=True)   # both on one day: 1000 x 0.1 x 0.75 stay
    assert set(np.unique(both)) <= {75, 76}


def test_an_inflow_cut_stops_its_share_of_arrivals_while_it_lasts_and_nothing_else():
    import datetime as dt

    from forecast.scenarios.calibrate import _complete, _stages, simulate
    from forecast.scenarios.spec import Regime

    day = dt.date
    dates = [day(2030, 1, k) for k in range(2, 12)]
    n = 400

    def run(cut, flagged):
        theta = _complete({"pool": np.full(n, 1e5), "hazard": np.full(n, 1e-3),
                           "arrival_size": np.full(n, 5.0), "dispersal": np.full(n, 0.05),
                           "leak": np.zeros(n), "obs_noise": np.full(n, 0.3),
                           "deterred": np.zeros(n), "deterrence_days": np.full(n, 5.0),
                           "shock": np.zeros(n), "clearance": np.zeros(n),
                           "clearance_share": np.zeros(n), "drift": np.full(n, 0.01),
                           "outlier": np.zeros(n), "cut": np.full(n, cut)}, n)
        regimes = [Regime(day(2030, 1, 2), day(2030, 1, 5), "closed"),
                   Regime(day(2030, 1, 6), day(2030, 1, 11), "closed", inflow_cut=flagged)]
        flows, _ = simulate(theta, np.zeros(n, dtype=np.int64), dates, regimes, [], [],
                            _stages(np.random.SeedSequence(3)))
        return flows

    plain, none, full = run(1.0, False), run(0.0, True), run(1.0, True)
    assert plain.arrivals[:, 4:].sum() > 0                    # ~100 a day without the cut
    assert (full.arrivals[:, 4:] == 0).all()                  # all stopped while it lasts
    assert np.array_equal(full.arrivals[:, :4], plain.arrivals[:, :4])   # not before it
    assert np.array_equal(none.stock, plain.stock)            # a cut of 0 changes nothing
    assert full.balance_error() == 0


def test_prior_overrides_draw_one_stream_per_parameter(proj):
    # two scenarios override documents_share; one also overrides dispersal (which sorts
    # first): documents_share must still get the same draws on every path (pairing)
    import dataclasses

    spec = proj.spec
    docs = spec.scenario("documents-reopen").priors["documents_share"]
    a = dataclasses.replace(spec.scenarios[1], name="a", priors={"documents_share": docs})
    b = dataclasses.replace(spec.scenarios[1], name="b",
                            priors={"dispersal": docs, "documents_share": docs})
    two = dataclasses.replace(spec, scenarios=(spec.scenarios[0], a, b))
    out = sc.project(two, n_paths=300, seed=1, posterior=proj.posterior)
    assert np.array_equal(out.params["a"]["documents_share"],
                          out.params["b"]["documents_share"])
    assert not np.array_equal(out.params["a"]["dispersal"], out.params["b"]["dispersal"])


def test_attribution_switches_one_assumption_off_with_the_same_numbers(proj):
    # a re-run with nothing switched off, and without the cache the scenarios share, is the
    # projection itself, path by path, for every scenario
    for scenario in proj.spec.scenarios:
        assert np.array_equal(proj._rerun(scenario), proj.stock(scenario.name))
    table = proj.attribution(threshold=500)
    surge = table[(table["scenario"] == "deadline-surge")
                  & (table["assumption"] == "calendar: surge before the deadline")].iloc[0]
    assert surge["peak_median_effect"] > 0 and surge["p_peak_over_500_effect"] >= 0
    assert surge["peak_median"] - surge["peak_median_without"] == surge["peak_median_effect"]
    # every scenario lists each calendar event; scenarios with batches list them
    assert set(table["scenario"]) == set(proj.scenarios)
    assert "batch departures" in set(table[table["scenario"] == "corridor-flights"]
                                     ["assumption"])
    # every second re-run may come from a forked process: the same table either way
    pd.testing.assert_frame_equal(proj.attribution(threshold=500, fork=False), table)
    pd.testing.assert_frame_equal(proj.attribution(threshold=500, fork=True), table)


def test_scores_of_later_counts_use_the_evaluation_scores(replay):
    scores = replay.scores()
    assert (scores["date"] > pd.Timestamp("2023-04-30")).all() and len(scores) >= 5
    assert scores["pit"].between(0, 1).all() and np.isfinite(scores["log_score"]).all()
    assert (scores["log_score"] <= 0).all()
    # central bands nest: inside the 50% band implies inside the 80% and 90% bands
    assert (~scores["in50"] | scores["in80"]).all() and (~scores["in80"] | scores["in90"]).all()
    assert (scores["q10"] <= scores["q50"]).all() and (scores["q50"] <= scores["q90"]).all()
