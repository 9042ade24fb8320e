"""Where the bundled datasets live and what the manifest says about them.

The manifest (``datasets/manifest.toml``) describes every dataset: title, file, kind, unit,
definition, the selection rule among vintages and alternates, caveats and each column. In a
checkout the files are read from ``datasets/``; in an installed wheel they ship inside the
package as ``forecast/_data``.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from forecast.errors import DataError

KINDS = ("series", "table", "nationality", "stranding", "events", "peru")
REQUIRED_KEYS = ("title", "file", "kind", "frequency", "unit", "definition", "columns")


def data_dir() -> Path:
    """Directory holding the bundled CSV files and manifest."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_data"
    if (installed / "manifest.toml").is_file():
        return installed
    checkout = package.parent / "datasets"
    if (checkout / "manifest.toml").is_file():
        return checkout
    raise DataError(
        f"bundled datasets not found: looked for manifest.toml in {installed} and {checkout}"
    )


@lru_cache(maxsize=1)
def manifest() -> dict:
    """The parsed manifest: {dataset name: entry}."""
    path = data_dir() / "manifest.toml"
    try:
        with path.open("rb") as fh:
            entries = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: invalid TOML: {exc}") from None
    for name, entry in entries.items():
        missing = [k for k in REQUIRED_KEYS if k not in entry]
        if missing:
            raise DataError(f"{path}: dataset [{name}] lacks key(s) {', '.join(missing)}")
        if entry["kind"] not in KINDS:
            raise DataError(
                f"{path}: dataset [{name}] has kind {entry['kind']!r}; valid: {', '.join(KINDS)}"
            )
    return entries


def names() -> list[str]:
    """Names of the bundled datasets, sorted."""
    return sorted(manifest())


def info(name: str) -> dict:
    """The manifest entry of dataset ``name`` (title, unit, definition, caveats, columns ...)."""
    entries = manifest()
    if name not in entries:
        raise DataError(f"unknown dataset {name!r}; valid names: {', '.join(sorted(entries))}")
    return dict(entries[name], name=name)


def path_of(name: str) -> Path:
    return data_dir() / info(name)["file"]
