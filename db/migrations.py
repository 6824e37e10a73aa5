"""Versioned schemas of hub.db and staging.db, as sqlite-utils migrations.

Each function is one released step and is never edited once released: a new column or table is a new
function appended below, so a database made by any older version upgrades in place without losing a row.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from .vocabulary import FIELDS

hub = Migrations("cahub_hub")
staging = Migrations("cahub_staging")


def _sql_type(kind: str) -> type:
    return {"bool": int, "year": int}.get(kind, str)


@hub()
def m001_initiatives_and_changes(db: Database) -> None:
    columns: dict[str, type] = {f.name: _sql_type(f.kind) for f in FIELDS}
    columns["updated_at"] = str
    db.table("initiatives").create(columns, pk="id", not_null={"name"})
    db.table("initiatives").create_index(["name"])
    db.table("batches").create(
        {
            "id": int,
            "kind": str,  # import | publish | rollback
            "actor": str,
            "created_at": str,
            "rolls_back": int,
            "note": str,
        },
        pk="id",
    )
    db.table("changes").create(
        {
            "id": int,
            "batch_id": int,
            "initiative_id": str,
            "field": str,
            "old_value": str,
            "new_value": str,
            "proposal_id": int,
            "actor": str,  # import | curator name
            "curator": str,
            "publisher": str,
            "changed_at": str,
        },
        pk="id",
        foreign_keys=[("batch_id", "batches", "id"), ("initiative_id", "initiatives", "id")],
    )
    db.table("changes").create_index(["initiative_id", "changed_at"])
    db.table("changes").create_index(["batch_id"])


@staging()
def m001_crawl_curation_review(db: Database) -> None:
    db.table("runs").create(
        {
            "id": int,
            "kind": str,  # crawl | extract | propose | run
            "status": str,  # running | completed | failed | interrupted
            "started_at": str,
            "finished_at": str,
            "options": str,  # JSON
            "summary": str,  # JSON
        },
        pk="id",
    )
    db.table("sites").create(
        {
            "id": int,
            "run_id": int,
            "initiative_id": str,
            "url": str,
            "final_url": str,
            # fetched | unreachable | dns_failure | tls_error | http_error | robots_blocked
            # | offsite_redirect | parked | timeout | pending
            "outcome": str,
            "detail": str,
            "http_status": int,
            "pages": int,
            "started_at": str,
            "finished_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("sites").create_index(["run_id", "initiative_id"], unique=True)
    db.table("sites").create_index(["initiative_id", "outcome"])
    db.table("pages").create(
        {
            "id": int,
            "run_id": int,
            "initiative_id": str,
            "url": str,
            "final_url": str,
            "http_status": int,
            "content_type": str,
            "fetched_at": str,
            "content_hash": str,
            "title": str,
            "text": str,
            "language": str,
            "body": bytes,  # compressed raw body, capped
            "body_size": int,
            "truncated": int,
            "change": str,  # new | changed | unchanged | gone
            "same_as": int,  # for unchanged pages: the page row that holds the body
            "etag": str,
            "last_modified": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("pages").create_index(["run_id", "initiative_id", "url"], unique=True)
    db.table("pages").create_index(["initiative_id", "url"])
    db.table("pages").create_index(["content_hash"])
    db.table("findings").create(
        {
            "id": int,
            "run_id": int,
            "initiative_id": str,
            "field": str,  # a record field, or site_unreachable / site_blocked
            "value": str,  # JSON
            "confidence": float,
            "language": str,
            "evidence": str,  # JSON list of {url, quote, language}
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("findings").create_index(["run_id", "initiative_id", "field"], unique=True)
    db.table("gaps").create(
        {
            "id": int,
            "run_id": int,
            "initiative_id": str,
            "gap": str,  # a key of vocabulary.GAP_KEYS
            "pages_checked": str,  # JSON list of URLs
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db.table("gaps").create_index(["run_id", "initiative_id", "gap"], unique=True)
    db.table("gaps").create_index(["initiative_id"])
    db.table("proposals").create(
        {
            "id": int,
            "initiative_id": str,
            "field": str,
            "current_value": str,  # JSON, the hub value when proposed
            "proposed_value": str,  # JSON
            "evidence": str,  # JSON list of {url, quote, language}
            "evidence_hash": str,
            "confidence": float,
            "language": str,
            "run_id": int,  # the run that last saw it
            "first_run_id": int,
            # pending | approved | rejected | superseded | published | stale
            "status": str,
            "approved_value": str,  # JSON, the value a curator approved (maybe edited)
            "decided_by": str,
            "decided_at": str,
            "published_batch": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
    )
    db.table("proposals").create_index(["status", "initiative_id"])
    db.table("proposals").create_index(["initiative_id", "field", "status"])
    db.table("proposals").create_index(["run_id"])
    db.table("decisions").create(
        {
            "id": int,
            "proposal_id": int,
            "curator": str,
            "decision": str,  # approve | reject | edit
            "value": str,  # JSON
            "reason": str,
            "decided_at": str,
        },
        pk="id",
        foreign_keys=[("proposal_id", "proposals", "id")],
    )
    db.table("decisions").create_index(["proposal_id"])
    db.table("warnings").create(
        {
            "id": int,
            "run_id": int,
            "initiative_id": str,
            "stage": str,  # crawl | extract | propose
            "level": str,  # info | warning | error
            "message": str,
            "url": str,
            "created_at": str,
        },
        pk="id",
    )
    db.table("warnings").create_index(["run_id", "initiative_id"])


@staging()
def m002_reports_snapshots(db: Database) -> None:
    # The figures of each gap report, so the next one can say what changed; `basis` identifies the crawls a
    # report was built from, so regenerating a report from the same data does not count as a new one.
    db.table("report_snapshots").create(
        {"id": int, "kind": str, "basis": str, "created_at": str, "figures": str},
        pk="id",
    )
    db.table("report_snapshots").create_index(["kind", "id"])
