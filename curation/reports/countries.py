"""Country groups (the KPI's 96) and UN M49 regions, read from the data files beside this module.

The lists are data so that a change of membership is an edit of a JSON file, and the KPI's denominator is
whatever the union of the three lists gives, never a number typed into the code.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from db.countries import country_name

GROUP_FILES = {
    "g20": "g20_members.json",
    "eu": "eu_member_states.json",
    "au": "african_union_member_states.json",
}
GROUP_LABELS = {"g20": "G20 member", "eu": "EU member state", "au": "African Union member state"}
GLOBAL = "Global"
NOT_STATED = "Not stated"


@cache
def _data(name: str) -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8"))


def group_members(group: str) -> frozenset[str]:
    """ISO alpha-2 codes of one group as its data file lists them (`g20`, `eu`, `au`)."""
    return frozenset(_data(GROUP_FILES[group])["members"])


def un_members() -> frozenset[str]:
    """UN member states, from CLDR's `UN` territory grouping."""
    return frozenset(_data("cldr_territories.json")["groups"]["UN"])


def kpi_groups() -> dict[str, frozenset[str]]:
    """The three groups the G20 Collective Action KPI counts; African Union members only where UN members."""
    return {
        "g20": group_members("g20"),
        "eu": group_members("eu"),
        "au": group_members("au") & un_members(),
    }


def kpi_countries() -> frozenset[str]:
    """The KPI's "G20 countries": the union of its three groups."""
    result: frozenset[str] = frozenset()
    for members in kpi_groups().values():
        result |= members
    return result


def groups_of(code: str) -> list[str]:
    return [g for g, members in kpi_groups().items() if code in members]


def region_name(m49: str) -> str:
    return country_name(m49)


def continent(code: str) -> str | None:
    """The UN M49 continent (Africa, Americas, Asia, Europe, Oceania) of a country, by name."""
    m49 = _data("cldr_territories.json")["continent"].get(code.upper())
    return region_name(m49) if m49 else None


def subregion(code: str) -> str | None:
    """The UN M49 sub-region (Western Africa, South America, ...) of a country, by name."""
    m49 = _data("cldr_territories.json")["subregion"].get(code.upper())
    return region_name(m49) if m49 else None


def data_source() -> str:
    return str(_data("cldr_territories.json")["source"])
