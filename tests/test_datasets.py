"""Every bundled dataset loads with sane units, spans and values; spot checks equal the
published figures in the sources file; vintage selection works; bad names fail clearly."""

import numpy as np
import pandas as pd
import pytest

import forecast as fc
from forecast.errors import DataError

REQUIRED = [
    "chile_foreign_population",
    "chile_census_foreign_born",
    "chile_irregular_entries",
    "chile_irregular_entries_partial",
    "chile_border_detections",
    "chile_reconductions",
    "chile_irregular_population",
    "chile_expulsions",
    "chile_foreign_population_by_nationality",
    "border_stranding_counts",
    "border_events",
    "peru_venezuelan_population",
]


def test_required_datasets_present():
    names = fc.datasets.names()
    missing = [n for n in REQUIRED if n not in names]
    assert not missing


@pytest.mark.parametrize("name", fc.datasets.names())
def test_every_dataset_loads_with_provenance(name):
    meta = fc.datasets.info(name)
    data = fc.datasets.load(name)
    assert len(data) > 0
    assert data.attrs["unit"] == meta["unit"] and meta["unit"]
    assert data.attrs["sources"], "every dataset names its sources"
    for src in data.attrs["sources"]:
        if src["reliability"] != "derived":
            assert src["url"].startswith("http") and src["title"] and src["quote"]
    rows = fc.datasets.table(name)
    documented = set(meta["columns"])
    assert documented <= set(rows.columns), "manifest documents only real columns"
    assert set(rows.columns) - {"vintage_date"} <= documented, "every column is documented"
    if meta["kind"] == "series":
        assert isinstance(data, pd.Series)
        assert isinstance(data.index, pd.PeriodIndex) and data.index.freqstr.startswith("Y")
        assert data.index.is_monotonic_increasing and data.index.is_unique
        assert (data >= 0).all()
        assert 1950 <= data.index.min().year and data.index.max().year <= 2026


def test_foreign_population_vintages_match_sources():
    latest = fc.datasets.load("chile_foreign_population")
    first = fc.datasets.load("chile_foreign_population", vintage="first")
    # first releases (INE-DEM / INE-SERMIG) as published
    assert first[pd.Period("2018", "Y")] == 1_251_225
    assert first[pd.Period("2019", "Y")] == 1_492_522
    assert first[pd.Period("2020", "Y")] == 1_462_103
    assert first[pd.Period("2021", "Y")] == 1_482_390
    assert first[pd.Period("2022", "Y")] == 1_625_074
    # latest restatements
    assert latest[pd.Period("2018", "Y")] == 1_300_005
    assert latest[pd.Period("2019", "Y")] == 1_448_391
    assert latest[pd.Period("2020", "Y")] == 1_460_047
    assert latest[pd.Period("2021", "Y")] == 1_564_160
    assert latest[pd.Period("2023", "Y")] == 1_918_583
    assert latest.attrs["unit"] == "persons"
    assert "2023" in latest.attrs["methodology"]["2023"]


def test_derived_values_only_on_request():
    plain = fc.datasets.load("chile_foreign_population")
    assert plain[pd.Period("2022", "Y")] == 1_625_074
    with_derived = fc.datasets.load("chile_foreign_population", derived=True)
    assert with_derived[pd.Period("2022", "Y")] == 1_918_583 - 82_446


def test_vintage_as_of_a_date_never_looks_ahead():
    rows = fc.datasets.vintages("chile_foreign_population")
    cutoff = pd.Timestamp("2020-12-31")
    asof = fc.datasets.load("chile_foreign_population", vintage=cutoff)
    assert asof.index.max() == pd.Period("2019", "Y")
    assert asof[pd.Period("2019", "Y")] == 1_492_522
    for period, value in asof.items():
        known = rows[(rows["period"] == period) & (rows["vintage_date"] <= cutoff)
                     & (rows["status"] == "primary")]
        assert value == known.sort_values("vintage_date")["value"].iloc[-1]


def test_alternates_stay_reachable():
    frame = fc.datasets.load("chile_irregular_entries", alternates=True)
    assert frame.loc[pd.Period("2018", "Y"), "value"] == 6_310
    assert "6,130" in frame.loc[pd.Period("2018", "Y"), "alternates"]
    assert frame.loc[pd.Period("2020", "Y"), "value"] == 16_848
    assert "16,484" in frame.loc[pd.Period("2020", "Y"), "alternates"]


def test_irregular_entries_peak_and_official_total():
    y = fc.datasets.load("chile_irregular_entries")
    assert y.idxmax() == pd.Period("2021", "Y") and y.max() == 56_586
    # the 2018-2021 PDI total ("Piñera II") published as 87.792
    assert y[pd.Period("2018", "Y"):pd.Period("2021", "Y")].sum() == 87_792


def test_expulsions_sum_to_published_total():
    y = fc.datasets.load("chile_expulsions")
    assert y[pd.Period("2018", "Y"):pd.Period("2024", "Y")].sum() == 9_784


def test_irregular_population_and_census():
    irr = fc.datasets.load("chile_irregular_population")
    assert irr[pd.Period("2022", "Y")] == 107_223
    assert irr[pd.Period("2023", "Y")] == 336_984
    census = fc.datasets.load("chile_census_foreign_born")
    assert census[pd.Period("2017", "Y")] == 746_465
    assert census[pd.Period("2024", "Y")] == 1_608_650
    assert list(census.index.year) == [1992, 2002, 2017, 2024]


def test_stranding_counts_are_ranges():
    obs = fc.datasets.load("border_stranding_counts")
    assert isinstance(obs.index, pd.DatetimeIndex)
    assert (obs["low"] <= obs["high"]).all()
    may15 = obs.loc[obs.index == "2023-05-15"]
    assert (may15["high"] == 0).any()
    nov = obs[obs["episode"] == "2025-11"]
    assert len(nov) >= 3 and nov["verbal"].str.len().gt(0).all()
    assert set(obs["statement"]) == {"stock", "peak", "average"}
    assert (obs.loc[obs["statement"] == "stock", "window_days"] == 1).all()
    assert {"2023-04", "2025-11", "2024-07", "2019-06-entry", "2021-11-BY-PL"} <= set(
        obs["episode"])
    # every bundled scenario file's episode has counts
    import forecast.scenarios as sc

    for path in sc.SCENARIO_DIR.glob("*.toml"):
        assert sc.load(path).history.episode in set(obs["episode"]), path.name


def test_events_include_emergency_and_flight():
    ev = fc.datasets.load("border_events")
    soe = ev[(ev["kind"] == "state_of_emergency") & (ev.index == "2025-11-29")]
    assert len(soe) == 1
    assert soe["end_date"].iloc[0] == pd.Timestamp("2026-01-27")
    flight = ev[(ev["kind"] == "flight") & (ev.index == "2023-05-07")]
    assert flight["count"].iloc[0] == 115
    assert set(ev.loc[ev["kind"] == "inauguration"].index) == {pd.Timestamp("2026-03-11")}
    renewal = ev[(ev["kind"] == "state_of_emergency") & (ev.index == "2026-01-28")]
    assert (renewal["end_date"] == pd.Timestamp("2026-03-28")).all()
    assert renewal["description"].str.contains("013-2026-PCM").any()
    runoff = ev[(ev["kind"] == "election") & (ev.index == "2025-12-14")]
    assert runoff["description"].str.contains("58,16%").all()


def test_nationality_and_peru():
    nat = fc.datasets.load("chile_foreign_population_by_nationality")
    ven2023 = nat[(nat.index == pd.Period("2023", "Y")) & (nat["nationality"] == "Venezuela")
                  & (nat["source_kind"] == "estimate")]
    assert ven2023["count"].iloc[0] == 728_586
    peru = fc.datasets.load("peru_venezuelan_population")
    assert (peru["value"] > 0).all()


def test_unknown_name_lists_valid_names():
    with pytest.raises(DataError) as info:
        fc.datasets.load("chile_foreign_populaton")
    assert "chile_foreign_population" in str(info.value)
    assert "valid names" in str(info.value)


@pytest.mark.parametrize("bad", ["newest", "2020-13-45", object()])
def test_bad_vintage(bad):
    with pytest.raises(DataError, match="vintage"):
        fc.datasets.load("chile_foreign_population", vintage=bad)


def test_vintages_only_for_series():
    with pytest.raises(DataError, match="has no vintages"):
        fc.datasets.vintages("border_events")


def test_catalog_table():
    cat = fc.datasets.catalog()
    assert set(REQUIRED) <= set(cat["name"])
    assert (cat["sources"] >= 1).all()
    row = cat.set_index("name").loc["chile_irregular_entries"]
    assert row["span"].startswith("2010") and row["unit"] == "persons"


# -- figures published after the first release (issue 11) ----------------------------------
def test_irregular_entries_through_2025_and_their_vintages():
    y = fc.datasets.load("chile_irregular_entries")
    assert y[pd.Period("2024", "Y")] == 29_269  # SERMIG table, La Tercera 2025-12-10
    assert y[pd.Period("2025", "Y")] == 26_000  # Defence Minister, 2026-02-17 ('26 mil')
    # the real-time series never holds a figure before it was published
    before = fc.datasets.load("chile_irregular_entries", vintage="2025-12-09")
    assert before.index.max() == pd.Period("2023", "Y")
    after = fc.datasets.load("chile_irregular_entries", vintage="2025-12-10")
    assert after.index.max() == pd.Period("2024", "Y")
    # the published 2022–Nov 2025 total is the annual figures plus January–November 2025
    part = fc.datasets.table("chile_irregular_entries_partial")
    ipnh = part[part["concept"] == "IPNH denuncias+autodenuncias"]

    def window(start, end):
        hit = ipnh[(ipnh["period_start"] == start) & (ipnh["period_end"] == end)]
        assert len(hit) == 1, (start, end)
        return hit["value"].iloc[0]

    jan_nov_2025 = window("2025-01-01", "2025-11-30")
    assert jan_nov_2025 == 22_883
    annual_2022_2024 = y[pd.Period("2022", "Y"):pd.Period("2024", "Y")].sum()
    assert annual_2022_2024 + jan_nov_2025 == window("2022-01-01", "2025-11-30") == 150_262
    assert y[pd.Period("2018", "Y"):pd.Period("2021", "Y")].sum() == window("2018-01-01",
                                                                          "2021-12-31")
    # a year-to-date count is below its full-year total
    assert window("2024-01-01", "2024-11-30") < y[pd.Period("2024", "Y")]
    assert window("2024-01-01", "2024-07-31") == 17_039


def test_expulsions_2025_published_with_the_first_2026_flight():
    y = fc.datasets.load("chile_expulsions")
    assert y[pd.Period("2025", "Y")] == 1_117
    assert fc.datasets.load("chile_expulsions", vintage="2026-01-24").index.max() == pd.Period(
        "2024", "Y")
    part = fc.datasets.table("chile_expulsions_partial")
    ytd = part[(part["period_start"] == "2025-01-01")
               & (part["concept"] == "materialized expulsions (administrative + judicial)")]
    # year-to-date counts of 2025 grow with their window and stay below the year's total
    ordered = ytd.sort_values("period_end")["value"].to_numpy()
    assert len(ordered) >= 3 and (np.diff(ordered) > 0).all() and ordered[-1] < 1_117


def test_press_figure_for_2014_is_an_alternate_never_selected():
    frame = fc.datasets.load("chile_foreign_population", alternates=True)
    assert frame.loc[pd.Period("2014", "Y"), "value"] == 410_988
    assert "490,000" in frame.loc[pd.Period("2014", "Y"), "alternates"]
    rows = fc.datasets.vintages("chile_foreign_population")
    press = rows[rows["value"] == 490_000]
    assert len(press) == 1
    assert press[["status", "reliability"]].iloc[0].tolist() == ["alternate", "C"]
    assert press["note"].iloc[0]


@pytest.mark.parametrize("name", [n for n in fc.datasets.names()
                                  if fc.datasets.info(n)["kind"] == "series"])
def test_primary_values_are_not_dated_before_their_year_ends(name):
    rows = fc.datasets.vintages(name)
    primary = rows[rows["status"] == "primary"]
    year_end = primary["period"].map(lambda p: p.end_time.normalize())
    early = primary[primary["vintage_date"] < year_end]
    assert early.empty, early[["period", "value", "vintage"]]


@pytest.mark.parametrize("name", [n for n in fc.datasets.names()
                                  if fc.datasets.info(n)["kind"] == "table"])
def test_partial_counts_are_not_dated_before_their_window_ends(name):
    from forecast.datasets.csvio import vintage_end

    rows = fc.datasets.table(name)
    dated = rows[rows["source_date"].astype(str).str.strip() != ""]
    public = dated["source_date"].map(vintage_end)
    early = dated[public < dated["period_end"]]
    assert early.empty, early[["period_start", "period_end", "value", "source_date"]]


def test_rows_since_2024_carry_a_publication_date():
    for name in fc.datasets.names():
        kind = fc.datasets.info(name)["kind"]
        rows = fc.datasets.table(name)
        if kind == "table":
            recent = rows[rows["period_end"] >= "2024-01-01"]
        elif kind == "series":
            recent = rows[rows["period"] >= pd.Period("2024", "Y")]
        else:
            continue
        recent = recent[recent["reliability"] != "derived"]
        undated = recent[recent["source_date"].astype(str).str.strip() == ""]
        if kind == "series":
            undated = undated[undated["vintage"].astype(str).str.strip() == ""]
        assert undated.empty, (name, undated.index.tolist())


def test_summary_marker_is_followed_by_the_summary():
    marker = "[no verbatim quote in sources file; its summary reads:]"
    for name in fc.datasets.names():
        quotes = fc.datasets.table(name)["quote"].astype(str)
        for quote in quotes[quotes.str.contains(marker, regex=False)]:
            assert quote.split(marker, 1)[1].strip(), (name, quote)
