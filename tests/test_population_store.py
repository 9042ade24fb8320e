"""The shipped store of episode summaries answers exactly what a fresh calibration would."""

import json
import shutil

import numpy as np
import pytest

from forecast.errors import ScenarioError
from forecast.scenarios import population as popmod
from forecast.scenarios.spec import load

SIZES = popmod.DEFAULT_SIZES


def _bundled():
    return [load(f) for f in popmod.episode_files()]


def test_every_bundled_episode_has_a_current_entry():
    stored = popmod._stored()
    missing = [s.history.episode for s in _bundled()
               if popmod.episode_key(s, 0, SIZES) not in stored]
    assert not missing, (f"population_store.json is stale for {missing}: regenerate it with "
                         f"`nox -s population`")


def test_a_stored_entry_is_what_a_fresh_calibration_gives():
    # the episode with the fewest counts is the quickest to calibrate afresh
    spec = min(_bundled(), key=lambda s: len(popmod.all_observations_of(s)))
    entry = popmod._stored()[popmod.episode_key(spec, 0, SIZES)]
    fresh = popmod.episode_summary(spec, 0, SIZES)
    for name in popmod.SHARED:
        np.testing.assert_allclose(entry["estimates"][name], fresh[name], rtol=1e-9,
                                   err_msg=name)


def test_learn_from_the_store_equals_learn_afresh_on_one_episode():
    spec = min(_bundled(), key=lambda s: len(popmod.all_observations_of(s)))
    a = popmod.learn([spec], **SIZES)
    b = popmod.learn([spec], store=False, **SIZES)
    for name in popmod.SHARED:
        np.testing.assert_allclose(a.estimates[name][0], b.estimates[name][0], rtol=1e-9)
        np.testing.assert_allclose(a.estimates[name][1], b.estimates[name][1], rtol=1e-9)


def test_the_key_follows_content_not_location(tmp_path):
    spec = _bundled()[0]
    copy = tmp_path / spec.path.name
    shutil.copy(spec.path, copy)
    assert popmod.episode_key(load(copy), 0, SIZES) == popmod.episode_key(spec, 0, SIZES)


def test_the_key_changes_with_seed_sizes_and_file(tmp_path):
    spec = _bundled()[0]
    base = popmod.episode_key(spec, 0, SIZES)
    assert popmod.episode_key(spec, 1, SIZES) != base
    assert popmod.episode_key(spec, 0, {**SIZES, "n_rep": 11}) != base
    text = spec.path.read_text(encoding="utf-8")
    changed = tmp_path / spec.path.name
    changed.write_text(text.replace("[window]", "[window]\n# a comment changes nothing", 1),
                       encoding="utf-8")
    assert popmod.episode_key(load(changed), 0, SIZES) == base
    start = spec.history.start
    moved = text.replace(f"start = {start}", f"start = {start.replace(day=start.day - 1)}", 1)
    assert moved != text
    changed.write_text(moved, encoding="utf-8")
    assert popmod.episode_key(load(changed), 0, SIZES) != base


def test_the_key_changes_with_the_counts(monkeypatch):
    import forecast as fc

    spec = _bundled()[0]
    base = popmod.episode_key(spec, 0, SIZES)
    frame = fc.datasets.load("border_stranding_counts").reset_index()
    frame = frame[frame["episode"] == spec.history.episode]
    shifted = popmod.all_observations_of(spec, frame.assign(low=frame["low"] + 1))
    monkeypatch.setattr(popmod, "all_observations_of", lambda s, o=None: shifted)
    assert popmod.episode_key(spec, 0, SIZES) != base


def test_a_corrupt_store_is_one_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "population_store.json"
    bad.write_text(json.dumps({"entries": {"k": {"estimates": 3}}}), encoding="utf-8")
    monkeypatch.setattr(popmod, "STORE", bad)
    popmod._stored.cache_clear()
    try:
        with pytest.raises(ScenarioError, match=r"population_store\.json.*nox -s population"):
            popmod._stored()
    finally:
        popmod._stored.cache_clear()


def test_write_store_replaces_the_file_whole(tmp_path, monkeypatch):
    target = tmp_path / "store.json"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(popmod, "store_entries",
                        lambda files=None, seed=0: {"k": {"estimates": {}}})
    try:
        popmod.write_store(target)
    finally:
        popmod._stored.cache_clear()
    assert json.loads(target.read_text(encoding="utf-8"))["entries"] == {
        "k": {"estimates": {}}}
    assert [p.name for p in tmp_path.iterdir()] == ["store.json"]
