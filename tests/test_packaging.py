"""The built wheel (not the checkout) ships and loads every dataset, from any directory."""

import ast
import re
import subprocess
import sys
import tomllib
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


def test_installed_wheel_reads_the_shipped_population(wheel, tmp_path):
    """The stores' keys (episode calibrations, evaluation scores) do not depend on where the
    scenario files lie."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from forecast.scenarios import population as p, SCENARIO_DIR;"
        "from forecast.scenarios.spec import load;"
        "sizes = p.DEFAULT_SIZES;"
        "files = p.episode_files();"
        "missing = [f.name for f in files if p.episode_key(load(f), 0, sizes) not in p._stored()];"
        "from forecast.scenarios.evidence import episode_evaluation;"
        "assert episode_evaluation() is not None, 'evaluation store not read';"
        "print(SCENARIO_DIR.name, len(files), len(missing))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                          text=True, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                          check=False)
    assert proc.returncode == 0, proc.stderr
    where, count, missing = proc.stdout.split()
    assert where == "_scenarios" and int(count) >= 4 and missing == "0"


# -- declared dependencies match the imports -------------------------------------------------
#: import names whose distribution is named differently
DISTRIBUTION = {"sklearn": "scikit-learn"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(reqs) -> set[str]:
    return {_norm(re.match(r"[A-Za-z0-9._-]+", r).group()) for r in reqs}


@pytest.fixture(scope="module")
def declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = {k: _requirement_names(v) for k, v in project["optional-dependencies"].items()}
    return _requirement_names(project["dependencies"]), extras


def _imports(source: str):
    """(top-level module, guarded) for each absolute import; guarded: inside a function or a
    ``try`` that catches ImportError, so the module is needed only when that code runs."""
    tree = ast.parse(source)
    found = []

    def visit(node, guarded):
        if isinstance(node, ast.Import):
            found.extend((a.name.partition(".")[0], guarded) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module != "__future__":
            found.append((node.module.partition(".")[0], guarded))
        inner = guarded or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        if isinstance(node, ast.Try) and any(_catches_import_error(h) for h in node.handlers):
            for child in node.body:
                visit(child, True)
            rest = [c for c in ast.iter_child_nodes(node) if c not in node.body]
        else:
            rest = list(ast.iter_child_nodes(node))
        for child in rest:
            visit(child, inner)

    visit(tree, False)
    return found


def _catches_import_error(handler) -> bool:
    names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError")
               for n in names)


def _third_party(imports):
    return [(DISTRIBUTION.get(m, _norm(m)), g) for m, g in imports
            if m not in sys.stdlib_module_names and m != "forecast"]


def test_import_scanner_sees_guards():
    src = ("import numpy\nfrom sklearn.base import clone\nfrom . import x\n"
           "def f():\n    import joblib\n"
           "try:\n    import distributed\nexcept (ImportError, OSError):\n    distributed = None\n")
    assert _third_party(_imports(src)) == [("numpy", False), ("scikit-learn", False),
                                           ("joblib", True), ("distributed", True)]


def test_runtime_imports_are_declared_and_declared_ones_used(declared):
    runtime, extras = declared
    optional = set().union(*(extras[k] for k in ("dask",)))
    used, problems = set(), []
    for path in sorted((ROOT / "forecast").rglob("*.py")):
        for dist, guarded in _third_party(_imports(path.read_text())):
            used.add(dist)
            where = path.relative_to(ROOT)
            if dist in runtime:
                continue
            if dist in optional and guarded:
                continue
            problems.append(f"{where}: imports {dist}, which is not a runtime dependency"
                            + (" (an optional extra: import it lazily)" if dist in optional
                               else ""))
    assert not problems, "\n".join(problems)
    unused = runtime - used
    assert not unused, f"runtime dependencies no module under forecast/ imports: {unused}"


def test_test_imports_are_installed_by_the_ci_command(declared):
    """Everything the tests import or importorskip is installed by the README's test command,
    which CI runs, so no oracle is skipped in CI."""
    runtime, extras = declared
    quick = (ROOT / "README.md").read_text().split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    line = next(ln for ln in quick.splitlines() if "pytest" in ln)
    ci = runtime.union(*(extras[k] for k in re.search(r"\.\[([\w,]+)\]", line)[1].split(",")))
    missing = []
    local = {_norm(p.stem) for p in (ROOT / "tests").glob("*.py")}  # the tests' own helpers
    for path in sorted((ROOT / "tests").glob("*.py")):
        source = path.read_text()
        tree = ast.parse(source)
        skipped = [n.args[0].value.partition(".")[0] for n in ast.walk(tree)
                   if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "importorskip"
                   and n.args and isinstance(n.args[0], ast.Constant)]
        for dist, _ in _third_party(_imports(source) + [(m, True) for m in skipped]):
            if dist not in ci and dist not in local:
                missing.append(f"{path.name}: {dist}")
    assert not missing, f"not installed by `{line.strip()}`: {missing}"
