"""Bounded fuzzing of `forecast project`: mutated scenario files and command-line options.

Every case runs ``forecast.cli.main([...])`` in-process and must end in one of two ways:
success (exit 0), or exit 2 with exactly one line on stderr starting ``forecast: error:``
and no traceback. The mutations start from the bundled scenario files (copied with their
neighbours, so the files they name resolve): keys deleted or renamed, values of the wrong
type, numbers out of range or huge, dates swapped or moved far away, unicode, and the bytes
re-encoded (UTF-8 with a byte-order mark, Windows-1252, UTF-16, truncated, corrupted).

Calibration runs with small sizes here (a few hundred particles): the suite checks how bad
input is refused, not the numbers. Cases are derandomized (the same ones each run); set
``FORECAST_FUZZ_EXAMPLES`` to explore more of them with fresh randomness.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import json
import math
import os
import re
import shutil
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forecast.scenarios as sc
from forecast.cli import main
from forecast.scenarios import memory

EXAMPLES = int(os.environ.get("FORECAST_FUZZ_EXAMPLES", "0"))
FILES = ("inauguration-2026.toml", "replay-2023.toml", "bruzgi-2021.toml", "entry-2019.toml",
         "penas-blancas-2015.toml", "pazarkule-2020.toml", "del-rio-2021.toml")
SMALL = dict(n_draws=200, n_theta=200, n_rep=3, n_rounds=1)


def fuzz(examples: int):
    """Settings of one fuzz test: ``examples`` cases (more with FORECAST_FUZZ_EXAMPLES)."""
    return settings(max_examples=EXAMPLES or examples, deadline=None, derandomize=not EXAMPLES,
                    database=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                          HealthCheck.too_slow])


@pytest.fixture(scope="module", autouse=True)
def small_runs():
    """Small calibrations, and a machine of 256 MiB available: a mutation that moves
    history.start decades back is refused at once, as it would be on any machine at the
    default sizes, instead of simulating a century of days."""
    cal = importlib.import_module("forecast.scenarios.calibrate")
    pop = importlib.import_module("forecast.scenarios.population")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cal.calibrate, "__kwdefaults__", {**cal.calibrate.__kwdefaults__, **SMALL})
        mp.setattr(pop.learn, "__kwdefaults__", {**pop.learn.__kwdefaults__, "seed": 0,
                                                 **SMALL})
        mp.setattr(memory, "available_bytes", lambda: (256 * 2**20, 512 * 2**20))
        yield


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A copy of the bundled scenario folder: mutated files sit next to the files they name."""
    out = tmp_path_factory.mktemp("fuzz") / "scenarios"
    shutil.copytree(sc.SCENARIO_DIR, out)
    return out


@pytest.fixture(scope="module")
def originals():
    out = {}
    for name in FILES:
        with open(sc.SCENARIO_DIR / name, "rb") as fh:
            out[name] = tomllib.load(fh)
    return out


def outcome(argv, capsys) -> int:
    """Run the command; assert it succeeded or failed with one clean line."""
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    if code == 0:
        return code
    lines = err.strip().splitlines()
    assert code == 2, (argv, code, err)
    assert len(lines) == 1 and lines[0].startswith("forecast: error: "), (argv, err)
    return code


# -- writing TOML (the mutations are made on parsed tables) -------------------------------------
_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _key(k) -> str:
    return k if _BARE.fullmatch(k) else json.dumps(k, ensure_ascii=False)


def _value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    return "[" + ", ".join(_value(x) for x in v) + "]"


def _is_tables(v) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def dumps(table: dict, prefix: str = "") -> str:
    lines = [f"{_key(k)} = {_value(v)}" for k, v in table.items()
             if not isinstance(v, dict) and not _is_tables(v)]
    for k, v in table.items():
        name = f"{prefix}.{_key(k)}" if prefix else _key(k)
        if isinstance(v, dict):
            lines += ["", f"[{name}]", dumps(v, name)]
        elif _is_tables(v):
            for item in v:
                lines += ["", f"[[{name}]]", dumps(item, name)]
    return "\n".join(lines)


def test_the_writer_round_trips_every_bundled_file(originals):
    for raw in originals.values():
        assert tomllib.loads(dumps(raw)) == raw


# -- mutations --------------------------------------------------------------------------------
def _places(node, path=()):
    """Every (container path, key) in a parsed file: dict keys and list indices."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k
            yield from _places(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield path, i
            yield from _places(v, (*path, i))


def _get(node, path):
    for p in path:
        node = node[p]
    return node


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_NUMBERS = st.sampled_from([0, -1, 1, 0.5, 2, -1e-9, 1e-300, 1e10, 1e11, 1e308, -1e308,
                            2**63 - 1, 10**30, math.inf, -math.inf, math.nan, 1.0000001])
_DATES = st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
                   st.sampled_from([dt.date(1900, 1, 1), dt.date(2261, 12, 31),
                                    dt.date(2025, 11, 21), dt.date(2023, 4, 1)]))
_WRONG = st.one_of(_TEXT, _NUMBERS, _DATES, st.booleans(), st.just([]), st.just({}),
                   st.lists(_TEXT, max_size=3), st.just({"dist": "lognormal"}),
                   st.just(dt.time(7, 32)), st.just(dt.datetime(2025, 11, 28, 12, 0)))
_NEW_KEYS = st.one_of(_TEXT.filter(bool), st.sampled_from(
    ["dispersion", "hazzard", "uncalibrated", "population", "counts", "episode", "capcity",
     "as-of", "end", "start", "kind", "dist"]))


@st.composite
def mutated(draw, originals):
    name = draw(st.sampled_from(FILES))
    raw = copy.deepcopy(originals[name])
    for _ in range(draw(st.integers(1, 3))):
        places = list(_places(raw))
        if not places:
            break
        path, key = draw(st.sampled_from(places))
        parent = _get(raw, path)
        old = parent[key]
        op = draw(st.sampled_from(["delete", "rename", "wrong", "number", "date", "swap",
                                   "shift", "unicode", "add"]))
        if op == "delete":
            del parent[key]
        elif op == "rename" and isinstance(parent, dict):
            parent[draw(_NEW_KEYS)] = parent.pop(key)
        elif op == "wrong":
            parent[key] = draw(_WRONG)
        elif op == "number":
            parent[key] = draw(_NUMBERS)
        elif op == "date" or (op == "shift" and isinstance(old, dt.date)):
            parent[key] = draw(_DATES) if op == "date" else old + dt.timedelta(
                days=draw(st.sampled_from([-40000, -3650, -400, -30, -8, -1, 1, 8, 30, 400])))
        elif op == "swap" and isinstance(parent, dict):
            a, b = ("start", "end") if "end" in parent else ("as_of", "end")
            if a in parent and b in parent:
                parent[a], parent[b] = parent[b], parent[a]
        elif op == "unicode" and isinstance(old, str):
            parent[key] = old + draw(st.sampled_from(["é", "ź", "\u202e", "😀", "\x00", "\\"]))
        elif op == "add" and isinstance(old, dict):
            old[draw(_NEW_KEYS)] = draw(_WRONG)
    return name, raw


def _write(folder, name, data: bytes):
    path = folder / f"fuzzed-{name}"
    path.write_bytes(data)
    return str(path)


def test_mutated_scenario_files_fail_cleanly_or_run(originals, folder, capsys):
    @fuzz(150)
    @given(case=mutated(originals))
    def check(case):
        name, raw = case
        path = _write(folder, name, dumps(raw).encode("utf-8"))
        outcome(["project", path, "--paths", "20", "--quiet"], capsys)

    check()


_ENCODINGS = st.sampled_from(["utf-8-sig", "cp1252", "utf-16", "latin-1", "truncate",
                              "flip", "nul"])


def test_scenario_files_in_other_encodings_fail_cleanly_or_run(folder, capsys):
    @fuzz(40)
    @given(name=st.sampled_from(FILES), how=_ENCODINGS, at=st.floats(0, 1),
           extra=st.sampled_from(["é", "Kuźnica", "ñ ü", "—"]))
    def check(name, how, at, extra):
        text = (sc.SCENARIO_DIR / name).read_text(encoding="utf-8")
        text = text.replace('title = "', f'title = "{extra} ', 1)
        if how in ("utf-8-sig", "utf-16"):
            data = text.encode(how)
        elif how in ("cp1252", "latin-1"):
            data = text.encode(how, errors="replace")
        else:
            data = bytearray(text.encode("utf-8"))
            i = int(at * (len(data) - 1))
            if how == "truncate":
                data = data[:i]
            elif how == "flip":
                data[i] ^= 0xFF
            else:
                data[i:i] = b"\x00"
            data = bytes(data)
        code = outcome(["project", _write(folder, name, data), "--paths", "20", "--quiet"],
                       capsys)
        if how in ("cp1252", "latin-1", "utf-16") and not data.isascii():
            assert code == 2   # a legacy encoding is never decoded silently

    check()


_PATHS = st.one_of(st.integers(-3, 40).map(str), st.sampled_from(
    ["10000000", str(10**12), str(2**63), "1e3", "abc", "", "2.5"]))
_SEEDS = st.one_of(st.integers(-2, 2**64).map(str), st.sampled_from(["-1", "x", "1.5", ""]))
_AS_OF = st.one_of(st.none(), st.sampled_from(
    ["2025-11-21", "2025-11-27", "2025-11-30", "2025-12-10", "2026-03-11", "2026-03-12",
     "2019-01-01", "2025-13-45", "28/11/2025", "", "tomorrow"]))


def test_project_options_fail_cleanly_or_run(folder, tmp_path_factory, capsys):
    out_dir = tmp_path_factory.mktemp("out")
    (out_dir / "a-file").write_text("x")

    @fuzz(80)
    @given(paths=_PATHS, seed=_SEEDS, as_of=_AS_OF,
           scenario=st.sampled_from([None, None, "inauguration-2026.toml", "missing.toml", ""]),
           out=st.sampled_from([None, None, "dir", "a-file", "a-file/below"]),
           extra=st.sampled_from([[], [], ["--bogus"], ["--paths"], ["--quiet", "--quiet"]]))
    def check(paths, seed, as_of, scenario, out, extra):
        argv = ["project"]
        if scenario is not None:
            argv.append(str(folder / scenario) if scenario else "")
        argv += ["--paths", paths, "--seed", seed, "--quiet", *extra]
        if as_of is not None:
            argv += ["--as-of", as_of]
        if out is not None:
            argv += ["--out", str(out_dir / out)]
        outcome(argv, capsys)

    check()
