"""Schema creation and in-place upgrades of hub.db and staging.db."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

import db
from db import migrations

STAGING_TABLES = {"runs", "sites", "pages", "findings", "gaps", "proposals", "decisions"}


def test_init_creates_both_databases_with_the_design_tables(tmp_path: Path) -> None:
    hub_file, staging_file = db.init(tmp_path / "d")
    assert {"initiatives", "changes"} <= set(Database(hub_file).table_names())
    assert STAGING_TABLES <= set(Database(staging_file).table_names())


def test_indexes_exist_for_the_curators_queries(data_dir: Path) -> None:
    staging = db.open_staging(data_dir)
    indexed = {tuple(i.columns) for i in staging["proposals"].indexes}
    assert ("status", "initiative_id") in indexed
    hub_db = db.open_hub(data_dir)
    assert ("initiative_id", "changed_at") in {tuple(i.columns) for i in hub_db["changes"].indexes}


def test_init_twice_keeps_every_row(data_dir: Path, run_cli) -> None:
    hub_db = db.open_hub(data_dir)
    hub_db["initiatives"].insert({"id": "x", "name": "X"})
    hub_db.conn.commit()
    result = run_cli("init", "--data-dir", data_dir)
    assert result.exit_code == 0
    assert [r["id"] for r in db.open_hub(data_dir)["initiatives"].rows] == ["x"]


def test_older_database_upgrades_in_place_without_losing_rows(tmp_path: Path) -> None:
    """A database made by an earlier version (fewer migrations applied) gains the new steps and keeps its rows."""
    path = tmp_path / "old" / "hub.db"
    path.parent.mkdir()
    old = Database(path)
    old.execute("create table initiatives (id text primary key, name text)")
    old["initiatives"].insert({"id": "legacy", "name": "Legacy initiative"})
    # Pretend an older version applied nothing from our set: simulate by registering an extra, later step.
    step_ran: list[str] = []

    @migrations.hub(name="m999_test_added_column")
    def _later(database: Database) -> None:
        step_ran.append("yes")
        database["initiatives"].add_column("test_added", str)

    try:
        conn = sqlite3.connect(path)
        conn.close()
        # An old hub.db made before m001 existed under this name would lack migration records:
        # mark m001 as applied (its tables "exist" in this fixture) and let the later step upgrade it.
        migrations.hub.ensure_migrations_table(old)
        old["_sqlite_migrations"].insert(
            {"migration_set": "cahub_hub", "name": "m001_initiatives_and_changes", "applied_at": "2025-01-01"}
        )
        upgraded = db.open_hub(path.parent)
        assert step_ran == ["yes"]
        assert "test_added" in upgraded["initiatives"].columns_dict
        assert [r["name"] for r in upgraded["initiatives"].rows] == ["Legacy initiative"]
        db.open_hub(path.parent)
        assert step_ran == ["yes"], "an applied migration must not run twice"
    finally:
        migrations.hub._migrations = [
            m for m in migrations.hub._migrations if m.name != "m999_test_added_column"
        ]


def test_staging_upgrade_from_a_partial_schema(tmp_path: Path) -> None:
    """Apply nothing, then everything: pending() shrinks to zero and data written in between survives."""
    folder = tmp_path / "d"
    folder.mkdir()
    staging = Database(folder / "staging.db")
    assert [m.name for m in migrations.staging.pending(staging)] == [
        m.name for m in migrations.staging._migrations
    ]
    db.open_staging(folder)
    staging = Database(folder / "staging.db")
    assert migrations.staging.pending(staging) == []


def test_opening_a_missing_database_says_to_run_init(tmp_path: Path, run_cli) -> None:
    result = run_cli("export", "--data-dir", tmp_path / "nowhere")
    assert result.exit_code != 0
    assert "cahub init" in result.output


def test_every_released_step_upgrades_a_database_made_before_it(tmp_path: Path) -> None:
    """For each migration, a database stopped just before it (an older version) upgrades and keeps its rows."""
    for opener, mig, filename in (
        (db.open_hub, migrations.hub, "hub.db"),
        (db.open_staging, migrations.staging, "staging.db"),
    ):
        names = [m.name for m in mig._migrations]
        for position, name in enumerate(names[1:], start=1):
            folder = tmp_path / f"{filename}-{position}"
            folder.mkdir()
            older = Database(folder / filename)
            mig.apply(older, stop_before=name)
            counts = {}
            for table in older.table_names():
                if table.startswith("_"):
                    continue
                older[table].insert({c.name: ("x" if c.type == "TEXT" else 1) for c in older[table].columns})
                counts[table] = 1
            older.conn.commit()
            upgraded = opener(folder)
            assert mig.pending(upgraded) == []
            for table, count in counts.items():
                assert upgraded[table].count == count, f"{filename}: {table} lost rows upgrading past {name}"
