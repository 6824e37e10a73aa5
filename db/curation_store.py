"""All SQL of the curation stage: reading a crawl run's pages and writing findings, gaps and proposals.

The curation package never touches a table itself; it calls these functions, so the layout of staging.db
stays known to `db/` alone.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from .hub import now
from .values import decode_json, encode_json

MAX_BODY = 8 * 1024 * 1024  # a decompressed body is never larger than this, whatever the row says


def latest_crawl_run(db: Database) -> int | None:
    """The newest run that stored sites or pages (any status, so an interrupted crawl can be extracted
    too)."""
    row = db.execute(
        "select max(run_id) from (select run_id from sites union all select run_id from pages)"
    ).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def run_sites(db: Database, run_id: int) -> dict[str, dict[str, Any]]:
    """The outcome of every site in a run, by initiative id; initiatives with pages but no site row count
    as fetched."""
    sites: dict[str, dict[str, Any]] = {}
    for row in db.execute(
        "select initiative_id, url, final_url, outcome, detail from sites where run_id = ?", [run_id]
    ).fetchall():
        sites[row[0]] = {"url": row[1], "final_url": row[2], "outcome": row[3], "detail": row[4]}
    for (initiative_id,) in db.execute(
        "select distinct initiative_id from pages where run_id = ?", [run_id]
    ).fetchall():
        sites.setdefault(
            initiative_id, {"url": None, "final_url": None, "outcome": "fetched", "detail": None}
        )
    return sites


def _decompress(blob: bytes | None) -> tuple[bytes | None, str | None]:
    if blob is None:
        return None, None
    try:
        decoder = zlib.decompressobj()
        data = decoder.decompress(blob, MAX_BODY)
        return data, (
            "body larger than the extraction cap; read in part" if decoder.unconsumed_tail else None
        )
    except zlib.error as exc:
        return None, f"stored body cannot be decompressed: {exc}"


def _body_row(db: Database, page_id: int) -> dict[str, Any] | None:
    """Follow `same_as` links (unchanged pages) to the row that holds the body; stops on loops."""
    seen: set[int] = set()
    current: int | None = page_id
    while current is not None and current not in seen:
        seen.add(current)
        row = db.execute(
            "select id, body, same_as, content_type, title, text, language from pages where id = ?", [current]
        ).fetchone()
        if row is None:
            return None
        if row[1] is not None or row[2] is None:
            return dict(
                zip(("id", "body", "same_as", "content_type", "title", "text", "language"), row, strict=True)
            )
        current = row[2]
    return None


def run_pages(db: Database, run_id: int, initiative_id: str) -> Iterator[dict[str, Any]]:
    """The pages of one site in a run, with `body` decompressed (bytes) and `problem` set when it could
    not be."""
    cursor = db.execute(
        "select id, url, final_url, http_status, content_type, fetched_at, title, text, language, body,"
        " truncated, change, same_as from pages where run_id = ? and initiative_id = ?"
        " and coalesce(change, '') != 'gone' order by id",
        [run_id, initiative_id],
    )
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        page = dict(zip(names, values, strict=True))
        blob = page.pop("body")
        problem = None
        if blob is None and page["same_as"] is not None:
            source = _body_row(db, page["same_as"])
            if source is None:
                problem = f"unchanged page refers to missing page row {page['same_as']}"
            else:
                blob = source["body"]
                page["content_type"] = page["content_type"] or source["content_type"]
                page["text"] = page["text"] or source["text"]
                page["title"] = page["title"] or source["title"]
        body, decode_problem = _decompress(blob)
        page["body"] = body
        page["problem"] = problem or decode_problem
        yield page


def save_site_results(
    db: Database,
    run_id: int,
    initiative_id: str,
    findings: list[dict[str, Any]],
    gaps: list[dict[str, Any]],
) -> None:
    """Replace one site's findings and gaps for a run, in one transaction (re-extracting a run is
    idempotent)."""
    stamp = now()
    with db.atomic():
        db.execute("delete from findings where run_id = ? and initiative_id = ?", [run_id, initiative_id])
        db.execute("delete from gaps where run_id = ? and initiative_id = ?", [run_id, initiative_id])
        for finding in findings:
            db.table("findings").insert(
                {
                    "run_id": run_id,
                    "initiative_id": initiative_id,
                    "field": finding["field"],
                    "value": encode_json(finding["value"]),
                    "confidence": float(finding["confidence"]),
                    "language": finding.get("language"),
                    "evidence": encode_json(finding.get("evidence") or []),
                    "created_at": stamp,
                }
            )
        for gap in gaps:
            db.table("gaps").insert(
                {
                    "run_id": run_id,
                    "initiative_id": initiative_id,
                    "gap": gap["gap"],
                    "pages_checked": encode_json(gap.get("pages_checked") or []),
                    "created_at": stamp,
                }
            )


def latest_run_with_findings(db: Database) -> int | None:
    row = db.execute("select max(run_id) from findings").fetchone()
    return int(row[0]) if row and row[0] is not None else None


def run_findings(db: Database, run_id: int) -> list[dict[str, Any]]:
    """Every finding of a run, values and evidence decoded."""
    cursor = db.execute(
        "select initiative_id, field, value, confidence, language, evidence from findings where run_id = ?"
        " order by initiative_id, field",
        [run_id],
    )
    return [
        {
            "initiative_id": r[0],
            "field": r[1],
            "value": decode_json(r[2]),
            "confidence": r[3],
            "language": r[4],
            "evidence": decode_json(r[5]) or [],
        }
        for r in cursor.fetchall()
    ]


_PROPOSAL_COLUMNS = (
    "id",
    "initiative_id",
    "field",
    "current_value",
    "proposed_value",
    "evidence",
    "evidence_hash",
    "confidence",
    "language",
    "run_id",
    "first_run_id",
    "status",
)


def open_proposals(db: Database, initiative_id: str, field: str) -> list[dict[str, Any]]:
    """Earlier proposals for one field (pending, rejected, approved, published), newest first, values decoded."""
    cursor = db.execute(
        f"select {', '.join(_PROPOSAL_COLUMNS)} from proposals where initiative_id = ? and field = ?"  # noqa: S608
        " and status in ('pending', 'rejected', 'approved', 'published') order by id desc",
        [initiative_id, field],
    )
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(_PROPOSAL_COLUMNS, values, strict=True))
        row["proposed_value"] = decode_json(row["proposed_value"])
        row["current_value"] = decode_json(row["current_value"])
        rows.append(row)
    return rows


def insert_proposal(db: Database, proposal: dict[str, Any]) -> int:
    stamp = now()
    row = {
        "initiative_id": proposal["initiative_id"],
        "field": proposal["field"],
        "current_value": encode_json(proposal["current_value"]),
        "proposed_value": encode_json(proposal["proposed_value"]),
        "evidence": encode_json(proposal["evidence"]),
        "evidence_hash": proposal["evidence_hash"],
        "confidence": proposal["confidence"],
        "language": proposal.get("language"),
        "run_id": proposal["run_id"],
        "first_run_id": proposal["run_id"],
        "status": "pending",
        "created_at": stamp,
        "updated_at": stamp,
    }
    table = db.table("proposals")
    table.insert(row)
    assert table.last_pk is not None
    return int(table.last_pk)


def refresh_proposal(db: Database, proposal_id: int, proposal: dict[str, Any]) -> None:
    """A re-crawl saw the same value again: keep the proposal, renew its evidence and run."""
    db.table("proposals").update(
        proposal_id,
        {
            "evidence": encode_json(proposal["evidence"]),
            "evidence_hash": proposal["evidence_hash"],
            "confidence": proposal["confidence"],
            "language": proposal.get("language"),
            "current_value": encode_json(proposal["current_value"]),
            "run_id": proposal["run_id"],
            "updated_at": now(),
        },
    )


def set_proposal_status(db: Database, proposal_id: int, status: str) -> None:
    db.table("proposals").update(proposal_id, {"status": status, "updated_at": now()})
