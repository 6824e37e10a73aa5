"""Curators' decisions on proposals in staging.db: the queue, approve, reject, edit-then-approve, in bulk.

Every decision is one transaction that both changes the proposal's status and writes its `decisions` row, and
the status change only applies to an undecided proposal, so when two curators decide the same proposal the
first wins and the second is told, instead of a change being applied twice. The functions take a plain
sqlite3 connection so the same code runs under Datasette's `execute_write_fn` and from the command line.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .countries import iso_codes
from .hub import decode_row, now, same_value
from .values import decode_json, encode_json
from .vocabulary import FIELDS_BY_NAME, RECORD_FIELDS

# Statuses a curator can still decide. `stale` proposals (made against a hub value that has changed since, or
# found by the curation stage to be already in the hub) leave the queue: the next propose run re-proposes
# against the new hub value. They stay on the initiative's page, where one can be approved after a fresh look.
OPEN = ("pending", "stale")
DECISIONS = ("approve", "reject", "edit")
SORTS = ("pending", "initiative", "confidence", "oldest")


class InvalidValue(ValueError):
    """An edited value that the field cannot hold; nothing is written."""


@dataclass
class Outcome:
    """What happened to one proposal: `applied` is False when the decision was refused, `message` says why."""

    proposal_id: int
    applied: bool
    status: str | None
    message: str


@dataclass
class QueueFilters:
    status: str = "pending"  # or "stale"
    field: str | None = None
    language: str | None = None
    min_confidence: float | None = None
    run_id: int | None = None
    initiative: str | None = None
    initiative_ids: Sequence[str] | None = None  # from a hub-side filter such as country

    def where(self) -> tuple[str, list[Any]]:
        clauses = ["status = ?"]
        params: list[Any] = [self.status if self.status in OPEN else "pending"]
        if self.field:
            clauses.append("field = ?")
            params.append(self.field)
        if self.language:
            clauses.append("language = ?")
            params.append(self.language)
        if self.min_confidence is not None:
            clauses.append("confidence >= ?")
            params.append(self.min_confidence)
        if self.run_id is not None:
            clauses.append("run_id = ?")
            params.append(self.run_id)
        if self.initiative:
            clauses.append("initiative_id like ?")
            params.append(f"%{self.initiative}%")
        if self.initiative_ids is not None:
            clauses.append("initiative_id in (select value from json_each(?))")
            params.append(json.dumps(list(self.initiative_ids)))
        return " and ".join(clauses), params


@dataclass
class QueuePage:
    rows: list[dict[str, Any]] = field(default_factory=list)
    total_initiatives: int = 0
    total_proposals: int = 0


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, or a part of the caller's when one is open (Datasette's execute_write_fn)."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.rollback()
        raise
    else:
        conn.commit()


def _rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ---- reading -------------------------------------------------------------------------------------------


def pending_count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("select count(*) from proposals where status = 'pending'").fetchone()[0])


_ORDER = {  # sort -> (aggregate to sort on, descending)
    "pending": ("count(*)", True),
    "initiative": ("null", False),
    "confidence": ("max(confidence)", True),
    "oldest": ("min(created_at)", False),
}


def queue(
    conn: sqlite3.Connection, filters: QueueFilters, sort: str = "pending", limit: int = 50, offset: int = 0
) -> QueuePage:
    """Undecided proposals grouped by initiative, with the fields concerned and the gaps of each initiative.

    Two steps keep it fast on a large queue: one pass groups the matching proposals by initiative (from the
    (status, initiative) index when no filter needs the rows), giving the totals and the page's initiatives;
    then the details are aggregated for those initiatives only.
    """
    where, params = filters.where()
    key, descending = _ORDER.get(sort, _ORDER["pending"])
    page = QueuePage()
    groups = conn.execute(
        f"select initiative_id, count(*), {key} from proposals where {where} group by initiative_id",  # noqa: S608
        params,
    ).fetchall()
    page.total_initiatives = len(groups)
    page.total_proposals = sum(g[1] for g in groups)
    groups.sort(key=lambda g: g[0])  # ties stay in initiative id order: the sorts below are stable
    if sort != "initiative" and descending:
        groups.sort(key=lambda g: (g[2] is not None, g[2] if g[2] is not None else 0), reverse=True)
    elif sort != "initiative":
        groups.sort(key=lambda g: (g[2] is None, g[2] if g[2] is not None else ""))
    ids = [g[0] for g in groups[offset : offset + limit]]
    details = {
        r["initiative_id"]: r
        for r in _rows(
            conn,
            f"""select initiative_id, count(*) as pending, sum(status = 'stale') as stale,
                       group_concat(distinct field) as fields, max(confidence) as max_confidence,
                       min(confidence) as min_confidence, min(created_at) as oldest,
                       group_concat(distinct language) as languages
                from proposals where {where} and initiative_id in (select value from json_each(?))
                group by initiative_id""",  # noqa: S608
            [*params, json.dumps(ids)],
        )
    }
    page.rows = [details[i] for i in ids if i in details]
    gaps = gap_counts(conn, ids)
    for row in page.rows:
        row["fields"] = sorted((row["fields"] or "").split(","))
        row["languages"] = sorted(x for x in (row["languages"] or "").split(",") if x)
        row["gaps"] = gaps.get(row["initiative_id"], 0)
    return page


def gap_counts(conn: sqlite3.Connection, initiative_ids: Sequence[str]) -> dict[str, int]:
    """Gaps of each initiative in the latest run that checked it."""
    if not initiative_ids:
        return {}
    rows = conn.execute(
        """select g.initiative_id, count(*) from gaps g
           join (select initiative_id, max(run_id) as run_id from gaps
                 where initiative_id in (select value from json_each(?)) group by initiative_id) latest
             on latest.initiative_id = g.initiative_id and latest.run_id = g.run_id
           group by g.initiative_id""",
        [json.dumps(list(initiative_ids))],
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def filter_choices(conn: sqlite3.Connection) -> dict[str, list[Any]]:
    """The values the queue's filters offer: the record fields, the languages seen, the recent runs.

    Read from the vocabulary and the small runs table rather than by scanning the proposals, so the queue
    stays fast however long it grows.
    """
    return {
        "field": list(RECORD_FIELDS),
        "run": [r[0] for r in conn.execute("select id from runs order by id desc limit 50")],
    }


def proposals_for(
    conn: sqlite3.Connection, initiative_id: str, open_only: bool = False
) -> list[dict[str, Any]]:
    """An initiative's proposals with their values decoded, undecided first."""
    where = "initiative_id = ?" + (" and status in ('pending', 'stale')" if open_only else "")
    rows = _rows(
        conn,
        f"""select * from proposals where {where}
            order by status not in ('pending', 'stale'), field, id""",  # noqa: S608
        [initiative_id],
    )
    for row in rows:
        row["current"] = decode_json(row["current_value"])
        row["proposed"] = decode_json(row["proposed_value"])
        row["approved"] = decode_json(row["approved_value"])
        try:
            evidence = decode_json(row["evidence"]) or []
        except ValueError:
            evidence = []
        row["evidence_list"] = (
            [e for e in evidence if isinstance(e, dict)] if isinstance(evidence, list) else []
        )
    return rows


def get_proposal(conn: sqlite3.Connection, proposal_id: int) -> dict[str, Any] | None:
    rows = _rows(conn, "select * from proposals where id = ?", [proposal_id])
    return rows[0] if rows else None


def decisions_for(conn: sqlite3.Connection, proposal_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    if not proposal_ids:
        return out
    for row in _rows(
        conn,
        "select * from decisions where proposal_id in (select value from json_each(?)) order by id",
        [json.dumps(list(proposal_ids))],
    ):
        out.setdefault(row["proposal_id"], []).append(row)
    return out


def gaps_for(conn: sqlite3.Connection, initiative_id: str) -> list[dict[str, Any]]:
    """The gaps of the latest run that recorded any for the initiative, with the pages that were checked."""
    rows = _rows(
        conn,
        """select * from gaps where initiative_id = ?
           and run_id = (select max(run_id) from gaps where initiative_id = ?) order by gap""",
        [initiative_id, initiative_id],
    )
    for row in rows:
        try:
            checked = decode_json(row["pages_checked"]) or []
        except ValueError:
            checked = []
        row["pages"] = [str(u) for u in checked] if isinstance(checked, list) else []
    return rows


def page_for_url(conn: sqlite3.Connection, initiative_id: str, url: str) -> int | None:
    """The id of the newest stored copy of a URL for the initiative, or None when it was never stored."""
    row = conn.execute(
        """select id from pages where initiative_id = ? and (url = ? or final_url = ?)
           and coalesce(change, '') != 'gone' order by run_id desc, id desc limit 1""",
        [initiative_id, url, url],
    ).fetchone()
    return int(row[0]) if row else None


def stored_page(conn: sqlite3.Connection, page_id: int) -> dict[str, Any] | None:
    """A stored page, with the body taken from the earlier row when this one was unchanged."""
    rows = _rows(conn, "select * from pages where id = ?", [page_id])
    if not rows:
        return None
    page = rows[0]
    if page.get("body") is None and page.get("same_as"):
        held = conn.execute("select body from pages where id = ?", [page["same_as"]]).fetchone()
        if held:
            page["body"] = held[0]
    return page


# ---- deciding ------------------------------------------------------------------------------------------


def validate_value(field_name: str, value: Any) -> Any:
    """Check an edited value against the vocabulary; returns it in canonical form or raises InvalidValue."""
    spec = FIELDS_BY_NAME.get(field_name)
    if spec is None:
        raise InvalidValue(f"unknown field {field_name!r}")
    if value is None or value == "" or value == []:
        return None
    if spec.is_list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidValue(f"{spec.label} must be a list of texts")
        items = [" ".join(v.split()) for v in value if v.strip()]
        if spec.choices:
            bad = [v for v in items if v not in spec.choices]
            if bad:
                raise InvalidValue(f"{spec.label}: not allowed: {', '.join(bad)}")
        if spec.kind == "country_list":
            items = [v.upper() for v in items]
            bad = [v for v in items if v not in iso_codes()]
            if bad:
                raise InvalidValue(f"{spec.label}: not ISO 3166-1 alpha-2 codes: {', '.join(bad)}")
        return items or None
    if spec.kind == "year":
        try:
            year = int(str(value).strip())
        except ValueError:
            raise InvalidValue(f"{spec.label} must be a year, not {value!r}") from None
        if not 1800 <= year <= 2200:
            raise InvalidValue(f"{spec.label} {year} is out of range")
        return year
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0"):
            return False
        raise InvalidValue(f"{spec.label} must be yes or no")
    if not isinstance(value, str):
        raise InvalidValue(f"{spec.label} must be text")
    text = value.strip()
    if spec.kind == "enum" and text not in spec.choices:
        raise InvalidValue(f"{spec.label}: {text!r} is not one of {', '.join(spec.choices)}")
    if spec.kind == "country":
        text = text.upper()
        if text not in iso_codes():
            raise InvalidValue(f"{spec.label}: {text!r} is not an ISO 3166-1 alpha-2 code")
    if len(text) > 20_000:
        raise InvalidValue(f"{spec.label} is longer than 20,000 characters")
    return text


def is_stale(proposal: dict[str, Any], hub_value: Any) -> bool:
    """Whether the hub value moved since the proposal was made."""
    return not same_value(proposal["field"], decode_json(proposal["current_value"]), hub_value)


def decide(
    conn: sqlite3.Connection,
    proposal_id: int,
    curator: str,
    decision: str,
    *,
    hub_value: Any,
    value: Any = None,
    reason: str | None = None,
    seen_hub_value: str | None = None,
    seen_version: str | None = None,
) -> Outcome:
    """Approve, reject or edit-then-approve one proposal, in one transaction with its decisions row.

    `seen_version` is `version(proposal)` as the page showed it: an approval is refused when the curation
    stage has renewed the proposal's value or evidence since, so nothing is approved on evidence unseen.

    `hub_value` is the field's value in hub.db now; when it differs from the value the proposal was made
    against, the proposal is marked stale and an approval is only accepted when `seen_hub_value` (the
    JSON of the hub value the curator was shown beside the proposal) equals it: the curator had a fresh look.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    with transaction(conn):
        return _decide(
            conn, proposal_id, curator, decision, hub_value, value, reason, seen_hub_value, seen_version
        )


def version(proposal: dict[str, Any]) -> str:
    """A short fingerprint of what a curator judges: the proposed value and its evidence."""
    text = f"{proposal.get('proposed_value')}\x00{proposal.get('evidence')}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _decide(
    conn: sqlite3.Connection,
    proposal_id: int,
    curator: str,
    decision: str,
    hub_value: Any,
    value: Any,
    reason: str | None,
    seen_hub_value: str | None,
    seen_version: str | None = None,
) -> Outcome:
    proposal = get_proposal(conn, proposal_id)
    if proposal is None:
        return Outcome(proposal_id, False, None, f"proposal {proposal_id} does not exist")
    if proposal["status"] not in OPEN:
        who = f" by {proposal['decided_by']} at {proposal['decided_at']}" if proposal["decided_by"] else ""
        return Outcome(
            proposal_id,
            False,
            proposal["status"],
            f"proposal {proposal_id} was already {proposal['status']}{who}; nothing was changed",
        )
    if decision != "reject" and seen_version is not None and seen_version != version(proposal):
        return Outcome(
            proposal_id,
            False,
            proposal["status"],
            f"proposal {proposal_id} changed since the page was shown (new value or evidence from run "
            f"{proposal['run_id']}); look at it again",
        )
    stamp = now()
    if decision != "reject" and is_stale(proposal, hub_value):
        fresh_look = seen_hub_value == (encode_json(hub_value) or "null")
        if not fresh_look:
            conn.execute(
                "update proposals set status = 'stale', updated_at = ?"
                " where id = ? and status in ('pending', 'stale')",
                [stamp, proposal_id],
            )
            return Outcome(
                proposal_id,
                False,
                "stale",
                f"proposal {proposal_id} is stale: the hub value of {proposal['field']} changed since it was "
                "proposed; look at the new hub value and approve again",
            )
    if decision == "reject":
        status, approved = "rejected", None
    elif decision == "edit":
        status, approved = "approved", validate_value(proposal["field"], value)
    else:
        status, approved = "approved", decode_json(proposal["proposed_value"])
    cursor = conn.execute(
        """update proposals set status = ?, approved_value = ?, decided_by = ?, decided_at = ?, updated_at = ?
           where id = ? and status in ('pending', 'stale')""",
        [status, encode_json(approved), curator, stamp, stamp, proposal_id],
    )
    if cursor.rowcount != 1:  # pragma: no cover - the transaction holds the write lock since the read
        return Outcome(proposal_id, False, None, f"proposal {proposal_id} was decided meanwhile")
    conn.execute(
        """insert into decisions (proposal_id, curator, decision, value, reason, decided_at)
           values (?, ?, ?, ?, ?, ?)""",
        [proposal_id, curator, decision, encode_json(approved), (reason or "").strip()[:2000] or None, stamp],
    )
    verb = {"approve": "approved", "edit": "edited and approved", "reject": "rejected"}[decision]
    return Outcome(proposal_id, True, status, f"proposal {proposal_id} ({proposal['field']}) {verb}")


def mark_stale(conn: sqlite3.Connection, hub_values: dict[tuple[str, str], Any]) -> list[int]:
    """Mark stale the pending proposals made against another value than the hub's now (after a publish)."""
    if not hub_values:
        return []
    keys = json.dumps([[i, f] for i, f in hub_values])
    with transaction(conn):
        rows = conn.execute(
            """select id, initiative_id, field, current_value from proposals where status = 'pending'
               and (initiative_id, field) in (select value ->> 0, value ->> 1 from json_each(?))""",
            [keys],
        ).fetchall()
        stale = [
            pid
            for pid, iid, name, current in rows
            if not same_value(name, decode_json(current), hub_values[(iid, name)])
        ]
        conn.executemany(
            "update proposals set status = 'stale', updated_at = ? where id = ? and status = 'pending'",
            [(now(), pid) for pid in stale],
        )
    return stale


def decide_many(
    conn: sqlite3.Connection,
    proposal_ids: Sequence[int],
    curator: str,
    decision: str,
    *,
    hub_values: dict[int, Any],
    reason: str | None = None,
) -> list[Outcome]:
    """Approve or reject several proposals in one transaction; decided or stale ones are reported."""
    if decision not in ("approve", "reject"):
        raise ValueError("bulk decisions are approve or reject")
    with transaction(conn):
        return [
            _decide(conn, pid, curator, decision, hub_values.get(pid), None, reason, None)
            for pid in proposal_ids
        ]


# ---- the hub side of the review pages (read only) ------------------------------------------------------


def initiative_names(hub: sqlite3.Connection, initiative_ids: Sequence[str]) -> dict[str, str]:
    if not initiative_ids:
        return {}
    rows = hub.execute(
        "select id, name from initiatives where id in (select value from json_each(?))",
        [json.dumps(list(initiative_ids))],
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def initiatives_in_country(hub: sqlite3.Connection, code: str) -> list[str]:
    """Initiatives operating in or hosted by a country, for the queue's country filter."""
    rows = hub.execute(
        """select id from initiatives where host_country = :code
           or (json_valid(countries)
               and exists (select 1 from json_each(initiatives.countries) where value = :code))""",
        {"code": code.upper()},
    ).fetchall()
    return [r[0] for r in rows]


def hub_record(hub: sqlite3.Connection, initiative_id: str) -> dict[str, Any] | None:
    """The published record with list and boolean fields decoded."""
    rows = _rows(hub, "select * from initiatives where id = ?", [initiative_id])
    return decode_row(rows[0]) if rows else None


def hub_countries(hub: sqlite3.Connection) -> list[str]:
    rows = hub.execute(
        """select distinct value from (
             select host_country as value from initiatives where host_country is not null
             union select j.value from initiatives, json_each(initiatives.countries) j
             where json_valid(initiatives.countries))
           order by value"""
    ).fetchall()
    return [r[0] for r in rows if r[0]]


def next_initiative(conn: sqlite3.Connection, after: str) -> str | None:
    """The next initiative with pending proposals after this one, wrapping round; None when none is left."""
    for sql in (
        "select min(initiative_id) from proposals where status = 'pending' and initiative_id > ?",
        "select min(initiative_id) from proposals where status = 'pending' and initiative_id != ?",
    ):
        found = conn.execute(sql, [after]).fetchone()[0]
        if found:
            return str(found)
    return None
