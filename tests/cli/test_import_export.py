"""`cahub import` and `cahub export` as a curator uses them: all or nothing, history kept, lossless round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import db
from db import hub

EXAMPLE_HUB = Path(__file__).resolve().parents[2] / "examples" / "hub.csv"


def hub_state(data_dir: Path) -> tuple[list[dict], int]:
    database = db.open_hub(data_dir)
    return list(hub.initiatives(database)), database["changes"].count


def test_import_creates_records_and_history(data_dir: Path, run_cli) -> None:
    result = run_cli("import", EXAMPLE_HUB, "--data-dir", data_dir)
    assert result.exit_code == 0, result.output
    assert "6 created" in result.output
    records, changes = hub_state(data_dir)
    assert len(records) == 6 and changes == 6
    alliance = next(r for r in records if r["id"] == "alliance-portuaire")
    assert alliance["countries"] == ["SN", "CI", "GH"]
    assert alliance["government_involvement"] is True


def test_reimporting_the_same_file_changes_nothing(hub_data_dir: Path, run_cli) -> None:
    before = hub_state(hub_data_dir)
    result = run_cli("import", EXAMPLE_HUB, "--data-dir", hub_data_dir)
    assert result.exit_code == 0 and "6 unchanged" in result.output
    assert hub_state(hub_data_dir) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,name,status\nnew-one,New,active\nbad,Bad,sleeping\n", "row 3: field 'status': value 'sleeping'"),
        ("id,name,countries\nnew-one,New,Atlantis\n", "row 2: field 'countries': value 'Atlantis'"),
        ("id,name\nnew-one,New\nnew-one,Again\n", "row 3: field 'id': value 'new-one' is a duplicate"),
        ('id,name\nnew-one,"New\n', "malformed CSV"),
        ("", "file is empty"),
    ],
)
def test_a_bad_file_is_rejected_whole_and_nothing_is_written(
    hub_data_dir: Path, run_cli, tmp_path: Path, content: str, message: str
) -> None:
    before = hub_state(hub_data_dir)
    path = tmp_path / "input.csv"
    path.write_text(content, encoding="utf-8")
    result = run_cli("import", path, "--data-dir", hub_data_dir)
    assert result.exit_code == 1
    assert "nothing was written" in result.stderr
    assert message in result.stderr
    assert hub_state(hub_data_dir) == before


def test_non_utf8_file_is_rejected_and_nothing_is_written(
    hub_data_dir: Path, run_cli, tmp_path: Path
) -> None:
    before = hub_state(hub_data_dir)
    path = tmp_path / "cp1252.csv"
    path.write_bytes("id,name\nx,Initiative für Integrität\n".encode("cp1252"))
    result = run_cli("import", path, "--data-dir", hub_data_dir)
    assert result.exit_code == 1 and "not UTF-8" in result.stderr
    assert hub_state(hub_data_dir) == before


def test_changed_values_need_update_and_are_recorded(hub_data_dir: Path, run_cli, tmp_path: Path) -> None:
    path = tmp_path / "changed.csv"
    path.write_text(
        "id,name,status,countries\nchestny-biznes,Честный бизнес,active,RU;KZ;BY\n", encoding="utf-8"
    )
    before = hub_state(hub_data_dir)
    refused = run_cli("import", path, "--data-dir", hub_data_dir)
    assert refused.exit_code == 1 and "--update" in refused.stderr
    assert hub_state(hub_data_dir) == before

    updated = run_cli("import", path, "--update", "--data-dir", hub_data_dir)
    assert updated.exit_code == 0 and "1 updated" in updated.output
    database = db.open_hub(hub_data_dir)
    record = hub.get_initiative(database, "chestny-biznes")
    assert record["status"] == "active" and record["countries"] == ["RU", "KZ", "BY"]
    assert record["mission"] == "Объединить компании для отказа от взяток в закупках.", (
        "absent columns are kept"
    )
    rows = list(
        database["changes"].rows_where("initiative_id = ? and field != '_created'", ["chestny-biznes"])
    )
    assert {(r["field"], r["actor"], r["old_value"], r["new_value"]) for r in rows} == {
        ("status", "import", '"inactive"', '"active"'),
        ("countries", "import", '["RU", "KZ"]', '["RU", "KZ", "BY"]'),
    }


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_is_lossless(hub_data_dir: Path, run_cli, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"hub.{fmt}"
    result = run_cli("export", "--format", fmt, "--out", out, "--data-dir", hub_data_dir)
    assert result.exit_code == 0
    fresh = tmp_path / "fresh"
    assert run_cli("init", "--data-dir", fresh).exit_code == 0
    assert run_cli("import", out, "--data-dir", fresh).exit_code == 0
    original, _ = hub_state(hub_data_dir)
    copied, _ = hub_state(fresh)
    assert copied == original
    again = tmp_path / f"again.{fmt}"
    run_cli("export", "--format", fmt, "--out", again, "--data-dir", fresh)
    assert again.read_bytes() == out.read_bytes()


def test_export_json_to_stdout_is_the_import_shape(hub_data_dir: Path, run_cli) -> None:
    result = run_cli("export", "--format", "json", "--data-dir", hub_data_dir)
    items = json.loads(result.stdout)
    assert {i["id"] for i in items} >= {"pacto-obras-limpias", "chestny-biznes"}
    assert all("updated_at" not in i for i in items)


def test_data_dir_comes_from_the_environment(tmp_path: Path, monkeypatch, run_cli) -> None:
    monkeypatch.setenv("CAHUB_DATA", str(tmp_path / "envdata"))
    assert run_cli("init").exit_code == 0
    assert (tmp_path / "envdata" / "hub.db").exists()
