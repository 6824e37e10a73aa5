"""Runs (one crawl, extraction or scheduled cycle) and the warnings they raise, in staging.db.

Every problem a stage meets is a `warnings` row (site, level, message, URL), so the report and the review
UI can show it; a log line alone would be lost.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from .hub import now


def start_run(db: Database, kind: str, options: dict[str, Any] | None = None) -> int:
    table = db.table("runs")
    table.insert(
        {
            "kind": kind,
            "status": "running",
            "started_at": now(),
            "options": json.dumps(options or {}, sort_keys=True),
        }
    )
    assert table.last_pk is not None
    return int(table.last_pk)


def finish_run(db: Database, run_id: int, status: str, summary: dict[str, Any] | None = None) -> None:
    """Close a run with its status (completed, failed, interrupted) and a summary of what it did."""
    db.table("runs").update(
        run_id,
        {"status": status, "finished_at": now(), "summary": json.dumps(summary or {}, sort_keys=True)},
    )


def get_run(db: Database, run_id: int) -> dict[str, Any] | None:
    rows = list(db.table("runs").rows_where("id = ?", [run_id]))
    if not rows:
        return None
    row = dict(rows[0])
    row["options"] = json.loads(row["options"] or "{}")
    row["summary"] = json.loads(row["summary"] or "{}")
    return row


def latest_run(db: Database, kind: str, status: str | None = None) -> dict[str, Any] | None:
    where, params = "kind = ?", [kind]
    if status:
        where += " and status = ?"
        params.append(status)
    rows = list(db.table("runs").rows_where(where, params, order_by="id desc", limit=1))
    return get_run(db, rows[0]["id"]) if rows else None


def add_warning(
    db: Database,
    run_id: int | None,
    stage: str,
    message: str,
    *,
    initiative_id: str | None = None,
    level: str = "warning",
    url: str | None = None,
) -> None:
    db.table("warnings").insert(
        {
            "run_id": run_id,
            "initiative_id": initiative_id,
            "stage": stage,
            "level": level,
            "message": message[:2000],
            "url": url,
            "created_at": now(),
        }
    )
