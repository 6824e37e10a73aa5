"""The G20 Collective Action KPI: its 96 countries come from three data lists, and the counting rule."""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

from curation.reports import countries as geo
from curation.reports import kpi
from curation.reports.g20_kpi import hub_percent


def data_list(name: str) -> set[str]:
    text = resources.files("curation.reports").joinpath("data", name).read_text(encoding="utf-8")
    return set(json.loads(text)["members"])


def test_denominator_is_96_built_from_the_three_lists() -> None:
    g20 = data_list("g20_members.json")
    eu = data_list("eu_member_states.json")
    au = data_list("african_union_member_states.json")
    assert (len(g20), len(eu), len(au)) == (19, 27, 55)
    un = geo.un_members()
    assert au - un == {"EH"}  # the Sahrawi Republic is an AU member but not a UN member
    union = g20 | eu | (au & un)
    assert len(union) == 96
    assert geo.kpi_countries() == union
    # Members of two groups count once: France, Germany, Italy (G20 and EU), South Africa (G20 and AU).
    assert g20 & eu == {"FR", "DE", "IT"} and g20 & au == {"ZA"}
    assert geo.groups_of("FR") == ["g20", "eu"] and geo.groups_of("EH") == []


def test_country_lists_agree_with_cldr() -> None:
    cldr_eu = set(
        json.loads(
            resources.files("curation.reports")
            .joinpath("data", "cldr_territories.json")
            .read_text(encoding="utf-8")
        )["groups"]["EU"]
    )
    assert data_list("eu_member_states.json") == cldr_eu
    assert {geo.continent(c) for c in data_list("african_union_member_states.json")} == {"Africa"}
    assert geo.continent("BR") == "Americas" and geo.subregion("KZ") == "Central Asia"


def test_percentage_is_rounded_as_the_hub_does() -> None:
    assert hub_percent(43, 96) == 45  # the 2024 baseline
    assert hub_percent(6, 48) == 13  # halves round up, not to even
    assert hub_percent(5, 96) == 5 and hub_percent(0, 96) == 0 and hub_percent(96, 96) == 100


def test_kpi_on_the_fixture(report_data_dir: Path) -> None:
    result = kpi(report_data_dir)
    # Active with government involvement: pacto-agua (CO, not one of the 96), coalition-ports (SN, CI),
    # integritaet-bau (DE), patto-appalti (IT), kenya-health (KE). chestnaya is inactive, rede and
    # open-ledger have no government involvement.
    counted = {c["code"]: [i["id"] for i in c["initiatives"]] for c in result["countries"]}
    assert counted == {
        "CI": ["coalition-ports"],
        "DE": ["integritaet-bau"],
        "IT": ["patto-appalti"],
        "KE": ["kenya-health"],
        "SN": ["coalition-ports"],
    }
    assert (result["counted"], result["total"], result["percent"]) == (5, 96, 5)
    not_counted = {c["code"] for c in result["not_counted"]}
    assert len(not_counted) == 91 and {"RU", "BR", "KZ"} & not_counted == {"RU", "BR"}
    assert "CO" not in not_counted and "KZ" not in not_counted  # not among the 96 at all
    assert result["groups"] == {"g20": 19, "eu": 27, "au": 54}


def test_kpi_cli_formats(report_data_dir: Path, run_cli) -> None:
    text = run_cli("kpi", "--data-dir", report_data_dir)
    assert text.exit_code == 0 and "5 of 96 (5 %)" in text.output
    assert "SN  Senegal: Coalition des Ports Intègres [coalition-ports]" in text.output
    data = json.loads(run_cli("kpi", "--format", "json", "--data-dir", report_data_dir).output)
    assert data["counted"] == 5 and data["total"] == 96 and data["percent"] == 5
    rows = list(
        csv.DictReader(io.StringIO(run_cli("kpi", "--format", "csv", "--data-dir", report_data_dir).output))
    )
    assert len(rows) == 96 and sum(r["counted"] == "yes" for r in rows) == 5
    italy = next(r for r in rows if r["code"] == "IT")
    assert italy["groups"] == "g20;eu" and italy["initiative_ids"] == "patto-appalti"
