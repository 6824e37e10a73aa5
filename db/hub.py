"""Reading and writing published initiative records in hub.db, with a history row for every change."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from .values import encode_json, from_db, normalise, to_db
from .vocabulary import FIELD_NAMES, RECORD_FIELDS


def now() -> str:
    """The current UTC time as ISO 8601, the one timestamp format of both databases."""
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    """An initiatives row with list and boolean fields in their Python form."""
    return {name: from_db(name, row.get(name)) for name in FIELD_NAMES}


def initiatives(db: Database, ids: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """Published records, ordered by id, optionally only the given ids."""
    if ids:
        placeholders = ", ".join("?" for _ in ids)
        rows = db.table("initiatives").rows_where(f"id in ({placeholders})", ids, order_by="id")
    else:
        rows = db.table("initiatives").rows_where(order_by="id")
    for row in rows:
        yield decode_row(row)


def get_initiative(db: Database, initiative_id: str) -> dict[str, Any] | None:
    rows = list(initiatives(db, [initiative_id]))
    return rows[0] if rows else None


def new_batch(
    db: Database, kind: str, actor: str, note: str | None = None, rolls_back: int | None = None
) -> int:
    """Open a batch: every change written together (one import, one publish, one rollback) shares its id."""
    table = db.table("batches")
    table.insert({"kind": kind, "actor": actor, "created_at": now(), "note": note, "rolls_back": rolls_back})
    assert table.last_pk is not None
    return int(table.last_pk)


def record_change(
    db: Database,
    batch_id: int,
    initiative_id: str,
    field_name: str,
    old: Any,
    new: Any,
    actor: str,
    *,
    proposal_id: int | None = None,
    curator: str | None = None,
    publisher: str | None = None,
) -> None:
    db.table("changes").insert(
        {
            "batch_id": batch_id,
            "initiative_id": initiative_id,
            "field": field_name,
            "old_value": encode_json(old),
            "new_value": encode_json(new),
            "proposal_id": proposal_id,
            "actor": actor,
            "curator": curator,
            "publisher": publisher,
            "changed_at": now(),
        }
    )


def differences(old: dict[str, Any], new: dict[str, Any], fields: list[str]) -> list[str]:
    """Fields whose values differ, compared as stored (exact), so an import never loses a nuance."""
    return [f for f in fields if to_db(f, old.get(f)) != to_db(f, new.get(f))]


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    batch_id: int | None = None


class ImportConflict(Exception):
    """Records that already exist with other values, when the import was not asked to update."""

    def __init__(self, conflicts: dict[str, list[str]]):
        self.conflicts = conflicts
        lines = [f"{rid}: {', '.join(fields)}" for rid, fields in conflicts.items()]
        super().__init__(
            "these initiatives are already in the hub with different values (use --update to change them): "
            + "; ".join(lines)
        )


def import_records(db: Database, records: list[dict[str, Any]], *, update: bool = False) -> ImportResult:
    """Insert new records and, with `update`, change existing ones; all in one transaction, each change recorded.

    Only the columns present in a record are compared and written: a file without a `mission` column never
    clears the hub's missions.
    """
    result = ImportResult()
    existing = {r["id"]: r for r in initiatives(db, [r["id"] for r in records])} if records else {}
    for record in records:
        fields = [f for f in RECORD_FIELDS if f in record]
        old = existing.get(record["id"])
        if old is None:
            result.created.append(record["id"])
            continue
        changed = differences(old, record, fields)
        if not changed:
            result.unchanged.append(record["id"])
        elif update:
            result.updated[record["id"]] = changed
        else:
            result.conflicts[record["id"]] = changed
    if result.conflicts:
        raise ImportConflict(result.conflicts)
    if not result.created and not result.updated:
        return result
    with db.atomic():
        batch = new_batch(db, "import", "import")
        result.batch_id = batch
        stamp = now()
        for record in records:
            rid = record["id"]
            if rid in result.created:
                row = {f: to_db(f, record.get(f)) for f in FIELD_NAMES}
                row["updated_at"] = stamp
                db.table("initiatives").insert(row)
                created = {f: record[f] for f in RECORD_FIELDS if record.get(f) is not None}
                record_change(db, batch, rid, "_created", None, created, "import")
            elif rid in result.updated:
                changed = result.updated[rid]
                db.table("initiatives").update(
                    rid, {**{f: to_db(f, record.get(f)) for f in changed}, "updated_at": stamp}
                )
                for f in changed:
                    record_change(db, batch, rid, f, existing[rid].get(f), record.get(f), "import")
    return result


def same_value(field_name: str, a: Any, b: Any) -> bool:
    """Whether two values of a field say the same thing (white space, case and order aside)."""
    return normalise(field_name, a) == normalise(field_name, b)
