"""The two databases: hub.db (published records and their history) and staging.db (everything not yet published).

This package is the only code that knows table layouts and writes SQL; the other stages call its functions.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from . import migrations
from .paths import data_dir, hub_path, staging_path

__all__ = ["open_hub", "open_staging", "init", "data_dir", "hub_path", "staging_path"]


def _connect(path: Path) -> Database:
    # WAL lets Datasette read while a crawl or a publish writes; the busy timeout makes writers queue
    # instead of failing at once when they meet.
    conn = sqlite3.connect(str(path), timeout=30)
    db = Database(conn)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA foreign_keys=ON")
    return db


class NotInitialised(Exception):
    """The data folder has no databases yet: `cahub init` has not been run there."""


def _open(path: Path, create: bool) -> Database:
    if not create and not path.exists():
        raise NotInitialised(f"{path} does not exist; run `cahub init --data-dir {path.parent}` first")
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    return _connect(path)


def open_hub(folder: str | os.PathLike[str] | None = None, *, create: bool = False) -> Database:
    """Open hub.db, upgrading its schema in place if an older version made it."""
    db = _open(hub_path(folder), create)
    migrations.hub.apply(db)
    return db


def open_staging(folder: str | os.PathLike[str] | None = None, *, create: bool = False) -> Database:
    """Open staging.db, upgrading its schema in place if an older version made it."""
    db = _open(staging_path(folder), create)
    migrations.staging.apply(db)
    return db


def init(folder: str | os.PathLike[str] | None = None) -> tuple[Path, Path]:
    """Create (or upgrade) both databases; harmless to run again."""
    open_hub(folder, create=True).close()
    open_staging(folder, create=True).close()
    return hub_path(folder), staging_path(folder)
