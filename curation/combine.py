"""Page candidates -> one finding per field for the whole site, keeping the best evidence and every supporting
quote; then the values that follow from others (scope from countries, government involvement from groups)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .fields import Candidate

TEXT_FIELDS = ("mission", "goals", "activities", "facilitator", "contact")
LIST_FIELDS = ("countries", "stakeholder_groups", "industries", "members", "region_countries")
MAX_EVIDENCE = 8
MIN_CONFIDENCE = 0.4
GENERIC_TYPE = 0.45  # joint activity read from members or activities when no type word is found
ROLES_ONLY = 0.45  # stakeholder groups known only from the facilitator's type or a supporting government
MIN_INDUSTRY_SCORE = 0.85  # one prominent mention (mission, intro, description) or two plain ones
# When a site names several types, the most specific one is what the initiative is (a pact that also holds
# dialogues is an integrity pact).
TYPE_WEIGHT = {
    "integrity_pact": 1.6,
    "certifying_business_coalition": 1.25,
    "standard_setting_initiative": 1.3,
    "principle_based_initiative": 1.15,
    "declaration_joint_activity": 1.0,
    "education_training": 0.9,
}
# sector -> the more specific sectors within it
NARROWER = {
    "transportation": ("water_transport",),
    "energy": ("electricity", "oil_and_gas", "gas"),
    "health": ("pharmaceuticals",),
    "extractives": ("mining", "oil_and_gas"),
}
TYPE_TO_GROUP = {
    "government_agency": "public_sector",
    "business": "private_sector",
    "business_association": "civil_society",
    "civil_society_organisation": "civil_society",
    "academic_organisation": "academia",
}


def _evidence(cands: list[Candidate]) -> list[dict[str, Any]]:
    out, seen = [], set()
    for cand in sorted(cands, key=lambda c: -c.confidence):
        for ev in cand.evidence:
            key = (ev["url"], ev["quote"])
            if key not in seen:
                seen.add(key)
                out.append(ev)
    return out[:MAX_EVIDENCE]


def _finding(
    value: Any, confidence: float, cands: list[Candidate], language: str | None = None
) -> dict[str, Any]:
    return {
        "value": value,
        "confidence": round(min(0.99, confidence), 2),
        "evidence": _evidence(cands),
        "language": language,
    }


def _text(cands: list[Candidate], site_lang: str) -> dict[str, Any]:
    ranked = sorted(cands, key=lambda c: -(c.confidence + (0.05 if c.language == site_lang else 0)))
    best = ranked[0]
    support = sum(1 for c in ranked[1:] if c.value == best.value)
    finding = _finding(best.value, best.confidence + 0.03 * support, [best] + ranked[1:], best.language)
    english = next((c for c in ranked if c.language == "en" and c.confidence >= 0.7), None)
    if english is not None and best.language != "en":
        finding["translations"] = {"en": english.value}
    return finding


def _vote(cands: list[Candidate]) -> tuple[Any, float, list[Candidate]]:
    scores: dict[Any, float] = defaultdict(float)
    for cand in cands:
        scores[cand.value] += cand.confidence * TYPE_WEIGHT.get(cand.value, 1.0)
    value = max(scores, key=lambda v: scores[v])
    winners = [c for c in cands if c.value == value]
    share = scores[value] / sum(scores.values())
    return value, max(c.confidence for c in winners) * (0.6 + 0.4 * share), winners


def _union(name: str, cands: list[Candidate]) -> dict[str, Any] | None:
    scores: dict[str, float] = defaultdict(float)
    by_value: dict[str, list[Candidate]] = defaultdict(list)
    order: list[str] = []
    for cand in cands:
        for item in cand.value:
            if item not in scores:
                order.append(item)
            scores[item] += cand.confidence
            by_value[item].append(cand)
    if name == "industries":
        if scores.get("multi_industry", 0) >= 0.6:
            order = ["multi_industry"]
        else:
            order = [v for v in order if scores[v] >= MIN_INDUSTRY_SCORE]
            # the general sector a specific one belongs to (shipping is transport) is not a second sector
            # unless it is said at least as strongly
            order = [
                v
                for v in order
                if not any(w in order and scores[v] <= scores[w] for w in NARROWER.get(v, ()))
            ]
    if not order:
        return None
    used = [c for v in order for c in by_value[v]]
    confidence = sum(max(c.confidence for c in by_value[v]) for v in order) / len(order)
    return _finding(order, confidence, used)


def combine(cands: list[Candidate], site_lang: str) -> dict[str, dict[str, Any]]:
    """Merge candidates of all pages into {field: finding}, dropping values below the confidence floor."""
    by_field: dict[str, list[Candidate]] = defaultdict(list)
    for cand in cands:
        by_field[cand.field].append(cand)
    out: dict[str, dict[str, Any]] = {}
    for name, group in by_field.items():
        if name in TEXT_FIELDS:
            out[name] = _text(group, site_lang)
        elif name in LIST_FIELDS:
            if name == "members" and any(c.language == site_lang for c in group):
                # the English page's list names the same members again, translated ("(civil society)")
                group = [c for c in group if c.language in (site_lang, None)]
            found = _union(name, group)
            if found:
                out[name] = found
        elif name == "start_year":  # founding comes before every later "since": the earliest stated year
            founding = [c for c in group if c.confidence >= 0.75]  # "founded in", not a bare "since"
            first = min(founding or group, key=lambda c: (c.value, -c.confidence))
            out[name] = _finding(
                first.value, first.confidence, [first] + [c for c in group if c is not first]
            )
        elif name == "last_activity":
            latest = max(group, key=lambda c: c.value)
            out[name] = _finding(latest.value, latest.confidence, [latest])
        elif name == "status" and any(c.value == "active" for c in group):
            active = [c for c in group if c.value == "active"]
            out[name] = _finding("active", max(c.confidence for c in active), active)
        elif name == "geographic_scope":
            continue
        else:
            value, confidence, winners = _vote(group)
            out[name] = _finding(value, confidence, winners)
    _derive(out, by_field)
    if "mission" in out and "goals" in out and out["mission"]["value"] == out["goals"]["value"]:
        del out["mission"]  # a sentence under "Goals" is the goals, even if it is phrased like a mission
    _objective_over_tagline(out)
    return {k: v for k, v in out.items() if v["confidence"] >= MIN_CONFIDENCE}


TAGLINE = 0.5  # a mission taken from the site's description (meta, OpenGraph, JSON-LD) alone


def _objective_over_tagline(out: dict[str, dict[str, Any]]) -> None:
    """Where the only mission is the site's one-line description and a heading states one objective
    ("Nuestro objetivo": one statement, not a list), that statement is the mission a curator records."""
    objective = out.pop("objective", None)
    mission, goals = out.get("mission"), out.get("goals")
    if objective is None or mission is None or goals is None or mission["confidence"] > TAGLINE:
        return
    if goals["value"] == objective["value"] and "; " not in goals["value"]:
        out["mission"] = out.pop("goals")


def _groups_from_roles(out: dict[str, dict[str, Any]]) -> None:
    """The facilitator takes part, and so does a government that supports the initiative."""
    added: list[tuple[str, dict[str, Any]]] = []
    kind = out.get("facilitator_type", {}).get("value")
    if kind in TYPE_TO_GROUP:
        added.append((TYPE_TO_GROUP[kind], out["facilitator_type"]))
    if out.get("government_involvement", {}).get("value") is True:
        added.append(("public_sector", out["government_involvement"]))
    for group, source in added:
        # groups known only from who convenes or supports it are not the site stating its stakeholders
        # (kept, but below what is proposed or closes the stakeholders gap); a company running its own
        # initiative is its participant
        confidence = source["confidence"]
        if group != "private_sector":
            confidence = min(confidence, ROLES_ONLY)
        current = out.setdefault(
            "stakeholder_groups", {"value": [], "confidence": confidence, "evidence": [], "language": None}
        )
        if group not in current["value"]:
            current["value"] = current["value"] + [group]
            current["evidence"] = (current["evidence"] + source["evidence"][:1])[:MAX_EVIDENCE]


def _derive(out: dict[str, dict[str, Any]], by_field: dict[str, list[Candidate]]) -> None:
    _groups_from_roles(out)
    regions = out.pop("region_countries", None)
    if "countries" not in out and regions is not None:
        out["countries"] = regions
    says_global = any(c.value == "global" for c in by_field.get("geographic_scope", []))
    # a global initiative's seat is not where it works
    if "countries" not in out and "host_country" in out and not says_global:
        out["countries"] = {**out["host_country"], "value": [out["host_country"]["value"]], "confidence": 0.5}
    countries = out.get("countries", {}).get("value", [])
    scores: dict[str, float] = defaultdict(float)
    best: dict[str, Candidate] = {}
    for cand in by_field.get("geographic_scope", []):
        scores[cand.value] += cand.confidence
        if cand.value not in best or cand.confidence > best[cand.value].confidence:
            best[cand.value] = cand
    if len(countries) >= 2:
        scores["multi_country"] += 0.3 + 0.1 * min(len(countries), 5)
    elif len(countries) == 1:
        scores["national"] += 0.55
    if scores:
        value = max(scores, key=lambda v: scores[v])
        chosen = best.get(value)
        confidence = min(0.9, max(0.55, scores[value] / max(1.0, sum(scores.values())) + 0.2))
        out["geographic_scope"] = _finding(value, confidence, [chosen] if chosen else [])
        if not chosen:
            out["geographic_scope"]["evidence"] = out["countries"]["evidence"][:3]
    if "host_country" not in out and len(countries) == 1:
        out["host_country"] = {**out["countries"], "value": countries[0], "confidence": 0.5}
    groups = out.get("stakeholder_groups", {})
    gov_evidence = [
        ev for ev in groups.get("evidence", []) if "public_sector" in (groups.get("value") or [])
    ][:2]
    if "government_involvement" not in out and (
        "public_sector" in (groups.get("value") or [])
        or out.get("facilitator_type", {}).get("value") == "government_agency"
    ):
        evidence = gov_evidence or out.get("facilitator_type", {}).get("evidence", [])
        out["government_involvement"] = {
            "value": True,
            "confidence": 0.6,
            "evidence": evidence,
            "language": None,
        }
    if "initiative_type" not in out and ("activities" in out or "members" in out):
        # the hub types every initiative; members acting together with no pact, standard, certification,
        # principles or training named are its generic type, joint activity: a reading, not a statement,
        # so kept below the proposal threshold (a curator's more specific type is not overwritten)
        source = out.get("activities") or out["members"]
        out["initiative_type"] = {**source, "value": "declaration_joint_activity", "confidence": GENERIC_TYPE}
    if "mission_focus" not in out and "industries" in out:
        sectors = [v for v in out["industries"]["value"] if v not in ("multi_industry", "public_procurement")]
        focus = "industry" if sectors else "business_environment"
        out["mission_focus"] = {**out["industries"], "value": focus, "confidence": 0.45}
