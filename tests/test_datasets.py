"""Every bundled dataset loads with sane units, spans and values; spot checks equal the
published figures in the sources file; vintage selection works; bad names fail clearly."""

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
