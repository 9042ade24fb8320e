"""The planners' scenario report: what a `Projection` says, in words, tables and charts.

    from forecast.scenarios.context import context_forecasts
    from forecast.scenarios.evidence import backtest_evidence, replay_evidence
    report = proj.spec.report                       # the scenario file's [report] table
    fc.reports.scenario_report(
        proj, out="reports/out/inauguration-2026.pdf",
        context=context_forecasts(report.context, seed=0),
        backtests=backtest_evidence(seed=0),
        replay=replay_evidence(report.replay, seed=0))

Sections (each a PDF bookmark): summary, charts, context, assumptions, evidence, sources and
reproducibility. The report computes nothing: it lays out the Projection's own tables and the
objects it is given; a section whose object is not given says so in one line. What names the
case (crossings, countries, key dates, thresholds) comes from the scenario file's ``[report]``
table. Numbers are formatted by :mod:`forecast.reports.formatting`.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import numpy as np

from forecast.reports import pdf
from forecast.reports.formatting import (
    format_band,
    format_big,
    format_count,
    format_date,
    format_number,
    format_prob,
)
from forecast.reports.layout import Column, Document
from forecast.scenarios.headline import headline, key_dates, peak_exceedance, thresholds

SECTIONS = ("1 Summary", "2 Scenario charts", "3 Context: migration series",
            "4 Assumptions", "5 Evidence: backtests and a replay, scored",
            "6 Sources and reproducibility")
NOTE = dict(size=7.5, color="0.3")   # small grey print under tables and charts


def scenario_report(proj, out=None, *, context=None, backtests=None, replay=None,
                    command: str | None = None, progress=None) -> Path:
    """Lay out the scenario report of ``proj`` as an A4 PDF at ``out`` (written atomically).

    proj : the :class:`~forecast.scenarios.Projection` (its spec's ``[report]`` table names
        the place, key dates and thresholds).
    out : the PDF path (default ``reports/out/<scenario file stem>.pdf``).
    context : ``{dataset: ContextForecast}`` from
        :func:`forecast.scenarios.context.context_forecasts` (section 3).
    backtests : ``[BacktestEvidence]`` from
        :func:`forecast.scenarios.evidence.backtest_evidence` (section 5).
    replay : a ``ReplayEvidence`` from :func:`forecast.scenarios.evidence.replay_evidence`
        (section 5).
    command : the command line printed under reproducibility.
    progress : optional callable receiving a short label before each section.

    Whatever is not given (None or empty) is not computed: its place says so in one line.
    """
    step = progress or (lambda label: None)
    spec = proj.spec
    out = Path("reports/out") / f"{spec.path.stem}.pdf" if out is None else out
    doc = Document(spec.title, short_title=f"Stranding scenarios: {spec.path.stem}")
    step("summary")
    _summary(doc, proj)
    step("charts")
    _charts(doc, proj)
    step("context")
    _context(doc, context)
    step("assumptions")
    _assumptions(doc, proj)
    step("evidence")
    _evidence(doc, backtests, replay)
    step("sources")
    _sources(doc, proj, command=command, seeds=_seeds(context, backtests, replay),
             model=_model(context))
    doc.finish()
    meta = pdf.metadata(
        title=spec.title,
        subject=(f"Scenario projections of people stranded at {border(spec.report)}, "
                 f"{format_date(spec.as_of)} to {format_date(spec.end)}"),
        keywords=", ".join(proj.scenarios))
    step("writing PDF")
    return pdf.save(doc, out, meta)


# -- how the case is named ---------------------------------------------------------------------
def place(report) -> str:
    """Where people are stranded: "the A (X) / B (Y) crossing", from the file's [report]."""
    if not report.crossings:
        return "the border crossing"
    posts = [f"{c} ({k})" for c, k in zip(report.crossings, report.countries, strict=True)] \
        if report.countries else list(report.crossings)
    return f"the {' / '.join(posts)} crossing"


def border(report) -> str:
    """The border as a whole: "the X-Y border" when the file names countries."""
    if report.countries:
        return f"the {'-'.join(report.countries)} border"
    return place(report) if report.crossings else "the border"


def _p(k) -> str:
    return f"P(>{k:,d})"


# -- 1 summary ---------------------------------------------------------------------------------
def _summary(doc, proj):
    spec = proj.spec
    ks = thresholds(proj)
    doc.section(SECTIONS[0], f"{spec.title}")
    doc.paragraph(
        f"This report projects how many people will be stranded at {place(spec.report)} "
        f"between {format_date(spec.as_of)} (the last day with "
        f"counts) and {format_date(spec.end)}, under {len(proj.scenarios)} scenarios. Each "
        f"scenario is {proj.n_paths:,d} simulated paths of a stock-flow model calibrated on "
        f"the press counts of this episode, with behaviour learned on earlier episodes "
        f"({', '.join(_population_names(spec)) or 'none'}). Numbers are "
        f"medians with an 80% band (1 path in 10 is below, 1 in 10 above). Water and shelter "
        f"are sized at the 90th percentile, following the Sphere minimum standards "
        f"(15 litres per person per day; 3.5 m² of covered space per person).")
    peaks = proj.peaks().set_index("scenario")
    needs = proj.needs().set_index("scenario")
    head = headline(proj)
    for name in proj.scenarios:
        doc.subsection(f"Scenario {name}", keep=1.2)
        doc.paragraph(proj.spec.scenario(name).description, color="0.25", size=8.5)
        rows = head[head["scenario"] == name]
        parts = [f"on {format_date(r.date)} ({r.label}) a median of {format_count(r.q50)} "
                 f"people (80% band {format_band(r.q10, r.q90)})"
                 for r in rows.itertuples()]
        chances = [f"more than {k:,d}{' people at some point' if i == 0 else ''}: "
                   f"{format_prob(peak_exceedance(proj, name, k))}" for i, k in enumerate(ks)]
        p, n = peaks.loc[name], needs.loc[name]
        doc.paragraph(
            "Stranded: " + "; ".join(parts) + ". "
            f"The peak reaches a median of {format_count(p['peak_q50'])} people (80% band "
            f"{format_band(p['peak_q10'], p['peak_q90'])}), most likely on "
            f"{format_date(p['peak_date_mode'])}; half the paths peak by "
            f"{format_date(p['peak_date_q50'])}. Chance of " + "; ".join(chances) + ". "
            f"Person-days stranded: {format_count(n['person_days_median'])} (80% band "
            f"{format_band(n['person_days_q10'], n['person_days_q90'])}); plan for "
            f"{format_big(n['water_litres_window_q90'], 'litres')} of water over the window, "
            f"{format_big(n['water_litres_peak_day_q90'], 'litres')} on the peak day, and "
            f"{format_big(n['shelter_m2_q90'], 'm²')} of shelter.")
    doc.subsection("People stranded on key dates", keep=1.5)
    cols = [Column("scenario", 1.25), Column("date", 0.85), Column("event", 1.75),
            Column("median", 0.65, "right"), Column("80% band", 0.95, "right")]
    cols += [Column(_p(k), 0.6 if k < 1000 else 0.7, "right") for k in ks]
    rows = [[r.scenario, format_date(r.date), r.label, format_count(r.q50),
             format_band(r.q10, r.q90), *[format_prob(getattr(r, f"p_over_{k}")) for k in ks]]
            for r in head.itertuples()]
    doc.table(cols, rows)
    doc.subsection("Peak", keep=1.5)
    cols = [Column("scenario", 1.4), Column("peak (median)", 1.0, "right"),
            Column("80% band", 1.1, "right"), Column("most likely date", 1.2, "right")]
    cols += [Column(_p(k), 0.9, "right") for k in ks]
    rows = [[name, format_count(peaks.loc[name, "peak_q50"]),
             format_band(peaks.loc[name, "peak_q10"], peaks.loc[name, "peak_q90"]),
             format_date(peaks.loc[name, "peak_date_mode"]),
             *[format_prob(peak_exceedance(proj, name, k)) for k in ks]]
            for name in proj.scenarios]
    doc.table(cols, rows)
    doc.subsection("Needs (Sphere standards, sized at the 90th percentile)", keep=1.5)
    cols = [Column("scenario", 1.4), Column("person-days (median)", 1.1, "right"),
            Column("person-days 80% band", 1.3, "right"),
            Column("water, window (litres)", 1.05, "right"),
            Column("water, peak day (litres)", 1.05, "right"),
            Column("shelter (m²)", 0.8, "right")]
    rows = [[name, format_count(needs.loc[name, "person_days_median"]),
             format_band(needs.loc[name, "person_days_q10"], needs.loc[name, "person_days_q90"]),
             format_count(needs.loc[name, "water_litres_window_q90"]),
             format_count(needs.loc[name, "water_litres_peak_day_q90"]),
             format_count(needs.loc[name, "shelter_m2_q90"])] for name in proj.scenarios]
    doc.table(cols, rows)
    doc.paragraph(
        f"{' and '.join(_p(k) for k in ks)} in the first table are the chances on that date; "
        "in the second, "
        "the chances at some point of the window. 'Likely date' is the day on which most paths "
        "peak; when it is the last day, numbers are still rising at the end of the window. "
        "Scenarios share their random numbers, so differences between them are paired.",
        size=7.5, color="0.3")


# -- 2 charts ----------------------------------------------------------------------------------
def _charts(doc, proj):
    doc.section(SECTIONS[1], "Median, bands and single paths of people stranded, per scenario")
    doc.chart(lambda ax: _below(proj.comparison_chart(ax), 2), 4.4, bottom=1.05)
    for name in proj.scenarios:
        doc.chart(lambda ax, name=name: _below(proj.fan_chart(name, ax), 3), 4.4, bottom=1.05)
    doc.paragraph(
        "Shaded: 50%, 80% and 90% bands; thick line: median; grey lines: single simulated "
        "paths (the same paths in every scenario); black dots with bars: ranges of the press "
        "counts; dashed vertical lines: dated events of the calendar.", **NOTE)


def _below(ax, ncol):
    """Move the legend under the axes, clear of the event labels at the top."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=ncol, fontsize="small",
              frameon=False)
    return ax


# -- 3 context ---------------------------------------------------------------------------------
def _context(doc, context):
    models = sorted({c.forecast.model for c in (context or {}).values()})
    doc.section(SECTIONS[2], "Related migration series: history and forecasts"
                + (f" from the default model ({', '.join(models)})" if models else ""))
    if not context:
        doc.paragraph("No context forecasts were given to this build (the scenario file's "
                      "[report] context names the series).")
        return
    for c in context.values():
        y, fc = c.series, c.forecast
        doc.subsection(textwrap.shorten(c.title, 68, placeholder="…"), keep=3.6)
        doc.chart(lambda ax, c=c: _context_chart(ax, c), 3.3)
        last = str(y.index[-1])
        cols = [Column("year", 0.6), Column("median", 1.0, "right"),
                Column("80% band", 1.9, "right"), Column("95% band", 1.9, "right")]
        q = fc.quantile([0.025, 0.1, 0.5, 0.9, 0.975])
        rows = [[str(i), format_count(r["q50"]), format_band(r["q10"], r["q90"]),
                 format_band(r["q2.5"], r["q97.5"])] for i, r in q.iterrows()]
        doc.table(cols, rows, gap=0.05)
        doc.paragraph(
            f"Data: {len(y)} annual values {y.index[0]}-{last}, latest vintage; the {last} "
            f"value is a {c.release} release, published {c.published}. "
            f"Methodology of the last value: {c.methodology}. Model: {fc.model}, "
            f"{fc.n_paths:,d} sample paths, seed {c.seed}. Unit: {c.unit}.", **NOTE)
        for note in c.notes:
            doc.paragraph("Model note: " + note, **NOTE)
        for caveat in c.caveats[:2]:
            doc.paragraph("Caveat: " + caveat, **NOTE)


def _context_chart(ax, c):
    c.forecast.plot(ax=ax, history=c.series, label=f"{c.forecast.model} forecast (median)")
    ax.set_title(textwrap.shorten(c.title, 85, placeholder="…"), fontsize=9)
    ax.set_xlabel("year")
    ax.set_ylabel(c.unit)
    ax.yaxis.set_major_formatter(_thousands())
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: f"{v:,.0f}")


# -- 4 assumptions -----------------------------------------------------------------------------
def _assumptions(doc, proj):
    spec = proj.spec
    doc.section(SECTIONS[3], "Every parameter with its prior or value and its source")
    doc.paragraph(
        f"Scenario file {spec.path.name}: window {format_date(spec.as_of)} to "
        f"{format_date(spec.end)}; border taken as empty on {format_date(spec.history.start)}; "
        + (f"calibrated on the counts of episode {spec.history.episode}; " if proj.calibrated
           else "NOT CALIBRATED: no counts used (history.uncalibrated = true); ")
        + "behaviour parameters "
        f"it does not set come from the population of episodes "
        f"{', '.join(_population_names(spec)) or '(none: weak priors)'}. "
        + spec.history.note)
    doc.subsection("Parameters and scenario settings")
    cols = [Column("scenario", 1.1), Column("item", 1.45), Column("prior or value", 1.2),
            Column("meaning", 1.0), Column("source or rationale", 2.0)]
    rows = [[r["scenario"], r["item"], r["value"], r["meaning"], r["source"]]
            for r in spec.assumptions()]
    doc.table(cols, rows, size=7)
    doc.subsection("Calibrated parameters (posterior)", keep=1.5)
    post = proj.posterior.summary()
    inner = (6.7 - 1.2 - 2.0) / max(len(post.columns) - 2, 1)
    cols = [Column(str(c), 1.2 if i == 0 else 2.0 if c == "meaning" else inner,
                   "left" if i == 0 or c == "meaning" else "right")
            for i, c in enumerate(post.columns)]
    rows = [[str(v) if not isinstance(v, float) else format_number(v) for v in r]
            for r in post.itertuples(index=False)]
    doc.table(cols, rows, size=7)
    doc.subsection("Event calendar", keep=1.5)
    cols = [Column("applies to", 1.1), Column("event", 1.75), Column("dates", 1.6),
            Column("multiplier of intent", 1.3), Column("probability", 0.95, "right")]
    rows = []
    for scenario, events in [("(all)", spec.calendar),
                             *[(s.name, s.calendar) for s in spec.scenarios]]:
        for e in events:
            when = (f"{format_date(e.start)} to {format_date(e.deadline or e.end)}")
            if e.kind == "countdown":
                when = f"countdown {when}"
            rows.append([scenario, e.name, when,
                         e.value.describe() if e.value is not None else "",
                         format_prob(e.probability)])
    for d, label in key_dates(proj).items():
        rows.append(["(key date)", label, format_date(d), "", ""])
    doc.table(cols, rows, size=7.5)


# -- 5 evidence --------------------------------------------------------------------------------
def _evidence(doc, backtests, replay):
    subtitle = "How well the models forecast the bundled series"
    if replay is not None:
        subtitle += f", and how the stranding model did in {replay.projection.spec.as_of.year}"
    doc.section(SECTIONS[4], subtitle)
    _backtests(doc, backtests)
    _replay(doc, replay)


def _backtests(doc, backtests):
    if not backtests:
        doc.paragraph("No backtests were given to this build.")
        return
    doc.paragraph(
        f"Rolling-origin backtests: each model is refitted at every origin on the data known "
        f"then and forecasts {backtests[0].h} years ahead; forecasts are scored against the "
        f"latest values. Each series is cut to its last run of consecutive years. 'Real-time "
        f"vintages' trains on the figures as first published by each origin (what a planner "
        f"had), not on later revisions. MASE below 1 beats the in-sample naive forecast; "
        f"skill is 1 - MAE / MAE of Naive (above 0 beats Naive); coverage should be near "
        f"80% and 95%. The series are "
        f"short (few origins), so differences between models are indicative only.")
    cols = [Column("model", 1.3), Column("MAE", 0.9, "right"), Column("MASE", 0.7, "right"),
            Column("sMAPE %", 0.75, "right"), Column("cover 80%", 0.75, "right"),
            Column("cover 95%", 0.75, "right"), Column("CRPS", 0.85, "right"),
            Column("skill", 0.7, "right")]
    for b in backtests:
        title = (f"{b.dataset} with real-time vintages" if b.vintage == "real-time"
                 else b.dataset)
        doc.subsection(f"{title}: origins {b.first_origin}-{b.last_origin} ({b.n_origins})",
                       keep=1.6)
        rows = [[r.model, format_number(r.mae), format_number(r.mase),
                 format_number(r.smape), format_prob(r.coverage80), format_prob(r.coverage95),
                 format_number(r.crps), format_number(r.skill)]
                for r in b.scores.itertuples()]
        doc.table(cols, rows, size=7.5, gap=0.05)


def _replay(doc, replay):
    if replay is None:
        doc.paragraph("No replay of an earlier episode was given to this build (the scenario "
                      "file's [report] replay names one).")
        return
    rp, scores = replay.projection, replay.scores
    first, seen = rp.spec.scenarios[0], rp.spec.observed_scenario
    later = "" if seen is first else (
        f"; what happened next (scenario '{seen.name}': {seen.description.rstrip('.')}) is a "
        f"scenario, not an input")
    doc.subsection(f"Replay of the {rp.spec.as_of.year} episode, scored", keep=5.0)
    doc.paragraph(
        f"Calibrated on the counts up to {format_date(rp.spec.as_of)}, with the behaviour "
        f"learned on the other episodes only (leave-one-episode-out), and projected to "
        f"{format_date(rp.spec.end)} under the status quo a forecaster had then{later}. Each "
        f"later count is scored "
        f"by the probability the forecast gave its reported range (log score, higher is "
        f"better) against two baselines learned on the other episodes: persistence (the last "
        f"count carries forward) and exponential decay.")
    doc.chart(lambda ax: rp.replay_chart(ax), 4.2)
    if not len(scores):
        doc.paragraph("No count after the as-of date to score.", **NOTE)
        return
    wide = scores.pivot_table(index=["date", "low", "high", "statement"], columns="method",
                              values="log_score", sort=True).reset_index()
    cols = [Column("date", 0.9), Column("reported", 0.9, "right"),
            Column("statement", 0.8), Column("engine", 0.8, "right"),
            Column("persistence", 0.9, "right"), Column("decay", 0.8, "right")]
    rows = [[format_date(r.date), _reported(r.low, r.high), str(r.statement),
             f"{r.engine:.2f}", f"{r.persistence:.2f}", f"{r.decay:.2f}"]
            for r in wide.itertuples()]
    doc.table(cols, rows, size=7.5)
    mean = scores.groupby("method")["log_score"].mean()
    cover = scores.groupby("method")["in80"].mean()
    doc.paragraph(
        f"Mean log score: engine {mean['engine']:.2f}, persistence "
        f"{mean['persistence']:.2f}, decay {mean['decay']:.2f}; share of counts inside "
        f"the 80% band (randomized PIT): engine {format_prob(cover['engine'])}, "
        f"persistence {format_prob(cover['persistence'])}, decay "
        f"{format_prob(cover['decay'])}. The scores of every episode at every as-of date "
        f"are in reports/benchmarks/scenario_backtest.md (nox -s scenario_backtest).")


def _population_names(spec) -> list[str]:
    from forecast.scenarios.population import default_files

    return [Path(p).name for p in default_files(spec)]


def _reported(lo, hi) -> str:
    if not np.isfinite(hi):
        return f"{format_count(lo)}+"
    if lo == hi:
        return format_count(lo)
    return format_band(lo, hi)


# -- 6 sources ---------------------------------------------------------------------------------
def _model(context) -> str | None:
    """How the context forecasts' model is described (None without context forecasts)."""
    described = sorted({c.model for c in (context or {}).values()})
    return "; ".join(described) if described else None


def _seeds(context, backtests, replay) -> str:
    """The seeds of the objects given, for reproducibility ("n/a" if none were)."""
    given = {}
    if context:
        given["context"] = {c.seed for c in context.values()}
    if backtests:
        given["backtests"] = {b.seed for b in backtests}
    if replay is not None:
        given["replay"] = {replay.seed}
    every = set().union(*given.values()) if given else set()
    if not every:
        return "n/a (none given)"
    if len(every) == 1:
        return str(next(iter(every)))
    return "; ".join(f"{k} {', '.join(map(str, sorted(v)))}" for k, v in given.items())


def _sources(doc, proj, *, command, seeds, model):
    from forecast import __version__, datasets
    from forecast.scenarios.population import default_files

    doc.section(SECTIONS[5], "Every dataset with its sources; methods; how to rebuild this")
    doc.subsection("Methods", keep=1.0)
    doc.bullets([
        "Stranding: a daily stock-flow model. People of the irregular-resident pool decide "
        "to leave (with calendar multipliers centred on no effect unless a scenario says "
        "otherwise), arrive at the border, and cross, disperse or stay stranded depending on "
        "the border regime of the day (closed, documents only, corridor with a daily "
        "capacity, batch flights or buses). A known closure deters arrivals as time passes; "
        "a declared change (an emergency) or an undeclared clearance can dissolve part of the "
        "crowd at once; a random walk lets the arrival intensity drift so new counts move "
        "the forecast. Behaviour is pooled across episodes in a hierarchical model; each "
        "episode is calibrated by importance sampling on its press counts, treated as "
        "interval-censored with observation noise shared by the reports of a day.",
        "Uncertainty: each path draws its own parameters from the posterior (and scenario "
        "priors), so parameter uncertainty reaches the bands. Scenarios share random numbers.",
        "Needs: Sphere minimum standards, sized at the 90th percentile: water 15 L per person "
        "per day on the person-days (window) and on the peak; shelter 3.5 m² per person at "
        "the peak.",
        (f"Context forecasts: model {model}, sample paths, 80% and 95% bands. "
         if model else "Context forecasts: none in this build. ")
        + "Backtests: rolling origin, expanding window, scored against the latest vintage.",
    ])
    doc.subsection("Reproducibility", keep=1.5)
    spec = proj.spec
    files = [spec.path] + [Path(p) for p in default_files(spec)]
    data_dir = datasets.data_dir()
    rows = [["package version", f"forecast {__version__}"],
            ["command", command or
             f"forecast.reports.scenario_report(project({spec.path.name!r}, "
             f"n_paths={proj.n_paths}, seed={proj.seed}))"],
            ["projection", f"{proj.n_paths:,d} paths per scenario, seed {proj.seed}"],
            ["context and evidence seed", seeds]]
    rows += [[f"scenario file {p.name}", f"sha256 {_sha256(p)}"] for p in files]
    rows += [[f"data {p.name}", f"sha256 {_sha256(p)}"]
             for p in sorted(Path(data_dir).iterdir()) if p.is_file()
             and p.suffix in (".csv", ".toml")]
    doc.table([Column("item", 2.2), Column("value", 4.5)], rows, size=7)
    doc.subsection("Datasets and their sources", keep=1.0)
    for name in datasets.names():
        meta = datasets.info(name)
        doc.paragraph(f"{name}: {meta['title']} ({meta['unit']})", size=8, weight="bold",
                      gap=0.02)
        for i, ref in enumerate(_dataset_sources(name), start=1):
            doc.paragraph(f"[{i}] {ref}", size=6.5, indent=0.15, gap=0.0, color="0.15")
        doc.spacer(0.08)


def _dataset_sources(name) -> list[str]:
    from forecast import datasets

    rows = datasets.table(name)
    seen, out = set(), []
    for r in rows.itertuples(index=False):
        title = str(getattr(r, "source_title", "") or "").strip()
        if not title or title == "nan":
            continue
        date = str(getattr(r, "source_date", "") or "")
        url = str(getattr(r, "source_url", "") or "")
        key = (title, url, date)
        if key in seen:
            continue
        seen.add(key)
        text = title + (f", {date}" if date and date != "nan" else "")
        if url and url != "nan":
            text += f". {url}"
        out.append(text)
    return out


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
