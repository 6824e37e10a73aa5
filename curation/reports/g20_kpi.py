"""The G20 Collective Action KPI (B20 Brazil 2024): G20 countries engaged in at least one ongoing initiative
with government support or involvement, out of the union of G20 members, EU and AU member states (96).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from db.countries import country_name
from db.hub import now

from . import countries as geo


def hub_percent(counted: int, total: int) -> int:
    """A whole percentage, halves rounded up as the hub reports it (43 of 96 is 45 %)."""
    if not total:
        return 0
    return int((Decimal(100 * counted) / Decimal(total)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def counts(record: dict[str, Any]) -> bool:
    """An initiative counts when it is active and a government body supports it or takes part."""
    return record.get("status") == "active" and record.get("government_involvement") is True


def compute(records: list[dict[str, Any]]) -> dict[str, Any]:
    denominator = geo.kpi_countries()
    engaged: dict[str, list[dict[str, str]]] = {}
    for record in records:
        if not counts(record):
            continue
        places = {str(c).upper() for c in (record.get("countries") or []) if c}
        if record.get("host_country"):
            places.add(str(record["host_country"]).upper())
        for code in sorted(places & denominator):
            engaged.setdefault(code, []).append(
                {"id": record["id"], "name": record.get("name") or record["id"]}
            )

    def entry(code: str) -> dict[str, Any]:
        return {"code": code, "name": country_name(code), "groups": geo.groups_of(code)}

    counted = [{**entry(c), "initiatives": engaged[c]} for c in sorted(engaged, key=country_name)]
    not_counted = [entry(c) for c in sorted(denominator - set(engaged), key=country_name)]
    return {
        "counted": len(counted),
        "total": len(denominator),
        "percent": hub_percent(len(counted), len(denominator)),
        "groups": {g: len(m) for g, m in geo.kpi_groups().items()},
        "countries": counted,
        "not_counted": not_counted,
        "computed_at": now(),
    }


def as_text(result: dict[str, Any]) -> str:
    lines = [
        "G20 Collective Action KPI: countries engaged in at least one active initiative with government "
        "support or involvement",
        f"{result['counted']} of {result['total']} ({result['percent']} %)",
        "",
        f"Counted ({result['counted']}):",
    ]
    for c in result["countries"]:
        names = "; ".join(f"{i['name']} [{i['id']}]" for i in c["initiatives"])
        lines.append(f"  {c['code']}  {c['name']}: {names}")
    lines += ["", f"Not counted ({len(result['not_counted'])}):"]
    lines += [f"  {c['code']}  {c['name']}" for c in result["not_counted"]]
    return "\n".join(lines) + "\n"


def as_json(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def as_csv(result: dict[str, Any]) -> str:
    """One row per country of the 96: counted or not, its groups and the initiatives that count."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["code", "country", "groups", "counted", "initiative_ids", "initiative_names"])
    for c in result["countries"]:
        writer.writerow(
            [
                c["code"],
                c["name"],
                ";".join(c["groups"]),
                "yes",
                ";".join(i["id"] for i in c["initiatives"]),
                ";".join(i["name"] for i in c["initiatives"]),
            ]
        )
    for c in result["not_counted"]:
        writer.writerow([c["code"], c["name"], ";".join(c["groups"]), "no", "", ""])
    return buffer.getvalue()


FORMATTERS = {"text": as_text, "json": as_json, "csv": as_csv}
