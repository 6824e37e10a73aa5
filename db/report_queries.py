"""Every query the reports make: the latest evaluated crawl of each initiative, its gaps, findings, site
outcome and language, the published records, and the snapshots behind "change since the previous report".

The reports package never writes SQL; it reads these plain dicts. "Latest" always means the newest run that
finished (`runs.status = 'completed'`), so a crawl still underway or one that failed never feeds a report.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from .hub import initiatives, now
from .values import decode_json

# Per initiative, the newest completed run in which curation wrote findings or gaps for it.
_EVALUATED = """
with evaluated(initiative_id, run_id) as (
    select initiative_id, run_id from findings union select initiative_id, run_id from gaps
)
select e.initiative_id, max(e.run_id) as run_id
from evaluated e join runs r on r.id = e.run_id
where r.status = 'completed'
group by e.initiative_id
"""


def evaluation_runs(db: Database) -> dict[str, dict[str, Any]]:
    """initiative id -> {run_id, finished_at} of the newest completed run that evaluated its site."""
    sql = f"select l.*, r.finished_at from ({_EVALUATED}) l join runs r on r.id = l.run_id"  # noqa: S608
    return {row["initiative_id"]: row for row in _rows(db, sql)}


def latest_sites(db: Database) -> dict[str, dict[str, Any]]:
    """initiative id -> its `sites` row from the newest completed run that reached a crawl outcome."""
    sql = """
    select * from (
        select s.*, r.finished_at as run_finished_at,
               row_number() over (partition by s.initiative_id order by s.run_id desc) as rank
        from sites s join runs r on r.id = s.run_id
        where r.status = 'completed' and s.outcome != 'pending'
    ) where rank = 1
    """
    return {row["initiative_id"]: row for row in _rows(db, sql)}


def latest_gaps(db: Database) -> list[dict[str, Any]]:
    """Gap rows of each initiative's latest evaluation, `pages_checked` decoded to a list of URLs."""
    sql = f"""
    select g.initiative_id, g.run_id, g.gap, g.pages_checked
    from gaps g join ({_EVALUATED}) l on l.initiative_id = g.initiative_id and l.run_id = g.run_id
    order by g.initiative_id, g.gap
    """  # noqa: S608
    rows = _rows(db, sql)
    for row in rows:
        row["pages_checked"] = _json_list(row["pages_checked"])
    return rows


def latest_findings(db: Database) -> list[dict[str, Any]]:
    """Finding rows of each initiative's latest evaluation, `value` and `evidence` decoded."""
    sql = f"""
    select f.initiative_id, f.run_id, f.field, f.value, f.confidence, f.language, f.evidence
    from findings f join ({_EVALUATED}) l on l.initiative_id = f.initiative_id and l.run_id = f.run_id
    order by f.initiative_id, f.field
    """  # noqa: S608
    rows = _rows(db, sql)
    for row in rows:
        row["value"] = _json(row["value"])
        row["evidence"] = [e for e in _json_list(row["evidence"]) if isinstance(e, dict)]
    return rows


def page_languages(db: Database) -> dict[str, dict[str, int]]:
    """initiative id -> {language: pages} over the pages of its latest evaluation run (gone pages aside)."""
    sql = f"""
    select p.initiative_id, coalesce(p.language, 'unknown') as language, count(*) as pages
    from pages p join ({_EVALUATED}) l on l.initiative_id = p.initiative_id and l.run_id = p.run_id
    where coalesce(p.change, '') != 'gone'
    group by p.initiative_id, language
    """  # noqa: S608
    result: dict[str, dict[str, int]] = {}
    for row in _rows(db, sql):
        result.setdefault(row["initiative_id"], {})[row["language"]] = row["pages"]
    return result


def hub_records(hub: Database) -> list[dict[str, Any]]:
    """Every published initiative, decoded (lists as lists, booleans as bools), ordered by id."""
    return list(initiatives(hub))


def previous_snapshot(db: Database, kind: str, basis: str) -> dict[str, Any] | None:
    """The newest snapshot of a report built from other data than `basis` (the previous report's figures)."""
    rows = list(
        db["report_snapshots"].rows_where(
            "kind = ? and basis != ?", [kind, basis], order_by="id desc", limit=1
        )
    )
    if not rows:
        return None
    row = dict(rows[0])
    row["figures"] = json.loads(row["figures"])
    return row


def save_snapshot(db: Database, kind: str, basis: str, figures: dict[str, Any]) -> int:
    """Keep a report's figures; writing the same report again from the same data keeps one row."""
    with db.atomic():
        table = db.table("report_snapshots")
        rows = list(table.rows_where("kind = ? and basis = ?", [kind, basis], limit=1))
        if rows:
            return int(rows[0]["id"])
        table.insert(
            {
                "kind": kind,
                "basis": basis,
                "created_at": now(),
                "figures": json.dumps(figures, ensure_ascii=False, sort_keys=True),
            }
        )
        return int(str(table.last_pk))


def _rows(db: Database, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _json(text: Any) -> Any:
    if text is None or not isinstance(text, str):
        return text
    try:
        return decode_json(text)
    except ValueError:
        return text


def _json_list(text: Any) -> list[Any]:
    value = _json(text)
    return value if isinstance(value, list) else []
