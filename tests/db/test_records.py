"""Validation of import files: every bad input gets a message naming row, field, value and what is allowed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from db import records
from db.countries import country_code

HEADER = "id,name,website,mission_focus,countries,host_country,start_year,government_involvement,stakeholder_groups"


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(records.RecordFileError) as info:
        records.load(path)
    return info.value.problems


def test_csv_values_are_cleaned_into_the_vocabulary(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ok.csv",
        HEADER
        + "\n,Pacto Ético,https://a.example; https://b.example,INDUSTRY,Brazil; de ; Côte d’Ivoire,BRA,2019,Yes,"
        "private_sector;civil_society\n",
    )
    [record] = records.load(path)
    assert record["id"] == "pacto-etico"
    assert record["website"] == ["https://a.example", "https://b.example"]
    assert record["mission_focus"] == "industry"
    assert record["countries"] == ["BR", "DE", "CI"]
    assert record["host_country"] == "BR"
    assert record["start_year"] == 2019
    assert record["government_involvement"] is True
    assert record["stakeholder_groups"] == ["private_sector", "civil_society"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", "\ufeffname,status\nИнициатива,active\n".encode())
    [record] = records.load(path)
    assert record["name"] == "Инициатива"
    assert record["id"] == "инициатива"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            "x,X,,sector,,,,,",
            "row 2: field 'mission_focus': value 'sector': allowed: company_behaviour, industry",
        ),
        ("x,X,,,Atlantis,,,,", "row 2: field 'countries': value 'Atlantis': 'Atlantis' is not an ISO 3166-1"),
        ("x,X,,,,ZZ,,,", "row 2: field 'host_country': value 'ZZ': expected an ISO 3166-1 country code"),
        (
            "x,X,ftp://a.example,,,,,,",
            "row 2: field 'website': value 'ftp://a.example': 'ftp://a.example' is not an http",
        ),
        ("x,X,,,,,19,,", "row 2: field 'start_year': value '19': expected a four-digit year"),
        (
            "x,X,,,,,,maybe,",
            "row 2: field 'government_involvement': value 'maybe': allowed: true, false, yes, no, 1, 0",
        ),
        (
            "x,X,,,,,,,business",
            "row 2: field 'stakeholder_groups': value 'business': 'business' is not allowed",
        ),
        ("x,,,,,,,,", "row 2: field 'name': is required"),
    ],
)
def test_each_bad_value_is_reported_with_row_field_value_and_allowed(
    tmp_path: Path, row: str, expected: str
) -> None:
    path = write(
        tmp_path, "bad.csv", f"{HEADER}\nok,Fine initiative,,,,,,,\n{row}\n".replace("row 2", "row 3")
    )
    problems = problems_of(path)
    assert any(p.startswith(expected.replace("row 2", "row 3")) for p in problems), problems


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.csv", "id,name\nsame,First\nother,Second\nsame,Third\n")
    assert problems_of(path) == [
        "row 4: field 'id': value 'same' is a duplicate of row 2; ids must be unique"
    ]


def test_duplicate_slugs_from_names_are_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.csv", "name\nPacto Ético\npacto etico\n")
    assert "duplicate of row 2" in problems_of(path)[0]


def test_malformed_csv_quoting_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "quotes.csv", 'id,name\na,"Unclosed "quote" here\nb,B\n')
    [problem] = problems_of(path)
    assert "malformed CSV" in problem and problem.startswith("line ")


def test_row_with_extra_cells_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "cells.csv", "id,name\na,A,extra\n")
    assert problems_of(path) == ["row 2: has 3 cells but the header has 2 columns"]


def test_empty_file(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "empty.csv", "")) == ["file is empty: no records to import"]
    assert problems_of(write(tmp_path, "header.csv", "id,name\n")) == ["file has no records"]


def test_non_utf8_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = write(tmp_path, "latin1.csv", "name\nPacto Ético\n".encode("latin-1"))
    [problem] = problems_of(path)
    assert "not UTF-8" in problem and "0xc9" in problem


def test_unknown_column_lists_the_allowed_ones(tmp_path: Path) -> None:
    [problem] = problems_of(write(tmp_path, "cols.csv", "name,budget\nA,1\n"))
    assert "unknown column(s) 'budget'" in problem and "mission_focus" in problem


def test_json_must_be_a_list_of_objects(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "obj.json", '{"name": "A"}')) == [
        "JSON must be a list of objects, one per initiative"
    ]
    assert problems_of(write(tmp_path, "items.json", '[{"name": "A"}, 3]')) == [
        "record 2: is int, not an object"
    ]
    assert "malformed JSON" in problems_of(write(tmp_path, "broken.json", '[{"name": "A"'))[0]


def test_json_lists_and_booleans(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "ok.json",
        json.dumps(
            [{"name": "A", "countries": ["Kenya", "UG"], "government_involvement": False, "start_year": 2020}]
        ),
    )
    [record] = records.load(path)
    assert record["countries"] == ["KE", "UG"]
    assert record["government_involvement"] is False


def test_end_year_before_start_year(tmp_path: Path) -> None:
    path = write(tmp_path, "years.csv", "name,start_year,end_year\nA,2020,2019\n")
    assert problems_of(path) == ["row 2: field 'end_year': value 2019 is before start_year 2020"]


def test_country_names_resolve_through_cldr() -> None:
    assert country_code("United States") == "US"
    assert country_code("Russia") == "RU"
    assert country_code("Alemania", locales=("es",)) == "DE"
    assert country_code("Германия", locales=("ru",)) == "DE"
    assert country_code("Narnia") is None
