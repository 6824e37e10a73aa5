"""The hub's record vocabulary (DESIGN.md), as data: every stage validates and labels fields from here.

Keeping the fields, their kinds and their allowed values in one table means the importer, the extractors,
the review UI and the reports cannot disagree about what a valid record is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MISSION_FOCUS = ("company_behaviour", "industry", "business_environment")
STAKEHOLDER_GROUPS = ("private_sector", "public_sector", "civil_society", "academia")
FACILITATOR_TYPES = (
    "civil_society_organisation",
    "business_association",
    "international_organisation",
    "government_agency",
    "academic_organisation",
    "business",
)
GEOGRAPHIC_SCOPES = ("national", "multi_country", "global")
INITIATIVE_TYPES = (
    "integrity_pact",
    "standard_setting_initiative",
    "declaration_joint_activity",
    "certifying_business_coalition",
    "principle_based_initiative",
    "education_training",
)
STATUSES = ("active", "inactive", "unknown")
# The sectors named in the hub's 2025 analysis, as identifiers; `multi_industry` for cross-sector initiatives.
INDUSTRIES = (
    "multi_industry",
    "accounting",
    "agriculture",
    "chemicals",
    "construction",
    "defence",
    "education",
    "electricity",
    "electronics",
    "energy",
    "entertainment",
    "extractives",
    "finance",
    "fishing",
    "food",
    "forestry",
    "gas",
    "health",
    "hotels",
    "insurance",
    "it_services",
    "legal_services",
    "machinery",
    "manufacturing",
    "maritime",
    "mining",
    "oil_and_gas",
    "pharmaceuticals",
    "plastics",
    "public_procurement",
    "real_estate",
    "retail",
    "rubber",
    "sewerage",
    "steel",
    "storage",
    "telecommunications",
    "tourism",
    "transportation",
    "waste_management",
    "water",
    "water_transport",
)


@dataclass(frozen=True)
class Field:
    """One field of an initiative record: its identifier, kind, allowed values and human label."""

    name: str
    kind: str  # text | url_list | enum | enum_list | country | country_list | list | bool | year | language_list
    label: str
    choices: tuple[str, ...] = field(default=())

    @property
    def is_list(self) -> bool:
        return self.kind.endswith("_list") or self.kind == "list"


FIELDS: tuple[Field, ...] = (
    Field("id", "text", "ID"),
    Field("name", "text", "Name"),
    Field("website", "url_list", "Website"),
    Field("mission", "text", "Mission"),
    Field("goals", "text", "Goals"),
    Field("activities", "text", "Activities"),
    Field("mission_focus", "enum", "Mission focus", MISSION_FOCUS),
    Field("stakeholder_groups", "enum_list", "Stakeholders", STAKEHOLDER_GROUPS),
    Field("facilitator", "text", "Facilitator"),
    Field("facilitator_type", "enum", "Facilitator type", FACILITATOR_TYPES),
    Field("geographic_scope", "enum", "Scope", GEOGRAPHIC_SCOPES),
    Field("countries", "country_list", "Countries Operations"),
    Field("host_country", "country", "Countries Host"),
    Field("industries", "enum_list", "Industry", INDUSTRIES),
    Field("initiative_type", "enum", "Type", INITIATIVE_TYPES),
    Field("government_involvement", "bool", "Government involvement"),
    Field("status", "enum", "Status", STATUSES),
    Field("start_year", "year", "Start Year"),
    Field("end_year", "year", "End Year"),
    Field("members", "list", "Members"),
    Field("languages", "language_list", "Languages"),
    Field("contact", "text", "Contact"),
)

FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
# Fields that are facts about an initiative (everything except its identity).
RECORD_FIELDS: tuple[str, ...] = tuple(n for n in FIELD_NAMES if n != "id")

# The key facts whose absence from a website is a transparency gap (DESIGN.md).
GAP_KEYS: dict[str, str] = {
    "mission": "Mission",
    "stakeholders": "Stakeholders or members",
    "facilitator": "Facilitator or governance",
    "geographic_scope": "Geographic scope",
    "contact": "Contact",
    "activity": "Sign of recent activity",
}

# Site-level outcomes that are findings of their own, never a set of missing fields.
SITE_FINDINGS = ("site_unreachable", "site_blocked")


def label(value: str) -> str:
    """A human label for an identifier (`civil_society_organisation` -> `Civil society organisation`)."""
    if value in FIELDS_BY_NAME:
        return FIELDS_BY_NAME[value].label
    if value in GAP_KEYS:
        return GAP_KEYS[value]
    return value.replace("_", " ").capitalize()
