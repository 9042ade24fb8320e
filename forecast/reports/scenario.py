"""The planners' scenario report: what a `Projection` says, in tables and charts, in English or
Spanish.

    from forecast.scenarios.context import context_forecasts
    from forecast.scenarios.evidence import backtest_evidence, replay_evidence
    report = proj.spec.report                       # the scenario file's [report] table
    fc.reports.scenario_report(
        proj, out="reports/out/inauguration-2026.pdf", lang="es",
        attribution=proj.attribution(),
        context=context_forecasts(report.context, seed=0, as_of=proj.spec.as_of),
        backtests=backtest_evidence(seed=0),
        replay=replay_evidence(report.replay, seed=0))

Sections (each a PDF bookmark, :func:`sections`): the brief (page 1: what to plan for, how far
to trust it, what moves it), the scenarios in detail, what happened after the as-of date, what
drives the numbers, the evidence, the context series, the assumptions, and sources with
reproducibility. The report computes nothing: it lays out the Projection's own tables and the
objects it is given; a section whose object is not given says so in one line. Every word of
the report comes from :mod:`forecast.reports.catalogue` (both languages side by side); what
names the case (crossings, countries, key dates, thresholds, scenario names and descriptions)
comes from the scenario file and is drawn as written. Numbers and dates follow the edition's
conventions (:class:`~forecast.reports.language.Language`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.reports import pdf
from forecast.reports.language import NBSP, Language
from forecast.reports.layout import Column, Document, measure, wrap
from forecast.scenarios.context import dataset_title
from forecast.scenarios.headline import END_LABEL, headline, key_dates, peak_exceedance, thresholds

SECTION_KEYS = ("brief", "detail", "happened", "drivers", "evidence", "context", "assumptions",
                "sources")
NOTE = dict(size=7.5, color="0.3")   # small grey print under tables and charts
MARKS = "ABCDEFGHJKLMNPQRSTUVWXYZ"   # letters of the key dates on the charts
STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3)))
#: How many assumptions per scenario the brief lists (the drivers section lists them all).
BRIEF_DRIVERS = 3


def sections(lang: str = "en") -> tuple:
    """The bookmark titles of the report, numbered, in ``lang``."""
    L = Language(lang)
    return tuple(f"{i} {L('section.' + k)}" for i, k in enumerate(SECTION_KEYS, start=1))


SECTIONS = sections("en")


def scenario_report(proj, out=None, *, lang: str = "en", attribution=None, context=None,
                    backtests=None, replay=None, evaluation=None, command: str | None = None,
                    progress=None) -> Path:
    """Lay out the scenario report of ``proj`` as an A4 PDF at ``out`` (written atomically).

    proj : the :class:`~forecast.scenarios.Projection` (its spec's ``[report]`` table names
        the place, key dates and thresholds).
    out : the PDF path (default ``reports/out/<scenario file stem>.pdf``).
    lang : ``"en"`` or ``"es"``: the language of every label, note and heading, and the
        conventions of numbers and dates.
    attribution : ``proj.attribution()`` (what each assumption adds; the brief and section 4).
    context : ``{dataset: ContextForecast}`` from
        :func:`forecast.scenarios.context.context_forecasts` (section 6).
    backtests : ``[BacktestEvidence]`` from
        :func:`forecast.scenarios.evidence.backtest_evidence` (section 5).
    replay : a ``ReplayEvidence`` from :func:`forecast.scenarios.evidence.replay_evidence`
        (section 5).
    evaluation : ``(scores, seed, n_paths)`` from
        :func:`forecast.scenarios.evidence.episode_evaluation`: every bundled episode scored
        leave-one-episode-out (section 5).
    command : how to rebuild this report, printed under reproducibility; it should hold only
        what determines the content (not the output folder), so that the same inputs give the
        same bytes wherever the file is written.
    progress : optional callable receiving a short label before each section.

    Whatever is not given (None or empty) is not computed: its place says so in one line.
    """
    L = Language(lang)
    step = progress or (lambda label: None)
    spec = proj.spec
    out = Path("reports/out") / f"{spec.path.stem}.pdf" if out is None else out
    titles = sections(lang)
    doc = Document(L.text(spec.title), short_title=L("footer", name=spec.path.stem))
    parts = [("brief", lambda: _brief(doc, L, titles[0], proj, attribution, replay,
                                      evaluation)),
             ("detail", lambda: _detail(doc, L, titles[1], proj)),
             ("happened", lambda: _happened(doc, L, titles[2], proj)),
             ("drivers", lambda: _drivers(doc, L, titles[3], proj, attribution)),
             ("evidence", lambda: _evidence(doc, L, titles[4], backtests, replay,
                                            evaluation, named=bool(spec.report.context))),
             ("context", lambda: _context(doc, L, titles[5], proj, context)),
             ("assumptions", lambda: _assumptions(doc, L, titles[6], proj)),
             ("sources", lambda: _sources(doc, L, titles[7], proj, command=command,
                                          seeds=_seeds(L, context, backtests, replay),
                                          model=_model(L, context),
                                          backtested=bool(backtests)))]
    for label, draw in parts:
        step(label)
        draw()
    doc.finish(page_label=lambda i, n: L("page", i=i, n=n))
    meta = pdf.metadata(
        title=L.text(spec.title),
        subject=L("pdf.subject", border=border(spec.report, L), start=L.date(spec.as_of),
                  end=L.date(spec.end)).replace(NBSP, " "),
        keywords=", ".join(_name(L, spec, n) for n in proj.scenarios))
    step("writing PDF")
    return pdf.save(doc, out, meta)


# -- how the case is named ---------------------------------------------------------------------
def place(report, L: Language | None = None) -> str:
    """Where people are stranded: "the A (X) / B (Y) crossing", from the file's [report]."""
    L = L or Language("en")
    if not report.crossings:
        return L("place.none")
    crossings = [L.text(c) for c in report.crossings]
    posts = [f"{c} ({L.text(k)})" for c, k in zip(crossings, report.countries, strict=True)] \
        if report.countries else crossings
    return L("place.posts", posts=" / ".join(posts))


def border(report, L: Language | None = None) -> str:
    """The border as a whole: "the X-Y border" when the file names countries."""
    L = L or Language("en")
    if report.countries:
        return L("border.countries", countries="-".join(L.text(c) for c in report.countries))
    return place(report, L) if report.crossings else L("border.none")


def _p(L, k) -> str:
    return f"P(>{L.count(k)})"


def _label(L, label) -> str:
    """A key date's label: the file's own, or the window's last day in this language."""
    return L("keydate.end") if label == END_LABEL else L.text(label)


def _population_names(spec) -> list[str]:
    from forecast.scenarios.population import default_files

    return [Path(p).name for p in default_files(spec)]


def _stale(proj):
    """The last count's date when the as-of date lies past every count (else None)."""
    obs = proj.observations
    if obs is None or not len(obs) or not proj.calibrated or len(obs.after(proj.spec.as_of)):
        return None
    last = pd.Timestamp(obs.until(proj.spec.as_of).dates.max()).date() \
        if len(obs.until(proj.spec.as_of)) else None
    return last if last is not None and last < proj.spec.as_of else None


def _later_counts(proj):
    """The counts after the as-of date inside the window (None without observations)."""
    if proj.observations is None:
        return None
    return proj.observations.after(proj.spec.as_of).until(proj.spec.end)


# -- 1 brief -----------------------------------------------------------------------------------
def _brief(doc, L, title, proj, attribution, replay, evaluation=None):
    from forecast.scenarios import projection as projmod

    spec = proj.spec
    doc.section(title, L.text(spec.title))
    doc.paragraph(L("brief.intro", place=place(spec.report, L), start=L.date(spec.as_of),
                    end=L.date(spec.end), n=len(proj.scenarios), paths=L.count(proj.n_paths)),
                  size=8.5)
    if not proj.calibrated:
        doc.paragraph(L("uncalibrated"), weight="bold", color="#a00000")
    stale = _stale(proj)
    if stale is not None:
        doc.paragraph(L("brief.stale", last=L.date(stale), start=L.date(spec.as_of),
                        days=(spec.as_of - stale).days), weight="bold", color="#a00000",
                      size=8.5)
    doc.subsection(L("brief.plan"), keep=1.4, size=10.5)
    dates = key_dates(proj)
    head = headline(proj).set_index(["scenario", "date"])
    peaks = proj.peaks().set_index("scenario")
    needs = proj.needs().set_index("scenario")
    # a key date's header is its date (whole) over the file's label; widths fit the date
    date_w = max(0.8, measure(L.short_date("2026-12-30"), 7, True) + 0.14)
    cols = [_names_column(L, proj, 6.8, BRIEF_NAMES_WIDTH),
            Column(L("brief.col.peak"), 0.62, "right"),
            Column(L("brief.col.peak_date"), date_w, "right")]
    cols += [Column(f"{L.short_date(d)}\n{_label(L, label)}", date_w, "right")
             for d, label in dates.items()]
    cols += [Column(L("brief.col.person_days"), 0.74, "right"),
             Column(L("brief.col.water"), 0.74, "right"),
             Column(L("brief.col.shelter"), 0.66, "right")]
    rows = []
    for name in proj.scenarios:
        p, n = peaks.loc[name], needs.loc[name]
        row = [_name(L, spec, name),
               f"{L.count(n['people_at_peak_q90'])}\n({L.count(p['peak_q50'])})",
               L.short_date(p["peak_date_mode"])]
        for d in dates:
            r = head.loc[(name, pd.Timestamp(d))]
            row.append(f"{L.count(r['q90'])}\n({L.count(r['q50'])})")
        row += [f"{L.count(n['person_days_q90'])}\n({L.count(n['person_days_median'])})",
                L.big(n["water_litres_window_q90"]), L.count(n["shelter_m2_q90"])]
        rows.append(row)
    doc.table(cols, rows, size=6.8, gap=0.05)
    doc.paragraph(L("brief.plan_note", water=L.decimal(projmod.WATER_LITRES_PER_PERSON_DAY, 0),
                    shelter=L.decimal(projmod.SHELTER_M2_PER_PERSON, 1)), **NOTE)
    doc.subsection(L("brief.trust"), keep=0.6, size=10.5)
    for line in _trust_lines(L, proj, replay, evaluation):
        doc.paragraph(line, size=7.5, gap=0.02)
    doc.subsection(L("brief.drivers"), keep=1.4, size=10.5)
    if attribution is None or not len(attribution):
        doc.paragraph(L("missing.attribution"))
    else:
        k = _attribution_threshold(attribution)
        cols = [Column(L("col.scenario"), 1.2), Column(L("col.assumption"), 2.6),
                Column(L("attr.col.peak"), 0.95, "right"),
                Column(L("attr.col.end"), 1.0, "right"),
                Column(L("attr.col.p", k=L.count(k)), 0.95, "right")]
        rows = []
        # three per scenario, two when there are many scenarios (the page must hold them)
        most = BRIEF_DRIVERS if len(proj.scenarios) <= 3 else BRIEF_DRIVERS - 1
        for name in proj.scenarios:
            top = _top_drivers(attribution, name, k)
            for i, r in enumerate(top.head(most).itertuples()):
                rows.append([_name(L, spec, name) if i == 0 else "", _assumption(L, r, spec),
                             L.signed(r.peak_median_effect), L.signed(r.end_median_effect),
                             L.signed_points(getattr(r, f"p_peak_over_{k}_effect"))])
            if top.empty:
                rows.append([_name(L, spec, name), L("attr.none"), "", "", ""])
        doc.table(cols, rows, size=7, shade=False, gap=0.05)
        doc.paragraph(L("brief.drivers_note", section=sections(L.code)[3]), **NOTE)
    doc.subsection(L("brief.scenarios"), keep=0.5, size=10.5)
    for name in proj.scenarios:
        shown = _name(L, spec, name)
        who = shown if shown == name else f"{shown} ({name})"
        doc.paragraph(f"{who}: {L.text(spec.scenario(name).description)}", size=7.5, gap=0.0)


def _trust_lines(L, proj, replay, evaluation=None) -> list[str]:
    """The engine's out-of-sample scores, one line each: every bundled episode left out in
    turn when given (else the replay of one earlier episode, which it includes; the replay
    stays in section 5), and this episode."""
    loeo = _loeo_line(L, evaluation)
    if loeo is not None:
        lines = [loeo]
    elif replay is not None and len(replay.scores):
        s = replay.scores
        mean = s.groupby("method")["log_score"].mean()
        cover = s.groupby("method")["in80"].mean()
        engine = s[s["method"] == "engine"]
        lines = [L("trust.replay", year=replay.projection.spec.as_of.year,
                   n=L.count(len(engine)), engine=L.decimal(mean["engine"], 2),
                   persistence=L.decimal(mean["persistence"], 2),
                   decay=L.decimal(mean["decay"], 2), cover=L.prob(cover["engine"]))]
    else:
        lines = [L("missing.replay_short")]
    later = _later_counts(proj)
    scores = proj.scores() if later is not None and len(later) else None
    if scores is not None and len(scores):
        lines.append(L("trust.now", n=L.count(len(scores)), start=L.date(proj.spec.as_of),
                       inside=L.count(int(scores["in80"].sum())),
                       score=L.decimal(scores["log_score"].mean(), 2),
                       section=sections(L.code)[2]))
    else:
        lines.append(L("trust.now_none", start=L.date(proj.spec.as_of)))
    return lines


def _loeo_line(L, evaluation) -> str | None:
    """Every bundled episode left out in turn: pooled scores and where the engine loses to a
    baseline (None without the scores of all three methods)."""
    if evaluation is None or not {"engine", "persistence", "decay"} <= set(
            evaluation[0]["method"]):
        return None
    scores = evaluation[0]
    per = scores.groupby(["episode", "method"])["log_score"].mean().unstack()
    pooled = scores.groupby("method")["log_score"].mean()
    losses = [str(e) for e in per.index[per["engine"] < per[["persistence", "decay"]].max(axis=1)]]
    return L("trust.loeo" if losses else "trust.loeo_wins", k=L.count(len(per)),
             n=L.count(int((scores["method"] == "engine").sum())),
             engine=L.decimal(pooled["engine"], 2), decay=L.decimal(pooled["decay"], 2),
             persistence=L.decimal(pooled["persistence"], 2), losses=", ".join(losses),
             section=sections(L.code)[4].split()[0])


def _attribution_threshold(attribution) -> int:
    col = next(c for c in attribution.columns
               if c.startswith("p_peak_over_") and not c.endswith(("_without", "_effect")))
    return int(col.removeprefix("p_peak_over_"))


def _top_drivers(attribution, name, k):
    """A scenario's assumptions, largest effect on the median peak first (then on P)."""
    rows = attribution[attribution["scenario"] == name].copy()
    rows["_order"] = rows["peak_median_effect"].abs() + 100 * rows[
        f"p_peak_over_{k}_effect"].abs()
    rows = rows[(rows["peak_median_effect"] != 0) | (rows["end_median_effect"] != 0)
                | (rows[f"p_peak_over_{k}_effect"] != 0)]
    return rows.sort_values("_order", ascending=False, kind="stable")


def _name(L, spec, name) -> str:
    """What the report calls scenario ``name`` of ``spec``: its ``label`` in this language
    when the file gives one, else the name."""
    label = spec.scenario(name).label
    return L.text(label) if label else name


def _assumption(L, row, spec) -> str:
    """An assumption of the attribution in this language (the file's names as written)."""
    kind = getattr(row, "kind", None)
    item = getattr(row, "item", "")
    if kind == "calendar":
        return L("attr.calendar", name=L.text(item))
    if kind == "prior":
        return L("attr.prior", name=_param_short(L, item), key=item)
    if kind == "regimes":
        return L("attr.regimes", name=_name(L, spec, item))
    if kind == "batches":
        return L("attr.batches")
    return str(row.assumption)


def _param_short(L, name) -> str:
    return L.get(f"param.{name}.short", name)


def _param_long(L, name) -> str:
    from forecast.scenarios.spec import PARAMETERS

    return L.get(f"param.{name}.long", PARAMETERS.get(name, name))


# -- 2 scenarios in detail ---------------------------------------------------------------------
def _detail(doc, L, title, proj):
    ks = thresholds(proj)
    doc.section(title, L("detail.subtitle"))
    peaks = proj.peaks().set_index("scenario")
    doc.subsection(L("detail.peak"), keep=1.5)
    cols = [_names_column(L, proj, 8),
            Column(L("col.peak_median"), 1.0, "right"),
            Column(L("col.band80"), 1.1, "right"), Column(L("col.likely_date"), 1.2, "right")]
    cols += [Column(_p(L, k), 0.9, "right") for k in ks]
    rows = [[_name(L, proj.spec, name), L.count(peaks.loc[name, "peak_q50"]),
             L.band(peaks.loc[name, "peak_q10"], peaks.loc[name, "peak_q90"]),
             L.short_date(peaks.loc[name, "peak_date_mode"]),
             *[L.prob(peak_exceedance(proj, name, k)) for k in ks]]
            for name in proj.scenarios]
    doc.table(cols, rows)
    needs = proj.needs().set_index("scenario")
    doc.subsection(L("detail.needs"), keep=1.5)
    cols = [_names_column(L, proj, 8),
            Column(L("col.pd_median"), 1.1, "right"),
            Column(L("col.pd_band"), 1.3, "right"), Column(L("col.water_window"), 1.05, "right"),
            Column(L("col.water_peak"), 1.05, "right"), Column(L("col.shelter"), 0.8, "right")]
    rows = [[_name(L, proj.spec, name), L.count(needs.loc[name, "person_days_median"]),
             L.band(needs.loc[name, "person_days_q10"], needs.loc[name, "person_days_q90"]),
             L.count(needs.loc[name, "water_litres_window_q90"]),
             L.count(needs.loc[name, "water_litres_peak_day_q90"]),
             L.count(needs.loc[name, "shelter_m2_q90"])] for name in proj.scenarios]
    doc.table(cols, rows)
    doc.paragraph(L("detail.note", ps=L.join(_p(L, k) for k in ks)), **NOTE)
    marks = _marks(proj)
    doc.subsection(L("detail.compare"), keep=4.0)
    doc.chart(lambda ax: _comparison(ax, L, proj, marks), 3.9, bottom=1.0, top=0.2)
    doc.paragraph(_marks_note(L, marks), **NOTE)
    n = len(proj.scenarios)
    ncols = 2 if n > 1 else 1
    nrows = -(-n // ncols)
    height = min(8.6, 0.45 + nrows * 2.5)
    doc.subsection(L("detail.panels"), keep=height)
    doc.chart(lambda axes: _panels(axes, L, proj, marks), height, ncols=ncols, nrows=nrows,
              top=0.5, bottom=0.7, hspace=0.8, wspace=0.65)
    doc.paragraph(L("detail.panels_note") + " " + _marks_note(L, marks), **NOTE)
    head = headline(proj)
    fixed = [_names_column(L, proj, 7.5),
             Column(L("col.date"), 0.85)]
    tail = [Column(L("col.median"), 0.65, "right"), Column(L("col.band80"), 0.95, "right")]
    tail += [Column(_p(L, k), 0.75, "right") for k in ks]
    # the event column takes what the others leave (names and numbers never wrap)
    event = max(1.2, doc.width - sum(c.width for c in fixed + tail))
    cols = [*fixed, Column(L("col.event"), event), *tail]
    rows = [[_name(L, proj.spec, r.scenario), L.short_date(r.date), _label(L, r.label),
             L.count(r.q50),
             L.band(r.q10, r.q90), *[L.prob(getattr(r, f"p_over_{k}")) for k in ks]]
            for r in head.itertuples()]
    doc.subsection(L("detail.keydates"), keep=doc.table_height(cols, rows, size=7.5))
    doc.table(cols, rows, size=7.5)


#: Widest column of scenario names (inches) in the brief, whose rows have two lines anyway,
#: and in the other tables; a longer label wraps between words.
BRIEF_NAMES_WIDTH = 1.45
NAMES_MAX_WIDTH = 1.8


def _names_column(L, proj, size, cap=NAMES_MAX_WIDTH) -> Column:
    """The scenario column: every name on one line when they all fit in ``cap`` inches,
    else that width with longer names wrapped between words."""
    widest = max(measure(_name(L, proj.spec, n), size) for n in proj.scenarios) + 0.16
    return Column(L("col.scenario"), max(1.0, min(widest, cap)), whole=widest <= cap)


def _marks(proj) -> dict:
    """``{date: (letter, label)}`` of the key dates inside the window."""
    return {d: (MARKS[i % len(MARKS)], label) for i, (d, label) in enumerate(
        key_dates(proj).items())}


def _marks_note(L, marks) -> str:
    items = [f"{letter}{NBSP}{L.short_date(d)}: {_label(L, label)}"
             for d, (letter, label) in marks.items()]
    return L("marks.note", items="; ".join(items))


def _draw_marks(ax, marks):
    last = max(marks) if marks else None
    for d, (letter, _) in marks.items():
        x = pd.Timestamp(d)
        ax.axvline(x, color="0.45", ls=(0, (2, 2)), lw=0.7, zorder=1)
        right = d == last   # the window's last day: the letter goes inside, to its left
        ax.annotate(letter, (x, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(-2 if right else 2, -2), textcoords="offset points",
                    ha="right" if right else "left", va="top", fontsize=7, color="0.25",
                    fontweight="bold")


def _date_axis(ax, L, first, last):
    """Dates with their years: month starts ("Dec 2025") over long spans, days otherwise;
    about five ticks, fewer when their labels (7 pt) would not fit the axis's width."""
    import math

    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    first, last = pd.Timestamp(first), pd.Timestamp(last)
    span = (last - first).days
    fmt = L.month_year if span > 75 else L.short_date
    width = ax.get_figure().get_figwidth() * ax.get_position().width
    fits = max(2, int(width / (measure(fmt(last), 7) + 0.15)))
    ticks = min(5, fits)
    if span > 75:
        step = max(1, round(span / 30 / 5), math.ceil(span / 30 / ticks))
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
    else:
        step = max(1, round(span / 5), math.ceil(span / ticks))
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=step))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt(mdates.num2date(v))))
    ax.set_xlim(first, last)


def _count_axis(ax, L, label=None):
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: L.count(v)))
    ax.set_ylim(bottom=0)
    if label:
        ax.set_ylabel(label, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, color="0.9", lw=0.6)
    ax.set_axisbelow(True)


def _quantiles(proj, name, levels):
    return np.quantile(proj.stock(name), levels, axis=0)


def _comparison(ax, L, proj, marks):
    x = proj.dates
    for i, name in enumerate(proj.scenarios):
        q = _quantiles(proj, name, [0.5, 0.9])
        style = STYLES[i % len(STYLES)]
        ax.plot(x, q[0], color=f"C{i}", ls=style, lw=2.0,
                label=L("chart.median_of", name=_name(L, proj.spec, name)))
        ax.plot(x, q[1], color=f"C{i}", ls=style, lw=0.9,
                label=L("chart.q90_of", name=_name(L, proj.spec, name)))
    _draw_marks(ax, marks)
    _date_axis(ax, L, x[0], x[-1])
    _count_axis(ax, L, L("chart.people"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=2, fontsize=7,
              frameon=False)


def _panel_title(text, width, lines=3, sizes=(7.5, 7.0, 6.5, 6.0)):
    """(text, fontsize=...) of a panel's title: wrapped to ``lines`` lines at the largest size
    that fits, never cut (the smallest size takes as many lines as it needs)."""
    for size in sizes:
        wrapped = wrap(text, width, size)
        if len(wrapped) <= lines:
            break
    return ("\n".join(wrapped),), {"fontsize": size}


def _panels(axes, L, proj, marks):
    axes = np.atleast_1d(axes)
    x = proj.dates
    top = max(float(_quantiles(proj, name, [0.9])[0].max()) for name in proj.scenarios)
    obs = proj.observations.between(proj.posterior.start, proj.spec.end) \
        if proj.observations is not None else None
    first = pd.Timestamp(obs.dates.min()) if obs is not None and len(obs) else x[0]
    for i, ax in enumerate(axes):
        if i >= len(proj.scenarios):
            ax.set_visible(False)
            continue
        name = proj.scenarios[i]
        q = _quantiles(proj, name, [0.1, 0.25, 0.5, 0.75, 0.9])
        ax.fill_between(x, q[0], q[4], color="#c6dbef", lw=0, label=L("chart.band80"))
        ax.fill_between(x, q[1], q[3], color="#6baed6", lw=0, label=L("chart.band50"))
        stock = proj.stock(name)
        for p in range(min(3, stock.shape[0])):
            ax.plot(x, stock[p], color="0.35", lw=0.45, label=L("chart.paths") if p == 0
                    else None)
        ax.plot(x, q[2], color="#08306b", lw=1.8, label=L("chart.median"))
        if obs is not None and len(obs):
            _draw_counts(ax, L, obs)
        _draw_marks(ax, marks)
        _date_axis(ax, L, min(first, x[0]), x[-1])
        _count_axis(ax, L)
        ax.set_ylim(0, top * 1.08 if top > 0 else 1)
        width = ax.get_position().width * 8.27
        title, style = _panel_title(
            f"{_name(L, proj.spec, name)}: {L.text(proj.spec.scenario(name).description)}",
            width)
        ax.set_title(*title, **style, loc="left", pad=3)
    shown = [a for a in axes if a.get_visible()]
    bottom = min(a.get_position().y0 for a in shown)
    middle = (min(a.get_position().x0 for a in shown) + max(a.get_position().x1 for a in shown))
    # a figure legend under the lowest panels (figure fractions: 0.4 inches below their axes)
    axes[0].figure.legend(*axes[0].get_legend_handles_labels(), loc="upper center",
                          bbox_to_anchor=(middle / 2, bottom - 0.4 / 11.69), ncol=5,
                          fontsize=7, frameon=False)


def _draw_counts(ax, L, obs, label=True):
    d = pd.to_datetime(obs.dates)
    top = np.where(np.isinf(obs.high), obs.low * 1.5, obs.high)
    mid = (obs.low + top) / 2
    ax.errorbar(d, mid, yerr=[mid - obs.low, top - mid], fmt="o", color="black", ms=2.5,
                capsize=2, lw=0.8, label=L("chart.counts") if label else None, zorder=5)


# -- 3 what happened ---------------------------------------------------------------------------
def _happened(doc, L, title, proj):
    spec = proj.spec
    doc.section(title, L("happened.subtitle", start=L.date(spec.as_of)))
    later = _later_counts(proj)
    if later is None or not len(later):
        doc.paragraph(L("happened.none", start=L.date(spec.as_of)))
        return
    scores = proj.scores()
    name = proj.scenarios[0]
    last = pd.Timestamp(later.dates.max())
    doc.paragraph(L("happened.intro", n=L.count(len(later)), start=L.date(spec.as_of),
                    last=L.date(last), name=_name(L, spec, name)))
    doc.chart(lambda ax: _happened_chart(ax, L, proj, later, last), 3.8, bottom=0.75)
    cols = [Column(L("col.date"), 0.85), Column(L("col.reported"), 0.85, "right"),
            Column(L("col.statement"), 1.0), Column(L("col.forecast_median"), 0.85, "right"),
            Column(L("col.band80"), 0.95, "right"), Column(L("col.inside80"), 0.7),
            Column(L("col.log_score"), 0.75, "right"), Column("PIT", 0.55, "right")]
    rows = [[L.short_date(r.date), _reported(L, r.low, r.high), _statement(L, r.statement),
             L.count(r.q50), L.band(r.q10, r.q90), L("yes") if r.in80 else L("no"),
             L.decimal(r.log_score, 2), L.decimal(r.pit, 2)] for r in scores.itertuples()]
    doc.table(cols, rows, size=7.5, gap=0.05)
    doc.paragraph(L("happened.summary", inside=L.count(int(scores["in80"].sum())),
                    n=L.count(len(scores)), score=L.decimal(scores["log_score"].mean(), 2)),
                  size=8.5)
    doc.paragraph(L("happened.note"), **NOTE)


def _happened_chart(ax, L, proj, later, last):
    name = proj.scenarios[0]
    end = min(pd.Timestamp(proj.spec.end), last + pd.Timedelta(days=10))
    x = proj.dates[proj.dates <= end]
    q = _quantiles(proj, name, [0.05, 0.1, 0.5, 0.9, 0.95])[:, :len(x)]
    ax.fill_between(x, q[0], q[4], color="#c6dbef", lw=0, label=L("chart.band90"))
    ax.fill_between(x, q[1], q[3], color="#6baed6", lw=0, label=L("chart.band80"))
    ax.plot(x, q[2], color="#08306b", lw=1.8, label=L("chart.median"))
    _draw_counts(ax, L, later)
    _date_axis(ax, L, x[0], x[-1])
    _count_axis(ax, L, L("chart.people"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, fontsize=7,
              frameon=False)


def _statement(L, kind) -> str:
    """What a count describes, in this language (a kind the catalogue lacks as written)."""
    return L.get(f"statement.{kind}", str(kind))


def _reported(L, lo, hi) -> str:
    if not np.isfinite(hi):
        return f"{L.count(lo)}+"
    if lo == hi:
        return L.count(lo)
    return L.band(lo, hi)


# -- 4 what drives the numbers -----------------------------------------------------------------
def _drivers(doc, L, title, proj, attribution):
    doc.section(title, L("drivers.subtitle"))
    if attribution is None or not len(attribution):
        doc.paragraph(L("missing.attribution"))
        return
    k = _attribution_threshold(attribution)
    doc.paragraph(L("drivers.intro", k=L.count(k)))
    for name in proj.scenarios:
        rows = attribution[attribution["scenario"] == name]
        if rows.empty:
            continue
        order = _top_drivers(attribution, name, k)
        rest = rows.drop(index=order.index)
        rows = pd.concat([order, rest])
        # a label column wide enough for most assumptions on one line keeps the four
        # scenarios' charts on one page in both languages
        labels = ["\n".join(wrap(_assumption(L, r, proj.spec), 2.55, 7))
                  for r in rows.itertuples()]
        height = 0.5 + sum(0.11 + 0.11 * t.count("\n") for t in labels) + 0.08 * len(rows)
        doc.subsection(_name(L, proj.spec, name), keep=height)
        doc.chart(lambda axes, rows=rows, labels=labels: _tornado(axes, L, rows, labels, k),
                  height, ncols=3, left=2.65, top=0.28, bottom=0.15, wspace=0.25)


def _tornado(axes, L, rows, labels, k):
    metrics = [("peak_median_effect", L("attr.col.peak"), L.signed),
               ("end_median_effect", L("attr.col.end"), L.signed),
               (f"p_peak_over_{k}_effect", L("attr.col.p", k=L.count(k)),
                lambda v: L.signed_points(v))]
    # each bar gets room for its label's lines (a long label must not touch its neighbours)
    room = np.array([1.0 + 0.45 * t.count("\n") for t in labels])
    edges = np.concatenate([[0.0], np.cumsum(room[::-1])])
    y = ((edges[:-1] + edges[1:]) / 2)[::-1]
    for j, (ax, (col, head, fmt)) in enumerate(zip(axes, metrics, strict=True)):
        v = rows[col].to_numpy(dtype=float)
        scale = 100 if col.startswith("p_") else 1
        ax.barh(y, v * scale, color=np.where(v > 0, "#c0504d", "#4f81bd"), height=0.6)
        ax.axvline(0, color="0.2", lw=0.8)
        lim = max(float(np.abs(v * scale).max()), 1e-9) * 2.2   # room for the values
        ax.set_xlim(-lim, lim)
        ax.set_ylim(0, edges[-1])
        for yi, vi in zip(y, v, strict=True):
            text = fmt(vi)
            # a value shown as zero sits right of the axis, whatever its sign before rounding
            zero = not any(c in "123456789" for c in text)
            right = vi >= 0 or zero
            ax.annotate(text, (0.0 if zero else vi * scale, yi), xytext=(3 if right else -3, 0),
                        textcoords="offset points", va="center",
                        ha="left" if right else "right", fontsize=6.5)
        ax.set_title(head, fontsize=7.5)
        ax.set_xticks([])
        if j == 0:
            ax.set_yticks(y, labels, fontsize=7)
        else:
            ax.set_yticks([])
        # only the first column has a y axis (the labels); the others' values may reach the
        # edge of their panel without crossing a line
        for side in ("top", "right") if j == 0 else ("top", "right", "left"):
            ax.spines[side].set_visible(False)


# -- 5 evidence --------------------------------------------------------------------------------
def _evidence(doc, L, title, backtests, replay, evaluation=None, named=True):
    doc.section(title, L("evidence.subtitle"))
    _replay(doc, L, replay)
    _evaluation(doc, L, evaluation)
    _backtests(doc, L, backtests, named)


def _evaluation(doc, L, evaluation):
    """Every bundled episode, leave-one-episode-out (the shipped benchmark scores)."""
    doc.subsection(L("evaluation.title"), keep=3.0)
    if evaluation is None:
        doc.paragraph(L("evaluation.missing"), **NOTE)
        return
    scores, seed, paths = evaluation
    n = int((scores["method"] == "engine").sum())
    doc.paragraph(L("evaluation.intro", n=L.count(n), seed=seed, paths=L.count(paths)))
    pooled = scores.assign(episode=L("evaluation.pooled"))
    _scores_table(doc, L, pd.concat([scores, pooled], ignore_index=True))
    doc.paragraph(L("replay.methods"), **NOTE)


def _scores_table(doc, L, scores):
    """Per episode and method: counts scored, mean log score, 80% and 50% band shares."""
    methods = [m for m in ("engine", "persistence", "decay", "stack")
               if m in set(scores["method"])]
    cols = [Column(L("col.episode"), 1.5), Column(L("col.method"), 1.3),
            Column(L("col.n_counts"), 0.9, "right"), Column(L("col.log_score"), 1.0, "right"),
            Column(L("col.cover80"), 1.0, "right"), Column(L("col.cover50"), 1.0, "right")]
    rows = []
    for episode, part in scores.groupby("episode", sort=True):
        for i, m in enumerate(methods):
            s = part[part["method"] == m]
            rows.append([str(episode) if i == 0 else "", L(f"method.{m}"), L.count(len(s)),
                         L.decimal(s["log_score"].mean(), 2), L.prob(s["in80"].mean()),
                         L.prob(s["in50"].mean())])
    doc.table(cols, rows, size=7.5, shade=False, gap=0.05)


def _replay(doc, L, replay):
    if replay is None:
        doc.paragraph(L("missing.replay"))
        return
    rp, scores = replay.projection, replay.scores
    first, seen = rp.spec.scenarios[0], rp.spec.observed_scenario
    doc.subsection(L("replay.title", year=rp.spec.as_of.year), keep=4.5)
    later = "" if seen is first else L("replay.later", name=_name(L, rp.spec, seen.name),
                                       description=L.text(seen.description).rstrip("."))
    doc.paragraph(L("replay.intro", start=L.date(rp.spec.as_of), end=L.date(rp.spec.end),
                    later=later))
    if not len(scores):
        doc.paragraph(L("replay.none"), **NOTE)
        return
    doc.subsection(L("replay.per_episode"), keep=1.2, size=10)
    methods = [m for m in ("engine", "persistence", "decay", "stack")
               if m in set(scores["method"])]
    _scores_table(doc, L, scores)
    doc.paragraph(L("replay.methods"), **NOTE)
    doc.chart(lambda ax: _replay_chart(ax, L, rp), 3.5, bottom=0.75)
    wide = scores.pivot_table(index=["date", "low", "high", "statement"], columns="method",
                              values="log_score", sort=True).reset_index()
    cols = [Column(L("col.date"), 0.95), Column(L("col.reported"), 0.9, "right"),
            Column(L("col.statement"), 1.0)]
    cols += [Column(L(f"method.{m}"), 0.95, "right") for m in methods]
    rows = [[L.short_date(r.date), _reported(L, r.low, r.high), _statement(L, r.statement),
             *[L.decimal(getattr(r, m), 2) for m in methods]] for r in wide.itertuples()]
    doc.subsection(L("replay.per_count"), keep=1.2, size=10)
    doc.table(cols, rows, size=7.5)


def _replay_chart(ax, L, rp):
    name = rp.scenarios[0]
    x = rp.dates
    q = _quantiles(rp, name, [0.05, 0.25, 0.5, 0.75, 0.95])
    ax.fill_between(x, q[0], q[4], color="#c6dbef", lw=0, label=L("chart.band90"))
    ax.fill_between(x, q[1], q[3], color="#6baed6", lw=0, label=L("chart.band50"))
    ax.plot(x, q[2], color="#08306b", lw=1.8, label=L("chart.median"))
    first = x[0]
    if rp.observations is not None:
        obs = rp.observations.between(rp.posterior.start, rp.spec.end)
        if len(obs):
            _draw_counts(ax, L, obs)
            first = min(first, pd.Timestamp(obs.dates.min()))
    for b in rp.spec.scenario(name).batches:
        ax.axvline(pd.Timestamp(b.date), color="C3", ls=":", lw=1)
        ax.annotate(L("chart.batch", kind=L(f"batch.{b.kind}"), n=L.count(b.capacity)),
                    (pd.Timestamp(b.date), 1.0), xycoords=("data", "axes fraction"),
                    xytext=(3, -10), textcoords="offset points", fontsize=7, color="C3")
    ax.axvline(pd.Timestamp(rp.spec.as_of), color="0.3", lw=0.8)
    _date_axis(ax, L, first, x[-1])
    _count_axis(ax, L, L("chart.people"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, fontsize=7,
              frameon=False)


#: Fewer scored forecasts than this: coverage is given as "k of n", not a percentage.
FEW = 10


def _backtests(doc, L, backtests, named=True):
    # a table needs room under its title; the one-line note when there is none does not
    doc.subsection(L("backtests.title"), keep=1.5 if backtests else 0.6)
    if not backtests:
        # a file naming no annual series uses no series model: nothing to backtest
        doc.paragraph(L("missing.backtests" if named else "backtests.none_named"))
        return
    doc.paragraph(L("backtests.intro", h=backtests[0].h))
    cols = [Column(L("col.model"), 1.3), Column("MAE", 0.85, "right"),
            Column("MASE", 0.65, "right"), Column("sMAPE %", 0.7, "right"),
            Column(L("col.cover80"), 0.8, "right"), Column(L("col.cover95"), 0.8, "right"),
            Column("CRPS", 0.8, "right"), Column(L("col.skill"), 0.75, "right")]
    for b in backtests:
        n = b.n_origins * b.h
        title = L("backtests.realtime", name=b.dataset) if b.vintage == "real-time" \
            else b.dataset
        doc.subsection(L("backtests.run", title=title, first=b.first_origin,
                         last=b.last_origin, n=b.n_origins), keep=1.6, size=9.5)

        def cover(v, n=n):
            if n < FEW:
                return L("cover.k_of_n", k=L.count(round(v * n)), n=L.count(n))
            return L.prob(v)

        rows = [[r.model, L.number(r.mae), L.number(r.mase), L.number(r.smape),
                 cover(r.coverage80), cover(r.coverage95), L.number(r.crps),
                 L.decimal(r.skill, 2)] for r in b.scores.itertuples()]
        doc.table(cols, rows, size=7.5, gap=0.05)


# -- 6 context ---------------------------------------------------------------------------------
def _context(doc, L, title, proj, context):
    models = sorted({_model_words(L, c) for c in (context or {}).values()})
    doc.section(title, L("context.subtitle", models=", ".join(models)) if models
                else L("context.subtitle_none"))
    if not context:
        doc.paragraph(L("missing.context"))
        return
    year = proj.spec.as_of.year
    for c in context.values():
        y, fc = c.series, c.forecast
        doc.subsection(L.text(c.title), keep=3.6)
        doc.chart(lambda ax, c=c: _context_chart(ax, L, c, year), 3.0, bottom=0.65, top=0.15)
        q = fc.quantile([0.1, 0.5, 0.9])
        cols = [Column(L("col.year"), 0.6), Column(L("col.kind"), 2.6),
                Column(L("col.median"), 1.0, "right"), Column(L("col.band80"), 1.6, "right")]
        rows = [[str(i), L("context.past") if int(str(i)) <= year else L("context.future"),
                 L.count(r["q50"]), L.band(r["q10"], r["q90"])] for i, r in q.iterrows()]
        doc.table(cols, rows, gap=0.05)
        last = str(y.index[-1])
        missing = _missing_years(y)
        vintage = (L("context.vintage.as_of", date=L.date(pd.Timestamp(c.as_of))) if c.as_of
                   else L("context.vintage.latest"))
        doc.paragraph(L("context.data", n=len(y), first=str(y.index[0]), last=last,
                        vintage=vintage, release=_release(L, c.release),
                        published=_published_words(L, c.published),
                        methodology=c.methodology,
                        model=_model_words(L, c), paths=L.count(fc.n_paths), seed=c.seed,
                        unit=_unit(L, c.unit)),
                      **NOTE)
        if missing:
            doc.paragraph(L("context.gaps", years=", ".join(missing)), **NOTE)
        for note in c.notes:
            doc.paragraph(L("context.model_note", note=note), **NOTE)
        for caveat in c.caveats[:2]:
            doc.paragraph(L("context.caveat", caveat=caveat), **NOTE)


def _published_words(L, vintage: str) -> str:
    """When a value was published, from its vintage label (``2024-12-30``, ``2024-05`` or
    anything else, kept as it is), as this language writes it."""
    import re

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", vintage):
        return L("published.day", date=L.date(pd.Timestamp(vintage)))
    if re.fullmatch(r"\d{4}-\d{2}", vintage):
        return L("published.month", month=L.month(pd.Timestamp(vintage + "-01")))
    return L("published.other", vintage=vintage)


def _release(L, kind) -> str:
    """What kind of release a value is, in this language."""
    return L.get(f"release.{kind}", L("release.other", kind=kind))


def _unit(L, unit) -> str:
    """A dataset's unit (manifest ``unit``) in this language when the catalogue has it."""
    return L.get(f"dataset_unit.{unit}", str(unit))


def _missing_years(y) -> list[str]:
    full = pd.period_range(y.index.min(), y.index.max(), freq=y.index.freq)
    return [str(p) for p in full.difference(y.index)]


def _context_chart(ax, L, c, year):
    from matplotlib.ticker import MaxNLocator

    y, fc = c.series, c.forecast
    full = pd.period_range(y.index.min(), y.index.max(), freq=y.index.freq)
    hist = y.reindex(full)   # missing years are gaps in the line, not straight segments
    years = np.array([p.year for p in full])
    ax.plot(years, hist.to_numpy(dtype=float), color="black", lw=1.4, marker="o", ms=2.5,
            label=L("chart.observed"))
    fy = np.array([p.year for p in fc.index])
    q = np.quantile(fc.paths, [0.025, 0.1, 0.5, 0.9, 0.975], axis=0)
    ax.fill_between(fy, q[0], q[4], color="#c6dbef", lw=0, label=L("chart.band95"))
    ax.fill_between(fy, q[1], q[3], color="#6baed6", lw=0, label=L("chart.band80"))
    ax.plot(fy, q[2], color="#08306b", lw=1.8, ls="--", label=L("chart.forecast_median"))
    ax.axvline(year + 0.5, color="0.5", lw=0.7, ls=":", label=L("chart.now", year=year))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.set_xlabel(L("col.year"), fontsize=8)
    _count_axis(ax, L, _unit(L, c.unit))
    ax.legend(loc="upper left", fontsize=7)


# -- 7 assumptions -----------------------------------------------------------------------------
def _assumptions(doc, L, title, proj):
    spec = proj.spec
    doc.section(title, L("assumptions.subtitle"))
    calibrated = (L("assumptions.calibrated", episode=spec.history.episode) if proj.calibrated
                  else L("assumptions.uncalibrated"))
    doc.paragraph(L("assumptions.intro", file=spec.path.name, start=L.date(spec.as_of),
                    end=L.date(spec.end), empty=L.date(spec.history.start),
                    calibrated=calibrated,
                    population=L.join(_population_names(spec)) or L("assumptions.no_population")))
    if spec.history.note:
        doc.paragraph(L("assumptions.history_note", note=spec.history.note), **NOTE)
    doc.subsection(L("assumptions.table"), keep=1.2)
    cols = [Column(L("col.applies_to"), 1.05), Column(L("col.item"), 1.45),
            Column(L("col.value"), 1.35), Column(L("col.source"), 2.9)]
    doc.table(cols, _assumption_rows(L, spec), size=7)
    doc.subsection(L("assumptions.posterior"), keep=1.5)
    post = proj.posterior.summary()
    informed = post[post["unique"] > 1]
    cols = [Column(L("col.parameter"), 1.25), Column("5%", 0.7, "right"),
            Column(L("col.median"), 0.7, "right"), Column("95%", 0.7, "right"),
            Column(L("col.meaning"), 3.4)]
    rows = [[r.parameter, L.number(r.q5), L.number(r.median), L.number(r.q95),
             _param_long(L, r.parameter) if r.parameter != "stock_at_as_of"
             else L("param.stock_at_as_of.long")] for r in informed.itertuples()]
    doc.table(cols, rows, size=7)
    fixed = post[post["unique"] <= 1]
    if len(fixed):
        doc.paragraph(L("assumptions.fixed", items="; ".join(
            f"{r.parameter} = {L.number(r.median)}" for r in fixed.itertuples())), **NOTE)


def _describe(L, prior) -> str:
    """A prior in words: ``lognormal, median 337,000, sigma 0.1`` (numbers whole)."""
    if prior is None:
        return ""
    parts = [f"{k}{NBSP}{L.number(v, 4)}" for k, v in prior.params.items()]
    return f"{prior.dist} ({', '.join(parts)})"


def _assumption_rows(L, spec) -> list:
    rows = []
    everyone, history = L("applies.all"), L("applies.history")

    def event(who, e):
        value = _describe(L, e.value)
        if e.probability < 1:
            value += f"; {L('event.probability', p=L.prob(e.probability))}"
        when = L("span", start=L.short_date(e.start), end=L.short_date(e.deadline or e.end))
        rows.append([who, L(f"event.{e.kind}", name=L.text(e.name), when=when), value,
                     e.note])

    def regime(who, r):
        value = L(f"regime.{r.kind}")
        if r.kind == "corridor":
            value += f", {L('regime.capacity', n=L.count(r.capacity))}"
        if r.shock:
            value += f"; {L('regime.shock')}"
        if r.cleared:
            value += f"; {L('regime.cleared')}"
        if r.inflow_cut:
            value += f"; {L('regime.inflow_cut')}"
        when = L("span", start=L.short_date(r.start), end=L.short_date(r.end))
        rows.append([who, L("item.regime", when=when), value, r.note])

    for p in spec.priors.values():
        rows.append([everyone, f"{_param_short(L, p.name)} ({p.name})", _describe(L, p), p.note])
    for e in spec.calendar:
        event(everyone, e)
    for r in spec.history.regimes:
        regime(history, r)
    for s in spec.scenarios:
        who = _name(L, spec, s.name)
        for p in s.priors.values():
            rows.append([who, f"{_param_short(L, p.name)} ({p.name})", _describe(L, p),
                         p.note])
        for e in s.calendar:
            event(who, e)
        for r in s.regimes:
            regime(who, r)
        for b in s.batches:
            rows.append([who, L("item.batch", kind=L(f"batch.{b.kind}"),
                                   date=L.short_date(b.date)),
                         L("unit.people", n=L.count(b.capacity)), b.note])
    return rows


# -- 8 sources ---------------------------------------------------------------------------------
def _model_words(L, c) -> str:
    """The context model in this language: ``Auto (median of A, B and C)`` /
    ``Auto (mediana de A, B y C)``; as described by the context layer when it gives no
    parts."""
    parts = c.model_parts
    if len(parts) != 3:
        return c.model
    name, combine, members = parts
    rule = L.get(f"combine.{combine}", combine)
    return L("model.combination", name=name, rule=rule, members=L.join(members))


def _model(L, context) -> str | None:
    """How the context forecasts' model is described (None without context forecasts)."""
    described = sorted({_model_words(L, c) for c in (context or {}).values()})
    return "; ".join(described) if described else None


def _seeds(L, context, backtests, replay) -> str:
    """The seeds of the objects given, for reproducibility ("n/a" if none were)."""
    given = {}
    if context:
        given[L("seed.context")] = {c.seed for c in context.values()}
    if backtests:
        given[L("seed.backtests")] = {b.seed for b in backtests}
    if replay is not None:
        given[L("seed.replay")] = {replay.seed}
    every = set().union(*given.values()) if given else set()
    if not every:
        return L("seed.none")
    if len(every) == 1:
        return str(next(iter(every)))
    return "; ".join(f"{k} {', '.join(map(str, sorted(v)))}" for k, v in given.items())


def _sources(doc, L, title, proj, *, command, seeds, model, backtested=True):
    from forecast import __version__, datasets
    from forecast.scenarios import projection as projmod
    from forecast.scenarios.population import default_files

    doc.section(title, L("sources.subtitle"))
    doc.subsection(L("sources.methods"), keep=1.0)
    doc.bullets([
        L("method.stockflow"), L("method.uncertainty"),
        L("method.needs", water=L.decimal(projmod.WATER_LITRES_PER_PERSON_DAY, 0),
          shelter=L.decimal(projmod.SHELTER_M2_PER_PERSON, 1)),
        (L("method.context", model=model) if model else L("method.context_none"))
        + (" " + L("method.backtests") if backtested else ""),
    ], size=8.5)
    doc.subsection(L("sources.reproducibility"), keep=1.5)
    spec = proj.spec
    files = [spec.path] + [Path(p) for p in default_files(spec)]
    data_dir = datasets.data_dir()
    rows = [[L("repro.version"), f"forecast {__version__}"],
            [L("repro.command"), command or L("repro.api", file=spec.path.name,
                                              paths=proj.n_paths, seed=proj.seed,
                                              lang=L.code)],
            [L("repro.language"), L("language.name")],
            [L("repro.projection"), L("repro.paths", n=L.count(proj.n_paths), seed=proj.seed,
                                      start=L.short_date(spec.as_of))],
            [L("repro.seeds"), seeds]]
    rows += [[L("repro.scenario_file", name=p.name), f"sha256 {_sha256(p)}"] for p in files]
    rows += [[L("repro.data", name=p.name), f"sha256 {_sha256(p)}"]
             for p in sorted(Path(data_dir).iterdir()) if p.is_file()
             and p.suffix in (".csv", ".toml")]
    doc.table([Column(L("col.item"), 2.4), Column(L("col.value"), 4.3)], rows, size=7)
    doc.subsection(L("sources.datasets"), keep=1.0)
    doc.paragraph(L("sources.quotes"), **NOTE)
    for name in datasets.names():
        meta = datasets.info(name)
        doc.paragraph(f"{name}: {L.text(dataset_title(meta))} ({_unit(L, meta['unit'])})",
                      size=8, weight="bold", gap=0.02)
        for i, ref in enumerate(_dataset_sources(name), start=1):
            doc.paragraph(f"[{i}] {ref}", size=7, indent=0.15, gap=0.0, color="0.15")
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


# measure is re-exported for the tests that check the layout measures text
__all__ = ["SECTIONS", "border", "measure", "place", "scenario_report", "sections"]
