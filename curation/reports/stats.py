"""Hub statistics: the figures the hub published in 2025 (industry reach, facilitator profiles, geographic
scope, mission focus, stakeholder composition), computed from the published records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from db.hub import now
from db.vocabulary import (
    FACILITATOR_TYPES,
    GEOGRAPHIC_SCOPES,
    INITIATIVE_TYPES,
    MISSION_FOCUS,
    STAKEHOLDER_GROUPS,
    STATUSES,
    label,
)

from .countries import NOT_STATED
from .document import Chart, Document, Section, Table, percent

SCOPE_LABELS = {"national": "National", "multi_country": "Multi-country", "global": "Global"}
MISSION_LABELS = {
    "company_behaviour": "Influence company behaviour",
    "industry": "Influence industry",
    "business_environment": "Influence broader business environment",
}


def industry_reach(records: list[dict[str, Any]]) -> Counter[str]:
    """Multi-industry versus sector-specific initiatives (one or more named industries, no multi_industry)."""
    reach: Counter[str] = Counter()
    for r in records:
        industries = r.get("industries") or []
        if "multi_industry" in industries:
            reach["Multi-industry"] += 1
        elif industries:
            reach["Single industries"] += 1
        else:
            reach[NOT_STATED] += 1
    return reach


def single_industries(records: list[dict[str, Any]]) -> Counter[str]:
    """Among sector-specific initiatives, how many name each industry (one initiative may name several)."""
    counts: Counter[str] = Counter()
    for r in records:
        industries = r.get("industries") or []
        if industries and "multi_industry" not in industries:
            counts.update(label(i) for i in set(industries))
    return counts


def composition(groups: Iterable[str] | None) -> str:
    """A stakeholder combination in the hub's order (private, public, civil society, academia)."""
    present = [g for g in STAKEHOLDER_GROUPS if g in set(groups or [])]
    return " • ".join(label(g) for g in present) if present else NOT_STATED


def _enum_counts(
    records: list[dict[str, Any]], name: str, order: tuple[str, ...], labels: dict[str, str] | None = None
) -> Counter[str]:
    def name_of(value: str) -> str:
        return (labels or {}).get(value) or label(value)

    counts: Counter[str] = Counter({name_of(value): 0 for value in order})
    for r in records:
        value = r.get(name)
        counts[name_of(str(value)) if value else NOT_STATED] += 1
    return counts


def _table_section(
    key: str, title: str, column: str, counts: Counter[str], total: int, intro: str
) -> Section:
    # Every category of the vocabulary is shown, even at zero; "Not stated" only when some record lacks it.
    ordered = sorted(
        ((k, v) for k, v in counts.items() if v or k != NOT_STATED), key=lambda kv: (-kv[1], kv[0])
    )
    bars = [(name, percent(count, total)) for name, count in ordered]
    rows: list[list[Any]] = [
        [name, count, share] for (name, count), (_, share) in zip(ordered, bars, strict=True)
    ]
    table = Table(key, title, [column, "Initiatives", "Share (%)"], rows)
    chart = Chart(f"{title}: share of initiatives", bars, max_value=100)
    return Section(title, intro, charts=[chart], tables=[table])


def document(records: list[dict[str, Any]]) -> Document:
    total = len(records)
    reach = industry_reach(records)
    sectors = single_industries(records)
    sector_counts = sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))
    sector_rows: list[list[Any]] = [
        [name, count, percent(count, reach["Single industries"])] for name, count in sector_counts
    ]
    industry = _table_section(
        "industry_reach",
        "Industry reach",
        "Reach",
        reach,
        total,
        "Multi-industry initiatives against those focused on one or a few sectors.",
    )
    industry.tables.append(
        Table(
            "single_industries",
            "Industries named by sector-specific initiatives",
            ["Industry", "Initiatives", "Share of sector-specific (%)"],
            sector_rows,
            note="An initiative naming several industries counts once in each.",
        )
    )
    industry.charts.append(
        Chart(
            "Industries named by sector-specific initiatives",
            [(n, float(c)) for n, c in sector_counts],
            unit="",
        )
    )
    stakeholders: Counter[str] = Counter(composition(r.get("stakeholder_groups")) for r in records)
    sections = [
        industry,
        _table_section(
            "facilitators",
            "Profiles of facilitators",
            "Facilitator type",
            _enum_counts(records, "facilitator_type", FACILITATOR_TYPES),
            total,
            "Who convenes the initiatives.",
        ),
        _table_section(
            "geographic_scope",
            "Geographic scope",
            "Scope",
            _enum_counts(records, "geographic_scope", GEOGRAPHIC_SCOPES, SCOPE_LABELS),
            total,
            "National (one country), multi-country (two or more, or a region) or global.",
        ),
        _table_section(
            "mission_focus",
            "Mission focus",
            "Focus",
            _enum_counts(records, "mission_focus", MISSION_FOCUS, MISSION_LABELS),
            total,
            "Whom the initiative aims to influence.",
        ),
        _table_section(
            "stakeholder_composition",
            "Stakeholder composition",
            "Combination of groups",
            stakeholders,
            total,
            "Which of the four groups (private sector, public sector, civil society, academia) take "
            "part, as combinations.",
        ),
        _table_section(
            "initiative_type",
            "Initiative types",
            "Type",
            _enum_counts(records, "initiative_type", INITIATIVE_TYPES),
            total,
            "The hub's typology.",
        ),
        _table_section(
            "status",
            "Status",
            "Status",
            _enum_counts(records, "status", STATUSES),
            total,
            "Active, inactive or unknown.",
        ),
    ]
    national = sum(1 for r in records if r.get("geographic_scope") == "national")
    civil = sum(1 for r in records if "civil_society" in (r.get("stakeholder_groups") or []))
    headline = [
        ("initiatives in the hub", str(total)),
        ("multi-industry", f"{percent(reach['Multi-industry'], total):g} %"),
        ("national scope", f"{percent(national, total):g} %"),
        ("with civil society", f"{percent(civil, total):g} %"),
    ]
    return Document(
        "hub-stats",
        "Hub statistics",
        "Figures of the kind the hub published in 2025, from the published records.",
        now(),
        headline,
        sections,
    )
