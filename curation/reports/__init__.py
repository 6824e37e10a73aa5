"""Reports for the hub's curators and readers: the transparency-gap report, hub statistics, the G20 KPI.

`gap_report` and `stats_report` write HTML (one self-contained file), CSV (one file per table) or Markdown,
by default into `<data_dir>/reports/`, and return the paths written; `kpi` returns the KPI as a dict.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import db
from db import report_queries

from . import g20_kpi, gap_document, gaps, stats, writers

__all__ = ["gap_report", "stats_report", "kpi", "FORMATS"]

FORMATS = (*writers.FORMATS, "all")
PathLike = str | os.PathLike[str]


def _out(data_dir: PathLike, out_dir: PathLike | None) -> Path:
    return Path(out_dir) if out_dir is not None else Path(data_dir) / "reports"


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")


def gap_report(data_dir: PathLike, fmt: str = "html", out_dir: PathLike | None = None) -> list[Path]:
    """Write the transparency-gap report from each initiative's latest successful crawl; returns the files."""
    _check(fmt)
    hub_db, staging_db = db.open_hub(data_dir), db.open_staging(data_dir)
    try:
        report = gaps.build(hub_db, staging_db)
        hub_size = hub_db["initiatives"].count
    finally:
        hub_db.close()
        staging_db.close()
    return writers.write(gap_document.document(report, hub_size), fmt, _out(data_dir, out_dir))


def stats_report(data_dir: PathLike, fmt: str = "html", out_dir: PathLike | None = None) -> list[Path]:
    """Write the hub statistics (industry reach, facilitators, scope, mission focus, stakeholders)."""
    _check(fmt)
    hub_db = db.open_hub(data_dir)
    try:
        records = report_queries.hub_records(hub_db)
    finally:
        hub_db.close()
    return writers.write(stats.document(records), fmt, _out(data_dir, out_dir))


def kpi(data_dir: PathLike) -> dict[str, Any]:
    """The G20 Collective Action KPI: counted, total (96), percent, countries counted with their initiatives,
    and not_counted."""
    hub_db = db.open_hub(data_dir)
    try:
        return g20_kpi.compute(report_queries.hub_records(hub_db))
    finally:
        hub_db.close()
