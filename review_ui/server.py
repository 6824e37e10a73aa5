"""Build and serve the Datasette instance curators use: hub.db and staging.db, the plugin, the grants."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

import db

from . import accounts

CONFIG = Path(__file__).with_name("datasette.yaml")


def config(data_dir: str | os.PathLike[str] | None) -> dict[str, Any]:
    """datasette.yaml's grants plus the curator accounts, read fresh at each start."""
    loaded: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8")) or {}
    loaded.setdefault("plugins", {})["datasette-auth-passwords"] = accounts.plugin_config(data_dir)
    return loaded


def make_datasette(data_dir: str | os.PathLike[str] | None, secret: str | None = None) -> Datasette:
    """The Datasette app serving both databases; the review_ui plugin is loaded by its entry point."""
    hub_file, staging_file = db.hub_path(data_dir), db.staging_path(data_dir)
    for path in (hub_file, staging_file):
        if not path.exists():
            raise db.NotInitialised(f"{path} does not exist; run `cahub init --data-dir {path.parent}` first")
    db.init(data_dir)  # bring both schemas up to date before Datasette opens them
    return Datasette(
        files=[str(hub_file), str(staging_file)],
        config=config(data_dir),
        settings={"sql_time_limit_ms": 3000, "default_page_size": 50},
        secret=secret or os.environ.get("DATASETTE_SECRET"),
    )


def run(datasette: Datasette, port: int = 8001, host: str = "127.0.0.1") -> None:
    """Serve until interrupted; loopback only unless told otherwise."""
    import uvicorn

    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
