"""Edited copies of the default scenario file for tests (shared by the scenario test files).

The copy sits in a copy of the bundled scenario folder, so the files it names (replay,
population) resolve next to it as they do for the original."""

import shutil

import forecast.scenarios as sc


def default_copy(tmp_path, edit=lambda text: text, name="edited.toml"):
    """``tmp_path/scenarios/<name>``: the default scenario file with ``edit`` applied."""
    folder = tmp_path / "scenarios"
    if not folder.exists():
        shutil.copytree(sc.SCENARIO_DIR, folder)
    path = folder / name
    path.write_text(edit(sc.DEFAULT_SCENARIO.read_text(encoding="utf-8")), encoding="utf-8")
    return path
