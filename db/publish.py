"""Publishing approved proposals to hub.db with history, and rolling a published batch back.

hub.db and staging.db are two files, so a publish is one hub transaction (values, batch, one `changes` row
per field change, each naming its proposal) followed by marking the proposals published in staging. A crash
between the two is repaired by the next publish: a proposal that already has a `changes` row in a publish
batch is never applied again, only marked.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from .hub import decode_row, new_batch, now, record_change, same_value
from .review import mark_stale, transaction
from .values import decode_json, encode_json, to_db
from .vocabulary import RECORD_FIELDS


class RollbackRefused(Exception):
    """A batch that cannot be rolled back (unknown, already rolled back, or its values changed since)."""


@dataclass
class PublishResult:
    batch_id: int | None = None
    published: list[int] = field(default_factory=list)  # proposal ids applied in this batch
    unchanged: list[int] = field(default_factory=list)  # approved value was already the hub value
    already: list[int] = field(default_factory=list)  # applied by an earlier publish, only marked now
    skipped: dict[int, str] = field(default_factory=dict)  # left approved, with the reason
    changes: int = 0
    values: dict[tuple[str, str], Any] = field(default_factory=dict)  # (initiative, field) -> value now


def approved(staging: sqlite3.Connection) -> list[dict[str, Any]]:
    """Approved proposals in the order they were decided, so a later decision on a field wins."""
    cursor = staging.execute(
        """select id, initiative_id, field, approved_value, decided_by from proposals
           where status = 'approved' order by decided_at, id"""
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def apply(hub: sqlite3.Connection, proposals: Sequence[dict[str, Any]], publisher: str) -> PublishResult:
    """Write approved values to hub.db in one transaction; publishing nothing writes nothing."""
    result = PublishResult()
    if not proposals:
        return result
    with transaction(hub):
        database = Database(hub)
        ids = json.dumps([p["id"] for p in proposals])
        done = {
            row[0]: row[1]
            for row in hub.execute(
                """select c.proposal_id, c.batch_id from changes c join batches b on b.id = c.batch_id
                   where b.kind = 'publish' and c.proposal_id in (select value from json_each(?))""",
                [ids],
            )
        }
        wanted = {p["initiative_id"] for p in proposals}
        cursor = hub.execute(
            "select * from initiatives where id in (select value from json_each(?))",
            [json.dumps(sorted(wanted))],
        )
        names = [d[0] for d in cursor.description]
        records = {row[0]: decode_row(dict(zip(names, row, strict=True))) for row in cursor.fetchall()}
        todo: list[tuple[dict[str, Any], Any]] = []
        for proposal in proposals:
            if proposal["id"] in done:
                result.already.append(proposal["id"])
            elif proposal["field"] not in RECORD_FIELDS:
                result.skipped[proposal["id"]] = f"{proposal['field']} is not a record field"
            elif proposal["initiative_id"] not in records:
                result.skipped[proposal["id"]] = f"initiative {proposal['initiative_id']} is not in the hub"
            else:
                todo.append((proposal, decode_json(proposal["approved_value"])))
        if not todo:
            return result
        batch = new_batch(database, "publish", publisher, note=f"{len(todo)} approved proposals")
        result.batch_id = batch
        stamp = now()
        updates, history = [], []
        for proposal, value in todo:
            name, record = proposal["field"], records[proposal["initiative_id"]]
            old = record.get(name)
            if same_value(name, old, value) and encode_json(old) == encode_json(value):
                # still recorded, so the proposal is tied to this batch and never applied again
                result.unchanged.append(proposal["id"])
            else:
                result.published.append(proposal["id"])
                result.changes += 1
            record[name] = value
            result.values[(proposal["initiative_id"], name)] = value
            updates.append((name, to_db(name, value), proposal["initiative_id"]))
            history.append(
                (
                    batch,
                    proposal["initiative_id"],
                    name,
                    encode_json(old),
                    encode_json(value),
                    proposal["id"],
                    publisher,
                    proposal["decided_by"],
                    publisher,
                    stamp,
                )
            )
        for name in {u[0] for u in updates}:
            hub.executemany(
                f"update initiatives set [{name}] = ?, updated_at = ? where id = ?",  # noqa: S608
                [(v, stamp, rid) for n, v, rid in updates if n == name],
            )
        hub.executemany(
            """insert into changes (batch_id, initiative_id, field, old_value, new_value, proposal_id, actor,
                                    curator, publisher, changed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            history,
        )
    return result


def mark_published(staging: sqlite3.Connection, marks: dict[int, int]) -> None:
    """Set each proposal (id -> batch) to published, in one transaction."""
    if not marks:
        return
    stamp = now()
    with transaction(staging):
        staging.executemany(
            "update proposals set status = 'published', published_batch = ?, updated_at = ?"
            " where id = ? and status = 'approved'",
            [(batch, stamp, pid) for pid, batch in marks.items()],
        )


def batch_of(hub: sqlite3.Connection, proposal_ids: Sequence[int]) -> dict[int, int]:
    """The publish batch that applied each of these proposals."""
    return {
        row[0]: row[1]
        for row in hub.execute(
            """select c.proposal_id, max(c.batch_id) from changes c join batches b on b.id = c.batch_id
               where b.kind = 'publish' and c.proposal_id in (select value from json_each(?))
               group by c.proposal_id""",
            [json.dumps(list(proposal_ids))],
        )
    }


def publish(hub: sqlite3.Connection, staging: sqlite3.Connection, publisher: str) -> PublishResult:
    """Apply every approved proposal to the hub and mark it published: the whole publish step."""
    proposals = approved(staging)
    result = apply(hub, proposals, publisher)
    marks = batch_of(hub, result.published + result.unchanged + result.already)
    mark_published(staging, marks)
    mark_stale(staging, result.values)
    return result


# ---- rollback ------------------------------------------------------------------------------------------


@dataclass
class RollbackResult:
    batch_id: int
    rolled_back: int
    changes: int
    values: dict[tuple[str, str], Any] = field(default_factory=dict)  # (initiative, field) -> restored value


def rollback(hub: sqlite3.Connection, batch_id: int, actor: str) -> RollbackResult:
    """Restore the values a publish (or rollback) batch replaced, as a new recorded batch.

    Refused whole when a value the batch wrote has changed since: rolling back would silently undo a later
    change, so the curator must roll back the later batch first.
    """
    with transaction(hub):
        database = Database(hub)
        batch = hub.execute("select id, kind from batches where id = ?", [batch_id]).fetchone()
        if batch is None:
            raise RollbackRefused(f"batch {batch_id} does not exist")
        if batch[1] not in ("publish", "rollback"):
            raise RollbackRefused(
                f"batch {batch_id} is an {batch[1]} batch; only publish batches are rolled back"
            )
        earlier = hub.execute(
            "select id from batches where kind = 'rollback' and rolls_back = ?", [batch_id]
        ).fetchone()
        if earlier:
            raise RollbackRefused(f"batch {batch_id} was already rolled back by batch {earlier[0]}")
        changes = hub.execute(
            "select id, initiative_id, field, old_value, new_value from changes"
            " where batch_id = ? order by id desc",
            [batch_id],
        ).fetchall()
        # The value each field had before the batch's first change to it, and after its last.
        restore: dict[tuple[str, str], tuple[Any, Any]] = {}
        for _cid, initiative_id, field_name, old_value, new_value in changes:
            key = (initiative_id, field_name)
            final = restore[key][1] if key in restore else decode_json(new_value)
            restore[key] = (decode_json(old_value), final)
        conflicts = []
        current: dict[tuple[str, str], Any] = {}
        for (initiative_id, field_name), (_old, final) in restore.items():
            if field_name not in RECORD_FIELDS:  # only record fields are ever named in SQL
                conflicts.append(f"{initiative_id}.{field_name} is not a record field")
                continue
            row = hub.execute(
                f"select [{field_name}] from initiatives where id = ?",  # noqa: S608
                [initiative_id],
            ).fetchone()
            if row is None:
                conflicts.append(f"{initiative_id} is no longer in the hub")
                continue
            value = decode_row({field_name: row[0]})[field_name] if field_name in RECORD_FIELDS else row[0]
            current[(initiative_id, field_name)] = value
            if encode_json(value) != encode_json(final) and not same_value(field_name, value, final):
                conflicts.append(f"{initiative_id}.{field_name} changed after batch {batch_id}")
        if conflicts:
            raise RollbackRefused("nothing was rolled back: " + "; ".join(conflicts))
        new = new_batch(database, "rollback", actor, note=f"rolls back batch {batch_id}", rolls_back=batch_id)
        stamp = now()
        for (initiative_id, field_name), (old, _final) in restore.items():
            hub.execute(
                f"update initiatives set [{field_name}] = ?, updated_at = ? where id = ?",  # noqa: S608
                [to_db(field_name, old), stamp, initiative_id],
            )
            record_change(
                database,
                new,
                initiative_id,
                field_name,
                current[(initiative_id, field_name)],
                old,
                actor,
                publisher=actor,
            )
        return RollbackResult(
            batch_id=new,
            rolled_back=batch_id,
            changes=len(restore),
            values={key: old for key, (old, _final) in restore.items()},
        )


def batches(hub: sqlite3.Connection, limit: int = 20) -> list[dict[str, Any]]:
    """Recent publish and rollback batches with their change counts, newest first, for the publish page."""
    cursor = hub.execute(
        """select b.id, b.kind, b.actor, b.created_at, b.rolls_back, b.note,
                  (select count(*) from changes c where c.batch_id = b.id) as changes,
                  (select r.id from batches r
                   where r.kind = 'rollback' and r.rolls_back = b.id) as rolled_back_by
           from batches b where b.kind in ('publish', 'rollback') order by b.id desc limit ?""",
        [limit],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
