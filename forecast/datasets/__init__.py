"""Bundled, sourced migration datasets with vintages, and validated user series.

    import forecast as fc
    fc.datasets.names()
    y = fc.datasets.load("chile_foreign_population")            # latest revision per year
    y0 = fc.datasets.load("chile_foreign_population", vintage="first")
    rt = fc.datasets.load("chile_foreign_population", vintage="2021-06-30")
    fc.datasets.vintages("chile_foreign_population")             # every published value
    fc.datasets.table("border_stranding_counts")                 # all rows, all columns
    mine = fc.datasets.read_csv("my_series.csv")           # year,value / ds,y / unique_id,ds,y
    excel = fc.datasets.read_csv("export.csv", period_col="año", decimal=",")  # or detected
    counts = fc.datasets.read_counts("my-counts.csv")           # dated counts of stranded people
"""

from forecast.datasets.loader import load, read_counts, table, vintages
from forecast.datasets.registry import data_dir, info, manifest, names
from forecast.datasets.summary import catalog
from forecast.datasets.userdata import read_csv

__all__ = ["catalog", "data_dir", "info", "load", "manifest", "names", "read_counts",
           "read_csv", "table", "vintages"]
