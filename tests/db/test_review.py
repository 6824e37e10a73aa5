"""Decisions on proposals: one transaction each, first decider wins, stale proposals need a fresh look."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import db
from db import hub, review
from db.values import decode_json, encode_json

STAMP = "2026-11-20T10:00:00+00:00"


def add_proposal(
    data_dir: Path,
    initiative_id: str,
    field: str,
    proposed: Any,
    *,
    current: Any = ...,
    language: str = "es",
    confidence: float = 0.9,
    run_id: int = 1,
) -> int:
    if current is ...:
        current = (hub.get_initiative(db.open_hub(data_dir), initiative_id) or {}).get(field)
    staging = db.open_staging(data_dir)
    table = staging["proposals"]
    table.insert(
        {
            "initiative_id": initiative_id,
            "field": field,
            "current_value": encode_json(current),
            "proposed_value": encode_json(proposed),
            "evidence": "[]",
            "confidence": confidence,
            "language": language,
            "run_id": run_id,
            "first_run_id": run_id,
            "status": "pending",
            "created_at": STAMP,
            "updated_at": STAMP,
        }
    )
    staging.conn.commit()
    return int(table.last_pk)


def hub_value(data_dir: Path, initiative_id: str, field: str) -> Any:
    return (hub.get_initiative(db.open_hub(data_dir), initiative_id) or {}).get(field)


def proposal(data_dir: Path, pid: int) -> dict[str, Any]:
    return dict(db.open_staging(data_dir)["proposals"].get(pid))


def decisions(data_dir: Path, pid: int) -> list[dict[str, Any]]:
    return list(db.open_staging(data_dir)["decisions"].rows_where("proposal_id = ?", [pid]))


def test_approve_records_who_when_and_the_value_with_the_status(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    conn = db.open_staging(hub_data_dir).conn
    outcome = review.decide(
        conn, pid, "alice", "approve", hub_value=hub_value(hub_data_dir, "pacto-obras-limpias", "start_year")
    )
    assert outcome.applied and outcome.status == "approved"
    row = proposal(hub_data_dir, pid)
    assert (
        row["status"] == "approved"
        and row["decided_by"] == "alice"
        and decode_json(row["approved_value"]) == 2015
    )
    [decision] = decisions(hub_data_dir, pid)
    assert (decision["curator"], decision["decision"], decode_json(decision["value"])) == (
        "alice",
        "approve",
        2015,
    )
    assert decision["decided_at"] == row["decided_at"]


def test_reject_keeps_the_reason(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "chestny-biznes", "status", "inactive", language="ru")
    conn = db.open_staging(hub_data_dir).conn
    outcome = review.decide(
        conn, pid, "bruno", "reject", hub_value="active", reason="Новости есть в 2026 году"
    )
    assert outcome.applied
    assert proposal(hub_data_dir, pid)["status"] == "rejected"
    assert decisions(hub_data_dir, pid)[0]["reason"] == "Новости есть в 2026 году"


def test_edit_then_approve_stores_the_edited_value_in_canonical_form(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", "countries", ["CO", "PA", "XX"])
    conn = db.open_staging(hub_data_dir).conn
    outcome = review.decide(conn, pid, "alice", "edit", hub_value=["CO"], value=["co", " pa "])
    assert outcome.applied
    assert decode_json(proposal(hub_data_dir, pid)["approved_value"]) == ["CO", "PA"]
    assert decisions(hub_data_dir, pid)[0]["decision"] == "edit"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("countries", ["CO", "Atlantis"], "not ISO 3166-1"),
        ("geographic_scope", "worldwide", "not one of"),
        ("start_year", "next year", "must be a year"),
        ("stakeholder_groups", ["private_sector", "friends"], "not allowed: friends"),
    ],
)
def test_an_invalid_edit_is_refused_and_nothing_is_written(
    hub_data_dir: Path, field: str, value: Any, message: str
) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", field, None)
    conn = db.open_staging(hub_data_dir).conn
    with pytest.raises(review.InvalidValue, match=message):
        review.decide(
            conn,
            pid,
            "alice",
            "edit",
            hub_value=hub_value(hub_data_dir, "pacto-obras-limpias", field),
            value=value,
        )
    assert proposal(hub_data_dir, pid)["status"] == "pending"
    assert decisions(hub_data_dir, pid) == []


def test_the_second_curator_is_told_and_nothing_is_applied_twice(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    first = review.decide(db.open_staging(hub_data_dir).conn, pid, "alice", "approve", hub_value=2016)
    second = review.decide(db.open_staging(hub_data_dir).conn, pid, "bruno", "reject", hub_value=2016)
    assert first.applied and not second.applied
    assert "already approved by alice" in second.message
    assert proposal(hub_data_dir, pid)["status"] == "approved"
    assert [d["curator"] for d in decisions(hub_data_dir, pid)] == ["alice"]


def test_two_curators_at_the_same_instant_one_wins(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    barrier = threading.Barrier(2)
    outcomes: dict[str, review.Outcome] = {}

    def curator(name: str, decision: str) -> None:
        conn = db.open_staging(hub_data_dir).conn
        barrier.wait()
        outcomes[name] = review.decide(conn, pid, name, decision, hub_value=2016)

    threads = [threading.Thread(target=curator, args=a) for a in (("alice", "approve"), ("bruno", "reject"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.applied for o in outcomes.values()) == [False, True]
    assert len(decisions(hub_data_dir, pid)) == 1


def test_a_stale_proposal_needs_a_fresh_look_before_approval(hub_data_dir: Path) -> None:
    pid = add_proposal(
        hub_data_dir,
        "initiative-energie-sauber",
        "mission",
        "Saubere Geschäfte in der Energie.",
        current="Eine frühere Mission.",
        language="de",
    )
    conn = db.open_staging(hub_data_dir).conn
    now_value = hub_value(hub_data_dir, "initiative-energie-sauber", "mission")
    # a page shown before the hub changed carried the old value: the approval is refused, the proposal marked
    blind = review.decide(
        conn,
        pid,
        "alice",
        "approve",
        hub_value=now_value,
        seen_hub_value=encode_json("Eine frühere Mission."),
    )
    assert not blind.applied and "stale" in blind.message
    assert proposal(hub_data_dir, pid)["status"] == "stale"
    unseen = review.decide(conn, pid, "alice", "approve", hub_value=now_value)
    assert not unseen.applied and decisions(hub_data_dir, pid) == []
    fresh = review.decide(
        conn, pid, "alice", "approve", hub_value=now_value, seen_hub_value=encode_json(now_value) or "null"
    )
    assert fresh.applied and proposal(hub_data_dir, pid)["status"] == "approved"


def test_a_stale_proposal_can_be_rejected(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015, current=2010)
    outcome = review.decide(db.open_staging(hub_data_dir).conn, pid, "alice", "reject", hub_value=2016)
    assert outcome.applied and proposal(hub_data_dir, pid)["status"] == "rejected"


def test_bulk_decides_what_it_can_in_one_transaction_and_reports_the_rest(hub_data_dir: Path) -> None:
    a = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    b = add_proposal(hub_data_dir, "pacto-obras-limpias", "status", "inactive")
    c = add_proposal(
        hub_data_dir, "pacto-obras-limpias", "contact", "nuevo@obras-limpias.example", current="x@y"
    )
    conn = db.open_staging(hub_data_dir).conn
    review.decide(conn, b, "bruno", "reject", hub_value="active")
    record = hub.get_initiative(db.open_hub(hub_data_dir), "pacto-obras-limpias") or {}
    outcomes = review.decide_many(
        conn,
        [a, b, c],
        "alice",
        "approve",
        hub_values={a: record["start_year"], b: record["status"], c: record["contact"]},
    )
    assert [o.applied for o in outcomes] == [True, False, False]
    assert [proposal(hub_data_dir, p)["status"] for p in (a, b, c)] == ["approved", "rejected", "stale"]


def test_queue_groups_by_initiative_with_filters_and_gap_counts(hub_data_dir: Path) -> None:
    add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015, confidence=0.5)
    add_proposal(hub_data_dir, "pacto-obras-limpias", "status", "inactive", confidence=0.9)
    add_proposal(hub_data_dir, "etica-appalti", "status", "inactive", language="it", run_id=2)
    staging = db.open_staging(hub_data_dir)
    staging["runs"].insert({"id": 1, "kind": "run", "status": "completed", "started_at": STAMP})
    staging["gaps"].insert_all(
        [
            {"run_id": 1, "initiative_id": "etica-appalti", "gap": g, "pages_checked": "[]"}
            for g in ("contact", "mission")
        ]
    )
    staging.conn.commit()
    conn = staging.conn
    page = review.queue(conn, review.QueueFilters())
    rows = {r["initiative_id"]: r for r in page.rows}
    assert (page.total_initiatives, page.total_proposals) == (2, 3)
    assert rows["pacto-obras-limpias"]["pending"] == 2 and rows["etica-appalti"]["gaps"] == 2
    assert [r["initiative_id"] for r in review.queue(conn, review.QueueFilters(language="it")).rows] == [
        "etica-appalti"
    ]
    assert review.queue(conn, review.QueueFilters(min_confidence=0.8)).total_proposals == 2
    assert review.queue(conn, review.QueueFilters(run_id=2)).total_proposals == 1
    assert review.queue(conn, review.QueueFilters(field="start_year")).total_proposals == 1
    italy = review.initiatives_in_country(db.open_hub(hub_data_dir).conn, "it")
    assert review.queue(conn, review.QueueFilters(initiative_ids=italy)).total_initiatives == 1
    assert review.pending_count(conn) == 3


def test_queue_sorts_and_pages(hub_data_dir: Path) -> None:
    add_proposal(hub_data_dir, "alliance-portuaire", "status", "inactive", confidence=0.4)
    add_proposal(hub_data_dir, "chestny-biznes", "status", "active", confidence=0.95)
    add_proposal(hub_data_dir, "etica-appalti", "status", "inactive", confidence=0.6)
    add_proposal(hub_data_dir, "etica-appalti", "start_year", 2001, confidence=0.5)
    conn = db.open_staging(hub_data_dir).conn

    def order(sort: str, limit: int = 50, offset: int = 0) -> list[str]:
        return [
            r["initiative_id"] for r in review.queue(conn, review.QueueFilters(), sort, limit, offset).rows
        ]

    assert order("pending") == ["etica-appalti", "alliance-portuaire", "chestny-biznes"]
    assert order("confidence") == ["chestny-biznes", "etica-appalti", "alliance-portuaire"]
    assert order("initiative") == ["alliance-portuaire", "chestny-biznes", "etica-appalti"]
    assert order("pending", limit=1, offset=1) == ["alliance-portuaire"]
    page = review.queue(conn, review.QueueFilters(), "pending", 1, 2)
    assert (page.total_initiatives, page.total_proposals, len(page.rows)) == (3, 4, 1)


def test_stale_proposals_leave_the_pending_queue_but_can_be_listed(hub_data_dir: Path) -> None:
    fresh = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    moved = add_proposal(hub_data_dir, "etica-appalti", "start_year", 2001, current=1999)
    conn = db.open_staging(hub_data_dir).conn
    assert review.pending_count(conn) == 2
    hub_year = hub_value(hub_data_dir, "etica-appalti", "start_year")
    assert not review.decide(conn, moved, "alice", "approve", hub_value=hub_year).applied
    assert review.pending_count(conn) == 1
    assert [r["initiative_id"] for r in review.queue(conn, review.QueueFilters()).rows] == [
        "pacto-obras-limpias"
    ]
    stale = review.queue(conn, review.QueueFilters(status="stale"))
    assert [r["initiative_id"] for r in stale.rows] == ["etica-appalti"] and stale.rows[0]["stale"] == 1
    assert review.next_initiative(conn, "etica-appalti") == "pacto-obras-limpias"
    assert proposal(hub_data_dir, fresh)["status"] == "pending"


def test_bulk_reject_records_the_reason_on_every_decision(hub_data_dir: Path) -> None:
    ids = [
        add_proposal(hub_data_dir, "alliance-portuaire", "status", "inactive", language="fr"),
        add_proposal(hub_data_dir, "alliance-portuaire", "start_year", 2009, language="fr"),
    ]
    conn = db.open_staging(hub_data_dir).conn
    outcomes = review.decide_many(
        conn, ids, "bruno", "reject", hub_values={}, reason="Le site parle d'une autre alliance"
    )
    assert all(o.applied for o in outcomes)
    for pid in ids:
        assert proposal(hub_data_dir, pid)["status"] == "rejected"
        assert decisions(hub_data_dir, pid)[0]["reason"] == "Le site parle d'une autre alliance"
    with pytest.raises(ValueError, match="approve or reject"):
        review.decide_many(conn, ids, "bruno", "edit", hub_values={})


def test_an_approval_on_evidence_renewed_since_the_page_was_shown_is_refused(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "etica-appalti", "status", "inactive", language="it")
    staging = db.open_staging(hub_data_dir)
    shown = review.version(proposal(hub_data_dir, pid))
    staging["proposals"].update(pid, {"evidence": '[{"url": "https://etica-appalti.example/notizie"}]'})
    staging.conn.commit()
    hub_status = hub_value(hub_data_dir, "etica-appalti", "status")
    outcome = review.decide(staging.conn, pid, "alice", "approve", hub_value=hub_status, seen_version=shown)
    assert not outcome.applied and "changed since the page was shown" in outcome.message
    assert proposal(hub_data_dir, pid)["status"] == "pending"
    fresh = review.version(proposal(hub_data_dir, pid))
    assert review.decide(
        staging.conn, pid, "alice", "approve", hub_value=hub_status, seen_version=fresh
    ).applied
