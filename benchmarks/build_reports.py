"""Build the scenario report (both editions, en and es) and the backtest report into
reports/out/ and render every page to PNG; time `forecast report` as a user runs it.

Called by ``nox -s report``. Prints the build time, page count and size of each PDF; the PNGs
under reports/out/png/ are for a person to look at (pdftoppm from poppler-utils). Then each
edition is built by the command line in a fresh process (``forecast report --lang X``, the
default 10,000 paths, into a temporary folder), :data:`RUNS` times: the wall-clock seconds,
with the CPUs this process may use, go to ``reports/benchmarks/report_build.md``. Timing
varies between runs and machines; the bytes of the editions do not (checked here).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path

import forecast as fc
from forecast.atomicwrite import write_atomic
from forecast.reports import backtest_report, scenario_report
from forecast.reports.language import LANGUAGES

OUT = Path("reports/out")
PNG = OUT / "png"
TABLE = Path("reports/benchmarks/report_build.md")
RUNS = 3


def time_cli() -> list[tuple]:
    """(language, seconds of each run, pages, same bytes every run) of `forecast report`."""
    import tempfile

    from pypdf import PdfReader

    rows = []
    for lang in LANGUAGES:
        seconds, digests, pages = [], set(), 0
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as tmp:
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "forecast.cli", "report", "--lang", lang,
                                "--out", tmp, "--quiet"], check=True, stdout=subprocess.DEVNULL)
                seconds.append(time.perf_counter() - t0)
                pdf = next(Path(tmp).glob("*.pdf"))
                digests.add(pdf.read_bytes())
                pages = len(PdfReader(pdf).pages)
        rows.append((lang, seconds, pages, len(digests) == 1))
        print(f"forecast report --lang {lang}: " + ", ".join(f"{t:.1f}" for t in seconds)
              + f" s ({pages} pages)")
    return rows


def write_table(rows) -> None:
    import platform

    from forecast.background import available_cpus

    lines = ["# Building the scenario report from the command line", "",
             "`nox -s report` (`benchmarks/build_reports.py`): `forecast report --lang X` in a "
             "fresh process, the bundled defaults (10,000 paths per scenario), "
             f"{RUNS} runs per edition, wall-clock seconds including start-up and imports.", "",
             "| edition | pages | fastest (s) | median (s) | slowest (s) | same bytes each run |",
             "|---|---:|---:|---:|---:|---|"]
    for lang, seconds, pages, same in rows:
        s = sorted(seconds)
        lines.append(f"| {lang} | {pages} | {s[0]:.1f} | {s[len(s) // 2]:.1f} | {s[-1]:.1f} | "
                     f"{'yes' if same else 'NO'} |")
    lines += ["", f"{platform.machine()}, {available_cpus()} CPUs. Timing varies between runs "
              "and machines; the pages and bytes do not."]
    write_atomic(TABLE, "\n".join(lines) + "\n")
    print(f"wrote {TABLE}")


def main() -> int:
    warnings.simplefilter("ignore")
    from pypdf import PdfReader

    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    t0 = time.perf_counter()
    proj = fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=10_000, seed=0)
    t1 = time.perf_counter()
    from forecast.cli.report_cmd import attribution, report_inputs

    inputs = {"attribution": attribution(proj), **report_inputs(proj.spec, seed=0)}
    t2 = time.perf_counter()
    print(f"scenario report inputs: projection {t1 - t0:.1f} s, attribution, context, "
          f"backtests and replay {t2 - t1:.1f} s")
    for lang in LANGUAGES:
        t3 = time.perf_counter()
        name = "inauguration-2026" + ("" if lang == "en" else f".{lang}")
        path = scenario_report(proj, out=OUT / f"{name}.pdf", lang=lang, **inputs,
                               command=f"forecast report --paths 10000 --seed 0 --lang {lang}")
        t4 = time.perf_counter()
        print(f"scenario report ({lang}): pages {t4 - t3:.1f} s; the whole edition from "
              f"scratch {t2 - t0 + t4 - t3:.1f} s")
        built.append(path)

    t0 = time.perf_counter()
    from forecast.backtest.reproduce import annual_series

    series = {k: v for k, v in annual_series().items() if k in
              ("chile_expulsions", "chile_foreign_population", "chile_irregular_entries")}
    models = [fc.models.Naive(), fc.models.Drift(), fc.models.Theta(), fc.models.Auto()]
    tables = []
    for name, y in series.items():
        tables.append(fc.backtest(models, y.rename(name), 2, n_origins=3, n_paths=1000,
                                  seed=0, quiet=True))
    bt = fc.backtest.Backtest(
        __import__("pandas").concat([b.table for b in tables], ignore_index=True),
        meta=tables[0].meta, history={k: v for b in tables for k, v in b.history.items()})
    path = backtest_report(bt, out=OUT / "backtest.pdf",
                           command="forecast backtest chile_expulsions "
                           "chile_foreign_population chile_irregular_entries "
                           "--models Naive,Drift,Theta,Auto --n-origins 3 "
                           "--report reports/out/backtest.pdf")
    print(f"backtest report: {time.perf_counter() - t0:.1f} s")
    built.append(path)

    for path in built:
        n = len(PdfReader(path).pages)
        print(f"{path}: {n} pages, {path.stat().st_size / 1024:.0f} KiB")
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (apt-get install poppler-utils): no PNGs", file=sys.stderr)
        return 1
    if PNG.exists():
        shutil.rmtree(PNG)
    PNG.mkdir(parents=True)
    for path in built:
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(PNG / path.stem)],
                       check=True)
    print(f"{len(list(PNG.glob('*.png')))} PNG pages in {PNG}")
    rows = time_cli()
    write_table(rows)
    return 0 if all(same for *_, same in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
