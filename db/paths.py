"""Where the two databases live: one data folder, chosen by flag, `CAHUB_DATA`, or `./data`."""

from __future__ import annotations

import os
from pathlib import Path

HUB_DB = "hub.db"
STAGING_DB = "staging.db"


def data_dir(value: str | os.PathLike[str] | None = None) -> Path:
    """Resolve the data folder: an explicit value wins, then `CAHUB_DATA`, then `./data`."""
    if value:
        return Path(value)
    return Path(os.environ.get("CAHUB_DATA") or "data")


def hub_path(folder: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(folder) / HUB_DB


def staging_path(folder: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(folder) / STAGING_DB
