"""The report in two languages: one catalogue, number and date conventions, measured layout,
the Spanish edition, byte-identical builds wherever written, the brief on page 1."""

from __future__ import annotations

import dataclasses
import datetime as dt
import warnings

import numpy as np
import pytest

pypdf = pytest.importorskip("pypdf")

import forecast as fc  # noqa: E402
from forecast.reports import scenario  # noqa: E402
from forecast.reports.catalogue import MESSAGES  # noqa: E402
from forecast.reports.language import LANGUAGES, NBSP, Language, placeholders  # noqa: E402
from forecast.reports.layout import measure, wrap  # noqa: E402
from forecast.scenarios.evidence import episode_evaluation  # noqa: E402

N_PATHS = 300
EN, ES = Language("en"), Language("es")


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


# -- the catalogue -----------------------------------------------------------------------------
def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, entry in MESSAGES.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert placeholders(entry["en"]) == placeholders(entry["es"]), key
        # and each fills without error from its own fields
        values = {name: "x" for name in placeholders(entry["en"])}
        for lang in LANGUAGES:
            entry[lang].format(**values)


def test_the_spanish_is_not_the_english():
    """Sentences differ between editions (short labels such as 'no' or 'PIT' may not)."""
    long = [k for k, e in MESSAGES.items() if len(e["en"].split()) >= 4]
    same = [k for k in long if MESSAGES[k]["en"] == MESSAGES[k]["es"]]
    assert len(long) > 100
    assert same == ["repro.api"]   # a Python call, the same in both


def test_unknown_language_and_message_are_refused():
    with pytest.raises(fc.errors.ReportError, match="valid: en, es"):
        Language("fr")
    with pytest.raises(fc.errors.ReportError, match="no.such.key"):
        EN("no.such.key")


# -- numbers and dates -------------------------------------------------------------------------
def test_numbers_by_each_convention():
    assert EN.count(1250) == "1,250" and ES.count(1250) == "1.250"
    assert EN.count(1_234_567.4) == "1,234,567" and ES.count(1_234_567.4) == "1.234.567"
    assert EN.count(999) == ES.count(999) == "999"
    assert EN.decimal(-5.058, 2) == "\u22125.06" and ES.decimal(-5.058, 2) == "\u22125,06"
    assert ES.decimal(1250.5, 1) == "1.250,5"
    assert ES.decimal(-0.001, 2) == "0,00"           # no "-0,00"
    assert EN.band(102, 401.6) == ES.band(102, 401.6) == "102\u2013402"
    assert ES.band(1250, 15000) == "1.250\u201315.000"
    assert EN.signed(387.5) == "+388" and EN.signed(-44) == "\u221244" and EN.signed(0) == "0"
    assert EN.prob(0.3585) == ES.prob(0.3585) == "36%"
    assert flat(EN.big(1_739_670, "litres")) == "1.7 million litres"
    assert flat(ES.big(1_739_670, "litros")) == "1,7 millones de litros"
    assert flat(ES.big(652_562, "litros")) == "652.562 litros"
    assert ES.number(0.0869) == "0,0869" and EN.number(135_312) == "135,000"
    # the number and its unit never part: only non-breaking spaces inside
    assert " " not in EN.big(1_739_670, "litres")


def test_dates_by_each_convention():
    assert flat(EN.date("2026-03-11")) == "11 March 2026"
    assert flat(ES.date("2026-03-11")) == "11 de marzo de 2026"
    assert flat(EN.short_date(dt.date(2025, 12, 14))) == "14 Dec 2025"
    assert flat(ES.short_date(dt.date(2025, 12, 14))) == "14 dic 2025"
    assert flat(ES.month_year("2025-09-01")) == "sept 2025"
    assert " " not in ES.date("2026-03-11")   # a date is never split across lines


# -- measured layout ---------------------------------------------------------------------------
def test_measure_agrees_with_matplotlib_drawing():
    """The oracle: matplotlib's renderer (at 720 dpi, where hinting no longer rounds)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(dpi=720)
    canvas = FigureCanvasAgg(fig)
    for text, size, bold in [("People stranded on key dates", 11.5, True),
                             ("Mm Ww 1,250 personas varadas — ñandú", 9, False),
                             ("AVATAR: Te Wa", 8, False),
                             ("https://www.example.org/a-b/c?x=1&y=2", 7, False)]:
        t = fig.text(0, 0, text, fontsize=size, fontweight="bold" if bold else "normal",
                     parse_math=False)
        width = t.get_window_extent(canvas.get_renderer()).width / 720
        assert measure(text, size, bold) == pytest.approx(width, rel=0.01, abs=0.005)


def test_wrap_fits_and_never_splits_numbers_or_dates():
    text = (f"Plan for {EN.big(1_739_670, 'litres')} of water from {EN.date('2026-01-28')} "
            f"on; bands {EN.band(1250, 15000)} and {ES.band(1250, 15000)}; 12.345.678 people "
            "reported ") * 4
    lines = wrap(text, 2.2, 9)
    assert all(measure(line, 9) <= 2.2 + 1e-9 for line in lines)
    joined = "\n".join(lines)
    for whole in ("1.7\u00a0million\u00a0litres", "28\u00a0January\u00a02026",
                  "1,250\u201315,000", "1.250\u201315.000", "12.345.678"):
        assert joined.count(whole) == 4


def test_urls_wrap_only_at_separators():
    url = "https://www.latercera.com/nacional/noticia/gobierno-confirma-vuelo-humanitario/ABC123/"
    lines = wrap(url, 1.6, 7)
    assert len(lines) > 1 and "".join(lines) == url
    assert all(measure(line, 7) <= 1.6 + 1e-9 for line in lines)
    assert all(line[-1] in "/.?&-_=#" for line in lines[:-1])
    # in a sentence, the words before it wrap at spaces and the URL continues whole
    lines = wrap(f"[3] Source title, 2025-12-01. {url}", 1.6, 7)
    assert " ".join(lines).replace("/ ", "/").replace("- ", "-").endswith(url)


def test_headings_wrap_instead_of_being_cut():
    from forecast.reports.layout import Document

    doc = Document("t")
    doc.new_page()
    title = "Irregular entries through unauthorized crossing points (IPNH), PDI denuncias " * 2
    doc.subsection(title)
    shown = [t.get_text() for t in doc.fig.texts]
    assert "…" not in "".join(shown)
    assert flat(" ".join(shown)) == flat(title)


# -- the two editions --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def proj():
    return fc.scenarios.project(fc.scenarios.DEFAULT_SCENARIO, n_paths=N_PATHS, seed=0)


@pytest.fixture(scope="module")
def attribution(proj):
    return proj.attribution(threshold=proj.spec.report.thresholds[0])


@pytest.fixture(scope="module")
def editions(proj, attribution, tmp_path_factory):
    """Both editions, with the Documents they were drawn from (to check the layout)."""
    from forecast.reports import pdf

    out, docs = {}, {}
    save = pdf.save
    folder = tmp_path_factory.mktemp("editions")
    for lang in LANGUAGES:
        def keep(doc, path, meta, lang=lang):
            docs[lang] = (list(doc.overflows), len(doc.pages))
            return save(doc, path, meta)

        pdf.save = keep
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out[lang] = fc.reports.scenario_report(
                    proj, out=folder / f"{lang}.pdf", lang=lang, attribution=attribution,
                    evaluation=episode_evaluation())
        finally:
            pdf.save = save
    return out, docs


def text_of(path, pages=None) -> str:
    reader = pypdf.PdfReader(path)
    chosen = reader.pages if pages is None else [reader.pages[i] for i in pages]
    return flat(" ".join(p.extract_text() for p in chosen))


def test_spanish_edition_differs_and_follows_spanish_conventions(proj, editions):
    paths, _ = editions
    en, es = paths["en"].read_bytes(), paths["es"].read_bytes()
    assert en != es
    text = text_of(paths["es"])
    titles = [o.title for o in pypdf.PdfReader(paths["es"]).outline if not isinstance(o, list)]
    assert titles == list(scenario.sections("es")) and titles != list(scenario.SECTIONS)
    assert "Resumen: cifras para planificar" in text and "página 1 de" in text
    assert "Brief" not in text and "page 1 of" not in text
    # a number of the projection in Spanish form: the 90th percentile of the status-quo peak
    peak90 = np.quantile(proj.stock(proj.scenarios[0])[:, 1:].max(axis=1), 0.9)
    if peak90 >= 1000:
        assert ES.count(peak90) in text and EN.count(peak90) not in text
    assert flat(ES.date(proj.spec.as_of)) in text        # "28 de noviembre de 2025"
    # texts of the scenario file in the edition's language when the file gives it
    from forecast.scenarios.spec import in_language

    assert flat(in_language(proj.spec.title, "es")) in text
    for _, label in proj.spec.report.key_dates:
        assert flat(in_language(label, "es")) in text
        if in_language(label, "es") != str(label):
            assert flat(str(label)) not in text
    for name in proj.scenarios:
        description = proj.spec.scenario(name).description
        assert in_language(description, "es") != str(description)   # the file gives both
        assert flat(str(description)) not in text
        # called by its Spanish label; whole in the brief (with the file's identifier) and
        # over its panel (a long title is set smaller, never cut)
        label = in_language(proj.spec.scenario(name).label, "es")
        assert label and label != str(proj.spec.scenario(name).label)
        assert flat(str(proj.spec.scenario(name).label)) not in text
        assert flat(f"{label} ({name}): {in_language(description, 'es')}") in text
        assert flat(f"{label}: {in_language(description, 'es')}") in text
    assert "Perú" in text


def test_every_episode_scored_leave_one_out_in_both_editions(editions):
    """The evidence section shows the shipped benchmark scores, pooled row included."""
    paths, _ = editions
    scores = episode_evaluation()[0]
    engine = scores[scores["method"] == "engine"]
    for lang, L in (("en", EN), ("es", ES)):
        text = text_of(paths[lang])
        assert L("evaluation.title") in text and L("evaluation.missing")[:40] not in text
        assert flat(L("evaluation.pooled")) in text
        for code in engine["episode"].unique():
            assert code in text
        assert L.decimal(engine["log_score"].mean(), 2) in text     # the pooled engine score


def test_brief_on_page_one_for_each_scenario(proj, attribution, editions):
    paths, _ = editions
    for lang, L in (("en", EN), ("es", ES)):
        first = text_of(paths[lang], pages=[0])
        needs = proj.needs().set_index("scenario")
        for name in proj.scenarios:
            assert name in first
            assert L.text(proj.spec.scenario(name).description) in first   # nothing spills
            assert L.count(needs.loc[name, "person_days_q90"]) in first
            assert L.count(needs.loc[name, "shelter_m2_q90"]) in first
        # the assumption that moves the surge scenario most is named on page 1
        top = attribution[attribution["scenario"] == "deadline-surge"].sort_values(
            "peak_median_effect", key=abs).iloc[-1]
        assert L.text(top["item"]) in first
        second = text_of(paths[lang], pages=[1])
        assert scenario.sections(lang)[1] in second


def test_no_line_is_wider_than_its_room(editions):
    _, docs = editions
    for lang in LANGUAGES:
        overflows, _ = docs[lang]
        assert overflows == [], lang


def test_cross_references_resolve(editions):
    """Every "section N ..." the text points to is a section title of that edition."""
    import re

    paths, _ = editions
    for lang, word in (("en", "section"), ("es", "sección")):
        text = text_of(paths[lang])
        titles = scenario.sections(lang)
        refs = re.findall(rf"\({word} (\d+) ", text)
        assert refs
        for number in refs:
            assert f"({word} {titles[int(number) - 1]}" in text


def test_text_from_files_is_literal_in_spanish_too(proj, tmp_path):
    report = dataclasses.replace(proj.spec.report,
                                 key_dates=((dt.date(2026, 1, 5), r"día $x^2$ de a_b"),))
    other = dataclasses.replace(proj, spec=dataclasses.replace(
        proj.spec, title=r"Varados: $x^2$ 100%", report=report))
    path = fc.reports.scenario_report(other, out=tmp_path / "es.pdf", lang="es")
    text = text_of(path)
    assert r"Varados: $x^2$ 100%" in text and r"día $x^2$ de a_b" in text


# -- reproducibility through the command line --------------------------------------------------
def test_cli_report_bytes_do_not_depend_on_out_or_quiet(proj, attribution, tmp_path,
                                                        monkeypatch):
    """`forecast report --out A` and `--out B --quiet` write the same bytes: nothing of the
    output location or of the flags reaches the PDF (the costly inputs are stubbed)."""
    from forecast.cli import main, project_cmd, report_cmd

    monkeypatch.setattr(report_cmd, "load_projection", lambda args, steps, spec=None: proj)
    monkeypatch.setattr(report_cmd, "attribution", lambda p: attribution)
    monkeypatch.setattr(report_cmd, "report_inputs",
                        lambda spec, seed: {"context": None, "backtests": None,
                                            "replay": None})
    assert project_cmd  # the projection itself is stubbed above
    a, b = tmp_path / "A", tmp_path / "deep" / "B"
    assert main(["report", "--out", str(a), "--lang", "es", "--paths", str(N_PATHS)]) == 0
    assert main(["report", "--paths", str(N_PATHS), "--lang", "es", "--quiet", "--out",
                 str(b)]) == 0
    first, second = (p / "inauguration-2026.pdf" for p in (a, b))
    assert first.read_bytes() == second.read_bytes()
    text = text_of(first)
    assert f"forecast report --paths {N_PATHS} --seed 0 --lang es" in text
    assert str(tmp_path) not in text and "--out" not in text and "--quiet" not in text
    meta = pypdf.PdfReader(first).metadata
    assert "/CreationDate" not in meta and "/ModDate" not in meta


def test_rebuild_command_keeps_what_decides_the_content():
    from forecast.cli import build_parser
    from forecast.cli.report_cmd import rebuild_command

    args = build_parser().parse_args(["report", "--out", "/x/y", "--quiet", "--as-of",
                                      "2025-12-01", "--seed", "3"])
    assert rebuild_command(args) == ("forecast report --paths 10000 --seed 3 --lang en "
                                     "--as-of 2025-12-01")
    other = build_parser().parse_args(["report", str(fc.scenarios.REPLAY_SCENARIO)])
    assert rebuild_command(other).startswith("forecast report replay-2023.toml --paths")


def test_as_of_past_the_last_count_warns(proj):
    import pandas as pd

    from forecast.cli.report_cmd import stale_as_of

    last = pd.Timestamp(proj.observations.dates.max()).date()
    later = dataclasses.replace(proj, spec=proj.spec.with_as_of(last + dt.timedelta(days=5)))
    message = stale_as_of(later, str(later.spec.as_of))
    assert message and f"no count after {last}" in message and "5 day(s) old" in message
    assert stale_as_of(proj, str(proj.spec.as_of)) is None   # counts after it exist
    assert stale_as_of(later, None) is None                  # the file's own as-of date
    # and the brief says so in its first lines
    assert scenario._stale(later) == last and scenario._stale(proj) is None


def test_the_context_model_is_worded_in_each_language():
    from types import SimpleNamespace

    from forecast.reports.scenario import _model_words

    c = SimpleNamespace(model="Auto (median of OptimizedTheta, Theta and CES)",
                        model_parts=("Auto", "median", ("OptimizedTheta", "Theta", "CES")))
    assert _model_words(Language("en"), c) == c.model
    assert _model_words(Language("es"), c) == "Auto (mediana de OptimizedTheta, Theta y CES)"
    single = SimpleNamespace(model="Theta", model_parts=("Theta",))
    assert _model_words(Language("es"), single) == "Theta"


def test_dataset_titles_and_units_in_each_edition(editions):
    """The sources section names every bundled dataset by its title in the edition's
    language (the manifest's title_es in Spanish) and its unit in words of that language."""
    paths, _ = editions
    es, en = flat(text_of(paths["es"])), flat(text_of(paths["en"]))
    for name in fc.datasets.names():
        meta = fc.datasets.info(name)
        assert meta.get("title_es"), f"datasets/manifest.toml: {name} has no title_es"
        assert flat(f"{name}: {meta['title_es']}") in es
        assert flat(f"{name}: {meta['title']}") in en and flat(meta["title"]) not in es
    assert "(personas)" in es and "(persons)" not in es and "(persons)" in en


def test_words_for_values_the_catalogue_may_not_know():
    from forecast.reports.scenario import _release, _statement, _unit

    assert ES.get("statement.stock", "?") == "en el lugar" and ES.get("no.such.key", "?") == "?"
    assert _statement(ES, "peak") == "máximo" and _statement(ES, "other") == "other"
    assert _unit(ES, "persons") == "personas" and _unit(EN, "km") == "km"
    assert _release(ES, "first") == "una primera publicación"
    assert _release(EN, "provisional") == "a 'provisional' release"
    assert _release(ES, "provisional") == "una cifra «provisional»"
