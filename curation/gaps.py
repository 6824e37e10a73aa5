"""Transparency gaps: the key facts (vocabulary.GAP_KEYS) a successfully crawled site does not state."""

from __future__ import annotations

from typing import Any

from db.vocabulary import GAP_KEYS

# Each gap is closed by any one of these findings.
CLOSED_BY: dict[str, tuple[str, ...]] = {
    "mission": ("mission",),
    "stakeholders": ("stakeholder_groups", "members"),
    "facilitator": ("facilitator", "facilitator_type", "governance"),
    "geographic_scope": ("geographic_scope", "countries"),
    "contact": ("contact",),
}


# A finding below this confidence does not close a gap (groups inferred from the facilitator alone).
MIN_TO_CLOSE = {"stakeholder_groups": 0.5}


def gaps(fields: dict[str, dict[str, Any]]) -> list[str]:
    """The gap keys for a site's combined findings; activity counts only when the site shows a recent date."""
    missing = [
        gap
        for gap, closers in CLOSED_BY.items()
        if not any(f in fields and fields[f].get("confidence", 1) >= MIN_TO_CLOSE.get(f, 0) for f in closers)
    ]
    if fields.get("status", {}).get("value") != "active":
        missing.append("activity")
    return [g for g in GAP_KEYS if g in missing]
