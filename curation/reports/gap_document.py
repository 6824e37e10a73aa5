"""Lay out a GapReport as a Document: headline figures, charts, aggregate tables, change, scorecards."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from db.vocabulary import GAP_KEYS

from .document import Chart, Document, Link, Mark, Section, Table, percent
from .gaps import GapReport, GroupRow, Unread, changes

GROUP_TITLES = {
    "region": "Region (UN M49)",
    "subregion": "Sub-region (UN M49)",
    "country": "Country",
    "facilitator_type": "Facilitator type",
    "initiative_type": "Initiative type",
    "language": "Site language",
}
GROUP_NOTE = (
    "An initiative is counted once in every group it belongs to (each country it operates in or is hosted "
    "in), so group totals can exceed the number of initiatives."
)


MULTI_GROUPS = ("country", "region", "subregion")


def _page(url: str) -> Link:
    """A link to a crawled page, shown by its path: the initiative's site is plain from the row."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return Link(url, url)
    if not parts.netloc:
        return Link(url, url)
    return Link((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), url)


def _group_table(key: str, rows: list[GroupRow]) -> Table:
    columns = [GROUP_TITLES[key], "Initiatives", "With at least one gap", "Missing facts", "Gap rate (%)"]
    columns += [f"Missing: {text}" for text in GAP_KEYS.values()]
    body = [
        [r.group, r.initiatives, r.with_gaps, r.gaps, r.gap_rate, *(r.per_key[k] for k in GAP_KEYS)]
        for r in rows
    ]
    title = GROUP_TITLES[key]
    note = GROUP_NOTE if key in MULTI_GROUPS else ""
    return Table(key, f"By {title[0].lower()}{title[1:]}", columns, body, note=note)


def _name(record: dict[str, Any]) -> str:
    return str(record.get("name") or record["id"])


def _unread_table(key: str, title: str, items: list[Unread], note: str) -> Table:
    rows = [
        [
            _name(u.record),
            u.record["id"],
            [Link(w, w) for w in (u.record.get("website") or [])],
            u.outcome,
            u.detail,
            u.run_id,
            u.checked_at,
        ]
        for u in items
    ]
    columns = ["Initiative", "ID", "Website", "Outcome", "Detail", "Run", "Checked at"]
    return Table(key, title, columns, rows, note=note)


def document(report: GapReport, hub_size: int) -> Document:
    f = report.figures
    n = report.evaluated
    summary = Table(
        "summary",
        "Summary",
        ["Measure", "Value"],
        [
            ["Initiatives in the hub", hub_size],
            ["Initiatives evaluated (latest successful crawl)", n],
            ["Sites that could not be read (listed apart, not counted)", len(report.unreachable)],
            ["Initiatives not crawled or not yet evaluated", len(report.not_crawled)],
            ["Initiatives with at least one gap", f["with_gaps"]],
            ["Initiatives stating a clear mission", f["clear_mission"]],
            ["Share stating a clear mission (%)", f["clear_mission_share"]],
            ["Key facts missing", f["gaps"]],
            ["Gap rate (%)", f["gap_rate"]],
        ],
    )
    field_rows = [
        [text, n, f["missing"][key], percent(f["missing"][key], n), n - f["missing"][key]]
        for key, text in GAP_KEYS.items()
    ]
    fields = Table(
        "fields",
        "Gaps by key fact",
        ["Key fact", "Initiatives evaluated", "Not published", "Not published (%)", "Published"],
        field_rows,
    )
    field_chart = Chart(
        "Share of initiatives whose website does not state each key fact",
        [(row[0], row[3]) for row in field_rows],
        max_value=100,
    )
    regions = report.groups["region"]
    region_chart = Chart("Gap rate by region", [(r.group, r.gap_rate) for r in regions], max_value=100)
    sections = [
        Section(
            "Summary",
            "Figures from each initiative's latest successful crawl. A site that could not be read is listed "
            "apart and never counted as having gaps. Gap rate: key facts not published out of all key facts "
            f"checked ({len(GAP_KEYS)} per initiative).",
            tables=[summary],
        ),
        Section("Gaps by key fact", charts=[field_chart], tables=[fields]),
        Section(
            "Gaps by region",
            charts=[
                region_chart,
                Chart(
                    "Gap rate by sub-region (world breakdown)",
                    [(r.group, r.gap_rate) for r in report.groups["subregion"]],
                    max_value=100,
                ),
            ],
            tables=[_group_table("region", regions), _group_table("subregion", report.groups["subregion"])],
        ),
        Section("Gaps by country", tables=[_group_table("country", report.groups["country"])]),
        Section(
            "Gaps by facilitator type, initiative type and language",
            charts=[
                Chart(
                    "Gap rate by facilitator type",
                    [(r.group, r.gap_rate) for r in report.groups["facilitator_type"]],
                    max_value=100,
                )
            ],
            tables=[
                _group_table(k, report.groups[k]) for k in ("facilitator_type", "initiative_type", "language")
            ],
        ),
        _change_section(report),
        Section(
            "Scorecards",
            "For each initiative, each key fact: published (with links to where) or not (with the pages "
            "checked).",
            tables=[_scorecards(report)],
        ),
        Section(
            "Sites that could not be read",
            tables=[
                _unread_table(
                    "unreachable",
                    "Unreachable or blocked sites",
                    report.unreachable,
                    "These initiatives are not counted in any gap figure: their sites could not be read.",
                ),
                _unread_table(
                    "not_evaluated",
                    "Not crawled or not yet evaluated",
                    report.not_crawled,
                    "Hub records without a completed crawl, or whose crawl has not been evaluated yet.",
                ),
            ],
        ),
    ]
    headline = [
        ("initiatives evaluated", str(n)),
        ("state a clear mission", f"{f['clear_mission_share']:g} %"),
        ("gap rate (key facts missing)", f"{f['gap_rate']:g} %"),
        ("sites unreachable", str(len(report.unreachable))),
    ]
    return Document(
        "gap-report",
        "Transparency-gap report",
        "Which key facts the initiatives' own websites publish, and which they do not.",
        report.generated_at,
        headline,
        sections,
    )


def _scorecards(report: GapReport) -> Table:
    rows = []
    for card in report.scorecards:
        for fact in card.facts:
            rows.append(
                [
                    _name(card.record),
                    card.id,
                    card.language,
                    card.run_id,
                    GAP_KEYS[fact.key],
                    Mark("published", "ok") if fact.published else Mark("not published", "gap"),
                    [_page(u) for u in fact.where],
                    [_page(u) for u in fact.pages_checked],
                ]
            )
    columns = [
        "Initiative",
        "ID",
        "Site language",
        "Run",
        "Key fact",
        "State",
        "Where it is published",
        "Pages checked",
    ]
    return Table("scorecards", "Scorecards", columns, rows, merge_columns=4)


def _change_section(report: GapReport) -> Section:
    measures, moved = changes(report)
    if report.previous is None:
        return Section(
            "Change since the previous report",
            "This is the first report from these databases: there are no earlier figures to compare with.",
            tables=[
                Table("change", "Figures", ["Measure", "Previous", "Now", "Change"], []),
                Table(
                    "change_initiatives",
                    "Initiatives whose gaps changed",
                    ["ID", "Gaps closed", "New gaps"],
                    [],
                ),
            ],
        )
    rows = [[m, before, now, _delta(before, now)] for m, before, now in measures]
    moved_rows = [
        [rid, ", ".join(GAP_KEYS[k] for k in closed), ", ".join(GAP_KEYS[k] for k in opened)]
        for rid, closed, opened in moved
    ]
    return Section(
        "Change since the previous report",
        f"Compared with the report of {report.previous['created_at']}.",
        tables=[
            Table("change", "Figures", ["Measure", "Previous", "Now", "Change"], rows),
            Table(
                "change_initiatives",
                "Initiatives whose gaps changed",
                ["ID", "Gaps closed", "New gaps"],
                moved_rows,
            ),
        ],
    )


def _delta(before: Any, now: Any) -> Any:
    if isinstance(before, int | float) and isinstance(now, int | float):
        diff = round(now - before, 1)
        return f"+{diff:g}" if diff > 0 else f"{diff:g}"
    return ""
