"""Findings vs the hub's current records -> proposals that curators review.

Values are compared after normalisation (db.values.normalise: white space and case for text, sets for lists,
codes for countries). A value seen again refreshes its pending proposal; a new value supersedes it; a value a
curator rejected comes back only when its evidence changed. Proposals never clear a hub field.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

import db
from db import curation_store as store
from db.hub import get_initiative, same_value
from db.runs import finish_run, start_run
from db.vocabulary import FIELDS_BY_NAME, RECORD_FIELDS

from .pipeline import NoCrawlRun

MIN_CONFIDENCE = 0.5
NOT_PROPOSED = {"name", "website"}  # identity of the record, not something a site states about itself


def evidence_hash(evidence: list[dict[str, Any]]) -> str:
    """A fingerprint of what the evidence says (URLs and quotes), to know when it changed."""
    key = sorted(
        (e.get("url") or "", " ".join(str(e.get("quote") or "").split()).casefold()) for e in evidence
    )
    return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:32]


def _apply(database: Any, finding: dict[str, Any], current: Any, run_id: int, counts: dict[str, int]) -> None:
    name, value = finding["field"], finding["value"]
    proposal = {
        "initiative_id": finding["initiative_id"],
        "field": name,
        "current_value": current,
        "proposed_value": value,
        "evidence": finding["evidence"],
        "confidence": finding["confidence"],
        "language": finding["language"],
        "run_id": run_id,
        "evidence_hash": evidence_hash(finding["evidence"]),
    }
    earlier = store.open_proposals(database, finding["initiative_id"], name)
    pending = [p for p in earlier if p["status"] == "pending"]
    if same_value(name, current, value):
        for old in pending:  # the hub already says what the site says: nothing left to review
            store.set_proposal_status(database, old["id"], "stale")
            counts["stale"] += 1
        return
    for old in earlier:
        if (
            old["status"] in ("rejected", "approved", "published")
            and same_value(name, old["proposed_value"], value)
            and old["evidence_hash"] == proposal["evidence_hash"]
        ):
            counts["kept_decided"] += 1
            return
    same = next((p for p in pending if same_value(name, p["proposed_value"], value)), None)
    if same is not None:
        store.refresh_proposal(database, same["id"], proposal)
        counts["updated"] += 1
        for old in pending:
            if old["id"] != same["id"]:
                store.set_proposal_status(database, old["id"], "superseded")
                counts["superseded"] += 1
        return
    for old in pending:
        store.set_proposal_status(database, old["id"], "superseded")
        counts["superseded"] += 1
    store.insert_proposal(database, proposal)
    counts["new"] += 1


def propose(data_dir: str | os.PathLike[str] | None, run_id: int | None = None) -> dict[str, Any]:
    """Compare run `run_id`'s findings (default: the latest extracted run) with the hub; returns the
    counts."""
    staging = db.open_staging(data_dir)
    hub = db.open_hub(data_dir)
    if run_id is None:
        run_id = store.latest_run_with_findings(staging)
    if run_id is None:
        raise NoCrawlRun("there are no findings to propose from; run `cahub extract` first")
    findings = store.run_findings(staging, run_id)
    counts = {
        "run": run_id,
        "findings": len(findings),
        "new": 0,
        "updated": 0,
        "superseded": 0,
        "stale": 0,
        "kept_decided": 0,
        "unchanged": 0,
        "low_confidence": 0,
        "unknown_initiative": 0,
    }
    own = start_run(staging, "propose", {"findings_run": run_id})
    records: dict[str, dict[str, Any] | None] = {}
    with staging.atomic():
        for finding in findings:
            name = finding["field"]
            if name not in RECORD_FIELDS or name in NOT_PROPOSED or finding["value"] in (None, "", []):
                continue
            if finding["confidence"] < MIN_CONFIDENCE:
                counts["low_confidence"] += 1
                continue
            iid = finding["initiative_id"]
            if iid not in records:
                records[iid] = get_initiative(hub, iid)
            record = records[iid]
            if record is None:
                counts["unknown_initiative"] += 1
                continue
            before = counts["new"] + counts["updated"]
            value = finding["value"]
            if FIELDS_BY_NAME[name].kind == "year" and isinstance(value, str) and value.isdigit():
                finding = {**finding, "value": int(value)}
            _apply(staging, finding, record.get(name), run_id, counts)
            if counts["new"] + counts["updated"] == before and same_value(name, record.get(name), value):
                counts["unchanged"] += 1
    finish_run(staging, own, "completed", counts)
    return counts
