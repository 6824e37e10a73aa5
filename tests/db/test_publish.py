"""Publishing approved proposals to hub.db with a history row per change, and rolling a batch back."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

import db
from db import hub, review
from db import publish as publishing
from db.values import decode_json

_spec = importlib.util.spec_from_file_location("review_helpers", Path(__file__).with_name("test_review.py"))
assert _spec and _spec.loader
helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(helpers)
add_proposal = helpers.add_proposal


def approve(data_dir: Path, pid: int, curator: str = "alice", value: Any = ...) -> None:
    conn = db.open_staging(data_dir).conn
    row = db.open_staging(data_dir)["proposals"].get(pid)
    current = (hub.get_initiative(db.open_hub(data_dir), row["initiative_id"]) or {}).get(row["field"])
    if value is ...:
        outcome = review.decide(conn, pid, curator, "approve", hub_value=current)
    else:
        outcome = review.decide(conn, pid, curator, "edit", hub_value=current, value=value)
    assert outcome.applied, outcome.message


def run_publish(data_dir: Path, publisher: str = "paula") -> publishing.PublishResult:
    return publishing.publish(db.open_hub(data_dir).conn, db.open_staging(data_dir).conn, publisher)


def record(data_dir: Path, initiative_id: str) -> dict[str, Any]:
    return hub.get_initiative(db.open_hub(data_dir), initiative_id) or {}


def test_publish_applies_approved_values_with_one_history_row_per_change(hub_data_dir: Path) -> None:
    year = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    countries = add_proposal(hub_data_dir, "pacto-obras-limpias", "countries", ["CO", "PA"])
    rejected = add_proposal(hub_data_dir, "etica-appalti", "status", "inactive")
    approve(hub_data_dir, year, "alice")
    approve(hub_data_dir, countries, "bruno", value=["CO", "PA", "EC"])
    review.decide(db.open_staging(hub_data_dir).conn, rejected, "alice", "reject", hub_value="active")

    result = run_publish(hub_data_dir)

    assert result.batch_id is not None and result.changes == 2
    assert record(hub_data_dir, "pacto-obras-limpias")["start_year"] == 2015
    assert record(hub_data_dir, "pacto-obras-limpias")["countries"] == ["CO", "PA", "EC"]
    assert record(hub_data_dir, "etica-appalti")["status"] == "active"
    changes = {
        c["field"]: c
        for c in db.open_hub(hub_data_dir)["changes"].rows_where("batch_id = ?", [result.batch_id])
    }
    assert set(changes) == {"start_year", "countries"}
    year_change = changes["start_year"]
    assert (decode_json(year_change["old_value"]), decode_json(year_change["new_value"])) == (2016, 2015)
    assert (year_change["proposal_id"], year_change["curator"], year_change["publisher"]) == (
        year,
        "alice",
        "paula",
    )
    assert changes["countries"]["curator"] == "bruno" and year_change["changed_at"]
    staging = db.open_staging(hub_data_dir)
    for pid in (year, countries):
        row = staging["proposals"].get(pid)
        assert (row["status"], row["published_batch"]) == ("published", result.batch_id)
    assert staging["proposals"].get(rejected)["status"] == "rejected"
    assert db.open_hub(hub_data_dir)["batches"].get(result.batch_id)["kind"] == "publish"


def test_publishing_nothing_is_a_no_op(hub_data_dir: Path) -> None:
    before = db.open_hub(hub_data_dir)["batches"].count
    result = run_publish(hub_data_dir)
    assert result.batch_id is None and result.changes == 0
    assert db.open_hub(hub_data_dir)["batches"].count == before
    approve(hub_data_dir, add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015))
    assert run_publish(hub_data_dir).batch_id is not None
    again = run_publish(hub_data_dir)
    assert again.batch_id is None and db.open_hub(hub_data_dir)["batches"].count == before + 1


def test_a_publish_interrupted_before_marking_is_never_applied_twice(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    approve(hub_data_dir, pid)
    hub_conn, staging_conn = db.open_hub(hub_data_dir).conn, db.open_staging(hub_data_dir).conn
    first = publishing.apply(hub_conn, publishing.approved(staging_conn), "paula")  # then the process dies
    assert db.open_staging(hub_data_dir)["proposals"].get(pid)["status"] == "approved"
    repaired = run_publish(hub_data_dir)
    assert repaired.already == [pid] and repaired.batch_id is None
    assert db.open_hub(hub_data_dir)["changes"].count_where("proposal_id = ?", [pid]) == 1
    assert db.open_staging(hub_data_dir)["proposals"].get(pid)["published_batch"] == first.batch_id


def test_a_later_decision_on_the_same_field_wins_and_both_are_recorded(hub_data_dir: Path) -> None:
    a = add_proposal(hub_data_dir, "pacto-obras-limpias", "status", "inactive")
    b = add_proposal(hub_data_dir, "pacto-obras-limpias", "status", "unknown")
    approve(hub_data_dir, a)
    approve(hub_data_dir, b)
    result = run_publish(hub_data_dir)
    assert record(hub_data_dir, "pacto-obras-limpias")["status"] == "unknown"
    rows = list(
        db.open_hub(hub_data_dir)["changes"].rows_where("batch_id = ?", [result.batch_id], order_by="id")
    )
    assert [(decode_json(r["old_value"]), decode_json(r["new_value"])) for r in rows] == [
        ("active", "inactive"),
        ("inactive", "unknown"),
    ]


def test_a_proposal_for_an_initiative_not_in_the_hub_is_left_approved(hub_data_dir: Path) -> None:
    pid = add_proposal(hub_data_dir, "no-such-initiative", "status", "inactive", current=None)
    approve(hub_data_dir, pid)
    result = run_publish(hub_data_dir)
    assert pid in result.skipped and result.batch_id is None
    assert db.open_staging(hub_data_dir)["proposals"].get(pid)["status"] == "approved"


def test_rollback_restores_the_values_as_a_new_recorded_batch(hub_data_dir: Path) -> None:
    year = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    mission = add_proposal(
        hub_data_dir, "rede-saude-integra", "mission", "Ética nas compras públicas de saúde."
    )
    approve(hub_data_dir, year)
    approve(hub_data_dir, mission)
    batch = run_publish(hub_data_dir).batch_id
    assert batch is not None
    result = publishing.rollback(db.open_hub(hub_data_dir).conn, batch, "paula")
    assert result.changes == 2
    assert record(hub_data_dir, "pacto-obras-limpias")["start_year"] == 2016
    assert record(hub_data_dir, "rede-saude-integra")["mission"] is None
    hub_db = db.open_hub(hub_data_dir)
    new = hub_db["batches"].get(result.batch_id)
    assert (new["kind"], new["rolls_back"], new["actor"]) == ("rollback", batch, "paula")
    rows = {r["field"]: r for r in hub_db["changes"].rows_where("batch_id = ?", [result.batch_id])}
    assert (decode_json(rows["start_year"]["old_value"]), decode_json(rows["start_year"]["new_value"])) == (
        2015,
        2016,
    )
    with pytest.raises(publishing.RollbackRefused, match="already rolled back"):
        publishing.rollback(db.open_hub(hub_data_dir).conn, batch, "paula")
    # rolling back the rollback re-applies the published values
    publishing.rollback(db.open_hub(hub_data_dir).conn, result.batch_id, "paula")
    assert record(hub_data_dir, "pacto-obras-limpias")["start_year"] == 2015


def test_rollback_is_refused_whole_when_a_value_changed_since(hub_data_dir: Path) -> None:
    first = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    other = add_proposal(hub_data_dir, "pacto-obras-limpias", "status", "inactive")
    approve(hub_data_dir, first)
    approve(hub_data_dir, other)
    batch = run_publish(hub_data_dir).batch_id
    later = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2014)
    approve(hub_data_dir, later)
    run_publish(hub_data_dir)
    changes_before = db.open_hub(hub_data_dir)["changes"].count
    with pytest.raises(publishing.RollbackRefused, match="start_year changed after batch"):
        publishing.rollback(db.open_hub(hub_data_dir).conn, batch or 0, "paula")
    assert record(hub_data_dir, "pacto-obras-limpias")["status"] == "inactive"
    assert db.open_hub(hub_data_dir)["changes"].count == changes_before


@pytest.mark.parametrize(("batch", "message"), [(999, "does not exist"), (1, "only publish batches")])
def test_rollback_of_an_unknown_or_import_batch_is_refused(
    hub_data_dir: Path, batch: int, message: str
) -> None:
    with pytest.raises(publishing.RollbackRefused, match=message):
        publishing.rollback(db.open_hub(hub_data_dir).conn, batch, "paula")


def test_pending_proposals_on_a_published_field_become_stale(hub_data_dir: Path) -> None:
    published = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2015)
    competing = add_proposal(hub_data_dir, "pacto-obras-limpias", "start_year", 2017)
    unrelated = add_proposal(hub_data_dir, "pacto-obras-limpias", "status", "inactive")
    approve(hub_data_dir, published)
    run_publish(hub_data_dir)
    staging = db.open_staging(hub_data_dir)
    assert staging["proposals"].get(competing)["status"] == "stale"
    assert staging["proposals"].get(unrelated)["status"] == "pending"
