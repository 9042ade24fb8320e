"""The built wheel (not the checkout) ships and loads every dataset, from any directory."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed: {proc.stderr[-2000:]}")
    (path,) = out.glob("forecast-*.whl")
    return path


def test_wheel_contains_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "forecast/_data/manifest.toml" in names
    data = sorted(n for n in names if n.startswith("forecast/_data/") and n.endswith(".csv"))
    shipped = sorted(p.name for p in (ROOT / "datasets").glob("*.csv"))
    assert [Path(n).name for n in data] == shipped


def test_installed_wheel_loads_every_dataset(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import forecast, pathlib;"
        f"assert pathlib.Path(forecast.__file__).is_relative_to(pathlib.Path(r'{site}'));"
        "names = forecast.datasets.names();"
        "[forecast.datasets.load(n) for n in names];"
        "print(forecast.datasets.data_dir().name, len(names))"
    )
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    proc = subprocess.run([sys.executable, "-c", code], cwd=run_dir, capture_output=True,
                          text=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                          check=False)
    assert proc.returncode == 0, proc.stderr
    where, count = proc.stdout.split()
    assert where == "_data" and int(count) >= 12
