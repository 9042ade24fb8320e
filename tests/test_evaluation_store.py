"""The leave-one-episode-out scores the report shows are those of the benchmark, and current."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecast.errors import ScenarioError
from forecast.scenarios import evidence

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_scores_match_the_engine_and_episodes():
    got = evidence.episode_evaluation()
    assert got is not None, ("evaluation_store.json does not match the engine or the bundled "
                             "episodes: regenerate it with `nox -s scenario_backtest`")
    scores, seed, paths = got
    assert (seed, paths) == (0, 2000)
    assert set(scores["method"]) == {"persistence", "decay", "engine", "stack"}


def test_the_shipped_scores_are_the_benchmark_table():
    """The PDF's table and reports/benchmarks/scenario_backtest.csv give the same figures."""
    got = evidence.episode_evaluation()
    if got is None:
        pytest.fail("evaluation_store.json is stale (see the test above)")
    scores = got[0]
    table = pd.read_csv(ROOT / "reports" / "benchmarks" / "scenario_backtest.csv")
    a = scores.groupby(["episode", "method"])[["log_score", "in50", "in80"]].mean()
    b = table.groupby(["episode", "method"])[["log_score", "in50", "in80"]].mean()
    a, b = a.sort_index(), b.loc[a.index]
    np.testing.assert_allclose(a.to_numpy(float), b.to_numpy(float), atol=1e-3)
    assert len(scores) == len(table)


def test_stale_or_missing_scores_are_not_shown(tmp_path, monkeypatch):
    frame = pd.DataFrame({"episode": ["x", "x"], "method": ["engine", "decay"],
                          "log_score": [-1.0, -2.0], "in50": [True, False],
                          "in80": [True, True], "in90": [True, True]})
    path = evidence.write_evaluation_store(frame, seed=0, n_paths=2000,
                                           path=tmp_path / "e.json")
    scores, _, _ = evidence.episode_evaluation(path=path)
    pd.testing.assert_frame_equal(scores, frame)
    assert [p.name for p in tmp_path.iterdir()] == ["e.json"]
    assert evidence.episode_evaluation(path=tmp_path / "missing.json") is None
    assert evidence.episode_evaluation(seed=1, path=path) is None       # another run
    monkeypatch.setattr(evidence, "evaluation_key", lambda seed=0, n_paths=2000: "other")
    assert evidence.episode_evaluation(path=path) is None               # another engine


@pytest.mark.parametrize("text, why", [
    ("{", "Expecting"),                                   # not JSON
    ('{"rows": []}', "'key'"),                            # no key
    ('{"key": "k", "rows": [[1, 2]]}', "rows must be lists of 6 values"),
    ('[1]', "list indices"),                              # not an object
])
def test_a_corrupt_store_is_a_clear_error(tmp_path, text, why):
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match="bad.json: not an evaluation store") as info:
        evidence.episode_evaluation(path=tmp_path / "bad.json")
    assert why in str(info.value) and "nox -s scenario_backtest" in str(info.value)
