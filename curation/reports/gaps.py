"""The transparency-gap report: which key facts each initiative's website states, and the aggregates.

Built from each initiative's latest evaluated crawl. Sites that could not be read are listed apart and never
counted as having gaps: "we could not look" is not "they do not say".
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from babel import Locale
from sqlite_utils import Database

from db import report_queries as q
from db.countries import country_name
from db.hub import now
from db.vocabulary import GAP_KEYS, SITE_FINDINGS, label

from . import countries as geo
from .document import percent

# Finding fields whose evidence shows where a key fact is published (the gap key itself counts too).
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "mission": ("mission",),
    "stakeholders": ("stakeholder_groups", "members"),
    "facilitator": ("facilitator", "facilitator_type"),
    "geographic_scope": ("geographic_scope", "countries", "host_country"),
    "contact": ("contact",),
    "activity": ("status", "last_activity", "activities"),
}
KIND = "gaps"


@dataclass
class KeyFact:
    key: str
    published: bool
    where: list[str] = field(default_factory=list)  # evidence URLs
    pages_checked: list[str] = field(default_factory=list)


@dataclass
class Scorecard:
    record: dict[str, Any]
    run_id: int
    crawled_at: str | None
    language: str
    facts: list[KeyFact]

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def gaps(self) -> list[str]:
        return [f.key for f in self.facts if not f.published]


@dataclass
class Unread:
    """An initiative whose site could not be read (or was never crawled), with why."""

    record: dict[str, Any]
    outcome: str
    detail: str
    run_id: int | None
    checked_at: str | None


@dataclass
class GroupRow:
    group: str
    initiatives: int
    with_gaps: int
    gaps: int
    per_key: dict[str, int]

    @property
    def gap_rate(self) -> float:
        """Share of the key facts not published, over every initiative in the group."""
        return percent(self.gaps, self.initiatives * len(GAP_KEYS))


@dataclass
class GapReport:
    generated_at: str
    scorecards: list[Scorecard]
    unreachable: list[Unread]
    not_crawled: list[Unread]
    groups: dict[str, list[GroupRow]]
    figures: dict[str, Any]
    previous: dict[str, Any] | None

    @property
    def evaluated(self) -> int:
        return len(self.scorecards)


def language_name(code: str) -> str:
    if code in ("", "unknown"):
        return "Unknown"
    name = Locale("en").languages.get(code)
    return f"{name} ({code})" if name else code


def _site_language(languages: dict[str, int], record: dict[str, Any]) -> str:
    """The language most of the site's pages are in; else the hub record's first language."""
    known = {k: v for k, v in languages.items() if k != "unknown"}
    if known:
        return sorted(known.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    listed = record.get("languages") or []
    return str(listed[0]) if listed else "unknown"


def _where(findings: list[dict[str, Any]], key: str) -> list[str]:
    urls: list[str] = []
    for finding in findings:
        if finding["field"] == key or finding["field"] in EVIDENCE_FIELDS[key]:
            for item in finding["evidence"]:
                url = item.get("url")
                if isinstance(url, str) and url and url not in urls:
                    urls.append(url)
    return urls


def build(hub: Database, staging: Database) -> GapReport:
    """Read both databases and assemble the report (scorecards, unread sites, aggregates, change)."""
    records = q.hub_records(hub)
    evaluations = q.evaluation_runs(staging)
    sites = q.latest_sites(staging)
    gaps: dict[str, dict[str, list[str]]] = {}
    for row in q.latest_gaps(staging):
        if row["gap"] in GAP_KEYS:
            gaps.setdefault(row["initiative_id"], {})[row["gap"]] = [str(u) for u in row["pages_checked"]]
    findings: dict[str, list[dict[str, Any]]] = {}
    for row in q.latest_findings(staging):
        findings.setdefault(row["initiative_id"], []).append(row)
    languages = q.page_languages(staging)

    scorecards: list[Scorecard] = []
    unreachable: list[Unread] = []
    not_crawled: list[Unread] = []
    for record in records:
        rid = record["id"]
        evaluation, site = evaluations.get(rid), sites.get(rid)
        own = findings.get(rid, [])
        failed = next((f for f in own if f["field"] in SITE_FINDINGS), None)
        newer_failure = (
            site is not None
            and site["outcome"] != "fetched"
            and (evaluation is None or site["run_id"] > evaluation["run_id"])
        )
        if newer_failure:
            assert site is not None
            unreachable.append(
                Unread(record, site["outcome"], site["detail"] or "", site["run_id"], site["run_finished_at"])
            )
            continue
        if failed is not None and evaluation is not None:
            same_run = site if site and site["run_id"] == evaluation["run_id"] else None
            outcome = same_run["outcome"] if same_run else str(failed["field"])
            detail = (same_run or {}).get("detail") or _finding_detail(failed)
            unreachable.append(
                Unread(record, outcome, detail, evaluation["run_id"], evaluation["finished_at"])
            )
            continue
        if evaluation is None:
            outcome = site["outcome"] if site else "not crawled"
            detail = "crawled, not yet evaluated" if site else "no completed crawl yet"
            not_crawled.append(Unread(record, outcome, detail, (site or {}).get("run_id"), None))
            continue
        own_gaps = gaps.get(rid, {})
        facts = [
            KeyFact(
                key,
                key not in own_gaps,
                _where(own, key) if key not in own_gaps else [],
                own_gaps.get(key, []),
            )
            for key in GAP_KEYS
        ]
        language = _site_language(languages.get(rid, {}), record)
        scorecards.append(Scorecard(record, evaluation["run_id"], evaluation["finished_at"], language, facts))

    groups = {name: aggregate(scorecards, keyer) for name, keyer in GROUPINGS.items()}
    figures = _figures(scorecards, unreachable)
    basis = _basis(scorecards, unreachable)
    previous = q.previous_snapshot(staging, KIND, basis)
    q.save_snapshot(staging, KIND, basis, figures)
    return GapReport(now(), scorecards, unreachable, not_crawled, groups, figures, previous)


def _finding_detail(finding: dict[str, Any] | None) -> str:
    if finding is None:
        return ""
    value = finding.get("value")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return "" if value in (None, True) else str(value)


def _countries(record: dict[str, Any]) -> list[str]:
    codes = list(record.get("countries") or [])
    if record.get("host_country"):
        codes.append(record["host_country"])
    return sorted({str(c).upper() for c in codes if c})


def _no_place(card: Scorecard) -> list[str]:
    return [geo.GLOBAL if card.record.get("geographic_scope") == "global" else geo.NOT_STATED]


def by_country(card: Scorecard) -> list[str]:
    return [country_name(c) for c in _countries(card.record)] or _no_place(card)


def _by_region(lookup: Callable[[str], str | None]) -> Callable[[Scorecard], list[str]]:
    def keyer(card: Scorecard) -> list[str]:
        found = sorted({r for r in (lookup(c) for c in _countries(card.record)) if r})
        return found or _no_place(card)

    return keyer


def _by_field(name: str) -> Callable[[Scorecard], list[str]]:
    def keyer(card: Scorecard) -> list[str]:
        value = card.record.get(name)
        return [label(str(value))] if value else [geo.NOT_STATED]

    return keyer


GROUPINGS: dict[str, Callable[[Scorecard], list[str]]] = {
    "country": by_country,
    "region": _by_region(geo.continent),
    "subregion": _by_region(geo.subregion),
    "facilitator_type": _by_field("facilitator_type"),
    "initiative_type": _by_field("initiative_type"),
    "language": lambda card: [language_name(card.language)],
}


def aggregate(cards: Iterable[Scorecard], keyer: Callable[[Scorecard], list[str]]) -> list[GroupRow]:
    """One row per group; an initiative in several groups (countries, regions) counts once in each."""
    rows: dict[str, GroupRow] = {}
    for card in cards:
        for group in keyer(card):
            row = rows.setdefault(group, GroupRow(group, 0, 0, 0, dict.fromkeys(GAP_KEYS, 0)))
            row.initiatives += 1
            row.with_gaps += 1 if card.gaps else 0
            row.gaps += len(card.gaps)
            for key in card.gaps:
                row.per_key[key] += 1
    return sorted(rows.values(), key=lambda r: (-r.initiatives, r.group))


def _figures(cards: list[Scorecard], unreachable: list[Unread]) -> dict[str, Any]:
    missing = Counter(key for card in cards for key in card.gaps)
    total_gaps = sum(missing.values())
    return {
        "evaluated": len(cards),
        "unreachable": len(unreachable),
        "with_gaps": sum(1 for c in cards if c.gaps),
        "clear_mission": sum(1 for c in cards if "mission" not in c.gaps),
        "clear_mission_share": percent(sum(1 for c in cards if "mission" not in c.gaps), len(cards)),
        "gaps": total_gaps,
        "gap_rate": percent(total_gaps, len(cards) * len(GAP_KEYS)),
        "missing": {key: missing.get(key, 0) for key in GAP_KEYS},
        "initiatives": {c.id: c.gaps for c in cards},
    }


def _basis(cards: list[Scorecard], unreachable: list[Unread]) -> str:
    """An identity of the data a report is built from: which run each initiative's figures come from."""
    items = sorted([[c.id, c.run_id] for c in cards] + [[u.record["id"], u.run_id or 0] for u in unreachable])
    return hashlib.sha256(json.dumps(items).encode()).hexdigest()[:16]


def changes(report: GapReport) -> tuple[list[tuple[str, Any, Any]], list[tuple[str, list[str], list[str]]]]:
    """Figures now against the previous report's, and the initiatives whose gaps opened or closed."""
    if report.previous is None:
        return [], []
    before, now_ = report.previous["figures"], report.figures
    measures: list[tuple[str, Any, Any]] = [
        ("Initiatives evaluated", before.get("evaluated"), now_["evaluated"]),
        ("Sites unreachable", before.get("unreachable"), now_["unreachable"]),
        ("Initiatives with at least one gap", before.get("with_gaps"), now_["with_gaps"]),
        ("Share stating a clear mission (%)", before.get("clear_mission_share"), now_["clear_mission_share"]),
        ("Gap rate (%)", before.get("gap_rate"), now_["gap_rate"]),
    ]
    for key, text in GAP_KEYS.items():
        measures.append((f"Missing: {text}", before.get("missing", {}).get(key), now_["missing"][key]))
    moved = []
    old = before.get("initiatives", {})
    for rid, gaps in now_["initiatives"].items():
        if rid in old:
            closed = [k for k in old[rid] if k not in gaps]
            opened = [k for k in gaps if k not in old[rid]]
            if closed or opened:
                moved.append((rid, closed, opened))
    return measures, moved
